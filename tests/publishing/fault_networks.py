"""Local networks with injectable faults, one per real connector, and the steps that drive a post through them.

Used by the fault-matrix test and by ``bench/publish.py faults``: each network is a local server
speaking the documented API (or mastodon-mock behind a front that models key expiry), reached
through the connector the registry builds on an injected client with a short timeout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from mastodon_mock.testing.server import MockServer

from juru.accounts.models import ConnectionStatus
from juru.accounts.services import brand_accounts as account_services
from juru.connectors import registry
from juru.publishing import services
from juru.publishing.models import Post, PostState
from juru.publishing.services import publish as publish_services
from tests.connectors.localapi import LocalAPI, Response, serve
from tests.connectors.mastodon_front import MastodonFront, front_for
from tests.connectors.test_facebook import graph_api, graph_error
from tests.connectors.test_telegram import TOKEN, bot_api
from tests.connectors.test_x import x_api
from tests.publishing.conftest import Cast

FAULTS = ("5xx_before", "5xx_after", "timeout_after", "dropped", "429", "401", "killed")
CLIENT_TIMEOUT = 0.5
LATE = 1.0  # seconds a "timeout after sending" answer takes: longer than the client waits
JPEG = b"\xff\xd8\xff\xe0 a picture \xff\xd9"


@dataclass
class Network:
    """A running local network: how to build its connector, where the post goes, how to break it, what it holds."""

    name: str
    handle: str
    credentials: dict[str, str]
    connector: Callable[[], Any]
    inject: Callable[[str], None]
    contents: Callable[[], list[str]]  # the text of every post the network holds now
    needs_image: bool = False

    def held(self, text: str) -> int:
        """How many of the network's posts carry ``text``."""
        return copies(text, self.contents())


def copies(text: str, contents: list[str]) -> int:
    """How many of ``contents`` carry ``text`` (Mastodon wraps it in HTML, so: contains)."""
    return sum(1 for content in contents if text in content)


def http_faults(api: LocalAPI, method: str, pattern: str, refused: Response) -> Callable[[str], None]:
    """Faults for a LocalAPI route: ``refused`` is the network's own 5xx body; 429 and 401 as documented."""

    def inject(fault: str) -> None:
        status_body = refused.body
        response = {
            "5xx_before": Response(refused.status, status_body),
            "5xx_after": Response(refused.status, status_body, after_effect=True),
            "timeout_after": Response(200, {}, after_effect=True, delay=LATE),
            "dropped": Response(drop=True),
            "429": Response(429, status_body, headers={"Retry-After": "1"}),
            "401": Response(401, status_body),
        }.get(fault)
        if response is not None:
            api.fail_next(method, pattern, response)

    return inject


def http_client(api: LocalAPI) -> httpx.Client:
    return httpx.Client(base_url=api.base_url, timeout=CLIENT_TIMEOUT)


@contextmanager
def x_network() -> Iterator[Network]:
    with serve(x_api()) as api:
        refused = Response(503, {"title": "Service Unavailable", "status": 503, "detail": "Service Unavailable"})
        yield Network(
            "x",
            "nusantararasa",
            {"access_token": "user-token", "user_id": "77"},
            lambda: registry.get_connector("x", client=http_client(api)),
            http_faults(api, "POST", r"^/2/tweets$", refused),
            lambda: list(api.tweets.values()),  # type: ignore[attr-defined]
        )


@contextmanager
def facebook_network() -> Iterator[Network]:
    with serve(graph_api()) as api:
        refused = graph_error(2, "Service temporarily unavailable", status=503)
        yield Network(
            "facebook",
            "1040",
            {"access_token": "page-token"},
            lambda: registry.get_connector("facebook", client=http_client(api)),
            http_faults(api, "POST", r"/1040/feed$", refused),
            lambda: list(api.posts.values()),  # type: ignore[attr-defined]
        )


@contextmanager
def instagram_network() -> Iterator[Network]:
    with serve(graph_api()) as api:
        refused = graph_error(1, "An unknown error occurred", status=500)

        def connector() -> Any:
            return registry.get_connector(
                "instagram", client=http_client(api), media_url_for=lambda m: f"https://media.example/{m.filename}"
            )

        yield Network(
            "instagram",
            "1784",
            {"access_token": "page-token"},
            connector,
            http_faults(api, "POST", r"/1784/media_publish$", refused),
            lambda: [caption for caption, _ in api.media.values()],  # type: ignore[attr-defined]
            needs_image=True,
        )


@contextmanager
def telegram_network() -> Iterator[Network]:
    with serve(bot_api()) as api:
        refused = Response(500, {"ok": False, "error_code": 500, "description": "Internal Server Error"})
        inject = http_faults(api, "POST", "sendMessage", refused)

        def telegram_inject(fault: str) -> None:
            if fault == "429":
                body = {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests",
                    "parameters": {"retry_after": 1},
                }
                api.fail_next("POST", "sendMessage", Response(429, body))
            elif fault == "401":
                api.fail_next(
                    "POST",
                    "sendMessage",
                    Response(401, {"ok": False, "error_code": 401, "description": "Unauthorized"}),
                )
            else:
                inject(fault)

        yield Network(
            "telegram",
            "@nusantararasa",
            {"access_token": TOKEN},
            lambda: registry.get_connector("telegram", client=http_client(api)),
            telegram_inject,
            lambda: list(api.messages.values()),  # type: ignore[attr-defined]
        )


@contextmanager
def mastodon_network() -> Iterator[Network]:
    with ExitStack() as stack:
        mock = MockServer().start()
        stack.callback(mock.stop)
        front: MastodonFront = stack.enter_context(front_for(mock.base_url))

        def mock_fault(effect: dict[str, Any]) -> None:
            rule = {"match": {"methods": ["POST"], "path": "/api/v1/statuses"}, "effect": effect, "count": 1}
            httpx.post(f"{mock.base_url}/api/v1/_mock/faults", json=rule).raise_for_status()

        def inject(fault: str) -> None:
            if fault == "5xx_before":
                mock_fault({"type": "status", "status": 503})
            elif fault == "5xx_after":
                front.fail_after_create("500")
            elif fault == "timeout_after":
                front.fail_after_create("timeout", delay=LATE)
            elif fault == "dropped":
                front.fail_after_create("drop")
            elif fault == "429":
                mock_fault({"type": "ratelimit"})
            elif fault == "401":
                mock_fault({"type": "status", "status": 401})

        def contents() -> list[str]:
            api = mock.client("bob")
            statuses = api.fetch_remaining(api.account_statuses(api.me()["id"], limit=40))
            return [str(status.get("content")) for status in statuses]

        yield Network(
            "mastodon",
            "bob",
            {"access_token": "bob_token", "base_url": front.base_url},
            lambda: registry.get_connector("mastodon", request_timeout=CLIENT_TIMEOUT),
            inject,
            contents,
        )


@contextmanager
def sandbox_network(tmp_path: Any) -> Iterator[Network]:
    from juru.connectors.sandbox import SandboxStore

    store = SandboxStore(tmp_path / "sandbox.sqlite3")
    planned = {
        "5xx_before": "server_error",
        "5xx_after": "lost_response",
        "timeout_after": "lost_response",
        "dropped": "lost_response",
        "429": "rate_limited",
        "401": "auth_expired",
    }

    def inject(fault: str) -> None:
        if fault in planned:
            store.inject_fault(planned[fault], operation="publish")

    yield Network(
        "sandbox",
        "acme_fault",
        {},
        lambda: registry.get_connector("sandbox", store=store),
        inject,
        lambda: [post.text for post in store.timeline("acme_fault", limit=1_000_000)],
    )


NETWORKS: dict[str, Callable[[Any], Any]] = {
    "x": lambda tmp: x_network(),
    "facebook": lambda tmp: facebook_network(),
    "instagram": lambda tmp: instagram_network(),
    "telegram": lambda tmp: telegram_network(),
    "mastodon": lambda tmp: mastodon_network(),
    "sandbox": sandbox_network,
}


def account_on(cast: Cast, network: Network) -> Any:
    account = account_services.create_brand_account(
        actor=None,
        organisation=cast.org,
        network=network.name,
        handle=network.handle,
        credentials={"handle": network.handle, **network.credentials},
        connection_status=ConnectionStatus.CONNECTED,
    )
    for permission in ("draft", "publish"):
        account_services.set_grant(actor=None, account=account, permission=permission, member=cast.author)
    account_services.set_grant(actor=None, account=account, permission="approve", team=cast.teams["pr"])
    return account


def scheduled_post(cast: Cast, network: Network, text: str, account: Any) -> Post:
    """One approved post with ``text`` on ``account``, scheduled for now."""
    draft = services.create_draft(actor=cast.author, accounts=[account], text=text)
    if network.needs_image:
        image = SimpleUploadedFile("menu.jpg", JPEG, content_type="image/jpeg")
        services.add_attachment(draft, actor=cast.author, upload=image, source="Foto: Tim Humas")
    draft = services.approve_draft(services.submit_draft(draft, actor=cast.author), actor=cast.pr1)
    services.schedule_draft(draft, actor=cast.author, confirm_accounts=[account.handle])
    return Post.objects.get(draft=draft)


SETTLED = {PostState.PUBLISHED, PostState.NEEDS_HUMAN, PostState.FAILED}


def run_until_settled(post: Post) -> Post:
    """Sweep (with the stale-attempt reconciliation) as time goes by, until the post settles."""
    moment = timezone.now()
    for _ in range(8):
        publish_services.reconcile_stale_attempts(now=moment)
        for pk in services.claim_due_posts(now=moment):
            publish_services.publish_post(pk)
        post.refresh_from_db()
        if post.state in SETTLED:
            return post
        moment += timedelta(hours=1)
    return post


def crash_mid_call(post: Post) -> None:
    """A worker that sent the request and died before recording the answer."""
    assert services.claim_post(post.pk)
    attempt = services.begin_attempt(post.pk)
    assert attempt is not None
    connector = publish_services.connector_for(attempt.post.account)
    connector.publish(publish_services.credentials_for(attempt.post.account), publish_services.outbound(attempt.post))
