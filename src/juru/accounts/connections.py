"""Connecting brand accounts to their networks, keeping tokens fresh, and the connection state.

Each network is connected the way it supports (``connection_method``): the sandbox at once,
Bluesky with a handle and an app password, Telegram with a bot token, Mastodon, X and Facebook/
Instagram through OAuth in the browser. Secrets only ever reach the database through the
encrypted ``BrandAccount.credentials``; between the redirect to a network and its callback they
live in the session, encrypted with the same key. Audit events record what changed, never a secret.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from collections.abc import Mapping, MutableMapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from mastodon import Mastodon
from mastodon import errors as mastodon_errors

from juru.accounts import crypto
from juru.accounts.exceptions import AccountsError, CredentialsUnreadableError
from juru.accounts.models import BrandAccount, ConnectionStatus, Member
from juru.audit.models import AuditEvent
from juru.audit.services import PendingEvent, append, prepare, record
from juru.connectors import registry
from juru.connectors.base import Outcome
from juru.connectors.errors import UnknownNetworkError
from juru.connectors.facebook import GRAPH_VERSION
from juru.connectors.facebook import map_response as graph_outcome
from juru.connectors.mastodon import SCOPES as MASTODON_SCOPES

Actor = AbstractBaseUser | None

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
X_SCOPES = "tweet.read tweet.write users.read offline.access"
FACEBOOK_SCOPES = "pages_show_list,pages_read_engagement,pages_manage_posts,pages_manage_engagement"
INSTAGRAM_SCOPES = (
    "pages_show_list,pages_read_engagement,instagram_basic,instagram_content_publish,instagram_manage_comments"
)
PENDING_KEY = "juru.connections.pending"
PENDING_SECONDS = 15 * 60  # how long a started authorisation may take
MAX_PENDING = 5  # per session; older ones are dropped
REFRESHABLE_NETWORKS = ("x",)
REFRESH_MARGIN = timedelta(minutes=30)  # refresh tokens that expire within this
_BOT_TOKEN = re.compile(r"^\d{3,15}:[A-Za-z0-9_-]{20,80}$")
_CHANNEL = re.compile(r"^(@[A-Za-z0-9_]{4,64}|-?\d{5,20})$")

# Audit actions of connection changes (needs_reconnect is also written by the publishing workflow).
CONNECTED = "accounts.brand_account.connected"
NEEDS_RECONNECT = "accounts.brand_account.needs_reconnect"
DISCONNECTED = "accounts.brand_account.disconnected"
TOKEN_REFRESHED = "accounts.brand_account.token_refreshed"
STATUS_ACTIONS = (CONNECTED, NEEDS_RECONNECT, DISCONNECTED)


class Method(StrEnum):
    """How an account on a network is connected."""

    NONE = "none"  # the sandbox: nothing to enter
    APP_PASSWORD = "app_password"  # Bluesky
    BOT_TOKEN = "bot_token"  # Telegram
    MASTODON = "mastodon"  # OAuth on the account's own instance
    X = "x"  # OAuth 2.0 with PKCE
    FACEBOOK = "facebook"  # Facebook Login, then a Page (Facebook Pages and Instagram)
    UNSUPPORTED = "unsupported"


_OAUTH_METHODS = {"mastodon": Method.MASTODON, "x": Method.X, "facebook": Method.FACEBOOK, "instagram": Method.FACEBOOK}
_FORM_METHODS = {"sandbox": Method.NONE, "bluesky": Method.APP_PASSWORD, "telegram": Method.BOT_TOKEN}
OAUTH_METHODS = frozenset({Method.MASTODON, Method.X, Method.FACEBOOK})


class ConnectionFailedError(AccountsError):
    """Connecting or checking an account failed; the message says why, for the person connecting."""


class InvalidStateError(AccountsError):
    """An OAuth callback whose ``state`` is missing, used, expired or not this member's."""


def connection_method(network: str) -> Method:
    """The way to connect an account on ``network``, from its connector's capabilities."""
    try:
        oauth = registry.capabilities(network).oauth
    except UnknownNetworkError:
        return Method.UNSUPPORTED
    methods = _OAUTH_METHODS if oauth else _FORM_METHODS
    return methods.get(network, Method.UNSUPPORTED)


# --------------------------------------------------------------------------- state


@dataclass(frozen=True)
class ConnectionState:
    """What the connection page shows: the status and, from the audit log, why and since when."""

    status: str
    label: str
    reason: str = ""
    since: datetime | None = None
    by: str = ""


def connection_state(account: BrandAccount) -> ConnectionState:
    """The account's connection status with the reason and time of its last change."""
    status = ConnectionStatus(account.connection_status)
    event = (
        AuditEvent.objects.filter(
            object_type=BrandAccount._meta.label_lower, object_id=str(account.public_id), action__in=STATUS_ACTIONS
        )
        .order_by("-seq")
        .first()
    )
    if event is None:
        return ConnectionState(status=status.value, label=str(status.label))
    reason = event.summary if status == ConnectionStatus.NEEDS_RECONNECT and event.action == NEEDS_RECONNECT else ""
    return ConnectionState(
        status=status.value, label=str(status.label), reason=reason, since=event.created_at, by=event.actor_label
    )


def _audit(action: str, account: BrandAccount, actor: Actor, after: dict[str, Any], summary: str = "") -> None:
    record(action=action, actor=actor, organisation=account.organisation, obj=account, after=after, summary=summary)


@transaction.atomic
def mark_needs_reconnect(account: BrandAccount, reason: str, *, actor: Actor = None) -> bool:
    """Flag the account for a person to reconnect (credentials refused or expired); False if it already was."""
    events = needs_reconnect(account, reason, actor=actor)
    if events:
        append(events)
    return bool(events)


def needs_reconnect(account: BrandAccount, reason: str, *, actor: Actor = None) -> list[PendingEvent]:
    """Flag the account inside the caller's transaction; returns the audit event for the caller to append."""
    changed = (
        BrandAccount.objects.filter(pk=account.pk)
        .exclude(connection_status=ConnectionStatus.NEEDS_RECONNECT)
        .update(connection_status=ConnectionStatus.NEEDS_RECONNECT)
    )
    account.connection_status = ConnectionStatus.NEEDS_RECONNECT
    if not changed:
        return []
    after = {"connection_status": ConnectionStatus.NEEDS_RECONNECT}
    summary = reason.strip()[:500]
    return [
        prepare(
            action=NEEDS_RECONNECT, actor=actor, organisation=account.organisation, obj=account, after=after,
            summary=summary,
        )
    ]  # fmt: skip


@transaction.atomic
def mark_connected(account: BrandAccount, *, actor: Actor = None) -> bool:
    """Record that the stored credentials work again; False if the account was already connected."""
    changed = (
        BrandAccount.objects.filter(pk=account.pk)
        .exclude(connection_status=ConnectionStatus.CONNECTED)
        .update(connection_status=ConnectionStatus.CONNECTED)
    )
    account.connection_status = ConnectionStatus.CONNECTED
    if changed:
        _audit(CONNECTED, account, actor, {"connection_status": ConnectionStatus.CONNECTED, "verified": True})
    return bool(changed)


@transaction.atomic
def save_credentials(
    *, actor: Actor, account: BrandAccount, credentials: dict[str, str], method: str, remote_user: str = ""
) -> BrandAccount:
    """Store new credentials (encrypted) and mark the account connected."""
    account.credentials = credentials
    account.connection_status = ConnectionStatus.CONNECTED
    account.save(update_fields=["credentials_encrypted", "connection_status"])
    after = {
        "connection_status": ConnectionStatus.CONNECTED,
        "method": method,
        "credentials_changed": True,
        "remote_user": remote_user,
    }
    _audit(CONNECTED, account, actor, after)
    return account


@transaction.atomic
def disconnect(*, actor: Actor, account: BrandAccount) -> BrandAccount:
    """Forget the account's credentials; nothing is published through it until it is connected again."""
    had = account.has_credentials
    account.credentials = None
    account.connection_status = ConnectionStatus.DISCONNECTED
    account.save(update_fields=["credentials_encrypted", "connection_status"])
    after = {"connection_status": ConnectionStatus.DISCONNECTED, "credentials_removed": had}
    _audit(DISCONNECTED, account, actor, after)
    return account


def _stored(account: BrandAccount) -> dict[str, Any]:
    """The decrypted credentials, or nothing when they cannot be read (then the person connects anew)."""
    try:
        return account.credentials
    except CredentialsUnreadableError:
        return {}


# --------------------------------------------------------------------------- forms: sandbox, Bluesky, Telegram


def connect_sandbox(*, actor: Actor, account: BrandAccount) -> BrandAccount:
    """The practice network needs nothing: the account is connected at once."""
    return save_credentials(actor=actor, account=account, credentials={}, method=Method.NONE)


def connect_bluesky(*, actor: Actor, account: BrandAccount, handle: str, app_password: str) -> BrandAccount:
    """Sign in to Bluesky with the app password; store it only when the sign-in works."""
    handle = handle.strip().lstrip("@")
    if not handle or not app_password.strip():
        raise ConnectionFailedError(_("Enter the Bluesky handle and an app password."))
    probe = _probe_bluesky(handle, app_password.strip())
    if not probe.ok:
        raise ConnectionFailedError(probe.message)
    credentials = {"handle": handle, "secret": app_password.strip(), "did": probe.remote_id}
    return save_credentials(
        actor=actor, account=account, credentials=credentials, method=Method.APP_PASSWORD, remote_user=handle
    )


def connect_telegram(*, actor: Actor, account: BrandAccount, bot_token: str, channel: str) -> BrandAccount:
    """Check the bot token with ``getMe`` and the channel with ``getChat``; store them when both work."""
    bot_token, channel = bot_token.strip(), channel.strip()
    if not _BOT_TOKEN.match(bot_token):
        # The token becomes part of a URL path: anything else is refused before any request.
        raise ConnectionFailedError(
            _("This does not look like a bot token from @BotFather (digits, a colon, letters).")
        )
    if not _CHANNEL.match(channel):
        raise ConnectionFailedError(_("Enter the channel as @name or as its numeric chat id."))
    probe = _probe_telegram(bot_token, channel)
    if not probe.ok:
        raise ConnectionFailedError(probe.message)
    credentials = {"handle": channel, "access_token": bot_token, "bot": probe.remote_user}
    return save_credentials(
        actor=actor, account=account, credentials=credentials, method=Method.BOT_TOKEN, remote_user=probe.remote_user
    )


# --------------------------------------------------------------------------- probes (cheap calls)


@dataclass(frozen=True)
class Probe:
    """What a cheap call with credentials showed: they work, they are refused, or the network failed."""

    ok: bool
    expired: bool = False
    message: str = ""
    remote_user: str = ""
    remote_id: str = ""


def _unreachable(network: str) -> Probe:
    return Probe(False, message=_("%(network)s could not be reached. Try again in a moment.") % {"network": network})


def _http(base_url: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=TIMEOUT, headers={"User-Agent": "Juru"})


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _probe_bluesky(handle: str, app_password: str) -> Probe:
    from atproto import Client
    from atproto_client import exceptions as atx
    from atproto_client.request import Request

    client = Client(base_url=settings.JURU_BLUESKY_URL, request=Request(timeout=15.0))
    try:
        client.login(handle, app_password, fetch_bsky_profile=False)
    except (atx.UnauthorizedError, atx.BadRequestError):
        return Probe(False, expired=True, message=_("Bluesky refused this handle and app password."))
    except atx.AtProtocolError:
        return _unreachable("Bluesky")
    session = client._session  # the SDK keeps the signed-in DID only here without a profile fetch
    return Probe(True, remote_user=handle, remote_id=str(session.did) if session else "")


def _probe_telegram(bot_token: str, channel: str) -> Probe:
    try:
        with _http(settings.JURU_TELEGRAM_API_URL) as client:
            me = client.post(f"/bot{bot_token}/getMe")
            if me.status_code in (401, 404) or not _json(me).get("ok"):
                return Probe(False, expired=True, message=_("Telegram does not accept this bot token."))
            chat = client.post(f"/bot{bot_token}/getChat", json={"chat_id": channel})
    except httpx.HTTPError:
        # Never the exception text: its URL contains the bot token.
        return _unreachable("Telegram")
    bot = str((_json(me).get("result") or {}).get("username") or "")
    if not _json(chat).get("ok"):
        message = _("The bot @%(bot)s cannot see %(channel)s: add it to the channel as an administrator.")
        return Probe(False, message=message % {"bot": bot, "channel": channel})
    return Probe(True, remote_user=bot)


def _probe_mastodon(credentials: Mapping[str, Any]) -> Probe:
    api = Mastodon(
        access_token=str(credentials.get("access_token", "")),
        api_base_url=str(credentials.get("base_url", "")),
        request_timeout=15,
        version_check_mode="none",
    )
    try:
        me = api.account_verify_credentials()
    except mastodon_errors.MastodonUnauthorizedError:
        return Probe(False, expired=True, message=_("The Mastodon instance no longer accepts Juru's access."))
    except mastodon_errors.MastodonError:
        return _unreachable("Mastodon")
    return Probe(True, remote_user=str(me.get("acct") or ""), remote_id=str(me.get("id") or ""))


def _probe_x(access_token: str) -> Probe:
    try:
        with _http(settings.JURU_X_API_URL) as client:
            response = client.get("/2/users/me", headers={"Authorization": f"Bearer {access_token}"})
    except httpx.HTTPError:
        return _unreachable("X")
    if response.status_code == 401:
        return Probe(False, expired=True, message=_("X no longer accepts Juru's access to this account."))
    user = _json(response).get("data") or {}
    if response.status_code != 200 or not isinstance(user, dict) or not user.get("id"):
        return _unreachable("X")
    return Probe(True, remote_user=str(user.get("username") or ""), remote_id=str(user["id"]))


def _probe_graph(object_id: str, access_token: str) -> Probe:
    try:
        with _http(settings.JURU_FACEBOOK_GRAPH_URL) as client:
            response = client.get(
                f"/{GRAPH_VERSION}/{object_id}", params={"fields": "id", "access_token": access_token}
            )
    except httpx.HTTPError:
        return _unreachable("Facebook")
    outcome = graph_outcome(response).outcome
    if outcome is Outcome.PUBLISHED:
        return Probe(True, remote_id=object_id)
    if outcome is Outcome.AUTH_EXPIRED:
        return Probe(False, expired=True, message=_("Facebook no longer accepts Juru's access to this Page."))
    return _unreachable("Facebook")


def probe(account: BrandAccount) -> Probe:
    """Try the stored credentials with the cheapest call the network offers."""
    if account.network == "sandbox":
        return Probe(True)
    creds = _stored(account)
    if not creds:
        return Probe(False, expired=True, message=_("No usable credentials are stored for this account."))
    network = account.network
    if network == "bluesky":
        return _probe_bluesky(str(creds.get("handle") or account.handle), str(creds.get("secret", "")))
    if network == "telegram":
        return _probe_telegram(str(creds.get("access_token", "")), str(creds.get("handle") or account.handle))
    if network == "mastodon":
        return _probe_mastodon(creds)
    if network == "x":
        return _probe_x(str(creds.get("access_token", "")))
    if network in ("facebook", "instagram"):
        return _probe_graph(str(creds.get("handle", "")), str(creds.get("access_token", "")))
    return Probe(False, message=_("Juru cannot check accounts on this network."))


def verify_connection(*, actor: Actor, account: BrandAccount) -> Probe:
    """Check the stored credentials now: refused ones flag the account for reconnecting, working ones clear it."""
    result = probe(account)
    if account.connection_status == ConnectionStatus.DISCONNECTED:
        return result  # a check never connects (or flags) an account nobody has connected
    if result.ok:
        mark_connected(account, actor=actor)
    elif result.expired:
        mark_needs_reconnect(account, result.message, actor=actor)
    return result


# --------------------------------------------------------------------------- OAuth: started, then finished


@dataclass
class Pending:
    """An authorisation between the redirect to the network and its callback (kept encrypted in the session)."""

    state: str
    network: str
    account_id: str
    member_id: str
    redirect_uri: str
    created: float = field(default_factory=time.time)
    data: dict[str, Any] = field(default_factory=dict)  # verifier, client secret, user token, pages...


def stash_pending(session: MutableMapping[str, Any], pending: Pending) -> None:
    """Keep ``pending`` in the session under its state (encrypted; at most a few per session)."""
    entries = dict(session.get(PENDING_KEY) or {})
    entries[pending.state] = crypto.encrypt_json(asdict(pending))
    while len(entries) > MAX_PENDING:
        entries.pop(next(iter(entries)))
    session[PENDING_KEY] = entries


def _open(session: MutableMapping[str, Any], state: str, *, member: Member, network: str | None, take: bool) -> Pending:
    entries = dict(session.get(PENDING_KEY) or {})
    blob = entries.pop(state, None) if state else None
    if take and blob is not None:
        session[PENDING_KEY] = entries  # single use, whatever happens next
    invalid = InvalidStateError(
        _("This sign-in answer does not belong to a connection you started, or it was already used. Start again.")
    )
    if not blob:
        raise invalid
    try:
        pending = Pending(**crypto.decrypt_json(blob))
    except (CredentialsUnreadableError, TypeError, ValueError):
        raise invalid from None
    if pending.member_id != str(member.public_id) or network not in (None, pending.network):
        raise invalid
    if time.time() - pending.created > PENDING_SECONDS:
        raise InvalidStateError(_("The sign-in took too long and has expired. Start connecting again."))
    return pending


def take_pending(
    session: MutableMapping[str, Any], state: str, *, member: Member, network: str | None = None
) -> Pending:
    """The authorisation this member started under ``state`` (for ``network`` if given), removed from the session."""
    return _open(session, state, member=member, network=network, take=True)


def peek_pending(session: MutableMapping[str, Any], state: str, *, member: Member, network: str) -> Pending:
    """Like ``take_pending`` but leaves it in the session (a Page still has to be chosen)."""
    return _open(session, state, member=member, network=network, take=False)


def _new_pending(member: Member, account: BrandAccount, redirect_uri: str, **data: Any) -> Pending:
    return Pending(
        state=secrets.token_urlsafe(32),
        network=account.network,
        account_id=str(account.public_id),
        member_id=str(member.public_id),
        redirect_uri=redirect_uri,
        data=data,
    )


def start_authorisation(
    *, member: Member, account: BrandAccount, redirect_uri: str, instance_url: str = ""
) -> tuple[str, Pending]:
    """Where to send the person to authorise Juru, and what to keep until the network answers."""
    method = connection_method(account.network)
    if method is Method.MASTODON:
        return _start_mastodon(member, account, redirect_uri, instance_url)
    if method is Method.X:
        return _start_x(member, account, redirect_uri)
    if method is Method.FACEBOOK:
        return _start_facebook(member, account, redirect_uri)
    raise ConnectionFailedError(_("Accounts on this network are not connected through a sign-in page."))


def finish_authorisation(*, actor: Actor, account: BrandAccount, pending: Pending, code: str) -> BrandAccount:
    """Exchange the authorisation code for tokens and store them (Mastodon and X)."""
    if not code:
        raise ConnectionFailedError(_("The network did not send an authorisation code. Start connecting again."))
    if pending.network == "mastodon":
        return _finish_mastodon(actor, account, pending, code)
    if pending.network == "x":
        return _finish_x(actor, account, pending, code)
    raise ConnectionFailedError(_("Accounts on this network are not connected through a sign-in page."))


# Mastodon ----------------------------------------------------------------------------------


def normalise_instance(url: str) -> str:
    """``mastodon.social`` or ``https://mastodon.social/`` → ``https://mastodon.social``; refuses anything else."""
    url = url.strip()
    if "://" not in url:
        url = f"https://{url}"
    url = url.rstrip("/")
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.JURU_MASTODON_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed or not parts.hostname or parts.path or parts.query or parts.username:
        raise ConnectionFailedError(_("Enter the address of the Mastodon instance, such as https://mastodon.social."))
    return f"{parts.scheme}://{parts.netloc}"


def mastodon_instance(account: BrandAccount) -> str:
    """The instance a Mastodon account was last connected on ('' if never)."""
    return str(_stored(account).get("base_url") or "") if account.network == "mastodon" else ""


def _mastodon_client(account: BrandAccount, instance: str, redirect_uri: str) -> tuple[str, str]:
    """Juru's app on the instance: the one stored with the account, or a new registration."""
    stored = _stored(account)
    same = stored.get("base_url") == instance and stored.get("redirect_uri") == redirect_uri
    if same and stored.get("client_id") and stored.get("client_secret"):
        return str(stored["client_id"]), str(stored["client_secret"])
    try:
        client_id, client_secret = Mastodon.create_app(
            "Juru", scopes=MASTODON_SCOPES, redirect_uris=redirect_uri, api_base_url=instance, request_timeout=15
        )
    except (mastodon_errors.MastodonError, KeyError):
        message = _("The instance %(instance)s did not let Juru register. Check the address and try again.")
        raise ConnectionFailedError(message % {"instance": instance}) from None
    return str(client_id), str(client_secret)


def _start_mastodon(member: Member, account: BrandAccount, redirect_uri: str, instance_url: str) -> tuple[str, Pending]:
    instance = normalise_instance(instance_url or str(_stored(account).get("base_url", "")))
    client_id, client_secret = _mastodon_client(account, instance, redirect_uri)
    pending = _new_pending(
        member, account, redirect_uri, instance=instance, client_id=client_id, client_secret=client_secret
    )
    api = Mastodon(
        client_id=client_id,
        client_secret=client_secret,
        api_base_url=instance,
        request_timeout=15,
        version_check_mode="none",
    )
    try:
        url = api.auth_request_url(
            redirect_uris=redirect_uri,
            scopes=MASTODON_SCOPES,
            state=pending.state,
            allow_http=settings.JURU_MASTODON_ALLOW_HTTP,
        )
    except mastodon_errors.MastodonError:
        raise ConnectionFailedError(_unreachable("Mastodon").message) from None
    return str(url), pending


def _finish_mastodon(actor: Actor, account: BrandAccount, pending: Pending, code: str) -> BrandAccount:
    data = pending.data
    api = Mastodon(
        client_id=data["client_id"],
        client_secret=data["client_secret"],
        api_base_url=data["instance"],
        request_timeout=15,
        version_check_mode="none",
    )
    try:
        token = api.log_in(
            code=code,
            redirect_uri=pending.redirect_uri,
            scopes=MASTODON_SCOPES,
            allow_http=settings.JURU_MASTODON_ALLOW_HTTP,
        )
    except mastodon_errors.MastodonError:
        raise ConnectionFailedError(
            _("The instance did not accept the authorisation. Start connecting again.")
        ) from None
    credentials = {
        "access_token": str(token),
        "base_url": data["instance"],
        "client_id": data["client_id"],
        "client_secret": data["client_secret"],
        "redirect_uri": pending.redirect_uri,
    }
    checked = _probe_mastodon(credentials)
    if not checked.ok:
        raise ConnectionFailedError(checked.message)
    credentials["username"] = checked.remote_user
    return save_credentials(
        actor=actor, account=account, credentials=credentials, method=Method.MASTODON, remote_user=checked.remote_user
    )


# X -----------------------------------------------------------------------------------------


def pkce_challenge(verifier: str) -> str:
    """The S256 code challenge of a PKCE verifier (RFC 7636: base64url of SHA-256, no padding)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _start_x(member: Member, account: BrandAccount, redirect_uri: str) -> tuple[str, Pending]:
    if not settings.JURU_X_CLIENT_ID:
        raise ConnectionFailedError(_("X is not set up on this server: the operator must set JURU_X_CLIENT_ID."))
    verifier = secrets.token_urlsafe(64)  # 86 characters, within RFC 7636's 43-128
    pending = _new_pending(member, account, redirect_uri, verifier=verifier)
    query = {
        "response_type": "code",
        "client_id": settings.JURU_X_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": X_SCOPES,
        "state": pending.state,
        "code_challenge": pkce_challenge(verifier),
        "code_challenge_method": "S256",
    }
    return f"{settings.JURU_X_AUTHORIZE_URL}?{urlencode(query)}", pending


def _x_token(form: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """POST to X's token endpoint; a confidential client authenticates with HTTP Basic."""
    form = {**form, "client_id": settings.JURU_X_CLIENT_ID}
    secret = settings.JURU_X_CLIENT_SECRET
    auth = httpx.BasicAuth(settings.JURU_X_CLIENT_ID, secret) if secret else httpx.USE_CLIENT_DEFAULT
    with _http(settings.JURU_X_API_URL) as client:
        response = client.post("/2/oauth2/token", data=form, auth=auth)
    return response.status_code, _json(response)


def _expires_at(body: Mapping[str, Any]) -> str:
    seconds = int(body.get("expires_in") or 0)
    return (timezone.now() + timedelta(seconds=seconds)).astimezone(UTC).isoformat() if seconds else ""


def _finish_x(actor: Actor, account: BrandAccount, pending: Pending, code: str) -> BrandAccount:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": pending.redirect_uri,
        "code_verifier": str(pending.data.get("verifier", "")),
    }
    try:
        status, body = _x_token(form)
    except httpx.HTTPError:
        raise ConnectionFailedError(_unreachable("X").message) from None
    if status != 200 or not body.get("access_token"):
        raise ConnectionFailedError(_("X did not accept the authorisation. Start connecting again."))
    checked = _probe_x(str(body["access_token"]))
    if not checked.ok:
        raise ConnectionFailedError(checked.message)
    credentials = {
        "access_token": str(body["access_token"]),
        "refresh_token": str(body.get("refresh_token") or ""),
        "expires_at": _expires_at(body),
        "user_id": checked.remote_id,
        "username": checked.remote_user,
    }
    return save_credentials(
        actor=actor, account=account, credentials=credentials, method=Method.X, remote_user=checked.remote_user
    )


def token_expires_at(account: BrandAccount) -> datetime | None:
    """When the stored access token stops working, if the network said so."""
    raw = str(_stored(account).get("expires_at") or "")
    try:
        return datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def refresh_token(*, account: BrandAccount, actor: Actor = None) -> bool | None:
    """Trade the refresh token for a new access token: True done, False refused (reconnect), None try later."""
    if account.network not in REFRESHABLE_NETWORKS:
        return None
    creds = _stored(account)
    old = str(creds.get("refresh_token") or "")
    if not old:
        mark_needs_reconnect(account, _("No refresh token is stored: connect the account again."), actor=actor)
        return False
    try:
        status, body = _x_token({"grant_type": "refresh_token", "refresh_token": old})
    except httpx.HTTPError:
        return None
    if status >= 500 or status == 429:
        return None
    if status != 200 or not body.get("access_token"):
        error = str(body.get("error_description") or body.get("error") or status)
        message = _("X refused to renew the sign-in (%(error)s). Connect the account again.") % {"error": error}
        mark_needs_reconnect(account, message, actor=actor)
        return False
    return _store_refreshed(account, old, body, actor)


@transaction.atomic
def _store_refreshed(account: BrandAccount, old: str, body: Mapping[str, Any], actor: Actor) -> bool:
    current = BrandAccount.objects.select_for_update().get(pk=account.pk)
    creds = _stored(current)
    if creds.get("refresh_token") != old:
        return True  # someone else refreshed (or reconnected) meanwhile; their tokens stand
    expires_at = _expires_at(body)
    creds.update(
        access_token=str(body["access_token"]),
        refresh_token=str(body.get("refresh_token") or old),  # X rotates refresh tokens
        expires_at=expires_at,
    )
    current.credentials = creds
    current.save(update_fields=["credentials_encrypted"])
    account.credentials_encrypted = current.credentials_encrypted
    _audit(TOKEN_REFRESHED, current, actor, {"expires_at": expires_at})
    return True


def refresh_expiring_tokens(*, margin: timedelta = REFRESH_MARGIN) -> dict[str, int]:
    """Refresh every connected account whose token expires within ``margin``; counts by result."""
    counts = {"refreshed": 0, "refused": 0, "later": 0}
    deadline = timezone.now() + margin
    accounts = BrandAccount.objects.filter(
        network__in=REFRESHABLE_NETWORKS, connection_status=ConnectionStatus.CONNECTED, is_active=True
    ).select_related("organisation")
    for account in accounts:
        expires = token_expires_at(account)
        if expires is None or expires > deadline:
            continue
        done = refresh_token(account=account)
        counts["refreshed" if done else "refused" if done is False else "later"] += 1
    return counts


# Facebook and Instagram --------------------------------------------------------------------


@dataclass(frozen=True)
class PageChoice:
    """A Page (or the Instagram account linked to it) the person may connect."""

    id: str
    name: str


def _start_facebook(member: Member, account: BrandAccount, redirect_uri: str) -> tuple[str, Pending]:
    if not (settings.JURU_FACEBOOK_APP_ID and settings.JURU_FACEBOOK_APP_SECRET):
        raise ConnectionFailedError(
            _("Facebook is not set up on this server: the operator must set JURU_FACEBOOK_APP_ID and _SECRET.")
        )
    pending = _new_pending(member, account, redirect_uri)
    query = {
        "client_id": settings.JURU_FACEBOOK_APP_ID,
        "redirect_uri": redirect_uri,
        "state": pending.state,
        "response_type": "code",
        "scope": INSTAGRAM_SCOPES if account.network == "instagram" else FACEBOOK_SCOPES,
    }
    return f"{settings.JURU_FACEBOOK_DIALOG_URL}/{GRAPH_VERSION}/dialog/oauth?{urlencode(query)}", pending


def _graph_get(client: httpx.Client, path: str, params: dict[str, str]) -> dict[str, Any]:
    response = client.get(f"/{GRAPH_VERSION}/{path}", params=params)
    body = _json(response)
    if response.status_code != 200 or "error" in body:
        error = body.get("error") if isinstance(body.get("error"), dict) else {}
        detail = str((error or {}).get("message") or response.status_code)
        raise ConnectionFailedError(_("Facebook refused the request: %(detail)s") % {"detail": detail})
    return body


def fetch_pages(*, pending: Pending, code: str) -> Pending:
    """Exchange the code for a long-lived user token and list the Pages it manages (kept in a new pending)."""
    if not code:
        raise ConnectionFailedError(_("The network did not send an authorisation code. Start connecting again."))
    app = {"client_id": settings.JURU_FACEBOOK_APP_ID, "client_secret": settings.JURU_FACEBOOK_APP_SECRET}
    fields = "id,name,access_token,instagram_business_account{id,username}"
    try:
        with _http(settings.JURU_FACEBOOK_GRAPH_URL) as client:
            short = _graph_get(
                client, "oauth/access_token", {**app, "redirect_uri": pending.redirect_uri, "code": code}
            )
            # A Page token obtained with a long-lived user token does not expire.
            exchange = {**app, "grant_type": "fb_exchange_token", "fb_exchange_token": str(short.get("access_token"))}
            user_token = str(_graph_get(client, "oauth/access_token", exchange).get("access_token"))
            pages = _graph_get(client, "me/accounts", {"fields": fields, "access_token": user_token}).get("data") or []
    except httpx.HTTPError:
        raise ConnectionFailedError(_unreachable("Facebook").message) from None
    choices = [_choice(page, pending.network) for page in pages if isinstance(page, dict)]
    choices = [c for c in choices if c is not None]
    if not choices:
        if pending.network == "instagram":
            raise ConnectionFailedError(_("None of your Facebook Pages has an Instagram professional account linked."))
        raise ConnectionFailedError(_("This Facebook user manages no Pages that Juru may use."))
    return Pending(
        state=secrets.token_urlsafe(32),
        network=pending.network,
        account_id=pending.account_id,
        member_id=pending.member_id,
        redirect_uri=pending.redirect_uri,
        data={"pages": choices},
    )


def _choice(page: dict[str, Any], network: str) -> dict[str, str] | None:
    if not page.get("id") or not page.get("access_token"):
        return None
    choice = {
        "page_id": str(page["id"]),
        "name": str(page.get("name") or page["id"]),
        "token": str(page["access_token"]),
    }
    if network != "instagram":
        return choice | {"id": choice["page_id"]}
    linked = page.get("instagram_business_account") or {}
    if not isinstance(linked, dict) or not linked.get("id"):
        return None
    username = str(linked.get("username") or linked["id"])
    return choice | {"id": str(linked["id"]), "name": f"@{username} ({choice['name']})", "username": username}


def page_choices(pending: Pending) -> list[PageChoice]:
    """The Pages offered after Facebook Login (names and ids only: never the tokens)."""
    return [PageChoice(id=p["id"], name=p["name"]) for p in pending.data.get("pages", [])]


def connect_page(*, actor: Actor, account: BrandAccount, pending: Pending, page_id: str) -> BrandAccount:
    """Store the chosen Page's access token (for Instagram: the linked account's id) and connect."""
    chosen = next((p for p in pending.data.get("pages", []) if p["id"] == page_id), None)
    if chosen is None:
        raise ConnectionFailedError(_("Choose one of the Pages listed."))
    checked = _probe_graph(chosen["id"], chosen["token"])
    if not checked.ok:
        raise ConnectionFailedError(checked.message)
    credentials = {"handle": chosen["id"], "access_token": chosen["token"], "page_id": chosen["page_id"]}
    if chosen.get("username"):
        credentials["username"] = chosen["username"]
    return save_credentials(
        actor=actor, account=account, credentials=credentials, method=Method.FACEBOOK, remote_user=chosen["name"]
    )
