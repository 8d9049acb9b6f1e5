"""API tokens: shown once, stored hashed, accepted as Bearer, refused once revoked."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from juru.accounts import services
from juru.accounts.models import ApiToken, BrandAccount, Member
from tests import factories

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_token_is_stored_hashed(spokesperson: Member) -> None:
    token, raw = services.create_api_token(actor=None, member=spokesperson, name="ci")
    assert raw.startswith("juru_")
    assert raw not in token.token_hash
    assert token.prefix == raw[:11]


def test_api_accepts_token_and_answers_who(spokesperson: Member) -> None:
    _token, raw = services.create_api_token(actor=None, member=spokesperson)
    response = Client().get("/api/v1/me", **bearer(raw))
    assert response.status_code == 200
    assert response.json() == {"username": "sari", "organisation": "nusantara", "role": "spokesperson", "actions": []}
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("header", ["", "Bearer nope", "Bearer juru_wrong", "Basic abc"])
def test_api_refuses_missing_or_bad_tokens(spokesperson: Member, header: str) -> None:
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_revoked_token_stops_working(spokesperson: Member) -> None:
    token, raw = services.create_api_token(actor=None, member=spokesperson)
    services.revoke_api_token(actor=None, token=token)
    assert Client().get("/api/v1/me", **bearer(raw)).status_code == 401


def test_eligibility_endpoint_reports_reasons(spokesperson: Member, account: BrandAccount) -> None:
    _token, raw = services.create_api_token(actor=None, member=spokesperson)
    response = Client().get(f"/api/v1/me/eligibility/{account.public_id}/publish", **bearer(raw))
    assert response.status_code == 200
    assert [r["code"] for r in response.json()["reasons"]] == ["no_grant", "no_2fa", "no_policy"]


def test_other_orgs_account_is_404_through_the_api(spokesperson: Member, other_account: BrandAccount) -> None:
    _token, raw = services.create_api_token(actor=None, member=spokesperson)
    response = Client().get(f"/api/v1/me/eligibility/{other_account.public_id}/publish", **bearer(raw))
    assert response.status_code == 404


def test_audit_events_need_the_role(owner: Member, spokesperson: Member) -> None:
    _t, owner_raw = services.create_api_token(actor=None, member=owner)
    _t, raw = services.create_api_token(actor=None, member=spokesperson)
    assert Client().get("/api/v1/audit-events", **bearer(raw)).status_code == 403
    events = Client().get("/api/v1/audit-events", **bearer(owner_raw)).json()
    assert events[0]["action"] == "token.create"
    assert all(e["seq"] > 0 for e in events)


def test_token_command_prints_once(spokesperson: Member, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("token", "create", "sari", "--name", "ci")
    raw = capsys.readouterr().out.strip()
    assert services.authenticate_token(raw) is not None
    assert raw not in "".join(ApiToken.objects.values_list("token_hash", flat=True))


def test_token_command_needs_org_when_ambiguous(spokesperson: Member, other_org: object) -> None:
    services.add_member(actor=None, organisation=other_org, user=spokesperson.user, role="viewer")  # type: ignore[arg-type]
    with pytest.raises(CommandError, match="--org"):
        call_command("token", "create", "sari")
    call_command("token", "create", "sari", "--org", "saingan")


def test_token_command_unknown_user(db: None) -> None:
    with pytest.raises(CommandError, match="not an active member"):
        call_command("token", "create", "nobody")


def test_token_revoke_command(spokesperson: Member) -> None:
    token, raw = services.create_api_token(actor=None, member=spokesperson)
    call_command("token", "revoke", token.prefix)
    assert services.authenticate_token(raw) is None


def test_openapi_schema_is_served(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/me" in response.json()["paths"]


def test_factories_make_eligible_helper(spokesperson: Member, account: BrandAccount) -> None:
    from juru.accounts.access import eligibility

    factories.make_eligible(spokesperson, account, "reply")
    assert eligibility(spokesperson, "reply", account).allowed
