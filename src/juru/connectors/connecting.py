"""How an account on a network is connected: the shapes every connector's authorisation speaks.

Each connector module owns its network's connection knowledge (the form it asks for, OAuth URLs,
scopes and token exchange, token refresh, the probe that checks stored credentials). The host
application only keeps the connection state and calls these methods through the one registry.

Connectors never import Django, so what they have to tell a person is a ``Message``: an English
text marked with ``gettext_noop`` below (the catalog tools collect every call of that name, so the
text is in the translation catalogs) plus its parameters. The host translates a ``Message`` in one
place when it shows it (``juru.accounts.connections.say``). Labels of form fields work the same way.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlencode, urlsplit

import httpx

from juru.connectors.base import Credentials


def gettext_noop(text: str) -> str:
    """Mark ``text`` for the translation catalogs; the host translates it when it is shown."""
    return text


class Kind(StrEnum):
    """How an account is connected."""

    NONE = "none"  # nothing to enter (the sandbox)
    FORM = "form"  # the person types what the network needs (an app password, a bot token)
    OAUTH = "oauth"  # the person is sent to the network to allow Juru, then comes back
    UNSUPPORTED = "unsupported"  # this network's connector cannot be connected from the UI


@dataclass(frozen=True, slots=True)
class Message:
    """Something to tell the person: an English text marked with ``gettext_noop`` and its parameters."""

    text: str
    params: Mapping[str, str] = field(default_factory=dict)


class ConnectError(Exception):
    """Connecting failed; ``message`` says why, for the person connecting."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.text % dict(message.params) if message.params else message.text)
        self.message = message


@dataclass(frozen=True, slots=True)
class Field:
    """One value the connect form asks for; ``initial`` names a stored credential (or ``handle``)."""

    name: str
    label: str
    help: str = ""
    secret: bool = False  # typed into a write-only field, never shown back
    max_length: int = 200
    initial: str = ""


@dataclass(frozen=True, slots=True)
class Setup:
    """What the connect page says and asks for this network."""

    kind: Kind
    intro: str = ""
    fields: tuple[Field, ...] = ()
    shows_redirect_uri: bool = False  # the operator registers Juru's callback address with the network


@dataclass(frozen=True, slots=True)
class Probe:
    """What a cheap call with credentials showed: they work, they are refused, or the network failed."""

    ok: bool
    expired: bool = False
    message: Message | None = None
    remote_user: str = ""
    remote_id: str = ""


@dataclass(frozen=True, slots=True)
class Connected:
    """Credentials that work, ready to store encrypted, and who they belong to on the network."""

    credentials: dict[str, str]
    remote_user: str = ""


@dataclass(frozen=True, slots=True)
class Redirect:
    """Where to send the person to allow Juru, and what to keep (encrypted) until the network answers."""

    url: str
    keep: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Choice:
    """One of several places the person may connect (a Facebook Page); ``keep`` stays on the server."""

    id: str
    name: str
    keep: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Refreshed:
    """A token refresh: new credentials, or refused with a reason (both empty: try again later)."""

    credentials: dict[str, str] | None = None
    refused: Message | None = None


NOT_CONNECTABLE = Setup(Kind.UNSUPPORTED)
NO_CODE = gettext_noop("The network did not send an authorisation code. Start connecting again.")
NOT_OAUTH = gettext_noop("Accounts on this network are not connected through a sign-in page.")
CANNOT_CHECK = gettext_noop("Juru cannot check accounts on this network.")


@runtime_checkable
class Connectable(Protocol):
    """A connector that knows how to connect its network's accounts (``setup.kind`` says which methods apply)."""

    setup: Setup

    def connect(self, values: Mapping[str, str]) -> Connected:
        """``Kind.NONE`` and ``Kind.FORM``: working credentials from ``values`` (else ``ConnectError``)."""
        ...

    def authorise(
        self, redirect_uri: str, state: str, values: Mapping[str, str], stored: Mapping[str, Any]
    ) -> Redirect:
        """``Kind.OAUTH``: the network's authorisation address for this ``state``."""
        ...

    def finish(self, code: str, redirect_uri: str, keep: Mapping[str, Any]) -> Connected | list[Choice]:
        """``Kind.OAUTH``: exchange the code; a list means the person picks one (then ``choose``)."""
        ...

    def choose(self, choice: Choice) -> Connected:
        """Connect the place the person picked among ``finish``'s choices."""
        ...

    def authorisation_origins(self) -> tuple[str, ...]:
        """Origins besides https ones that the connect form may send the person to."""
        ...

    def probe(self, credentials: Credentials) -> Probe:
        """Try stored credentials with the cheapest call the network offers."""
        ...

    def refresh(self, credentials: Credentials) -> Refreshed:
        """Trade the refresh token for a new access token (networks whose capabilities say ``refresh_tokens``)."""
        ...


class ConnectingDefaults:
    """What a connector without a given step answers: it cannot do that (mixed into connector classes).

    ``options_from_settings`` maps constructor options to the host's setting (and environment
    variable) names, so the host builds a connector without knowing any network.
    """

    setup: Setup = NOT_CONNECTABLE
    options_from_settings: Mapping[str, str] = {}

    def connect(self, values: Mapping[str, str]) -> Connected:
        """This network is not connected by a form."""
        raise fail(NOT_OAUTH)

    def authorise(
        self, redirect_uri: str, state: str, values: Mapping[str, str], stored: Mapping[str, Any]
    ) -> Redirect:
        """This network has no sign-in page."""
        raise fail(NOT_OAUTH)

    def finish(self, code: str, redirect_uri: str, keep: Mapping[str, Any]) -> Connected | list[Choice]:
        """This network has no sign-in page."""
        raise fail(NOT_OAUTH)

    def choose(self, choice: Choice) -> Connected:
        """This network offers nothing to choose."""
        raise fail(NOT_OAUTH)

    def authorisation_origins(self) -> tuple[str, ...]:
        """Origins the connect form may send the person to besides any https one (a configured test or dev server)."""
        return ()

    def probe(self, credentials: Credentials) -> Probe:
        """This network offers no check."""
        return Probe(False, message=Message(CANNOT_CHECK))

    def refresh(self, credentials: Credentials) -> Refreshed:
        """Tokens on this network do not expire: nothing to do now."""
        return Refreshed()


def unreachable(network: str) -> Probe:
    """The network did not answer usefully: nothing is known about the credentials."""
    return Probe(
        False,
        message=Message(gettext_noop("%(network)s could not be reached. Try again in a moment."), {"network": network}),
    )


def refused(text: str, **params: str) -> Probe:
    """The network refused the credentials: a person must connect the account again."""
    return Probe(False, expired=True, message=Message(text, params))


def origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def as_error(probe: Probe) -> ConnectError:
    """The ``ConnectError`` that stops a connection whose check did not pass."""
    return ConnectError(probe.message or Message(CANNOT_CHECK))


def fail(text: str, **params: str) -> ConnectError:
    """A ``ConnectError`` with ``text`` (marked with ``gettext_noop`` by the caller) and its parameters."""
    return ConnectError(Message(text, params))


def pkce_verifier_challenge(verifier: str) -> str:
    """The S256 code challenge of a PKCE verifier (RFC 7636: base64url of SHA-256, no padding)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def expires_at(body: Mapping[str, Any], now: datetime | None = None) -> str:
    """ISO time an OAuth token answer's ``expires_in`` ends ('' when the network gave none)."""
    try:
        seconds = int(body.get("expires_in") or 0)
    except (TypeError, ValueError):
        seconds = 0
    if not seconds:
        return ""
    return ((now or datetime.now(tz=UTC)) + timedelta(seconds=seconds)).astimezone(UTC).isoformat()


# -- OAuth 2.0 with PKCE, shared by the networks that sign in that way (X, YouTube) ---------------

TokenCall = Callable[[dict[str, str]], tuple[int, dict[str, Any]]]
"""POST a form to the network's token endpoint (with its client authentication): status and JSON body."""


def pkce_redirect(authorize_url: str, query: Mapping[str, str]) -> Redirect:
    """The consent page with a fresh PKCE S256 challenge; the verifier is kept until the callback."""
    verifier = secrets.token_urlsafe(64)  # 86 characters, within RFC 7636's 43-128
    challenge = {"code_challenge": pkce_verifier_challenge(verifier), "code_challenge_method": "S256"}
    full = {"response_type": "code", **query, **challenge}
    return Redirect(f"{authorize_url}?{urlencode(full)}", {"verifier": verifier})


def exchange_code(
    token: TokenCall, code: str, redirect_uri: str, keep: Mapping[str, Any], *, network: str, not_accepted: str
) -> dict[str, Any]:
    """The token answer for an authorisation code and the kept verifier; ``not_accepted`` says a refusal."""
    if not code:
        raise fail(NO_CODE)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": str(keep.get("verifier", "")),
    }
    try:
        status, body = token(form)
    except httpx.HTTPError:
        raise as_error(unreachable(network)) from None
    if status != 200 or not body.get("access_token"):
        raise fail(not_accepted)
    return body


def refresh_tokens(token: TokenCall, credentials: Credentials, *, refused_text: str) -> Refreshed:
    """Trade the refresh token; a network that sends no new refresh token keeps the old one valid.

    ``refused_text`` (with ``%(error)s``) tells the person to connect again; outages and rate limits
    return an empty ``Refreshed`` so the next attempt tries again.
    """
    old = credentials.refresh_token
    if not old:
        return Refreshed(refused=Message(gettext_noop("No refresh token is stored: connect the account again.")))
    try:
        status, body = token({"grant_type": "refresh_token", "refresh_token": old})
    except httpx.HTTPError:
        return Refreshed()
    if status >= 500 or status == 429:
        return Refreshed()
    if status != 200 or not body.get("access_token"):
        error = str(body.get("error_description") or body.get("error") or status)
        return Refreshed(refused=Message(refused_text, {"error": error}))
    return Refreshed(
        {
            "access_token": str(body["access_token"]),
            "refresh_token": str(body.get("refresh_token") or old),
            "expires_at": expires_at(body),
        }
    )
