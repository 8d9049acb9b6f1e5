"""Listening at scale: ingestion with Celery workers, a burst's time to alert, ``juru spikes`` speed.

Runs on PostgreSQL and Redis on this machine only (127.0.0.1), in a scratch database created for
the run and dropped after it, and a Redis database that is emptied before and after (default 6).
The Celery workers are real processes (``celery worker -Q listening``, one process each) reading a
scratch sandbox network, exactly as in production:

- ingestion: mentions per second read from the network, classified (language, sentiment,
  emotion, abuse, hate), stored, matched to queries, spike-checked, and handed to the
  ``mentions_stored`` receivers (routing), from the first poll queued to the last row stored;
- burst to alert: a food-poisoning wave starts on the sandbox (after six hours of everyday
  traffic) while the poll task is sent on the beat schedule's interval; wall time from the
  first complaint to the alert row;
- ``juru spikes``: events per second through the command line tool on a synthetic month.

Each section is one function in ``SECTIONS`` that takes the run's ``Context`` and returns its
rows; a new measurement (such as the inbox list p95) is one more function there. Writes
``bench/results/listen.json``.

    .venv/bin/python bench/listen.py [--mentions 20000] [--workers 2] [--redis redis://127.0.0.1:6379/6]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

RESULTS = Path(__file__).resolve().parent / "results" / "listen.json"
LOCAL = ("127.0.0.1", "localhost", "::1")
TARGETS = {"mentions_per_s": 2000.0, "burst_to_alert_s": 60.0}


@dataclass
class Context:
    """What every section shares: the options, the scratch data directory and the running workers."""

    args: argparse.Namespace
    data_dir: Path
    env: dict[str, str]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)


Row = tuple[str, str, str]  # what, value, target


def texts(count: int, seed: int = 0) -> list[str]:
    """Comments as the public writes them: the everyday mix and food-poisoning complaints."""
    from juru.connectors.sandbox.traffic import TEMPLATES
    from juru.sandbox.scenarios import KERACUNAN

    rng = random.Random(seed)
    pool = [t for group in TEMPLATES.values() for t in group] + list(KERACUNAN)
    fill = {"brand": "Nusantara Rasa", "product": "nasi kotak", "product_en": "lunch box", "city": "Medan",
            "order": 123456, "days": 4, "n": 12}  # fmt: skip
    return [rng.choice(pool).format(**fill) + f" #{i}" for i in range(count)]


# --------------------------------------------------------------------------- scratch environment


def _local_only(url: str, what: str) -> None:
    if urlsplit(url).hostname not in LOCAL:
        raise SystemExit(f"{what} must be on this machine (127.0.0.1), not {url}")


def _scratch_database(admin_url: str) -> tuple[str, str]:
    """Create an empty database next to ``admin_url``'s; (its URL, its name)."""
    import psycopg

    name = f"juru_bench_listen_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(admin_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", "")), name


def _drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def start_workers(ctx: Context) -> None:
    """Start the Celery workers (one process each) on the ``listening`` queue and wait until they answer."""
    from juru.project.celery import app

    for number in range(ctx.args.workers):
        argv = [sys.executable, "-m", "celery", "-A", "juru.project.celery:app", "worker", "-Q", "listening", "-c", "1",
                "-n", f"bench{number}@%h", "--without-mingle", "--without-gossip", "-l", "WARNING"]  # fmt: skip
        log = (ctx.data_dir / f"worker{number}.log").open("wb")
        ctx.workers.append(subprocess.Popen(argv, env=ctx.env, stdout=log, stderr=subprocess.STDOUT))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        if len(replies) >= ctx.args.workers:
            return
    raise SystemExit(f"the workers did not start; see {ctx.data_dir}/worker*.log")


def stop_workers(ctx: Context) -> None:
    for worker in ctx.workers:
        worker.terminate()
    for worker in ctx.workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes and their children so far (Linux ``/proc``)."""
    tick = os.sysconf("SC_CLK_TCK")
    family = set(pids)
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))  # ppid, utime + stime
    family |= {pid for pid, (ppid, _cpu) in stats.items() if ppid in family}
    return sum(stats[pid][1] for pid in family if pid in stats) / tick


def _sandbox_org(name: str, accounts: int, query_terms: dict[str, str]) -> tuple[Any, list[Any]]:
    """An organisation with connected sandbox brand accounts and listening queries."""
    from juru.accounts.models import ConnectionStatus
    from juru.accounts.services import brand_accounts, organisations
    from juru.listening import services

    slug = f"{name}-{uuid.uuid4().hex[:6]}"
    org = organisations.create_organisation(actor=None, name=name.title(), slug=slug)
    made = [
        brand_accounts.create_brand_account(
            actor=None, organisation=org, network="sandbox", handle=f"@{slug}_{n}",
            connection_status=ConnectionStatus.CONNECTED,
        )
        for n in range(accounts)
    ]  # fmt: skip
    for query_name, terms in query_terms.items():
        services.create_query(actor=None, organisation=org, name=query_name, kind="brand", terms=terms)
    return org, made


def _stored(org: Any) -> int:
    from juru.listening.models import Mention

    return Mention.objects.filter(organisation=org).count()


def _wait_stored(org: Any, total: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _stored(org) >= total:
            return True
        time.sleep(0.1)
    return False


# --------------------------------------------------------------------------- sections


def ingestion(ctx: Context) -> list[Row]:
    """Mentions per second through the workers: read, classified, stored, matched, spike-checked, routed."""
    from juru.connectors.sandbox import SandboxStore
    from juru.listening import tasks

    store = SandboxStore(ctx.data_dir / "sandbox.sqlite3")
    terms = {"Brand": "nusantara rasa", "Food": "keracunan\nsakit perut\nbasi"}
    warm_org, warm = _sandbox_org("warmup", ctx.args.workers, terms)
    org, accounts = _sandbox_org("bench", ctx.args.accounts, terms)
    bodies = texts(ctx.args.mentions + 20 * len(warm))
    for number, account in enumerate([*warm, *accounts]):
        store.publish(account.handle, f"Promo minggu ini #{number}")
    for number, body in enumerate(bodies[: 20 * len(warm)]):
        target = warm[number % len(warm)]
        store.publish(f"warga{number % 500}", f"@{target.handle.lstrip('@')} {body}")
    for account in warm:  # each worker loads the classifiers once, outside the measurement
        tasks.poll_account.delay(account.pk)
    if not _wait_stored(warm_org, 20 * len(warm), 300):
        raise SystemExit("the warm-up was not ingested in 5 minutes")
    per_account: dict[int, int] = {}
    for number, body in enumerate(bodies[20 * len(warm) :]):
        account = accounts[number % len(accounts)]
        store.publish(f"warga{number % 500}", f"@{account.handle.lstrip('@')} {body}")
        per_account[account.pk] = per_account.get(account.pk, 0) + 1
    polls = max(per_account.values()) // 200 + 1  # the sandbox answers at most 200 mentions per poll
    pids = [worker.pid for worker in ctx.workers]
    cpu = _cpu_seconds(pids)
    started = time.perf_counter()
    for _round in range(polls):
        for account in accounts:
            tasks.poll_account.delay(account.pk)
    done = _wait_stored(org, ctx.args.mentions, ctx.args.timeout)
    elapsed = time.perf_counter() - started
    cpu = _cpu_seconds(pids) - cpu
    stored = _stored(org)
    rate = stored / elapsed
    # On a machine shared with other work the wall figure understates what the workers can do;
    # per CPU-second of the workers, times the workers, is what as many dedicated cores would give.
    per_cpu = stored / cpu if cpu else 0.0
    ctx.figures["ingestion"] = {
        "mentions": stored, "complete": done, "seconds": elapsed, "mentions_per_s": rate,
        "worker_cpu_s": cpu, "mentions_per_worker_cpu_s": per_cpu, "load_average": os.getloadavg(),
        "workers": ctx.args.workers, "accounts": len(accounts), "polls": polls * len(accounts),
    }  # fmt: skip
    target = f">= {TARGETS['mentions_per_s']:,.0f}"
    return [
        ("mentions ingested", f"{stored:,}", f"{ctx.args.mentions:,}"),
        (f"mentions / s ({ctx.args.workers} workers, wall)", f"{rate:,.0f}", target),
        ("mentions / worker CPU-second", f"{per_cpu:,.0f}", ""),
        (f"  x {ctx.args.workers} dedicated cores", f"{per_cpu * ctx.args.workers:,.0f}", target),
        ("load average during the run", f"{os.getloadavg()[0]:.1f}", ""),
    ]


def burst_to_alert(ctx: Context) -> list[Row]:
    """Wall time from a complaint wave's first message to its alert, polls on the beat schedule."""
    from juru.connectors.sandbox import SandboxStore
    from juru.listening import tasks
    from juru.listening.models import Alert
    from juru.project.celery import app
    from juru.sandbox import scenarios

    interval = float(app.conf.beat_schedule["listening-poll-accounts"]["schedule"])
    org, (account,) = _sandbox_org("burst", 1, {"Nusantara Rasa": "nusantara rasa\nnusantararasa"})
    handle = account.handle.lstrip("@")
    now = datetime.now(UTC)
    history_clock = [now - timedelta(hours=6)]
    past = SandboxStore(ctx.data_dir / "sandbox.sqlite3", clock=lambda: history_clock[0])
    past.register(handle, "Nusantara Rasa")
    past.publish(handle, "Selamat pagi, Sobat Rasa!")
    for step in range(72):  # six hours of everyday comments, one every five minutes
        history_clock[0] = now - timedelta(hours=6) + timedelta(minutes=5 * step)
        scenarios.run(past, handle, scenario="normal", count=1, seed=step)
    tasks.poll_account.delay(account.pk)
    _wait_stored(org, 72, 120)
    live = SandboxStore(ctx.data_dir / "sandbox.sqlite3")
    rng = random.Random(1)
    next_poll = time.monotonic()
    burst_at = next_poll + rng.uniform(0, interval)  # the wave starts anywhere between two polls
    first = None
    written = 0
    deadline = time.monotonic() + ctx.args.burst_timeout
    alert = None
    while time.monotonic() < deadline and alert is None:
        moment = time.monotonic()
        if moment >= next_poll:
            tasks.poll_accounts.delay()  # what beat sends every ``interval`` seconds
            next_poll += interval
        if moment >= burst_at and written < 40:
            scenarios.run(live, handle, scenario="keracunan", count=1, seed=written)
            first = first or time.perf_counter()
            written += 1
            burst_at += 1.5  # forty complaints in one minute
        alert = Alert.objects.filter(organisation=org).first()
        time.sleep(0.05)
    seconds = (time.perf_counter() - first) if (alert and first) else None
    ctx.figures["burst_to_alert"] = {
        "seconds": seconds, "poll_interval_s": interval, "complaints_written": written,
        "alert_observed": alert.observed if alert else None, "alert_severity": alert.severity if alert else None,
    }  # fmt: skip
    shown = f"{seconds:.1f}" if seconds is not None else "no alert"
    return [("burst start to alert (s, wall)", shown, f"< {TARGETS['burst_to_alert_s']:.0f}")]


def spikes_cli(ctx: Context) -> list[Row]:
    """``juru spikes`` on a synthetic month of mention events (eight queries), as a separate process."""
    from juru.spikes.synthetic import events, month_plan

    path = ctx.data_dir / "month.jsonl"
    lines = [json.dumps(record) for record in events(month_plan(seed=0, queries=8), seed=0)]
    path.write_text("\n".join(lines) + "\n")
    juru = Path(sys.executable).with_name("juru")
    started = time.perf_counter()
    finished = subprocess.run([str(juru), "spikes", str(path)], env=ctx.env, capture_output=True, check=True)
    elapsed = time.perf_counter() - started
    alerts = sum(1 for line in finished.stdout.splitlines() if line.strip())
    rate = len(lines) / elapsed
    ctx.figures["spikes"] = {"events": len(lines), "seconds": elapsed, "events_per_s": rate, "alert_lines": alerts}
    return [("juru spikes events", f"{len(lines):,}", ""), ("juru spikes events / s (wall)", f"{rate:,.0f}", "")]


SECTIONS: list[Callable[[Context], list[Row]]] = [ingestion, burst_to_alert, spikes_cli]


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=20000)
    parser.add_argument("--accounts", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds the ingestion may take at most")
    parser.add_argument("--burst-timeout", type=float, default=180.0)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6", help="emptied before and after the run")
    parser.add_argument("--only", default="", help="comma-separated section names")
    args = parser.parse_args()
    if not 1 <= args.mentions <= 200_000:
        raise SystemExit("--mentions must be between 1 and 200,000")
    _local_only(args.postgres, "PostgreSQL")
    _local_only(args.redis, "Redis")
    data_dir = Path(tempfile.mkdtemp(prefix="juru-bench-listen-"))
    database_url, database = _scratch_database(args.postgres)
    _flush_redis(args.redis)
    env = dict(os.environ, JURU_DATABASE_URL=database_url, JURU_BROKER_URL=args.redis, JURU_DATA_DIR=str(data_dir),
               JURU_SANDBOX_BACKGROUND_TRAFFIC="0", DJANGO_SETTINGS_MODULE="juru.project.settings")  # fmt: skip
    os.environ.update(env)
    ctx = Context(args=args, data_dir=data_dir, env=env)
    chosen = [s for s in SECTIONS if not args.only or s.__name__ in args.only.split(",")]
    rows: list[Row] = []
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        start_workers(ctx)
        for section in chosen:
            rows += section(ctx)
    finally:
        stop_workers(ctx)
        from django.db import connections

        connections.close_all()
        _drop_database(args.postgres, database)
        _flush_redis(args.redis)
    shutil.rmtree(data_dir, ignore_errors=True)  # kept (with the workers' logs) only when a section failed
    print(f"{'':34} {'value':>14} {'target':>10}")  # noqa: T201
    for what, value, target in rows:
        print(f"{what:34} {value:>14} {target:>10}")  # noqa: T201
    result = {**ctx.figures, "targets": TARGETS, "cpus": os.cpu_count(), "python": platform.python_version()}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
