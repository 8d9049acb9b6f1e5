"""Eligibility for one member (asked at publish time for every post) agrees with the access review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from juru.accounts import access, services
from juru.accounts.models import BrandAccount, Member, Organisation
from juru.governance import services as governance
from tests import factories

pytestmark = pytest.mark.django_db

PERMISSIONS = ("draft", "publish", "reply", "approve")


def _same_as_matrix(org: Organisation, member: Member, account: BrandAccount) -> None:
    matrix = access.eligibility_matrix(org, [member], [account], PERMISSIONS)
    for permission in PERMISSIONS:
        one = access.eligibility(member, permission, account)
        other = matrix[(member, account, permission)]
        assert (one.allowed, one.codes, one.via) == (other.allowed, other.codes, other.via), permission
        assert [str(r.message) for r in one.reasons] == [str(r.message) for r in other.reasons], permission


def _team_grant(org: Organisation, member: Member, account: BrandAccount) -> None:
    team = factories.make_team(org, "Humas", "pr")
    services.add_team_member(actor=None, team=team, member=member)
    services.set_grant(actor=None, account=account, permission="publish", team=team)
    services.set_grant(actor=None, account=account, permission="reply", team=team)


def _other_members_team(org: Organisation, member: Member, account: BrandAccount) -> None:
    team = factories.make_team(org, "Lain", "pr")  # a team the member is not in grants nothing to them
    services.add_team_member(actor=None, team=team, member=factories.make_member(org, "lain"))
    services.set_grant(actor=None, account=account, permission="approve", team=team)


def _failed_training(org: Organisation, member: Member, account: BrandAccount) -> None:
    module = factories.required_module(org, "krisis-201")
    governance.record_training_completion(actor=None, member=member, module=module, score=40)


def _suspended_until(org: Organisation, member: Member, account: BrandAccount) -> None:
    governance.suspend_member(actor=None, member=member, reason="x", ends_at=timezone.now() + timedelta(days=3))


def _expired_suspension(org: Organisation, member: Member, account: BrandAccount) -> None:
    past = timezone.now() - timedelta(days=10)
    governance.suspend_member(actor=None, member=member, reason="x", starts_at=past, ends_at=past + timedelta(days=1))


def _new_policy(org: Organisation, member: Member, account: BrandAccount) -> None:
    factories.publish_policy(org, brand_names=["Nusantara"])


def _no_2fa(org: Organisation, member: Member, account: BrandAccount) -> None:
    services.disable_two_factor(actor=None, user=member.user)


def _inactive_account(org: Organisation, member: Member, account: BrandAccount) -> None:
    services.update_brand_account(actor=None, account=account, is_active=False)


CHANGES: dict[str, Callable[[Organisation, Member, BrandAccount], None]] = {
    "ready": lambda org, member, account: None,
    "team_grant": _team_grant,
    "other_members_team": _other_members_team,
    "failed_training": _failed_training,
    "suspended_until": _suspended_until,
    "expired_suspension": _expired_suspension,
    "new_policy": _new_policy,
    "no_2fa": _no_2fa,
    "inactive_account": _inactive_account,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_one_member_answer_matches_the_matrix(
    change: str, org: Organisation, spokesperson: Member, account: BrandAccount
) -> None:
    factories.required_module(org)
    factories.make_eligible(spokesperson, account, "publish")
    CHANGES[change](org, spokesperson, account)
    _same_as_matrix(org, spokesperson, account)


def test_before_any_policy_matches_the_matrix(org: Organisation, spokesperson: Member, account: BrandAccount) -> None:
    services.set_grant(actor=None, account=account, permission="publish", member=spokesperson)
    factories.enrol_totp(spokesperson.user)
    assert access.eligibility(spokesperson, "publish", account).codes == ["no_policy"]
    _same_as_matrix(org, spokesperson, account)


def test_an_eligible_member_costs_two_queries(
    org: Organisation, spokesperson: Member, account: BrandAccount, django_assert_num_queries: object
) -> None:
    factories.required_module(org)
    factories.make_eligible(spokesperson, account, "publish")
    _team_grant(org, spokesperson, account)
    with django_assert_num_queries(2):  # type: ignore[operator]
        answer = access.eligibility(spokesperson, "publish", account)
    assert answer.allowed
    assert answer.via == ["direct", "team:Humas"]
