"""API token pages: a token is shown once, works as a Bearer token, and stops working when revoked."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.utils import translation

from juru.accounts.models import ApiToken, Member, Role
from juru.accounts.services import create_api_token
from juru.audit.models import AuditEvent
from tests.web.conftest import make_member

pytestmark = pytest.mark.django_db
ClientFor = Callable[[Member], Client]


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    """A request in English leaves English active in this thread; later tests expect the default."""
    yield
    translation.deactivate()


RAW_TOKEN = re.compile(r'id="new-token"[^>]*value="(juru_[A-Za-z0-9_-]+)"')


def raw_from(html: str) -> str:
    """The raw token the creation page shows."""
    match = RAW_TOKEN.search(html)
    assert match, "the creation page shows no token"
    return match.group(1)


def me(raw: str) -> int:
    """Status of GET /api/v1/me with the token."""
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


def test_create_shows_the_token_once_and_stores_only_its_hash(client_for: ClientFor, viewer: Member) -> None:
    client = client_for(viewer)
    response = client.post("/o/kopi/tokens/new/", {"name": "laporan"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    raw = raw_from(html)
    assert f"Authorization: Bearer {raw}" in html
    assert "/api/v1/" in html
    token = ApiToken.objects.get(member=viewer)
    assert token.name == "laporan"
    assert token.token_hash == ApiToken.hash_token(raw)
    assert raw not in token.token_hash
    assert raw.startswith(token.prefix)
    # Never again: not on the list, not on a second visit.
    listing = client.get("/o/kopi/tokens/").content.decode()
    assert token.prefix in listing
    assert raw not in listing
    assert AuditEvent.objects.filter(action="token.create", object_id=str(token.public_id)).exists()


def test_created_token_works_against_the_api_and_revoking_stops_it(client_for: ClientFor, viewer: Member) -> None:
    client = client_for(viewer)
    raw = raw_from(client.post("/o/kopi/tokens/new/", {"name": "skrip"}).content.decode())
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["username"] == "vino"
    token = ApiToken.objects.get(member=viewer)
    assert token.last_used_at is not None

    response = client.post(f"/o/kopi/tokens/{token.public_id}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert me(raw) == 401
    assert AuditEvent.objects.filter(action="token.revoke", object_id=str(token.public_id)).exists()


def test_revoke_via_htmx_answers_with_the_token_tables(client_for: ClientFor, viewer: Member) -> None:
    token, raw = create_api_token(actor=None, member=viewer, name="ci")
    response = client_for(viewer).post(f"/o/kopi/tokens/{token.public_id}/revoke/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.strip().startswith('<section id="tokens"')
    assert "<html" not in html
    assert "toast" in response["HX-Trigger"]
    assert me(raw) == 401


def test_token_needs_a_name(client_for: ClientFor, viewer: Member) -> None:
    response = client_for(viewer).post("/o/kopi/tokens/new/", {"name": "  "})
    assert response.status_code == 200
    assert 'class="field has-error"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_viewer_sees_only_own_tokens_and_cannot_revoke_others(
    client_for: ClientFor, viewer: Member, speaker: Member
) -> None:
    theirs, raw = create_api_token(actor=None, member=speaker, name="milik-budi")
    mine, _raw = create_api_token(actor=None, member=viewer, name="milik-vino")
    client = client_for(viewer)
    html = client.get("/o/kopi/tokens/").content.decode()
    assert "milik-vino" in html
    assert "milik-budi" not in html
    assert client.post(f"/o/kopi/tokens/{theirs.public_id}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert me(raw) == 200
    mine.refresh_from_db()
    assert mine.revoked_at is None


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_owner_and_admin_see_and_revoke_others_tokens_without_reading_them(
    client_for: ClientFor, speaker: Member, role: str
) -> None:
    boss = make_member(speaker.organisation, f"boss-{role}", role)
    theirs, raw = create_api_token(actor=None, member=speaker, name="milik-budi")
    client = client_for(boss)
    html = client.get("/o/kopi/tokens/").content.decode()
    assert "milik-budi" in html
    assert theirs.prefix in html
    assert raw not in html
    assert client.post(f"/o/kopi/tokens/{theirs.public_id}/revoke/").status_code == 302
    assert me(raw) == 401
    event = AuditEvent.objects.get(action="token.revoke", object_id=str(theirs.public_id))
    assert event.actor_id == boss.user_id


def test_other_organisations_tokens_are_404(client_for: ClientFor, owner: Member, outsider: Member) -> None:
    theirs, raw = create_api_token(actor=None, member=outsider, name="bank-ci")
    client = client_for(owner)
    assert "bank-ci" not in client.get("/o/kopi/tokens/").content.decode()
    assert client.post(f"/o/kopi/tokens/{theirs.public_id}/revoke/").status_code == 404
    assert client.get("/o/bank/tokens/").status_code == 404
    assert client.post("/o/bank/tokens/new/", {"name": "x"}).status_code == 404
    assert not ApiToken.objects.filter(member__organisation=outsider.organisation, name="x").exists()
    assert me(raw) == 200


def test_a_token_created_in_one_organisation_acts_there(
    client_for: ClientFor, owner: Member, org_b: object, outsider: Member
) -> None:
    """Someone in two organisations gets a token for the organisation whose page they used."""
    Member.objects.create(user=owner.user, organisation=outsider.organisation, role=Role.VIEWER)
    raw = raw_from(client_for(owner).post("/o/bank/tokens/new/", {"name": "bank"}).content.decode())
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.json()["organisation"] == "bank"
    assert response.json()["role"] == "viewer"


def test_nav_links_to_the_token_page(client_for: ClientFor, viewer: Member) -> None:
    html = client_for(viewer).get("/o/kopi/").content.decode()
    assert 'href="/o/kopi/tokens/"' in html


@pytest.mark.parametrize(("lang", "word"), [("id", "Ringkasan"), ("en", "Overview")])
def test_token_pages_render_in_both_languages(client_for: ClientFor, viewer: Member, lang: str, word: str) -> None:
    client = client_for(viewer)
    client.cookies["juru_language"] = lang
    for response in (client.get("/o/kopi/tokens/"), client.post("/o/kopi/tokens/new/", {"name": "ci"})):
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html
        assert word in html
