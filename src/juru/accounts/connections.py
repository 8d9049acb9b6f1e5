"""Connection state of brand accounts, and the one way to reach an account's network (``connector_for``).

How each network is connected (the form it asks for, OAuth and PKCE, scopes, token exchange and
refresh, the probe that checks stored credentials) lives in that network's connector module; this
module only runs those steps for an account and keeps the state: the status, "needs reconnect",
and the credentials, encrypted in ``BrandAccount.credentials``. Between the redirect to a network
and its callback, what the connector asked to keep lives in the session, encrypted with the same
key. Connectors speak ``Message`` (English text marked for the catalogs): ``say`` translates it.
Audit events record what changed, never a secret.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping, MutableMapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts import crypto
from juru.accounts.exceptions import AccountsError, CredentialsUnreadableError
from juru.accounts.models import BrandAccount, ConnectionStatus, Member
from juru.audit.models import AuditEvent
from juru.audit.services import PendingEvent, append, prepare, record
from juru.connectors import registry
from juru.connectors.base import Connector, Credentials
from juru.connectors.connecting import (
    CANNOT_CHECK,
    NOT_CONNECTABLE,
    Choice,
    Connectable,
    Connected,
    ConnectError,
    Kind,
    Message,
    Probe,
    Setup,
    gettext_noop,
)
from juru.connectors.errors import UnknownNetworkError

Actor = AbstractBaseUser | None
Method = Kind  # how an account is connected: none, form, oauth or unsupported

PENDING_KEY = "juru.connections.pending"
PENDING_SECONDS = 15 * 60  # how long a started authorisation may take
MAX_PENDING = 5  # per session; older ones are dropped
REFRESH_MARGIN = timedelta(minutes=30)  # refresh tokens that expire within this

# Audit actions of connection changes (needs_reconnect is also written by the publishing workflow).
CONNECTED = "accounts.brand_account.connected"
NEEDS_RECONNECT = "accounts.brand_account.needs_reconnect"
DISCONNECTED = "accounts.brand_account.disconnected"
TOKEN_REFRESHED = "accounts.brand_account.token_refreshed"
STATUS_ACTIONS = (CONNECTED, NEEDS_RECONNECT, DISCONNECTED)


class ConnectionFailedError(AccountsError):
    """Connecting or checking an account failed; the message says why, for the person connecting."""


class InvalidStateError(AccountsError):
    """An OAuth callback whose ``state`` is missing, used, expired or not this member's."""


def say(message: Message | None) -> str:
    """A connector's message in the active language (the one place they are translated)."""
    if message is None:
        return ""
    text = _(message.text)
    return text % dict(message.params) if message.params else text


# --------------------------------------------------------------------------- reaching the network


def connector_options(network: str) -> dict[str, Any]:
    """Constructor options of ``network``'s connector, from the settings its class names.

    A network that fetches media by URL also gets ``media_url_for`` (signed, expiring addresses
    under ``JURU_PUBLIC_URL``) when Juru is reachable from outside.
    """
    from juru.publishing import public_media  # publishing builds on accounts, so only at call time

    try:
        factory = registry.connector_class(network)
    except UnknownNetworkError:
        return {}
    names = cast(Mapping[str, str], getattr(factory, "options_from_settings", {}))
    options: dict[str, Any] = {}
    for option, name in names.items():
        value = getattr(settings, name, None)
        if value is not None and value != "":
            options[option] = value
    if registry.capabilities(network).media_by_url and public_media.enabled():
        options["media_url_for"] = public_media.url_for
    return options


def connector_for(account: BrandAccount) -> Connector:
    """The connector for this account's network (the one way Juru reaches a network)."""
    return registry.get_connector(account.network, **connector_options(account.network))


def credentials_for(account: BrandAccount) -> Credentials:
    """Decrypted credentials for one call (never stored by the connector)."""
    data = _stored(account)
    known = ("handle", "secret", "access_token", "refresh_token")
    return Credentials(
        handle=str(data.get("handle") or account.handle),
        secret=str(data.get("secret", "")),
        access_token=str(data.get("access_token", "")),
        refresh_token=str(data.get("refresh_token", "")),
        extra={str(k): str(v) for k, v in data.items() if k not in known},
    )


def _connecting(network: str) -> Connectable:
    """The network's connector, as the side that connects accounts."""
    connector = registry.get_connector(network, **connector_options(network))
    if not isinstance(connector, Connectable):
        raise ConnectionFailedError(_("Juru cannot connect accounts on this network yet."))
    return connector


def setup_for(network: str) -> Setup:
    """What the connect page says and asks for ``network``."""
    try:
        factory = registry.connector_class(network)
    except UnknownNetworkError:
        return NOT_CONNECTABLE
    return cast(Setup, getattr(factory, "setup", NOT_CONNECTABLE))


def connection_method(network: str) -> Method:
    """The way to connect an account on ``network``, as its connector declares it."""
    return setup_for(network).kind


def form_targets(network: str) -> list[str]:
    """Where the connect form may send the person: a sign-in page on the network (for the CSP ``form-action``).

    The browser applies ``form-action`` to the redirect that follows the form, so without this the
    redirect to the network's consent page would be blocked.
    """
    if connection_method(network) is not Kind.OAUTH:
        return []
    try:
        extra = _connecting(network).authorisation_origins()
    except ConnectionFailedError:
        extra = ()
    return ["https:", *[item for item in extra if item]]


def initial_values(account: BrandAccount) -> dict[str, str]:
    """What the connect form shows first: the account's handle, or a stored setting such as the instance."""
    stored = _stored(account)
    values = {}
    for item in setup_for(account.network).fields:
        if item.initial == "handle":
            values[item.name] = account.handle
        elif item.initial:
            values[item.name] = str(stored.get(item.initial) or "")
    return values


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
        return dict(account.credentials) if account.has_credentials else {}
    except CredentialsUnreadableError:
        return {}


def _store(actor: Actor, account: BrandAccount, connected: Connected) -> BrandAccount:
    method = connection_method(account.network)
    return save_credentials(
        actor=actor,
        account=account,
        credentials=connected.credentials,
        method=method,
        remote_user=connected.remote_user,
    )


# --------------------------------------------------------------------------- connecting


def connect_with_form(*, actor: Actor, account: BrandAccount, values: Mapping[str, str]) -> BrandAccount:
    """Networks connected by a form (or with nothing to enter): check the values, then store them."""
    if connection_method(account.network) not in (Kind.NONE, Kind.FORM):
        raise ConnectionFailedError(_("Juru cannot connect accounts on this network yet."))
    try:
        connected = _connecting(account.network).connect(values)
    except ConnectError as exc:
        raise ConnectionFailedError(say(exc.message)) from None
    return _store(actor, account, connected)


def start_authorisation(
    *, member: Member, account: BrandAccount, redirect_uri: str, values: Mapping[str, str] | None = None
) -> tuple[str, Pending]:
    """Where to send the person to authorise Juru, and what to keep until the network answers."""
    if connection_method(account.network) is not Kind.OAUTH:
        raise ConnectionFailedError(_("Accounts on this network are not connected through a sign-in page."))
    state = secrets.token_urlsafe(32)
    try:
        redirect = _connecting(account.network).authorise(redirect_uri, state, values or {}, _stored(account))
    except ConnectError as exc:
        raise ConnectionFailedError(say(exc.message)) from None
    return redirect.url, _new_pending(member, account, redirect_uri, state=state, data=redirect.keep)


def finish_authorisation(*, actor: Actor, account: BrandAccount, pending: Pending, code: str) -> BrandAccount | Pending:
    """Exchange the authorisation code: the connected account, or a new pending with choices to pick from."""
    try:
        result = _connecting(pending.network).finish(code, pending.redirect_uri, pending.data)
    except ConnectError as exc:
        raise ConnectionFailedError(say(exc.message)) from None
    if isinstance(result, Connected):
        return _store(actor, account, result)
    return Pending(
        state=secrets.token_urlsafe(32),
        network=pending.network,
        account_id=pending.account_id,
        member_id=pending.member_id,
        redirect_uri=pending.redirect_uri,
        data={"choices": [asdict(choice) for choice in result]},
    )


def _choices(pending: Pending) -> list[Choice]:
    return [Choice(**item) for item in pending.data.get("choices", [])]


def page_choices(pending: Pending) -> list[Choice]:
    """The places offered after signing in (the template shows names and ids only, never what is kept)."""
    return [Choice(choice.id, choice.name) for choice in _choices(pending)]


def connect_choice(*, actor: Actor, account: BrandAccount, pending: Pending, choice_id: str) -> BrandAccount:
    """Connect the place the person picked (for Facebook: a Page; for Instagram: the account linked to it)."""
    chosen = next((choice for choice in _choices(pending) if choice.id == choice_id), None)
    if chosen is None:
        raise ConnectionFailedError(_("Choose one of the Pages listed."))
    try:
        connected = _connecting(account.network).choose(chosen)
    except ConnectError as exc:
        raise ConnectionFailedError(say(exc.message)) from None
    return _store(actor, account, connected)


# --------------------------------------------------------------------------- checks and refresh


def probe(account: BrandAccount) -> Probe:
    """Try the stored credentials with the cheapest call the network offers."""
    if connection_method(account.network) is Kind.NONE:
        return Probe(True)
    if not _stored(account):
        return Probe(
            False, expired=True, message=Message(gettext_noop("No usable credentials are stored for this account."))
        )
    try:
        return _connecting(account.network).probe(credentials_for(account))
    except ConnectionFailedError:
        return Probe(False, message=Message(CANNOT_CHECK))


def verify_connection(*, actor: Actor, account: BrandAccount) -> Probe:
    """Check the stored credentials now: refused ones flag the account for reconnecting, working ones clear it."""
    result = probe(account)
    if account.connection_status == ConnectionStatus.DISCONNECTED:
        return result  # a check never connects (or flags) an account nobody has connected
    if result.ok:
        mark_connected(account, actor=actor)
    elif result.expired:
        mark_needs_reconnect(account, say(result.message), actor=actor)
    return result


def token_expires_at(account: BrandAccount) -> datetime | None:
    """When the stored access token stops working, if the network said so."""
    raw = str(_stored(account).get("expires_at") or "")
    try:
        return datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def refreshable_networks() -> list[str]:
    """Networks whose access tokens expire and are renewed with a refresh token."""
    return [network for network in registry.networks() if registry.capabilities(network).refresh_tokens]


def refresh_token(*, account: BrandAccount, actor: Actor = None) -> bool | None:
    """Trade the refresh token for a new access token: True done, False refused (reconnect), None try later."""
    if account.network not in refreshable_networks():
        return None
    credentials = credentials_for(account)
    refreshed = _connecting(account.network).refresh(credentials)
    if refreshed.refused is not None:
        mark_needs_reconnect(account, say(refreshed.refused), actor=actor)
        return False
    if refreshed.credentials is None:
        return None
    return _store_refreshed(account, credentials.refresh_token, refreshed.credentials, actor)


@transaction.atomic
def _store_refreshed(account: BrandAccount, old: str, fresh: Mapping[str, str], actor: Actor) -> bool:
    current = BrandAccount.objects.select_for_update().get(pk=account.pk)
    creds = _stored(current)
    if creds.get("refresh_token") != old:
        return True  # someone else refreshed (or reconnected) meanwhile; their tokens stand
    creds.update(fresh)  # some networks rotate refresh tokens: the connector says which one to keep
    expires_at = str(fresh.get("expires_at") or "")
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
        network__in=refreshable_networks(), connection_status=ConnectionStatus.CONNECTED, is_active=True
    ).select_related("organisation")
    for account in accounts:
        expires = token_expires_at(account)
        if expires is None or expires > deadline:
            continue
        done = refresh_token(account=account)
        counts["refreshed" if done else "refused" if done is False else "later"] += 1
    return counts


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


def _new_pending(
    member: Member, account: BrandAccount, redirect_uri: str, *, state: str, data: dict[str, Any]
) -> Pending:
    return Pending(
        state=state,
        network=account.network,
        account_id=str(account.public_id),
        member_id=str(member.public_id),
        redirect_uri=redirect_uri,
        data=dict(data),
    )
