"""Steps of the end-to-end publishing tests that run Juru in separate processes (the worker crash tests).

``python -m tests.publishing.e2e_helpers prepare|sweep|reconcile|report`` runs one step against the
database in ``$JURU_DATA_DIR`` and prints JSON. ``celery -A tests.publishing.e2e_helpers:app worker``
is Juru's own Celery app whose sandbox connector follows ``$JURU_TEST_HANG`` and ``$JURU_TEST_LOOKUP``:
it can hang inside the network call, before or after the sandbox stored the post, so that a test can
kill the worker exactly there.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

HANG_ENV = "JURU_TEST_HANG"  # "before" | "after" | "" (no hang)
LOOKUP_ENV = "JURU_TEST_LOOKUP"  # "0": a network that cannot look a post up by its idempotency key
MARK_ENV = "JURU_TEST_MARK"  # file written once the worker is inside the call
QUEUE_ENV = "JURU_TEST_QUEUE"  # a queue of its own on a shared broker
HANDLE = "acme_id"
HANG_SECONDS = 120  # the test kills the worker long before; an orphan still ends by itself


def sandbox_path() -> Path:
    """The sandbox network's file in the data directory."""
    return Path(os.environ["JURU_DATA_DIR"]) / "sandbox.sqlite3"


class HangingSandbox:
    """The sandbox network whose publish call never returns (before or after storing the post)."""

    def __init__(self, *, hang: str, lookup: bool, mark: str) -> None:
        from juru.connectors.sandbox import SandboxConnector

        self.inner = SandboxConnector(path=sandbox_path())
        self.capabilities = replace(self.inner.capabilities, lookup_by_idempotency_key=lookup)
        self.hang, self.mark = hang, mark

    def _inside(self, what: str) -> None:
        Path(self.mark).write_text(what)
        time.sleep(HANG_SECONDS)

    def publish(self, credentials: Any, post: Any) -> Any:
        """Publish, hanging where the test asked."""
        if self.hang == "before":
            self._inside("before")
        result = self.inner.publish(credentials, post)
        if self.hang == "after":
            self._inside(f"after {result.outcome} {result.remote_id}")
        return result

    def lookup(self, credentials: Any, post: Any) -> Any:
        """Only a network that declares lookup is ever asked."""
        if not self.capabilities.lookup_by_idempotency_key:
            raise AssertionError("a network without lookup was asked to look a post up")
        return self.inner.lookup(credentials, post)

    def delete(self, credentials: Any, remote_id: str) -> Any:
        """Delegated."""
        return self.inner.delete(credentials, remote_id)

    def fetch_mentions(self, credentials: Any, since: str | None = None) -> Any:
        """Delegated."""
        return self.inner.fetch_mentions(credentials, since)


_SERVING = ExitStack()


def setup() -> Any:
    """Django, the sandbox connector of this test, and the test's own queue; returns the Celery app."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "juru.project.settings")
    import django

    django.setup()
    from juru.connectors import registry
    from juru.project.celery import app

    hang, lookup = os.environ.get(HANG_ENV, ""), os.environ.get(LOOKUP_ENV, "1") != "0"
    mark = os.environ.get(MARK_ENV, str(sandbox_path().with_suffix(".mark")))
    # This worker process serves the sandbox with the hanging connector for as long as it lives (the
    # stack is kept at module level: a dropped context manager would end the substitution when collected).
    _SERVING.enter_context(
        registry.substitute("sandbox", lambda **options: HangingSandbox(hang=hang, lookup=lookup, mark=mark))
    )
    if os.environ.get(QUEUE_ENV):
        app.conf.task_default_queue = os.environ[QUEUE_ENV]
    return app


def __getattr__(name: str) -> Any:
    # ``celery -A tests.publishing.e2e_helpers:app`` asks for ``app``; importing this module for
    # anything else (pytest) must not set Django up.
    if name == "app":
        return setup()
    raise AttributeError(name)


def report(post_id: int) -> dict[str, Any]:
    """The post, its draft and its attempts as the database has them now."""
    from juru.publishing.models import Post

    post = Post.objects.select_related("draft").get(pk=post_id)
    return {
        "state": post.state,
        "draft": post.draft.state,
        "remote_id": post.remote_id,
        "reason": post.reason,
        "attempts": [a.state for a in post.publish_attempts.order_by("number")],
    }


def prepare() -> dict[str, Any]:
    """Migrate, then one approved post scheduled for now on the sandbox brand account ``acme_id``."""
    from django.core.management import call_command

    from juru.publishing import scanning, services
    from tests.publishing.conftest import build_cast, fake_scan_text

    call_command("migrate", verbosity=0)
    scanning.scan_text = fake_scan_text  # type: ignore[assignment]  # the scanner is not under test here
    cast = build_cast("acme")
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Halo dari proses lain")
    draft = services.approve_draft(services.submit_draft(draft, actor=cast.author), actor=cast.pr1)
    services.schedule_draft(draft, actor=cast.author, confirm_accounts=[HANDLE])
    return {"post_id": draft.posts.get().pk, "handle": HANDLE}


def sweep(post_id: int, *, call_timeout: int, inline: bool) -> dict[str, Any]:
    """One run of the sweeper task; ``inline`` runs the publish tasks here instead of on a worker."""
    from django.conf import settings

    from juru.publishing import tasks

    settings.JURU_PUBLISH_CALL_TIMEOUT = call_timeout
    if inline:
        tasks.publish_post.delay = tasks.publish_post  # type: ignore[method-assign]
    return {"claimed": tasks.sweep_due_posts(), **report(post_id)}


def reconcile(post_id: int, *, call_timeout: int) -> dict[str, Any]:
    """Sweep while the attempt is young (nothing may happen), then once it is older than ``call_timeout``."""
    from django.utils import timezone

    from juru.publishing.models import PublishAttempt

    young = sweep(post_id, call_timeout=300, inline=True)
    started = PublishAttempt.objects.filter(post_id=post_id).order_by("number").last()
    assert started is not None
    while (timezone.now() - started.started_at).total_seconds() <= call_timeout:
        time.sleep(0.1)
    stale = sweep(post_id, call_timeout=call_timeout, inline=True)
    again = sweep(post_id, call_timeout=call_timeout, inline=True)
    return {"young": young, "stale": stale, "again": again}


def main(argv: list[str] | None = None) -> int:
    """Run one step and print its JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["prepare", "sweep", "reconcile", "report"])
    parser.add_argument("--post", type=int, default=0)
    parser.add_argument("--call-timeout", type=int, default=300)
    parser.add_argument("--inline", action="store_true")
    args = parser.parse_args(argv)
    setup()
    if args.step == "prepare":
        out = prepare()
    elif args.step == "sweep":
        out = sweep(args.post, call_timeout=args.call_timeout, inline=args.inline)
    elif args.step == "reconcile":
        out = reconcile(args.post, call_timeout=args.call_timeout)
    else:
        out = report(args.post)
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
