"""Inbox figures: a burst of comments threaded into conversations, and the inbox page with 100,000 conversations.

Builds a scratch organisation, threads ``--burst`` stored comments through the inbox's receiver
(one batch, as one poll would hand them over; classification is listening's cost, not measured
here), then fills the inbox to ``--conversations`` rows and times the inbox page (server side,
through Django's test client, signed in) for the usual filters. Uses a fresh SQLite database in a
temporary directory unless ``JURU_DATABASE_URL`` is set. Writes ``bench/results/inbox.json``.

    .venv/bin/python bench/inbox.py [--burst 50000] [--conversations 100000] [--requests 40] [--reuse SLUG]

``--reuse`` times the pages of an organisation an earlier run seeded in the same database (its slug
is printed), keeping that run's burst figures out of the results; ``--staff`` first puts its
responders in teams, for an organisation seeded before teams had members here.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "inbox.json"
FILTERS = {
    "open, most urgent first": "",
    "mine": "?view=mine",
    "unassigned": "?view=unassigned",
    "urgent": "?priority=urgent",
    "target missed": "?breached=1",
    "page 20": "?page=20",
}


def _burst(org, account, count: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from juru.inbox.services.threads import build_conversations
    from juru.listening.models import Mention

    batch = uuid.uuid4()
    start = datetime.now(UTC) - timedelta(hours=1)
    rows = [
        Mention(
            organisation=org, account=account, network="sandbox", remote_id=f"burst-{i}", kind="comment",
            author_handle=f"warga{i % 7000}", author_name=f"Warga {i % 7000}",
            text="Sekeluarga keracunan setelah makan nasi kotak", in_reply_to=f"burst-{i - 1}" if i % 10 else "post-1",
            created_at=start + timedelta(milliseconds=i), batch=batch, lang="id", sentiment="negative",
        )
        for i in range(count)
    ]  # fmt: skip
    Mention.objects.bulk_create(rows, batch_size=2000)
    stored = list(Mention.objects.filter(batch=batch).order_by("created_at", "pk"))
    started = time.perf_counter()
    made = build_conversations(org, stored)
    seconds = time.perf_counter() - started
    return {"comments": count, "conversations": len(made), "seconds": round(seconds, 2),
            "comments_per_second": round(count / seconds)}  # fmt: skip


def _fill(org, account, members, teams, count: int) -> None:  # type: ignore[no-untyped-def]
    from juru.inbox.models import Conversation

    now = datetime.now(UTC)
    statuses = ["open"] * 6 + ["pending", "resolved", "resolved", "resolved"]
    priorities = ["urgent", "high", "normal", "normal", "low"]
    rows = []
    for i in range(count):
        opened = now - timedelta(minutes=i % 20000)
        status = statuses[i % len(statuses)]
        rows.append(
            Conversation(
                organisation=org, account=account, network="sandbox", kind="comment", thread_key=f"fill-{i}",
                author_handle=f"pelanggan{i % 9000}", author_name=f"Pelanggan {i % 9000}",
                preview="Pesanan saya belum datang, mohon dicek", status=status, priority=priorities[i % 5],
                team=teams[i % len(teams)], assignee=members[i % len(members)] if i % 3 else None,
                opened_at=opened, last_message_at=opened, message_count=1 + i % 4,
                due_at=opened + timedelta(hours=4) if status == "open" else None,
                first_response_breached=i % 17 == 0, sentiment="negative" if i % 4 == 0 else "neutral",
            )
        )  # fmt: skip
    Conversation.objects.bulk_create(rows, batch_size=2000)


def _staff(teams, members) -> None:  # type: ignore[no-untyped-def]
    """Three responders in each team and its first one leading it, so the page shows who takes conversations."""
    from juru.accounts.services import organisations

    for i, member in enumerate(members[1:]):
        team = teams[i % len(teams)]
        organisations.add_team_member(actor=None, team=team, member=member, is_lead=i < len(teams))


def _seed(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """A scratch organisation with owner, responders, teams, the burst and the filled inbox."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from juru.accounts.models import Role
    from juru.accounts.services import brand_accounts, organisations

    slug = f"bench-{uuid.uuid4().hex[:8]}"
    print(f"seeding organisation {slug}")
    org = organisations.create_organisation(actor=None, name="Bench", slug=slug)
    account = brand_accounts.create_brand_account(actor=None, organisation=org, network="sandbox", handle=f"@{slug}")
    users = get_user_model()
    members = [
        organisations.add_member(
            actor=None,
            organisation=org,
            user=users.objects.create_user(f"{slug}-{i}"),
            role=Role.OWNER if i == 0 else Role.RESPONDER,
        )  # fmt: skip
        for i in range(12)
    ]
    teams = [organisations.create_team(actor=None, organisation=org, name=f"Tim {i}", kind="customer_care")
             for i in range(4)]  # fmt: skip
    _staff(teams, members)
    burst = _burst(org, account, args.burst)
    print(f"burst: {burst['comments']:,} comments -> {burst['conversations']:,} conversations in "
          f"{burst['seconds']} s ({burst['comments_per_second']:,}/s)")  # fmt: skip
    _fill(org, account, members, teams, max(0, args.conversations - burst["conversations"]))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE inbox_conversation")  # as autovacuum leaves a table in use
    return slug, burst, members[0].user


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, default=50_000)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--reuse", default="", help="slug of an organisation seeded by an earlier run")
    parser.add_argument("--staff", action="store_true", help="with --reuse: put its responders in its teams first")
    args = parser.parse_args()
    if not os.environ.get("JURU_DATABASE_URL"):
        os.environ["JURU_DATA_DIR"] = tempfile.mkdtemp(prefix="juru-bench-inbox-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "juru.project.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from juru.accounts.models import Role

    setup_test_environment()  # the test client's host and cookie handling
    # ...but not its template instrumentation: a signal and a copy of the context for every template
    # rendered, which the test client records and a server never does. The page is timed as served.
    from django.template.base import Template
    from django.test.utils import _TestState

    Template._render = _TestState.saved_data.template_render  # type: ignore[method-assign]
    call_command("migrate", verbosity=0)
    if args.reuse:
        from juru.accounts.models import Member

        slug, burst = args.reuse, None
        owner = Member.objects.get(organisation__slug=slug, role=Role.OWNER).user
        if args.staff:
            from juru.accounts.models import Team

            members = list(Member.objects.filter(organisation__slug=slug).order_by("pk"))
            _staff(list(Team.objects.filter(organisation__slug=slug).order_by("name")), members)
    else:
        slug, burst, owner = _seed(args)
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(user=owner, name="bench", defaults={"confirmed": True})
    client = Client()
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    pages = {}
    for name, query in FILTERS.items():
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(f"/o/{slug}/inbox/{query}")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        timings.sort()
        pages[name] = {"p50_ms": round(statistics.median(timings), 1),
                       "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1)}  # fmt: skip
        print(f"inbox page, {name:<24} p50 {pages[name]['p50_ms']:>7} ms   p95 {pages[name]['p95_ms']:>7} ms")
    result = {
        "database": connection.vendor, "conversations": args.conversations, "burst": burst, "pages": pages,
        "organisation": slug,
        "python": platform.python_version(), "machine": platform.machine(), "load_average": os.getloadavg(),
    }  # fmt: skip
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
