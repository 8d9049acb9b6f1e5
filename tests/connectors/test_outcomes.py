"""Each network's answers mapped to outcomes, one table per network, taken from its documentation.

The rule every table checks: an answer that leaves the effect unknown (a 5xx, a broken or missing
answer after sending) is ``PENDING``; ``FAILED`` only when the request surely had no effect.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import requests
import urllib3
from mastodon import errors as mastodon_errors

from juru.connectors import facebook, mastodon, sandbox, telegram, x
from juru.connectors.base import Outcome
from juru.connectors.httpapi import transport_failure

P, F, R, A, L, D = (
    Outcome.PENDING,
    Outcome.FAILED,
    Outcome.REJECTED,
    Outcome.AUTH_EXPIRED,
    Outcome.RATE_LIMITED,
    Outcome.PUBLISHED,
)


def answer(status: int, body: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    request = httpx.Request("POST", "https://api.example/")
    if body is None:
        return httpx.Response(status, headers=headers, request=request)
    return httpx.Response(status, json=body, headers=headers, request=request)


def problem(status: int, title: str) -> dict[str, Any]:
    return {"title": title, "detail": title, "type": "about:blank", "status": status}


# docs.x.com/x-api/fundamentals/response-codes-and-errors
X_TABLE = [
    (answer(201, {"data": {"id": "1", "text": "t"}}), D),
    (answer(200, {"errors": [{"message": "partial"}]}), P),  # a success status without the post
    (answer(400, problem(400, "Invalid Request")), R),
    (answer(401, problem(401, "Unauthorized")), A),
    (answer(403, problem(403, "You are not allowed to create a Tweet with duplicate content.")), R),
    (answer(404, problem(404, "Not Found")), R),
    (answer(429, problem(429, "Too Many Requests"), {"x-rate-limit-reset": "0"}), L),
    (answer(500, problem(500, "Internal Server Error")), P),
    (answer(502, problem(502, "Bad Gateway")), P),
    (answer(503, problem(503, "Service Unavailable")), P),
    (answer(504, problem(504, "Gateway Timeout")), P),
    (answer(503), P),  # no body at all
]


@pytest.mark.parametrize(("response", "outcome"), X_TABLE)
def test_x(response: httpx.Response, outcome: Outcome) -> None:
    assert x.map_response(response).outcome is outcome


def graph(status: int, code: int, message: str = "error", **extra: Any) -> httpx.Response:
    return answer(status, {"error": {"message": message, "type": "OAuthException", "code": code, **extra}})


# developers.facebook.com/docs/graph-api/guides/error-handling
GRAPH_TABLE = [
    (answer(200, {"id": "1040_1"}), D),
    (answer(200, {"id": "555", "post_id": "1040_555"}), D),
    (answer(200, {}), P),  # success without an id: nothing to confirm
    (graph(400, 190, "Error validating access token", error_subcode=463), A),
    (graph(400, 102, "Session key invalid"), A),
    (graph(403, 10, "Permission denied"), A),
    (graph(403, 200, "Permissions error"), A),
    (graph(400, 4, "Application request limit reached"), L),
    (graph(400, 17, "User request limit reached"), L),
    (graph(400, 32, "Page request limit reached"), L),
    (graph(400, 613, "Calls to this api have exceeded the rate limit"), L),
    (graph(500, 1, "An unknown error occurred"), P),
    (graph(503, 2, "Service temporarily unavailable"), P),
    (graph(400, 9007, "Media not ready", is_transient=True), P),
    (graph(400, 100, "(#100) Invalid parameter"), R),
    (graph(400, 368, "The action attempted has been deemed abusive"), R),
    (graph(400, 506, "Duplicate status message"), R),
    (answer(500), P),
    (answer(502, {"message": "bad gateway"}), P),
]


@pytest.mark.parametrize(("response", "outcome"), GRAPH_TABLE)
def test_facebook_and_instagram(response: httpx.Response, outcome: Outcome) -> None:
    assert facebook.map_response(response).outcome is outcome


def bot(status: int, code: int, description: str, **parameters: Any) -> httpx.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return answer(status, body)


# core.telegram.org/bots/api#making-requests and core.telegram.org/api/errors
TELEGRAM_TABLE = [
    (answer(200, {"ok": True, "result": {"message_id": 7, "chat": {"username": "rasa"}}}), D),
    (bot(400, 400, "Bad Request: message text is empty"), R),
    (bot(400, 400, "Bad Request: chat not found"), R),
    (bot(401, 401, "Unauthorized"), A),
    (bot(403, 403, "Forbidden: bot is not a member of the channel chat"), A),
    (bot(403, 403, "Forbidden: bot was kicked from the channel chat"), R),
    (bot(429, 429, "Too Many Requests: retry after 5", retry_after=5), L),
    (bot(500, 500, "Internal Server Error"), P),
    (answer(502), P),  # the Bot API's front answers without a body
    (answer(200, {"ok": False}), P),  # neither a result nor a documented error
]


@pytest.mark.parametrize(("response", "outcome"), TELEGRAM_TABLE)
def test_telegram(response: httpx.Response, outcome: Outcome) -> None:
    assert telegram.map_response(response).outcome is outcome


def wrapped(error: Exception) -> mastodon_errors.MastodonNetworkError:
    """A network error as Mastodon.py raises it: inside the ``except`` of the requests error."""
    try:
        raise error
    except Exception:
        try:
            raise mastodon_errors.MastodonNetworkError(f"Could not complete request: {error}")  # noqa: B904
        except mastodon_errors.MastodonNetworkError as raised:
            return raised


REFUSED = requests.exceptions.ConnectionError(
    urllib3.exceptions.MaxRetryError(None, "/api/v1/statuses", urllib3.exceptions.NewConnectionError(None, "refused"))
)

# docs.joinmastodon.org/entities/Error and Mastodon.py's exception classes
MASTODON_TABLE = [
    (mastodon_errors.MastodonRatelimitError("Mastodon API returned error", 429, "Too Many Requests", None), L),
    (mastodon_errors.MastodonUnauthorizedError("Mastodon API returned error", 401, "Unauthorized", None), A),
    (mastodon_errors.MastodonNotFoundError("Mastodon API returned error", 404, "Not Found", None), R),
    (mastodon_errors.MastodonAPIError("Mastodon API returned error", 422, "Unprocessable", "Validation failed"), R),
    (mastodon_errors.MastodonInternalServerError("Mastodon API returned error", 500, "Internal", None), P),
    (mastodon_errors.MastodonBadGatewayError("Mastodon API returned error", 502, "Bad Gateway", None), P),
    (mastodon_errors.MastodonServiceUnavailableError("Mastodon API returned error", 503, "Unavailable", None), P),
    (mastodon_errors.MastodonGatewayTimeoutError("Mastodon API returned error", 504, "Timeout", None), P),
    (wrapped(requests.exceptions.ReadTimeout("read timed out")), P),
    (wrapped(requests.exceptions.ConnectionError("Connection aborted: RemoteDisconnected")), P),
    (wrapped(requests.exceptions.ConnectTimeout("connect timed out")), F),
    (wrapped(REFUSED), F),
    (mastodon_errors.MastodonIllegalArgumentError("bad media type"), R),
]


@pytest.mark.parametrize(("error", "outcome"), MASTODON_TABLE)
def test_mastodon(error: Exception, outcome: Outcome) -> None:
    assert mastodon.map_error(error).outcome is outcome


SANDBOX_TABLE = [(None, P), (429, L), (401, A), (419, A), (400, R), (409, R), (500, P), (503, P)]


@pytest.mark.parametrize(("status", "outcome"), SANDBOX_TABLE)
def test_sandbox(status: int | None, outcome: Outcome) -> None:
    assert sandbox.connector.classify_error(status).outcome is outcome


REQUEST = httpx.Request("POST", "https://api.example/")
TRANSPORT_TABLE = [
    (httpx.ConnectError("refused", request=REQUEST), F),
    (httpx.ConnectTimeout("connect timeout", request=REQUEST), F),
    (httpx.PoolTimeout("no free connection", request=REQUEST), F),
    (httpx.UnsupportedProtocol("ftp://", request=REQUEST), F),
    (httpx.ReadTimeout("read timeout", request=REQUEST), P),
    (httpx.WriteTimeout("write timeout", request=REQUEST), P),
    (httpx.ReadError("connection reset", request=REQUEST), P),
    (httpx.WriteError("broken pipe", request=REQUEST), P),
    (httpx.RemoteProtocolError("server disconnected", request=REQUEST), P),
    (httpx.DecodingError("bad gzip", request=REQUEST), P),
]


@pytest.mark.parametrize(("error", "outcome"), TRANSPORT_TABLE)
def test_transport_faults(error: httpx.HTTPError, outcome: Outcome) -> None:
    assert transport_failure(error).outcome is outcome
