"""Account services do what they say and leave an audit event behind."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client, RequestFactory

from juru.accounts import services
from juru.accounts.exceptions import (
    CredentialsUnreadableError,
    DuplicateNameError,
    InvalidInputError,
    InvalidTwoFactorCodeError,
    LastOwnerError,
)
from juru.accounts.models import BrandAccount, Grant, Member, Organisation, RecoveryCode, Role, TeamMembership
from juru.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def last_event(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-seq").first()
    assert event is not None, f"no audit event {action}"
    return event


def test_create_organisation_with_owner_is_audited(db: None) -> None:
    user = User.objects.create_user("pendiri")
    org = services.create_organisation(actor=user, name="Kopi Senja", owner=user)
    assert org.slug == "kopi-senja"
    assert Member.objects.get(organisation=org).role == Role.OWNER
    assert last_event("organisation.create").actor_label == "pendiri"
    assert last_event("member.add").organisation == org


def test_duplicate_slug_is_refused(org: Organisation) -> None:
    with pytest.raises(DuplicateNameError):
        services.create_organisation(actor=None, name="Lain", slug=org.slug)


def test_unknown_role_is_refused(org: Organisation) -> None:
    with pytest.raises(InvalidInputError):
        factories.make_member(org, "x", "king")


def test_change_role_records_before_and_after(owner: Member, spokesperson: Member) -> None:
    services.change_role(actor=owner.user, member=spokesperson, role=Role.APPROVER)
    event = last_event("member.change_role")
    assert (event.before or {})["role"] == "spokesperson"
    assert (event.after or {})["role"] == "approver"


def test_last_owner_cannot_leave_or_be_demoted(owner: Member) -> None:
    with pytest.raises(LastOwnerError):
        services.remove_member(actor=owner.user, member=owner)
    with pytest.raises(LastOwnerError):
        services.change_role(actor=owner.user, member=owner, role=Role.ADMIN)


def test_remove_member_takes_grants_teams_and_tokens(
    owner: Member, spokesperson: Member, account: BrandAccount
) -> None:
    team = factories.make_team(owner.organisation, "Humas", "pr")
    services.add_team_member(actor=None, team=team, member=spokesperson)
    services.set_grant(actor=None, account=account, permission="publish", member=spokesperson)
    token, raw = services.create_api_token(actor=None, member=spokesperson, name="ci")
    services.remove_member(actor=owner.user, member=spokesperson)
    assert not Grant.objects.filter(member=spokesperson).exists()
    assert not TeamMembership.objects.filter(member=spokesperson).exists()
    assert services.authenticate_token(raw) is None
    assert last_event("member.remove").actor_label == owner.user.username


def test_readding_a_removed_member_reactivates(owner: Member, spokesperson: Member) -> None:
    services.remove_member(actor=owner.user, member=spokesperson)
    again = services.add_member(actor=None, organisation=owner.organisation, user=spokesperson.user, role="viewer")
    assert again.pk == spokesperson.pk
    assert again.is_active
    assert again.role == "viewer"


def test_team_lifecycle(org: Organisation, spokesperson: Member) -> None:
    team = factories.make_team(org, "Krisis", "crisis")
    services.add_team_member(actor=None, team=team, member=spokesperson, is_lead=True)
    services.update_team(actor=None, team=team, name="Tim Krisis")
    services.remove_team_member(actor=None, team=team, member=spokesperson)
    services.delete_team(actor=None, team=team)
    actions = list(AuditEvent.objects.filter(object_id=str(team.public_id)).values_list("action", flat=True))
    assert sorted(actions) == sorted(
        ["team.create", "team.add_member", "team.update", "team.remove_member", "team.delete"]
    )


def test_duplicate_team_name_is_refused(org: Organisation) -> None:
    factories.make_team(org, "Humas")
    other = factories.make_team(org, "Legal")
    with pytest.raises(DuplicateNameError):
        factories.make_team(org, "Humas")
    with pytest.raises(DuplicateNameError):
        services.update_team(actor=None, team=other, name="Humas")


def test_team_refuses_members_of_other_orgs(org: Organisation, outsider: Member) -> None:
    team = factories.make_team(org, "Humas")
    with pytest.raises(InvalidInputError):
        services.add_team_member(actor=None, team=team, member=outsider)


def test_credentials_are_encrypted_at_rest(org: Organisation) -> None:
    account = factories.make_account(org, "@rahasia", credentials={"token": "sangat-rahasia-123"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials_encrypted FROM accounts_brandaccount WHERE id = %s", [account.pk])
        raw = cursor.fetchone()[0]
    assert "sangat-rahasia-123" not in raw
    assert BrandAccount.objects.get(pk=account.pk).credentials == {"token": "sangat-rahasia-123"}
    assert "sangat-rahasia-123" not in str(last_event("account.create").after)


def test_credentials_with_another_key_are_a_clear_error(org: Organisation, settings: object) -> None:
    from cryptography.fernet import Fernet

    account = factories.make_account(org, "@kunci", credentials={"token": "t"})
    settings.ENCRYPTION_KEY = Fernet.generate_key().decode()  # type: ignore[attr-defined]
    with pytest.raises(CredentialsUnreadableError):
        _ = BrandAccount.objects.get(pk=account.pk).credentials


def test_rotated_keys_still_decrypt(org: Organisation, settings: object) -> None:
    from cryptography.fernet import Fernet

    old = settings.ENCRYPTION_KEY  # type: ignore[attr-defined]
    account = factories.make_account(org, "@putar", credentials={"token": "t"})
    settings.ENCRYPTION_KEY = Fernet.generate_key().decode() + "," + old  # type: ignore[attr-defined]
    assert BrandAccount.objects.get(pk=account.pk).credentials == {"token": "t"}


def test_update_account_replaces_credentials(account: BrandAccount) -> None:
    services.update_brand_account(actor=None, account=account, credentials={"token": "baru"}, display_name="Baru")
    fresh = BrandAccount.objects.get(pk=account.pk)
    assert fresh.credentials == {"token": "baru"}
    assert fresh.display_name == "Baru"
    assert (last_event("account.update").after or {})["credentials_changed"] is True


def test_personal_account_needs_an_owner(org: Organisation) -> None:
    with pytest.raises(InvalidInputError):
        factories.make_account(org, "@pribadi", account_type="personal")


def test_duplicate_handle_is_refused(account: BrandAccount) -> None:
    with pytest.raises(DuplicateNameError):
        factories.make_account(account.organisation, account.handle)


def test_grant_set_is_idempotent_and_revocable(spokesperson: Member, account: BrandAccount) -> None:
    first = services.set_grant(actor=None, account=account, permission="publish", member=spokesperson)
    again = services.set_grant(actor=None, account=account, permission="publish", member=spokesperson)
    assert first.pk == again.pk
    assert AuditEvent.objects.filter(action="grant.set").count() == 1
    services.revoke_grant(actor=None, grant=first)
    assert not Grant.objects.exists()
    assert last_event("grant.revoke").before == {
        "account": "@nusantara", "permission": "publish", "member": "sari", "team": None,
    }  # fmt: skip


@pytest.mark.parametrize("kwargs", [{"permission": "delete"}, {"permission": "publish", "member": None}])
def test_bad_grants_are_refused(spokesperson: Member, account: BrandAccount, kwargs: dict[str, object]) -> None:
    arguments = {"member": spokesperson} | kwargs
    with pytest.raises(InvalidInputError):
        services.set_grant(actor=None, account=account, **arguments)  # type: ignore[arg-type]


def test_grant_to_another_orgs_member_is_refused(outsider: Member, account: BrandAccount) -> None:
    with pytest.raises(InvalidInputError):
        services.set_grant(actor=None, account=account, permission="draft", member=outsider)


def test_totp_enrolment_shows_secret_uri_and_svg(spokesperson: Member) -> None:
    enrolment = services.start_totp_enrolment(actor=spokesperson.user)
    assert enrolment.otpauth_uri.startswith("otpauth://totp/")
    assert enrolment.secret in enrolment.otpauth_uri
    assert enrolment.qr_svg.startswith("<svg")
    assert not services.has_two_factor(spokesperson.user)


def test_wrong_totp_code_is_refused(spokesperson: Member) -> None:
    enrolment = services.start_totp_enrolment(actor=spokesperson.user)
    with pytest.raises(InvalidTwoFactorCodeError):
        services.confirm_totp_enrolment(actor=spokesperson.user, device=enrolment.device, token="000000x")
    assert not services.has_two_factor(spokesperson.user)


def test_confirmed_totp_counts_and_disable_removes(spokesperson: Member) -> None:
    factories.enrol_totp(spokesperson.user)
    assert services.has_two_factor(spokesperson.user)
    services.disable_two_factor(actor=spokesperson.user, user=spokesperson.user)
    assert not services.has_two_factor(spokesperson.user)
    assert last_event("2fa.disable").actor_label == "sari"


def test_recovery_codes_are_hashed_and_single_use(spokesperson: Member) -> None:
    codes = services.generate_recovery_codes(actor=spokesperson.user)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not stored & set(codes)
    assert services.use_recovery_code(user=spokesperson.user, code=codes[0].upper().replace("-", ""))
    assert not services.use_recovery_code(user=spokesperson.user, code=codes[0])
    assert services.remaining_recovery_codes(spokesperson.user) == 9


def test_new_recovery_codes_replace_old_ones(spokesperson: Member) -> None:
    old = services.generate_recovery_codes(actor=spokesperson.user)
    services.generate_recovery_codes(actor=spokesperson.user)
    assert not services.use_recovery_code(user=spokesperson.user, code=old[1])


def test_login_success_and_failure_are_audited(spokesperson: Member) -> None:
    request = RequestFactory().post("/login/")
    assert authenticate(request, username="sari", password="wrong-password") is None
    failed = last_event("auth.login_failed")
    assert failed.actor_label == "anonymous:sari"
    assert "wrong-password" not in json_dump(failed.after)
    client = Client()
    client.force_login(spokesperson.user)
    assert last_event("auth.login").actor_label == "sari"


def json_dump(value: object) -> str:
    import json

    return json.dumps(value)
