"""Connection services: state and reasons, token refresh, encryption at rest, the OAuth ``state`` rules."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from juru.accounts import connections, services
from juru.accounts.connections import InvalidStateError, Method
from juru.accounts.models import BrandAccount, ConnectionStatus, Member, Organisation
from juru.accounts.tasks import refresh_expiring_tokens
from juru.audit.models import AuditEvent
from juru.connectors import mastodon, x
from juru.connectors.connecting import ConnectError, pkce_verifier_challenge
from tests.connectors.localapi import LocalAPI, Request, Response, serve

pytestmark = pytest.mark.django_db

X_USER = {"id": "2244994945", "name": "Nusantara Rasa", "username": "nusantararasa"}


class FakeX:
    """X's documented OAuth 2.0 endpoints: token (authorization_code with PKCE, refresh_token) and users/me."""

    def __init__(self) -> None:
        self.api = LocalAPI()
        self.challenges: dict[str, str] = {}  # code -> S256 challenge the person approved
        self.access = {"xat-1"}
        self.refresh = {"xrt-1"}
        self.issued = 1
        self.api.route("POST", r"/2/oauth2/token")(self.token)
        self.api.route("GET", r"/2/users/me")(self.me)

    def approve(self, challenge: str, code: str = "xcode-1") -> str:
        """What X does when the person clicks "Authorize app"."""
        self.challenges[code] = challenge
        return code

    def _issue(self) -> Response:
        self.issued += 1
        access, refresh = f"xat-{self.issued}", f"xrt-{self.issued}"
        self.access.add(access)
        self.refresh.add(refresh)
        body = {"token_type": "bearer", "expires_in": 7200, "access_token": access, "scope": x.SCOPES}
        return Response(200, body | {"refresh_token": refresh})

    def token(self, request: Request, _match: Any) -> Response:
        form = request.form()
        if form.get("grant_type") == "authorization_code":
            challenge = self.challenges.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if challenge is None or digest != challenge:
                return Response(400, {"error": "invalid_request", "error_description": "Value passed was invalid."})
            return self._issue()
        if form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") not in self.refresh:
                return Response(400, {"error": "invalid_request", "error_description": "Token was invalid."})
            self.refresh.discard(form["refresh_token"])  # X rotates refresh tokens
            return self._issue()
        return Response(400, {"error": "unsupported_grant_type"})

    def me(self, request: Request, _match: Any) -> Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.access:
            return Response(
                401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
            )
        return Response(200, {"data": X_USER})


@contextmanager
def running_x(settings: Any) -> Iterator[FakeX]:
    """A FakeX on a local port, with Juru's X settings pointing at it."""
    fake = FakeX()
    with serve(fake.api):
        settings.JURU_X_API_URL = fake.api.base_url
        settings.JURU_X_AUTHORIZE_URL = f"{fake.api.base_url}/i/oauth2/authorize"
        settings.JURU_X_CLIENT_ID = "juru-client"
        settings.JURU_X_CLIENT_SECRET = "juru-client-secret"
        yield fake


@pytest.fixture
def fake_x(settings: Any) -> Iterator[FakeX]:
    with running_x(settings) as fake:
        yield fake


def x_account(org: Organisation, *, expires_in: timedelta, refresh: str = "xrt-1") -> BrandAccount:
    credentials = {
        "access_token": "xat-1",
        "refresh_token": refresh,
        "expires_at": (timezone.now() + expires_in).astimezone(UTC).isoformat(),
        "user_id": X_USER["id"],
    }
    return services.create_brand_account(
        actor=None,
        organisation=org,
        network="x",
        handle="@nusantararasa",
        credentials=credentials,
        connection_status=ConnectionStatus.CONNECTED,
    )


def events(account: BrandAccount, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_id=str(account.public_id), action=action).order_by("seq"))


# --------------------------------------------------------------------------- methods


@pytest.mark.parametrize(
    ("network", "method"),
    [
        ("sandbox", Method.NONE),
        ("bluesky", Method.FORM),
        ("telegram", Method.FORM),
        ("mastodon", Method.OAUTH),
        ("x", Method.OAUTH),
        ("facebook", Method.OAUTH),
        ("instagram", Method.OAUTH),
        ("friendster", Method.UNSUPPORTED),
    ],
)
def test_each_network_gets_its_way_of_connecting(network: str, method: Method) -> None:
    assert connections.connection_method(network) is method


# --------------------------------------------------------------------------- state


def test_needs_reconnect_keeps_reason_and_time(account: BrandAccount, owner: Member) -> None:
    services.update_brand_account(actor=None, account=account, connection_status=ConnectionStatus.CONNECTED)
    assert connections.mark_needs_reconnect(account, "token revoked by the network", actor=owner.user)
    account.refresh_from_db()
    state = connections.connection_state(account)
    assert account.connection_status == ConnectionStatus.NEEDS_RECONNECT
    assert state.status == "needs_reconnect"
    assert state.reason == "token revoked by the network"
    assert state.since is not None
    assert abs((timezone.now() - state.since).total_seconds()) < 60
    assert state.by == owner.user.username


def test_needs_reconnect_twice_is_one_event(account: BrandAccount) -> None:
    assert connections.mark_needs_reconnect(account, "expired")
    assert not connections.mark_needs_reconnect(account, "expired again")
    assert len(events(account, connections.NEEDS_RECONNECT)) == 1


def test_connect_sandbox_at_once_and_disconnect(account: BrandAccount, owner: Member) -> None:
    connections.connect_with_form(actor=owner.user, account=account, values={})
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.CONNECTED
    assert connections.connection_state(account).reason == ""
    connections.disconnect(actor=owner.user, account=account)
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.DISCONNECTED
    assert not account.has_credentials
    assert events(account, connections.DISCONNECTED)[-1].actor_label == owner.user.username


def test_credentials_are_encrypted_at_rest_and_never_audited(org: Organisation) -> None:
    account = x_account(org, expires_in=timedelta(hours=2))
    connections.save_credentials(
        actor=None,
        account=account,
        credentials={"access_token": "very-secret-access", "refresh_token": "very-secret-refresh"},
        method=Method.OAUTH,
        remote_user="nusantararasa",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials_encrypted FROM accounts_brandaccount WHERE id = %s", [account.pk])
        raw = cursor.fetchone()[0]
    assert "very-secret" not in raw
    assert BrandAccount.objects.get(pk=account.pk).credentials["access_token"] == "very-secret-access"
    logged = [str(e.before) + str(e.after) + e.summary for e in AuditEvent.objects.all()]
    assert not any("very-secret" in text or "xat-1" in text for text in logged)


# --------------------------------------------------------------------------- refresh


def test_refresh_task_renews_tokens_that_expire_soon(org: Organisation, fake_x: FakeX) -> None:
    soon = x_account(org, expires_in=timedelta(minutes=5))
    assert refresh_expiring_tokens() == {"refreshed": 1, "refused": 0, "later": 0}
    soon.refresh_from_db()
    stored = soon.credentials
    assert stored["access_token"] == "xat-2"
    assert stored["refresh_token"] == "xrt-2"
    assert datetime.fromisoformat(stored["expires_at"]) > timezone.now() + timedelta(minutes=100)
    assert soon.connection_status == ConnectionStatus.CONNECTED
    assert events(soon, connections.TOKEN_REFRESHED)
    sent = [r.form() for r in fake_x.api.requests if r.path == "/2/oauth2/token"]
    assert sent == [{"grant_type": "refresh_token", "refresh_token": "xrt-1", "client_id": "juru-client"}]
    auth = next(r for r in fake_x.api.requests if r.path == "/2/oauth2/token").headers["Authorization"]
    assert base64.b64decode(auth.removeprefix("Basic ")) == b"juru-client:juru-client-secret"


def test_refresh_task_leaves_fresh_tokens_alone(org: Organisation, fake_x: FakeX) -> None:
    x_account(org, expires_in=timedelta(hours=2))
    assert refresh_expiring_tokens() == {"refreshed": 0, "refused": 0, "later": 0}
    assert fake_x.api.requests == []


def test_refused_refresh_means_reconnect(org: Organisation, fake_x: FakeX) -> None:
    revoked = x_account(org, expires_in=timedelta(minutes=5), refresh="revoked")
    assert refresh_expiring_tokens() == {"refreshed": 0, "refused": 1, "later": 0}
    revoked.refresh_from_db()
    assert revoked.connection_status == ConnectionStatus.NEEDS_RECONNECT
    assert "Token was invalid" in connections.connection_state(revoked).reason
    assert revoked.credentials["access_token"] == "xat-1"  # kept: nothing is lost until someone reconnects


def test_unreachable_x_is_retried_later_not_flagged(org: Organisation, settings: Any) -> None:
    settings.JURU_X_API_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.JURU_X_CLIENT_ID = "juru-client"
    account = x_account(org, expires_in=timedelta(minutes=5))
    assert refresh_expiring_tokens() == {"refreshed": 0, "refused": 0, "later": 1}
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.CONNECTED


def test_verify_flags_expired_token_and_clears_it_after_reconnect(org: Organisation, fake_x: FakeX) -> None:
    account = x_account(org, expires_in=timedelta(hours=2))
    fake_x.access.clear()  # the person revoked Juru's access on x.com
    result = connections.verify_connection(actor=None, account=account)
    assert not result.ok
    assert result.expired
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.NEEDS_RECONNECT
    fake_x.access.add("xat-1")
    assert connections.verify_connection(actor=None, account=account).ok
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.CONNECTED


# --------------------------------------------------------------------------- OAuth state


def test_pkce_challenge_matches_rfc_7636_example() -> None:
    # Appendix B of RFC 7636.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_verifier_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def _pending(member: Member, account: BrandAccount) -> connections.Pending:
    return connections.Pending(
        state="s-1", network="x", account_id=str(account.public_id), member_id=str(member.public_id), redirect_uri="r"
    )


def test_state_is_single_use_and_bound_to_the_member(owner: Member, admin_member: Member, org: Organisation) -> None:
    account = x_account(org, expires_in=timedelta(hours=2))
    session: dict[str, Any] = {}
    connections.stash_pending(session, _pending(owner, account))
    with pytest.raises(InvalidStateError):
        connections.take_pending(session, "s-1", member=admin_member, network="x")
    connections.stash_pending(session, _pending(owner, account))
    with pytest.raises(InvalidStateError):
        connections.take_pending(session, "s-1", member=owner, network="mastodon")
    connections.stash_pending(session, _pending(owner, account))
    assert connections.take_pending(session, "s-1", member=owner, network="x").account_id == str(account.public_id)
    with pytest.raises(InvalidStateError):
        connections.take_pending(session, "s-1", member=owner, network="x")


def test_pending_secrets_are_encrypted_in_the_session(owner: Member, org: Organisation) -> None:
    account = x_account(org, expires_in=timedelta(hours=2))
    pending = _pending(owner, account)
    pending.data["verifier"] = "pkce-verifier-secret"
    session: dict[str, Any] = {}
    connections.stash_pending(session, pending)
    assert "pkce-verifier-secret" not in str(session)


def test_expired_state_is_refused(owner: Member, org: Organisation) -> None:
    account = x_account(org, expires_in=timedelta(hours=2))
    pending = _pending(owner, account)
    pending.created -= connections.PENDING_SECONDS + 1
    session: dict[str, Any] = {}
    connections.stash_pending(session, pending)
    with pytest.raises(InvalidStateError):
        connections.take_pending(session, "s-1", member=owner, network="x")


@pytest.mark.parametrize(
    "url", ["ftp://mastodon.social", "https://mastodon.social/@someone", "https://", "http://m.id"]
)
def test_bad_instance_addresses_are_refused(url: str) -> None:
    with pytest.raises(ConnectError) as refused:
        mastodon.normalise_instance(url)
    assert "mastodon.social" in str(refused.value)


def test_instance_address_is_normalised() -> None:
    assert mastodon.normalise_instance(" mastodon.social/ ") == "https://mastodon.social"
    assert mastodon.normalise_instance("http://127.0.0.1:8080", allow_http=True) == "http://127.0.0.1:8080"


def test_missing_refresh_token_means_reconnect(org: Organisation, fake_x: FakeX) -> None:
    account = x_account(org, expires_in=timedelta(minutes=5), refresh="")
    assert refresh_expiring_tokens() == {"refreshed": 0, "refused": 1, "later": 0}
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.NEEDS_RECONNECT
    assert fake_x.api.requests == []


def test_check_leaves_a_disconnected_account_disconnected(org: Organisation) -> None:
    account = services.create_brand_account(actor=None, organisation=org, network="x", handle="@baru")
    result = connections.verify_connection(actor=None, account=account)
    assert not result.ok
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.DISCONNECTED
