"""A real Celery worker killed (SIGKILL) in the middle of a publish call never causes a duplicate.

Everything runs as separate processes on one database: a SQLite file in a temporary data directory,
or, when the run is on PostgreSQL (``JURU_DATABASE_URL``), a database of its own per test cloned
from a prepared template. The broker is the embedded SQLite one (or Redis with
``JURU_TEST_REDIS_URL``): a step process schedules and sweeps, a worker
(``celery -A tests.publishing.e2e_helpers:app worker --pool=solo``) takes the publish task and
hangs inside the sandbox call, the test kills it there, and a later sweep reconciles the attempt it
left behind once the (shortened) stale-attempt timeout has passed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from juru.connectors.sandbox import SandboxStore
from tests.publishing import e2e_helpers

ROOT = Path(__file__).resolve().parents[2]
STEP_TIMEOUT = 180  # a bound against a hung step, not a speed check: migrating a new database on a busy machine is slow
INSIDE_CALL_TIMEOUT = 20  # the worker must be inside the call by then, or the test fails
CALL_TIMEOUT = 1  # the shortened stale-attempt timeout (production: 300 s)

pytestmark = pytest.mark.slow


# The PostgreSQL server of this run, if the run is on PostgreSQL; each test gets a database of its own there.
_RUN_URL = os.environ.get("JURU_DATABASE_URL", "")
SERVER_URL = _RUN_URL if _RUN_URL.startswith("postgres") else ""


def database_url(name: str) -> str:
    """The server's URL with another database name."""
    parts = urlsplit(SERVER_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_sql(statement: sql.Composable) -> None:
    """Run CREATE/DROP DATABASE on the server (outside a transaction, as PostgreSQL requires)."""
    with psycopg.connect(database_url("postgres"), autocommit=True) as db:
        db.execute(statement)


@dataclass(frozen=True)
class Store:
    """Where one test's Juru keeps its data: the data directory, and its PostgreSQL database if any."""

    data: Path
    database: str = ""

    def env(self, **extra: str) -> dict[str, str]:
        if self.database:
            extra = {"JURU_DATABASE_URL": database_url(self.database), **extra}
        return base_env(self.data, **extra)


def base_env(data: Path, **extra: str) -> dict[str, str]:
    """This process's environment without any JURU_* knob, pointed at ``data`` (SQLite, own secrets)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JURU_")}
    python_path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env.update(
        DJANGO_SETTINGS_MODULE="juru.project.settings",
        PYTHONPATH=python_path,
        JURU_DATA_DIR=str(data),
        JURU_LOG_LEVEL="WARNING",
        JURU_TASKS_EAGER="false",
    )
    env.update(extra)
    return env


def step(env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run one helper step in its own process and return its JSON."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.publishing.e2e_helpers", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"step {args} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, int]]:
    """A migrated store holding one approved post scheduled for now (copied by each test)."""
    data = tmp_path_factory.mktemp("juru-crash-template")
    database = f"{urlsplit(SERVER_URL).path.strip('/')}_crash_{uuid.uuid4().hex[:10]}" if SERVER_URL else ""
    if database:
        admin_sql(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    store = Store(data, database)
    try:
        prepared = step(store.env(), "prepare")
        yield store, int(prepared["post_id"])
    finally:
        if database:
            admin_sql(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


@pytest.fixture
def copy_store(tmp_path: Path) -> Iterator[Any]:
    """Copy a template store for one test (data directory and database); the copies are dropped after."""
    made: list[str] = []

    def copy(template: Store) -> Store:
        data = tmp_path / "data"
        shutil.copytree(template.data, data)
        if not template.database:
            return Store(data)
        name = f"{template.database}_{len(made)}"
        admin_sql(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template.database))
        )
        made.append(name)
        return Store(data, name)

    yield copy
    for name in made:
        admin_sql(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@dataclass
class Worker:
    """A Celery worker process in its own process group, with its log file."""

    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole group: no handler, no cleanup, exactly like a crash or an OOM kill."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Any]:
    """Start workers on demand; any left running at the end is killed."""
    started: list[Worker] = []

    def start(env: dict[str, str]) -> Worker:
        log = tmp_path / f"worker-{len(started)}.log"
        argv = [sys.executable, "-m", "celery", "-A", "tests.publishing.e2e_helpers:app", "worker"]
        argv += ["--pool=solo", "--loglevel=INFO", "--without-heartbeat", "--without-mingle", "--without-gossip"]
        argv += ["--hostname", f"crash-{uuid.uuid4().hex[:8]}@%h"]
        with log.open("wb") as out:
            process = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        worker = Worker(process, log)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


def attempt_states(store: Store, post_id: int) -> list[str]:
    """The attempt rows as another process sees them (committed rows only)."""
    query = "SELECT state FROM publishing_publishattempt WHERE post_id = {} ORDER BY number"
    if store.database:
        with psycopg.connect(database_url(store.database)) as pg:
            rows = pg.execute(query.format("%s"), (post_id,)).fetchall()
    else:
        with sqlite3.connect(store.data / "juru.sqlite3", timeout=10) as db:
            rows = db.execute(query.format("?"), (post_id,)).fetchall()
    return [row[0] for row in rows]


def wait_ready(worker: Worker) -> None:
    """Wait until the worker has declared its queue and says it is ready.

    Sending the task earlier makes the step and the worker create the broker's queue row at the
    same time, which the embedded SQLite broker answers with a unique-constraint error.
    """
    deadline = time.monotonic() + INSIDE_CALL_TIMEOUT
    while " ready." not in worker.output():
        assert worker.process.poll() is None, f"the worker died while starting:\n{worker.output()}"
        assert time.monotonic() < deadline, f"the worker never became ready:\n{worker.output()}"
        time.sleep(0.1)


def wait_inside_call(worker: Worker, mark: Path) -> str:
    """Wait until the worker is inside the network call (it writes ``mark`` there)."""
    deadline = time.monotonic() + INSIDE_CALL_TIMEOUT
    while not mark.exists():
        assert worker.process.poll() is None, f"the worker died before the call:\n{worker.output()}"
        assert time.monotonic() < deadline, f"the worker never reached the call:\n{worker.output()}"
        time.sleep(0.1)
    return mark.read_text()


def crash_mid_publish(
    template: tuple[Store, int],
    copy_store: Any,
    start_worker: Any,
    *,
    hang: str,
    lookup: bool,
    broker: str = "",
    queue: str = "",
) -> tuple[dict[str, Any], list[Any], Path]:
    """Schedule → sweep → worker hangs in the call → SIGKILL → reconcile; returns (reconcile, timeline, data)."""
    source, post_id = template
    store = copy_store(source)
    data = store.data
    extra = {e2e_helpers.LOOKUP_ENV: "1" if lookup else "0"}
    if broker:
        extra |= {"JURU_BROKER_URL": broker, e2e_helpers.QUEUE_ENV: queue}
    mark = data / "inside-call"
    worker = start_worker(store.env(**extra, **{e2e_helpers.HANG_ENV: hang, e2e_helpers.MARK_ENV: str(mark)}))
    steps_env = store.env(**extra)
    wait_ready(worker)

    swept = step(steps_env, "sweep", "--post", str(post_id))
    assert swept["claimed"] == 1
    assert swept["state"] == "publishing"

    inside = wait_inside_call(worker, mark)
    assert inside.startswith(hang)
    # The attempt row was committed before the call: the crash leaves a trace.
    assert attempt_states(store, post_id) == ["calling"]
    worker.kill()
    assert worker.process.returncode == -signal.SIGKILL

    network = SandboxStore(data / "sandbox.sqlite3")
    sent_before_crash = network.timeline(e2e_helpers.HANDLE)
    assert len(sent_before_crash) == (1 if hang == "after" else 0)

    result = step(steps_env, "reconcile", "--post", str(post_id), "--call-timeout", str(CALL_TIMEOUT))
    # While the attempt is younger than the timeout, nobody sends again (the worker might be slow, not dead).
    assert result["young"]["state"] == "publishing"
    assert result["young"]["attempts"] == ["calling"]
    assert result["young"]["claimed"] == 0
    return result, network.timeline(e2e_helpers.HANDLE), data


def assert_settled(result: dict[str, Any]) -> None:
    """A further sweep claims nothing and changes nothing."""
    assert result["again"] == {**result["stale"], "claimed": 0}


def assert_never_two_successes(result: dict[str, Any]) -> None:
    for moment in ("young", "stale", "again"):
        assert result[moment]["attempts"].count("published") <= 1, result[moment]


def test_killed_after_the_network_took_the_post_reconciles_to_published_without_resending(
    template: tuple[Store, int], copy_store: Any, start_worker: Any
) -> None:
    result, timeline, _data = crash_mid_publish(template, copy_store, start_worker, hang="after", lookup=True)
    assert len(timeline) == 1
    stale = result["stale"]
    assert stale["state"] == "published"
    assert stale["draft"] == "published"
    assert stale["remote_id"] == timeline[0].id  # found by lookup, not sent again
    assert stale["attempts"] == ["published"]  # the unknown attempt, settled by the lookup
    assert stale["claimed"] == 0
    assert_settled(result)
    assert_never_two_successes(result)


def test_killed_before_anything_was_sent_reconciles_then_publishes_exactly_once(
    template: tuple[Store, int], copy_store: Any, start_worker: Any
) -> None:
    result, timeline, _data = crash_mid_publish(template, copy_store, start_worker, hang="before", lookup=True)
    assert [p.text for p in timeline] == ["Halo dari proses lain"]
    stale = result["stale"]
    assert stale["state"] == "published"
    assert stale["remote_id"] == timeline[0].id
    assert stale["attempts"] == ["not_found", "published"]  # looked up (absent), then sent once more
    assert stale["claimed"] == 1
    assert_settled(result)
    assert_never_two_successes(result)


def test_killed_on_a_network_without_lookup_goes_to_a_human_not_to_a_blind_retry(
    template: tuple[Store, int], copy_store: Any, start_worker: Any
) -> None:
    result, timeline, _data = crash_mid_publish(template, copy_store, start_worker, hang="after", lookup=False)
    assert len(timeline) == 1
    stale = result["stale"]
    assert stale["state"] == "needs_human"
    assert stale["draft"] == "needs_human"
    assert stale["reason"]  # says what to check
    assert stale["attempts"] == ["unknown"]
    assert stale["claimed"] == 0
    assert_settled(result)
    assert_never_two_successes(result)


@pytest.mark.redis
def test_killed_worker_on_redis_reconciles_to_published_without_resending(
    template: tuple[Store, int], copy_store: Any, start_worker: Any, redis_url: str
) -> None:
    import redis

    queue = f"juru-crash-{uuid.uuid4().hex}"  # a queue of its own: the Redis server may be shared
    try:
        result, timeline, _data = crash_mid_publish(
            template, copy_store, start_worker, hang="after", lookup=True, broker=redis_url, queue=queue
        )
    finally:
        redis.Redis.from_url(redis_url).delete(queue)
    assert len(timeline) == 1
    assert result["stale"]["state"] == "published"
    assert result["stale"]["remote_id"] == timeline[0].id
    assert result["stale"]["attempts"] == ["published"]
    assert_never_two_successes(result)
