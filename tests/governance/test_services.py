"""Governance writes: publishing, signing, training and suspensions, each audited."""

from __future__ import annotations

import pytest

from juru.accounts.models import Member, Organisation
from juru.audit.models import AuditEvent
from juru.governance import services
from juru.governance.exceptions import (
    InvalidPolicyConfigError,
    InvalidSuspensionError,
    InvalidTrainingResultError,
    NotCurrentPolicyError,
)
from juru.governance.queries import current_org_config, current_policy, members_missing_signoff
from tests import factories

pytestmark = pytest.mark.django_db


def test_publishing_numbers_versions_and_sets_revision(org: Organisation) -> None:
    first = factories.publish_policy(org)
    second = factories.publish_policy(org, brand_names=["Nusantara"])
    assert (first.number, second.number) == (1, 2)
    assert current_policy(org) == second
    assert second.revision.startswith("sha256:")
    assert second.revision != first.revision
    assert AuditEvent.objects.filter(action="policy.publish", organisation=org).count() == 2


def test_current_org_config_reads_the_current_version(org: Organisation) -> None:
    assert current_org_config(org).brand_names == ()
    factories.publish_policy(org, competitor_names=["Rasa Prima"])
    config = current_org_config(org)
    assert config.competitor_names == ("Rasa Prima",)
    assert config.name == org.name


@pytest.mark.parametrize("config", [{"colour": "red"}, {"enabled_packs": ["no-such-pack"]}, {"brand_names": 3}])
def test_bad_config_is_refused(org: Organisation, config: dict[str, object]) -> None:
    with pytest.raises(InvalidPolicyConfigError):
        factories.publish_policy(org, **config)
    assert current_policy(org) is None


def test_signing_records_the_version_hash(spokesperson: Member) -> None:
    policy = factories.publish_policy(spokesperson.organisation)
    signoff = services.sign_policy(actor=spokesperson.user, member=spokesperson)
    assert signoff.version_hash == policy.content_hash()
    assert services.sign_policy(actor=spokesperson.user, member=spokesperson).pk == signoff.pk
    assert list(members_missing_signoff(spokesperson.organisation)) == []


def test_only_the_current_version_can_be_signed(spokesperson: Member) -> None:
    old = factories.publish_policy(spokesperson.organisation)
    factories.publish_policy(spokesperson.organisation)
    with pytest.raises(NotCurrentPolicyError):
        services.sign_policy(actor=None, member=spokesperson, policy_version=old)


def test_nothing_to_sign_without_a_policy(spokesperson: Member) -> None:
    with pytest.raises(NotCurrentPolicyError):
        services.sign_policy(actor=None, member=spokesperson)


def test_training_pass_mark(spokesperson: Member) -> None:
    module = factories.required_module(spokesperson.organisation)
    assert not services.record_training_completion(actor=None, member=spokesperson, module=module, score=79).passed
    assert services.record_training_completion(actor=None, member=spokesperson, module=module, score=80).passed


@pytest.mark.parametrize("score", [-1, 101])
def test_impossible_scores_are_refused(spokesperson: Member, score: int) -> None:
    module = factories.required_module(spokesperson.organisation)
    with pytest.raises(InvalidTrainingResultError):
        services.record_training_completion(actor=None, member=spokesperson, module=module, score=score)


def test_other_orgs_module_is_refused(spokesperson: Member, other_org: Organisation) -> None:
    module = factories.required_module(other_org)
    with pytest.raises(InvalidTrainingResultError):
        services.record_training_completion(actor=None, member=spokesperson, module=module, score=100)


def test_suspension_must_end_after_it_starts(spokesperson: Member) -> None:
    from django.utils import timezone

    with pytest.raises(InvalidSuspensionError):
        services.suspend_member(actor=None, member=spokesperson, reason="x", ends_at=timezone.now())


def test_suspend_and_lift_are_audited(owner: Member, spokesperson: Member) -> None:
    suspension = services.suspend_member(actor=owner.user, member=spokesperson, reason="Bocor rahasia")
    services.lift_suspension(actor=owner.user, suspension=suspension)
    actions = AuditEvent.objects.filter(object_id=str(spokesperson.public_id)).values_list("action", flat=True)
    assert {"member.suspend", "member.lift_suspension"} <= set(actions)
