"""Publishing at scale (``--mode throughput``), and at most once under random faults (``--mode faults``).

``--mode faults`` publishes ``--posts`` posts, each on one of the real connectors (X, Facebook,
Instagram, Telegram, Mastodon, sandbox) against local servers that speak their documented APIs,
with one fault drawn at random per post (5xx before or after creating, timeout after sending,
dropped connection, 429 with Retry-After, 401, worker killed mid-call, or none), then sweeps until
every post settles. It prints duplicates (a post on its network twice) and losses (a post neither
published once nor with a person); both must be 0. SQLite in a temporary directory by default, or
``--database-url`` (flushed first). Writes ``bench/results/publish_faults_<database>.json``.

``--mode throughput``: scheduled posts through Redis-backed Celery workers on PostgreSQL.

Creates a fresh PostgreSQL database (``juru_bench_publish`` on 127.0.0.1), one organisation with
50 sandbox accounts and N posts due over a short window, plants some faults in the sandbox network
(lost answers, server errors, rate limits), then runs the real sweeper (claim with a conditional
UPDATE) every ``--sweep-interval`` seconds while Celery worker processes (Redis broker on
127.0.0.1) publish. It stops by itself once every post is final, or at ``--timeout``.

Reports posts/s, lateness (published_at - due_at) p50/p99, and the at-most-once proof: one sandbox
post per idempotency key, no post with two successful attempts, every post published. Then, with
the workers stopped, it profiles ``--profile-posts`` more posts in this process: SQL queries and
milliseconds per step (claim, eligibility, attempt, network call, outcome) and how often each post
takes the audit chain lock. Writes ``bench/results/publish.json``.

    .venv/bin/python bench/publish.py [--posts 10000] [--accounts 50] [--workers 2] [--concurrency 4]
    .venv/bin/python bench/publish.py --mode faults [--posts 1000] [--seed 7] [--database-url URL]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "publish.json"
FAULT_RESULTS = HERE / "results" / "publish_faults_{database}.json"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = "juru_bench_publish"
BROKER = "redis://127.0.0.1:6379/14"


def fresh_database() -> str:
    """Drop and recreate the bench database; return its URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"


def flush_broker() -> None:
    """Empty the bench's own Redis database (index 14) so no stale task survives a previous run."""
    import redis

    redis.Redis.from_url(BROKER).flushdb()


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(HERE.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import juru.project.celery  # noqa: F401  # binds shared tasks to Juru's app (Redis broker)


def seed(posts: int, accounts: int, spread: float, lead: float) -> dict[str, Any]:
    """One organisation, an eligible publisher, ``accounts`` sandbox accounts and ``posts`` due posts."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from juru.accounts.models import AccountType, BrandAccount, ConnectionStatus, Grant, Member, Organisation, Role
    from juru.governance.models import PolicySignoff, PolicyVersion
    from juru.publishing.models import Draft, DraftState, Post, PostState

    org = Organisation.objects.create(name="Bench", slug="bench")
    user = get_user_model().objects.create_user(username="bench-publisher", password=None)
    member = Member.objects.create(user=user, organisation=org, role=Role.SPOKESPERSON)
    TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    policy = PolicyVersion.objects.create(
        organisation=org, number=1, title="Bench", body_id="-", body_en="-", published_at=timezone.now()
    )
    PolicySignoff.objects.create(
        organisation=org, member=member, policy_version=policy, version_hash=policy.content_hash()
    )
    handles = [f"bench{i:02d}" for i in range(accounts)]
    account_rows = BrandAccount.objects.bulk_create(
        BrandAccount(organisation=org, network="sandbox", handle=h, account_type=AccountType.BRAND,
                     connection_status=ConnectionStatus.CONNECTED)
        for h in handles
    )  # fmt: skip
    Grant.objects.bulk_create(
        Grant(organisation=org, account=a, permission="publish", member=member) for a in account_rows
    )
    start = timezone.now() + timedelta(seconds=lead)
    # The editorial part (scan, approval) is measured elsewhere; here posts start out scheduled.
    drafts = Draft.objects.bulk_create(
        Draft(organisation=org, author=member, text=f"Bench post {i}", state=DraftState.SCHEDULED,
              verdict="allow", scheduled_by=member, scheduled_for=start + timedelta(seconds=spread * i / posts))
        for i in range(posts)
    )  # fmt: skip
    Post.objects.bulk_create(
        (
            Post(organisation=org, draft=d, account=account_rows[i % accounts], state=PostState.SCHEDULED,
                 due_at=d.scheduled_for, idempotency_key=uuid.uuid4().hex)
            for i, d in enumerate(drafts)
        ),
        batch_size=2000,
    )  # fmt: skip
    return {"start": start, "member": member}


def plant_faults(data_dir: Path, faults: int) -> dict[str, int]:
    """Faults the sandbox returns to the next publishes: lost answers, 500s and rate limits."""
    from juru.connectors.sandbox import SandboxStore

    store = SandboxStore(data_dir / "sandbox.sqlite3")
    kinds = {"lost_response": faults // 3, "server_error": faults // 3, "rate_limited": faults - 2 * (faults // 3)}
    for kind, count in kinds.items():
        if count:
            store.inject_fault(kind, count=count, retry_after=1.0 if kind == "rate_limited" else None)
    return kinds


def start_workers(env: dict[str, str], workers: int, concurrency: int, log_dir: Path) -> list[subprocess.Popen[bytes]]:
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    procs = []
    for n in range(workers):
        log = open(log_dir / f"worker{n}.log", "wb")  # noqa: SIM115  # closed with the process
        procs.append(
            subprocess.Popen(  # noqa: S603  # our own celery binary, fixed arguments
                [
                    celery,
                    "-A",
                    "juru.project.celery",
                    "worker",
                    "-P",
                    "prefork",
                    "-c",
                    str(concurrency),
                    "-n",
                    f"bench{n}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-l",
                    "WARNING",
                ],
                env={**os.environ, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        )
    return procs


def stop_workers(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def run_sweeper(total: int, interval: float, timeout: float, procs: list[subprocess.Popen[bytes]]) -> dict[str, Any]:
    """Run the sweeper task body until every post is final (or the timeout, or no worker is left)."""
    from juru.publishing import tasks
    from juru.publishing.models import FINAL_POST_STATES, Post

    began = time.monotonic()
    sweeps = 0
    final = 0
    while time.monotonic() - began < timeout:
        tasks.sweep_due_posts()
        sweeps += 1
        final = Post.objects.filter(state__in=list(FINAL_POST_STATES)).count()
        if final >= total or all(p.poll() is not None for p in procs):
            break
        time.sleep(interval)
    return {"sweeps": sweeps, "final": final, "seconds": time.monotonic() - began, "timed_out": final < total}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(data_dir: Path, total: int) -> dict[str, Any]:
    """Throughput, lateness and the exactly-once proof."""
    from django.db.models import Count, Max, Min, Q

    from juru.audit.services import verify_chain
    from juru.publishing.models import AttemptState, Post, PostState, PublishAttempt

    published = Post.objects.filter(state=PostState.PUBLISHED)
    late = [(p.published_at - p.due_at).total_seconds() for p in published.only("published_at", "due_at")]
    span = published.aggregate(first=Min("due_at"), last=Max("published_at"))
    seconds = (span["last"] - span["first"]).total_seconds() if span["first"] else float("nan")
    twice = (
        PublishAttempt.objects.values("post")
        .annotate(ok=Count("pk", filter=Q(state=AttemptState.PUBLISHED)))
        .filter(ok__gt=1)
        .count()
    )
    with sqlite3.connect(data_dir / "sandbox.sqlite3") as db:
        sandbox_posts = db.execute("SELECT COUNT(*) FROM post").fetchone()[0]
        distinct_keys = db.execute("SELECT COUNT(DISTINCT idempotency_key) FROM post").fetchone()[0]
    keys = set(Post.objects.values_list("idempotency_key", flat=True))
    with sqlite3.connect(data_dir / "sandbox.sqlite3") as db:
        stored = {row[0] for row in db.execute("SELECT idempotency_key FROM post")}
    states = dict(Post.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    return {
        "posts": total,
        "published": published.count(),
        "states": states,
        "posts_per_second": published.count() / seconds if seconds and seconds > 0 else float("nan"),
        "window_seconds": seconds,
        "lateness_p50_s": percentile(late, 0.50),
        "lateness_p99_s": percentile(late, 0.99),
        "lateness_max_s": max(late) if late else float("nan"),
        "attempts": PublishAttempt.objects.count(),
        "posts_retried": Post.objects.filter(attempts__gt=1).count(),
        "sandbox_posts": sandbox_posts,
        "sandbox_distinct_keys": distinct_keys,
        "posts_with_two_successful_attempts": twice,
        "every_post_on_network_once": stored == keys and sandbox_posts == total,
        "audit_chain_intact": not verify_chain(),
    }


def _timed(steps: dict[str, list[tuple[float, int]]], name: str, call: Callable[[], Any]) -> Any:
    """Run ``call`` and note its milliseconds and SQL queries under ``name``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        value = call()
        elapsed = (time.perf_counter() - began) * 1000
    steps.setdefault(name, []).append((elapsed, len(queries)))
    steps.setdefault("chain locks", []).append(
        (0.0, sum("audit_chainhead" in q["sql"] and "FOR UPDATE" in q["sql"] for q in queries.captured_queries))
    )
    return value


def _profile_one(steps: dict[str, list[tuple[float, int]]], post_id: int) -> None:
    """The steps of ``publish.publish_post`` one by one (eligibility once more on its own, to time it)."""
    from juru.accounts import access
    from juru.accounts.models import Permission
    from juru.publishing.models import Post
    from juru.publishing.services import publish

    post = Post.objects.select_related("draft__scheduled_by", "account").get(pk=post_id)
    check = partial(access.eligibility, post.draft.scheduled_by, Permission.PUBLISH, post.account)
    _timed(steps, "eligibility (also inside attempt)", check)
    steps["chain locks"].pop()
    attempt = _timed(steps, "begin attempt", partial(publish.begin_attempt, post_id))
    sent = attempt.post
    connector, credentials = publish.connector_for(sent.account), publish.credentials_for(sent.account)
    result = _timed(
        steps, "network call (+ attachments)", lambda: connector.publish(credentials, publish.outbound(sent))
    )
    _timed(steps, "record outcome", partial(publish.record_outcome, attempt.pk, result))


def profile(count: int, member: Any) -> dict[str, Any]:
    """Publish ``count`` more posts in this process, step by step, counting queries and time per step."""
    from django.utils import timezone

    from juru.accounts.models import BrandAccount
    from juru.publishing.models import Draft, DraftState, Post, PostState
    from juru.publishing.services import scheduling

    if count <= 0:
        return {}
    accounts = list(BrandAccount.objects.filter(organisation=member.organisation).order_by("pk"))
    now = timezone.now()
    drafts = Draft.objects.bulk_create(
        Draft(organisation=member.organisation, author=member, text=f"Profile post {i}", state=DraftState.SCHEDULED,
              verdict="allow", scheduled_by=member, scheduled_for=now)
        for i in range(count)
    )  # fmt: skip
    Post.objects.bulk_create(
        Post(organisation=member.organisation, draft=d, account=accounts[i % len(accounts)], state=PostState.SCHEDULED,
             due_at=now, idempotency_key=uuid.uuid4().hex)
        for i, d in enumerate(drafts)
    )  # fmt: skip
    steps: dict[str, list[tuple[float, int]]] = {}
    claimed = _timed(steps, "claim (whole batch)", lambda: scheduling.claim_due_posts(now=timezone.now()))
    steps["chain locks"].clear()  # counted per post below; the batch's one lock is shared by all its posts
    for post_id in claimed:
        _profile_one(steps, post_id)
    per_post = {"begin attempt", "network call (+ attachments)", "record outcome"}
    claim_ms, claim_q = steps.pop("claim (whole batch)")[0]
    locks = steps.pop("chain locks")
    table = {
        "claim (per post, batched)": {"ms": claim_ms / len(claimed), "queries": claim_q / len(claimed)},
        **{
            name: {"ms": percentile([ms for ms, _ in rows], 0.5), "queries": sum(q for _, q in rows) / len(rows)}
            for name, rows in steps.items()
        },
    }
    queries = claim_q / len(claimed) + sum(table[name]["queries"] for name in per_post)
    chain_locks = sum(n for _, n in locks) / len(claimed) + 1 / len(claimed)
    return {"posts": len(claimed), "steps": table, "queries_per_post": queries, "chain_locks_per_post": chain_locks}


def print_profile(prof: dict[str, Any]) -> None:
    if not prof:
        return
    print(f"\n  profile of {prof['posts']} posts published in-process (workers stopped), median ms and mean queries:")
    width = max(len(name) for name in prof["steps"])
    for name, row in prof["steps"].items():
        print(f"    {name.ljust(width)}  {row['ms']:7.2f} ms  {row['queries']:5.1f} queries")
    print(f"    {'queries per post'.ljust(width)}  {prof['queries_per_post']:.1f}")
    print(f"    {'audit chain locks per post'.ljust(width)}  {prof['chain_locks_per_post']:.2f}")


def print_table(result: dict[str, Any], config: dict[str, Any]) -> None:
    rows = [
        ("posts", f"{result['posts']:,}"),
        ("accounts", str(config["accounts"])),
        ("workers x concurrency", f"{config['workers']} x {config['concurrency']}"),
        ("sweep interval", f"{config['sweep_interval']} s"),
        ("faults planted", ", ".join(f"{k}={v}" for k, v in config["faults"].items())),
        ("published", f"{result['published']:,}"),
        ("posts/s", f"{result['posts_per_second']:.0f}"),
        ("lateness p50", f"{result['lateness_p50_s']:.2f} s"),
        ("lateness p99", f"{result['lateness_p99_s']:.2f} s"),
        ("publish attempts", f"{result['attempts']:,} ({result['posts_retried']} posts retried)"),
        ("sandbox posts / distinct keys", f"{result['sandbox_posts']:,} / {result['sandbox_distinct_keys']:,}"),
        ("posts with 2 successful attempts", str(result["posts_with_two_successful_attempts"])),
        ("each on the network once", "yes" if result["every_post_on_network_once"] else "NO"),
        ("audit chain intact", "yes" if result["audit_chain_intact"] else "NO"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")


# -- at most once under random faults ----------------------------------------------------------------


def _fault_setup(data_dir: Path, database_url: str) -> None:
    env = {
        "JURU_DATA_DIR": str(data_dir),
        "JURU_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "juru.project.settings",
    }
    if database_url:
        env["JURU_DATABASE_URL"] = database_url
    sys.path.insert(0, str(HERE.parent))  # the local network servers live with the tests
    setup_django(env)
    from django.conf import settings
    from django.core.management import call_command

    if database_url:
        call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = str(data_dir / "media")  # type: ignore[misc]
    from tests.publishing.conftest import fake_scan_text

    from juru.publishing import scanning

    scanning.scan_text = fake_scan_text  # type: ignore[assignment]  # the scanner is benchmarked elsewhere


def _publish_with_fault(network: Any, post: Any, fault: str, account: Any) -> None:
    """The first try of one post, with its fault; a 401 is followed by the person reconnecting the account."""
    from tests.publishing import fault_networks

    from juru.accounts.connections import mark_connected
    from juru.publishing import services
    from juru.publishing.services import publish

    if fault == "killed":
        fault_networks.crash_mid_call(post)
        return
    network.inject(fault)
    if services.claim_post(post.pk):
        publish.publish_post(post.pk)
    if fault == "401":
        account.refresh_from_db()
        mark_connected(account)


def _settle_all(rounds: int = 12) -> int:
    """Sweep (with the stale-attempt reconciliation) an hour apart until nothing is left to send."""
    from django.utils import timezone

    from juru.publishing.models import Post, PostState
    from juru.publishing.services import publish, scheduling

    moment = timezone.now()
    for done in range(1, rounds + 1):
        moment += timedelta(hours=1)
        publish.reconcile_stale_attempts(now=moment)
        for pk in scheduling.claim_due_posts(now=moment, limit=100_000):
            publish.publish_post(pk)
        if not Post.objects.filter(state__in=[PostState.SCHEDULED, PostState.PUBLISHING]).exists():
            return done
    return rounds


def fault_run(posts: int, seed: int, database_url: str) -> dict[str, Any]:
    """Publish ``posts`` posts with one random fault each; count duplicates and losses."""
    data_dir = Path(tempfile.mkdtemp(prefix="juru-bench-faults-"))
    _fault_setup(data_dir, database_url)
    from contextlib import ExitStack

    from tests.publishing import fault_networks
    from tests.publishing.conftest import build_cast

    from juru.connectors import registry
    from juru.publishing.models import PostState

    rng = random.Random(seed)
    choices = (*fault_networks.FAULTS, "none")
    cast = build_cast("bench")
    began = time.monotonic()
    with ExitStack() as stack:
        networks = {name: stack.enter_context(start(data_dir)) for name, start in fault_networks.NETWORKS.items()}
        for network in networks.values():
            stack.enter_context(
                registry.substitute(network.name, lambda network=network, **options: network.connector())
            )
        accounts = {name: fault_networks.account_on(cast, network) for name, network in networks.items()}
        plan = [(number, rng.choice(sorted(networks)), rng.choice(choices)) for number in range(posts)]
        made = []
        for number, name, fault in plan:
            text = f"Bench post {number:06d}: menu baru hari ini"
            post = fault_networks.scheduled_post(cast, networks[name], text, accounts[name])
            _publish_with_fault(networks[name], post, fault, accounts[name])
            made.append((post, name, fault, text))
        rounds = _settle_all()
        held = {name: network.contents() for name, network in networks.items()}
        rows = []
        for post, name, fault, text in made:
            post.refresh_from_db()
            copies = fault_networks.copies(text, held[name])
            rows.append({"network": name, "fault": fault, "state": post.state, "copies": copies})
    seconds = time.monotonic() - began
    shutil.rmtree(data_dir, ignore_errors=True)
    duplicates = [r for r in rows if r["copies"] > 1]
    lost = [
        r
        for r in rows
        if r["state"] not in (PostState.PUBLISHED, PostState.NEEDS_HUMAN)
        or (r["state"] == PostState.PUBLISHED and r["copies"] != 1)
    ]
    by_fault: dict[str, dict[str, int]] = {}
    for r in rows:
        cell = by_fault.setdefault(r["fault"], {"posts": 0, "published": 0, "needs_human": 0})
        cell["posts"] += 1
        cell["published"] += r["state"] == PostState.PUBLISHED
        cell["needs_human"] += r["state"] == PostState.NEEDS_HUMAN
    return {
        "posts": posts,
        "seed": seed,
        "database": "postgresql" if database_url else "sqlite",
        "seconds": round(seconds, 1),
        "sweep_rounds": rounds,
        "published": sum(r["state"] == PostState.PUBLISHED for r in rows),
        "needs_human": sum(r["state"] == PostState.NEEDS_HUMAN for r in rows),
        "duplicates": len(duplicates),
        "losses": len(lost),
        "by_fault": by_fault,
        "by_network": {name: sum(r["network"] == name for r in rows) for name in sorted({r["network"] for r in rows})},
        "examples": {"duplicates": duplicates[:5], "losses": lost[:5]},
    }


def print_fault_table(result: dict[str, Any]) -> None:
    print(f"  {result['posts']:,} posts on {result['database']}, seed {result['seed']}, {result['seconds']} s")
    print(f"  {'fault'.ljust(14)} {'posts':>6} {'published':>10} {'needs a human':>14}")
    for fault, cell in sorted(result["by_fault"].items()):
        print(f"  {fault.ljust(14)} {cell['posts']:6d} {cell['published']:10d} {cell['needs_human']:14d}")
    print(f"  published {result['published']:,}, needs a human {result['needs_human']:,}")
    print(f"  duplicates  {result['duplicates']}")
    print(f"  losses      {result['losses']}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table, write bench/results/publish.json (or publish_faults.json)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mode", choices=["throughput", "faults"], default="throughput")
    parser.add_argument("--seed", type=int, default=7, help="faults mode: the random draw of networks and faults")
    parser.add_argument("--database-url", default="", help="faults mode: a PostgreSQL database to use (flushed)")
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--spread", type=float, default=20.0, help="seconds over which the posts fall due")
    parser.add_argument("--lead", type=float, default=10.0, help="seconds before the first post is due")
    parser.add_argument("--sweep-interval", type=float, default=1.0)
    parser.add_argument("--faults", type=int, default=90)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--profile-posts", type=int, default=50, help="posts profiled in-process after the run")
    args = parser.parse_args(argv)
    if args.mode == "faults":
        result = fault_run(args.posts, args.seed, args.database_url)
        print_fault_table(result)
        written = Path(str(FAULT_RESULTS).format(database=result["database"]))
        written.parent.mkdir(parents=True, exist_ok=True)
        written.write_text(json.dumps(result, indent=2, default=str) + "\n")
        print(f"\nwrote {written.relative_to(HERE.parent)}")
        return 0 if result["duplicates"] == 0 and result["losses"] == 0 else 1

    # One run at a time: a second run would drop this run's database and share its broker queue.
    guard = open(Path(tempfile.gettempdir()) / "juru-bench-publish.lock", "w")  # noqa: SIM115  # held until exit
    try:
        fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("another bench/publish.py run is in progress", file=sys.stderr)
        return 2
    data_dir = Path(tempfile.mkdtemp(prefix="juru-bench-publish-"))
    env = {
        "JURU_DATABASE_URL": fresh_database(),
        "JURU_BROKER_URL": BROKER,
        "JURU_DATA_DIR": str(data_dir),
        "JURU_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "juru.project.settings",
    }
    flush_broker()
    setup_django(env)
    from django.conf import settings

    settings.JURU_PUBLISH_CALL_TIMEOUT = 60  # type: ignore[misc]
    seeded = seed(args.posts, args.accounts, args.spread, args.lead)
    faults = plant_faults(data_dir, args.faults)
    procs = start_workers(env, args.workers, args.concurrency, data_dir)
    try:
        run = run_sweeper(args.posts, args.sweep_interval, args.timeout, procs)
    finally:
        stop_workers(procs)
    result = measure(data_dir, args.posts) | {"sweeper": run}
    result["profile"] = profile(args.profile_posts, seeded["member"])
    config = {
        "posts": args.posts, "accounts": args.accounts, "workers": args.workers, "concurrency": args.concurrency,
        "spread_s": args.spread, "sweep_interval": args.sweep_interval, "faults": faults,
        "database": "postgresql (127.0.0.1)", "broker": "redis (127.0.0.1)",
        "python": platform.python_version(), "cpus": os.cpu_count(),
    }  # fmt: skip
    print_table(result, config)
    print_profile(result["profile"])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"config": config, "result": result}, indent=2, default=str) + "\n")
    print(f"\nwrote {RESULTS.relative_to(HERE.parent)}")
    ok = result["every_post_on_network_once"] and result["posts_with_two_successful_attempts"] == 0
    if ok and not run["timed_out"]:
        shutil.rmtree(data_dir, ignore_errors=True)
        return 0
    print(f"worker logs kept in {data_dir}")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
