"""The backends Juru scales out on: PostgreSQL for data, Redis for background work."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_pass_really_uses_postgresql() -> None:
    assert connection.vendor == "postgresql"


@pytest.mark.redis
def test_task_round_trips_through_real_redis(redis_url: str) -> None:
    from celery.contrib.testing.worker import start_worker

    from juru.project.celery import app

    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    _forget_connections(app)  # earlier tests may have built the backend and pool from other settings
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            result = app.send_task("juru.ping", args=["halo"])
            assert result.get(timeout=20) == "pong:halo"
    finally:
        app.conf.update(broker_url=None, result_backend=None)
        _forget_connections(app)


def _forget_connections(app: Any) -> None:
    """Drop the app's cached result backend and connection pools so the next use reads the settings."""
    app._local.__dict__.pop("backend", None)
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
