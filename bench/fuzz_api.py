"""The ``api`` mode of ``bench/fuzz.py``: schemathesis requests against a fresh installation's JSON API.

A temporary data directory gets a migrated SQLite database, an organisation with a viewer, an
author and an owner (each with an API token) and a draft; then rounds of generated requests go to
every operation of ``/api/v1/openapi.json`` until ``--count`` requests were sent. Any 5xx or
unhandled exception is a failure.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))


def _installation() -> list[str]:
    """Configure Django on a fresh database; the API tokens of a viewer, an author and an owner."""
    os.environ["JURU_DATA_DIR"] = tempfile.mkdtemp(prefix="juru-fuzz-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "juru.project.settings"
    os.environ["JURU_API_RATE_LIMIT"] = ""  # every request should reach its handler
    sys.path.insert(0, os.path.dirname(HERE))  # the test helpers live in the repository's tests/
    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # thousands of expected 404s are noise
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.publishing.conftest import build_cast
    from tests.web.conftest import make_member

    from juru.accounts.models import Role
    from juru.accounts.services.tokens import create_api_token
    from juru.publishing.services import drafts

    cast = build_cast()
    drafts.create_draft(actor=cast.author, accounts=[cast.brand], text="Selamat pagi dari Nusantara Rasa")
    viewer = make_member(cast.org, "vivi", Role.VIEWER)
    return [create_api_token(actor=None, member=m, name="fuzz")[1] for m in (viewer, cast.author, cast.owner)]


def fuzz_api(args: argparse.Namespace) -> dict[str, Any]:
    """Rounds of generated API requests until ``args.count`` were sent or time ran out."""
    tokens = _installation()
    from django.test import Client
    from tests.security.api_fuzzing import FuzzReport, fuzz

    total = FuzzReport()
    started = time.monotonic()
    round_number = 0
    while total.requests < args.count and time.monotonic() - started < args.max_seconds:
        report = fuzz(Client(raise_request_exception=True), tokens, max_examples=50, seed=args.seed + round_number)
        total.requests += report.requests
        total.statuses.update(report.statuses)
        total.failures += report.failures
        round_number += 1
        print(f"  round {round_number}: {total.requests} requests, {len(total.failures)} failures", file=sys.stderr)
    return {
        "inputs": total.requests,
        "crashes": len(total.failures),
        "cpu_seconds": round(time.process_time(), 1),
        "statuses": {str(k): v for k, v in sorted(total.statuses.items())},
        "failures": total.failures[:50],
        "seconds": round(time.monotonic() - started, 1),
        "met": not total.failures and total.requests >= args.count,
    }
