"""Eligibility: each missing requirement is named; tenancy answers 404 for other organisations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from juru.accounts import access, services
from juru.accounts.exceptions import ActionNotAllowed, NotEligible
from juru.accounts.models import BrandAccount, Member, OrgAction, Organisation, Permission, Role, Team
from juru.governance import services as governance
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(spokesperson: Member, account: BrandAccount) -> Member:
    factories.required_module(spokesperson.organisation)
    return factories.make_eligible(spokesperson, account, "publish")


def test_fully_prepared_member_is_eligible(ready: Member, account: BrandAccount) -> None:
    answer = access.eligibility(ready, "publish", account)
    assert answer.allowed
    assert answer.reasons == []
    assert answer.via == ["direct"]


def test_no_grant_is_named(spokesperson: Member, account: BrandAccount) -> None:
    answer = access.eligibility(spokesperson, "publish", account)
    assert not answer.allowed
    assert "no_grant" in answer.codes


def test_grant_through_a_team_counts(org: Organisation, spokesperson: Member, account: BrandAccount) -> None:
    team = factories.make_team(org, "Humas", "pr")
    services.add_team_member(actor=None, team=team, member=spokesperson)
    services.set_grant(actor=None, account=account, permission="reply", team=team)
    answer = access.eligibility(spokesperson, "reply", account)
    assert answer.via == ["team:Humas"]
    assert "no_grant" not in answer.codes


def test_missing_2fa_is_named(ready: Member, account: BrandAccount) -> None:
    services.disable_two_factor(actor=ready.user, user=ready.user)
    assert access.eligibility(ready, "publish", account).codes == ["no_2fa"]


def test_new_policy_version_must_be_signed_again(ready: Member, account: BrandAccount) -> None:
    factories.publish_policy(ready.organisation, brand_names=["Nusantara"])
    assert access.eligibility(ready, "publish", account).codes == ["policy_not_signed"]


def test_organisation_without_policy_is_named(spokesperson: Member, account: BrandAccount) -> None:
    services.set_grant(actor=None, account=account, permission="publish", member=spokesperson)
    factories.enrol_totp(spokesperson.user)
    assert access.eligibility(spokesperson, "publish", account).codes == ["no_policy"]


def test_failed_training_is_named_with_the_module(ready: Member, account: BrandAccount) -> None:
    module = factories.required_module(ready.organisation, "krisis-201")
    governance.record_training_completion(actor=None, member=ready, module=module, score=40)
    answer = access.eligibility(ready, "publish", account)
    assert answer.codes == ["training_missing"]
    assert "Dasar media sosial" in str(answer.reasons[0].message)


def test_active_suspension_is_named_and_lifting_restores(ready: Member, account: BrandAccount) -> None:
    suspension = governance.suspend_member(actor=None, member=ready, reason="Pelanggaran", ends_at=None)
    assert access.eligibility(ready, "publish", account).codes == ["suspended_indefinitely"]
    governance.lift_suspension(actor=None, suspension=suspension)
    assert access.eligibility(ready, "publish", account).allowed


def test_expired_suspension_does_not_count(ready: Member, account: BrandAccount) -> None:
    past = timezone.now() - timedelta(days=10)
    governance.suspend_member(actor=None, member=ready, reason="x", starts_at=past, ends_at=past + timedelta(days=1))
    assert access.eligibility(ready, "publish", account).allowed


def test_draft_needs_only_a_grant(spokesperson: Member, account: BrandAccount) -> None:
    services.set_grant(actor=None, account=account, permission="draft", member=spokesperson)
    assert access.eligibility(spokesperson, "draft", account).allowed


def test_suspension_also_stops_drafting(spokesperson: Member, account: BrandAccount) -> None:
    services.set_grant(actor=None, account=account, permission="draft", member=spokesperson)
    governance.suspend_member(actor=None, member=spokesperson, reason="x")
    assert access.eligibility(spokesperson, "draft", account).codes == ["suspended_indefinitely"]


def test_inactive_account_is_named(ready: Member, account: BrandAccount) -> None:
    services.update_brand_account(actor=None, account=account, is_active=False)
    assert access.eligibility(ready, "publish", account).codes == ["account_inactive"]


def test_other_organisations_account_is_never_eligible(ready: Member, other_account: BrandAccount) -> None:
    assert access.eligibility(ready, "publish", other_account).codes == ["other_organisation"]


def test_reasons_carry_translated_messages(spokesperson: Member, account: BrandAccount) -> None:
    from django.utils import translation

    with translation.override("en"):
        message = str(access.eligibility(spokesperson, "publish", account).reasons[0].message)
    assert message.startswith("No grant")


def test_require_eligible_raises_with_reasons(spokesperson: Member, account: BrandAccount) -> None:
    with pytest.raises(NotEligible) as caught:
        access.require_eligible(spokesperson, "reply", account)
    assert "no_grant" in caught.value.eligibility.codes


def test_matrix_has_no_n_plus_one(org: Organisation, django_assert_max_num_queries: object) -> None:
    accounts = [factories.make_account(org, f"@akun{i}") for i in range(10)]
    members = [factories.make_member(org, f"orang{i}") for i in range(50)]
    team = factories.make_team(org, "Semua")
    for member in members:
        services.add_team_member(actor=None, team=team, member=member)
    for account in accounts:
        services.set_grant(actor=None, account=account, permission="publish", team=team)
    factories.required_module(org)
    factories.publish_policy(org)
    members = list(Member.objects.filter(organisation=org, user__username__startswith="orang"))
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        matrix = access.eligibility_matrix(org, members, accounts)
        assert len(matrix) == 50 * 10 * len(Permission)
        assert all("no_2fa" in e.codes for (m, a, p), e in matrix.items() if p == "publish")


def test_member_for_request_404s_for_non_members(owner: Member, outsider: Member) -> None:
    request = RequestFactory().get("/")
    request.user = outsider.user
    with pytest.raises(Http404):
        access.member_for_request(request, owner.organisation.slug)
    request.user = owner.user
    assert access.member_for_request(request, owner.organisation.slug) == owner


def test_removed_member_gets_404(owner: Member, spokesperson: Member) -> None:
    services.remove_member(actor=owner.user, member=spokesperson)
    request = RequestFactory().get("/")
    request.user = spokesperson.user
    with pytest.raises(Http404):
        access.member_for_request(request, spokesperson.organisation.slug)


def test_get_object_404s_for_other_org_missing_and_junk(owner: Member, other_account: BrandAccount) -> None:
    for public_id in [other_account.public_id, "0d3c9b1e-0000-4000-8000-000000000000", "not-a-uuid"]:
        with pytest.raises(Http404):
            access.get_object_for_member(BrandAccount, owner, public_id)


def test_get_object_finds_own(owner: Member, account: BrandAccount) -> None:
    assert access.get_object_for_member(BrandAccount.objects.all(), owner, str(account.public_id)) == account


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.OWNER, set(OrgAction.values)),
        (Role.ADMIN, set(OrgAction.values) - {"override_block"}),
        (Role.APPROVER, {"view_audit", "declare_crisis"}),
        (Role.SPOKESPERSON, set()),
        (Role.RESPONDER, set()),
        (Role.CONTRIBUTOR, set()),
        (Role.VIEWER, set()),
    ],
)
def test_role_actions(org: Organisation, role: str, allowed: set[str]) -> None:
    member = factories.make_member(org, f"user-{role}", role)
    assert {a for a in OrgAction.values if access.role_can(member, a)} == allowed


def test_crisis_team_lead_may_declare_crisis(org: Organisation, spokesperson: Member) -> None:
    team: Team = factories.make_team(org, "Krisis", "crisis")
    services.add_team_member(actor=None, team=team, member=spokesperson, is_lead=True)
    assert access.role_can(spokesperson, OrgAction.DECLARE_CRISIS)


def test_require_role_refuses(viewer: Member) -> None:
    with pytest.raises(ActionNotAllowed):
        access.require_role(viewer, OrgAction.MANAGE_MEMBERS)
