"""Listening ingestion throughput in one process: mentions labelled, matched, stored and spike-checked per second.

Builds a scratch organisation with two queries and feeds ``store_mentions`` batches of realistic
comments (the sandbox traffic templates and the ``keracunan`` scenario's texts), as a poll would.
Reports mentions per second (wall and CPU) and the share of time spent in the classifiers.
Uses a fresh SQLite database in a temporary directory unless ``JURU_DATABASE_URL`` is set (then
that database keeps a scratch organisation: the audit log is append-only). Writes ``bench/results/listen.json``.

    .venv/bin/python bench/listen.py [--mentions 5000] [--batch 500]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "listen.json"


def texts(count: int, seed: int = 0) -> list[str]:
    """Comments as the public writes them: the everyday mix and food-poisoning complaints."""
    from juru.connectors.sandbox.traffic import TEMPLATES
    from juru.sandbox.scenarios import KERACUNAN

    rng = random.Random(seed)
    pool = [t for group in TEMPLATES.values() for t in group] + list(KERACUNAN)
    fill = {"brand": "Nusantara Rasa", "product": "nasi kotak", "product_en": "lunch box", "city": "Medan",
            "order": 123456, "days": 4, "n": 12}  # fmt: skip
    return [rng.choice(pool).format(**fill) + f" #{i}" for i in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    if not os.environ.get("JURU_DATABASE_URL"):
        os.environ["JURU_DATA_DIR"] = tempfile.mkdtemp(prefix="juru-bench-listen-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "juru.project.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from juru.accounts.services import brand_accounts, organisations
    from juru.connectors.base import Mention as Incoming
    from juru.listening import classification, services

    call_command("migrate", verbosity=0)
    slug = f"bench-{uuid.uuid4().hex[:8]}"
    org = organisations.create_organisation(actor=None, name="Bench", slug=slug)
    account = brand_accounts.create_brand_account(actor=None, organisation=org, network="sandbox", handle="@bench")
    services.create_query(actor=None, organisation=org, name="Brand", kind="brand", terms="nusantara rasa")
    services.create_query(actor=None, organisation=org, name="Food", kind="topic", terms="keracunan\nsakit perut\nbasi")
    bodies = texts(args.mentions)
    start = datetime.now(UTC) - timedelta(hours=6)
    items = [
        Incoming(f"b{i}", f"user{i % 500}", body, start + timedelta(seconds=4 * i)) for i, body in enumerate(bodies)
    ]
    classification.label_all(bodies[:50])  # load the models once, outside the measurement
    label_cpu = time.process_time()
    classification.label_all(bodies[: min(1000, len(bodies))])
    label_rate = min(1000, len(bodies)) / (time.process_time() - label_cpu)
    wall, cpu = time.perf_counter(), time.process_time()
    stored = 0
    for first in range(0, len(items), args.batch):
        stored += services.store_mentions(org, account, items[first : first + args.batch]).stored
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    result = {
        "database": connection.vendor,
        "mentions": stored,
        "batch": args.batch,
        "mentions_per_s_wall": stored / wall,
        "mentions_per_s_cpu": stored / cpu,
        "classified_per_s_cpu": label_rate,
        "python": platform.python_version(),
    }
    print(f"{'database':28} {result['database']:>12}")  # noqa: T201
    print(f"{'mentions stored':28} {stored:>12,}")  # noqa: T201
    print(f"{'mentions / s (wall, 1 proc)':28} {result['mentions_per_s_wall']:>12,.0f}")  # noqa: T201
    print(f"{'mentions / s (CPU)':28} {result['mentions_per_s_cpu']:>12,.0f}")  # noqa: T201
    print(f"{'classified only / s (CPU)':28} {label_rate:>12,.0f}")  # noqa: T201
    RESULTS.parent.mkdir(exist_ok=True)
    name = RESULTS if connection.vendor == "sqlite" else RESULTS.with_name(f"listen-{connection.vendor}.json")
    name.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
