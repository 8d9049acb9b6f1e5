"""Monthly report generation time: the demo organisation, then a busy month, as HTML and as PDF.

Builds the demo organisation (about seven weeks of posts and mentions), then adds a busy month for
a second organisation (``--posts`` published posts and ``--mentions`` mentions last month, an
objective with targets and a pilot). Times the report data, the HTML document and the PDF in both
languages; the target is under 30 s per report. Uses a fresh SQLite database in a temporary
directory unless ``JURU_DATABASE_URL`` is set. Prints a table and writes ``bench/results/report.json``.

    .venv/bin/python bench/report.py [--posts 2000] [--mentions 30000]
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
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "report.json"
TARGET_SECONDS = 30.0


def busy_month(posts: int, mentions: int) -> object:
    """A second organisation with a busy last month: posts by five people, mentions every few minutes."""
    from juru.accounts.models import Role
    from juru.accounts.services import brand_accounts, organisations
    from juru.accounts.services.organisations import create_team
    from juru.goals import queries, services
    from juru.listening.models import Mention
    from juru.publishing.models import BusinessFunction, Draft, DraftState, Post, PostState

    org = organisations.create_organisation(actor=None, name="Bench", slug=f"bench-{uuid.uuid4().hex[:8]}")
    people = [
        organisations.create_member(actor=None, organisation=org, username=f"{org.slug}-{n}", role=Role.SPOKESPERSON)
        for n in range(5)
    ]
    account = brand_accounts.create_brand_account(actor=None, organisation=org, network="sandbox", handle="@bench")
    team = create_team(actor=None, organisation=org, name="Pilot", kind="pr")
    for person in people[:3]:
        organisations.add_team_member(actor=None, team=team, member=person)
    month = queries.previous_month(queries.this_month())
    start = queries.day_start(month)
    rng = random.Random(1)
    functions = list(BusinessFunction.values)
    drafts = [
        Draft(
            organisation=org,
            author=rng.choice(people),
            text="Promo sambal minggu ini 🌶️",
            campaign=rng.choice(["", "Promo"]),
            business_function=rng.choice(functions),
            state=DraftState.PUBLISHED,
            verdict=rng.choice(["allow", "warn"]),
            submitted_at=start + timedelta(minutes=20 * i),
            approved_at=start + timedelta(minutes=20 * i + rng.randint(10, 600)),
        )
        for i in range(posts)
    ]
    Draft.objects.bulk_create(drafts, batch_size=1000)
    Post.objects.bulk_create(
        [
            Post(
                organisation=org,
                draft=d,
                account=account,
                state=PostState.PUBLISHED,
                idempotency_key=uuid.uuid4().hex,
                published_at=d.approved_at,
            )
            for d in Draft.objects.filter(organisation=org)
        ],
        batch_size=1000,
    )
    batch = uuid.uuid4()
    Mention.objects.bulk_create(
        [
            Mention(
                organisation=org,
                network="sandbox",
                remote_id=str(i),
                author_handle="p",
                text="Sambalnya enak",
                lang="id",
                sentiment=rng.choice(["positive", "neutral", "negative"]),
                batch=batch,
                created_at=start + timedelta(seconds=(28 * 86400) * i // mentions),
            )
            for i in range(mentions)
        ],
        batch_size=2000,
    )
    objective = services.create_objective(
        actor=None,
        organisation=org,
        function="marketing",
        title="Peluncuran",
        period_start=month,
        period_end=month + timedelta(days=60),
    )
    for kpi in ("posts_published", "approval_turnaround_median", "negative_share", "leads_tagged"):
        services.set_target(actor=None, objective=objective, kpi=kpi, value=Decimal(30))
    services.save_pilot(
        actor=None, organisation=org, name="Pilot", team=team, start=month, end=month + timedelta(days=27)
    )
    return org


def timed(function: object, *args: object) -> tuple[float, object]:
    began = time.perf_counter()
    result = function(*args)  # type: ignore[operator]
    return time.perf_counter() - began, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--mentions", type=int, default=30000)
    args = parser.parse_args()
    if not os.environ.get("JURU_DATABASE_URL"):
        os.environ["JURU_DATA_DIR"] = tempfile.mkdtemp(prefix="juru-bench-report-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "juru.project.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from juru.goals import queries, report
    from juru.goals.pdf import report_html, report_pdf
    from juru.ops import demo

    call_command("migrate", verbosity=0)
    month = queries.previous_month(queries.this_month())
    cases = {
        "demo": demo.create(),
        f"busy ({args.posts} posts, {args.mentions} mentions)": busy_month(args.posts, args.mentions),
    }
    rows = []
    for name, org in cases.items():
        data_s, _data = timed(report.build, org, month)
        html_s, html = timed(report_html, org, month, "id")
        pdf_id_s, pdf_id = timed(report_pdf, org, month, "id")
        pdf_en_s, _pdf_en = timed(report_pdf, org, month, "en")
        rows.append(
            {
                "case": name,
                "data_s": round(data_s, 2),
                "html_s": round(html_s, 2),
                "pdf_id_s": round(pdf_id_s, 2),
                "pdf_en_s": round(pdf_en_s, 2),
                "pdf_bytes": len(pdf_id),
                "html_bytes": len(html),
            }
        )
    print(f"{'case':45} {'data s':>7} {'html s':>7} {'pdf id s':>9} {'pdf en s':>9} {'pdf KB':>7}")
    for row in rows:
        print(
            f"{row['case']:45} {row['data_s']:7.2f} {row['html_s']:7.2f} {row['pdf_id_s']:9.2f} {row['pdf_en_s']:9.2f} "
            f"{row['pdf_bytes'] / 1024:7.0f}"
        )
    worst = max(max(r["pdf_id_s"], r["pdf_en_s"]) for r in rows)
    print(f"slowest PDF: {worst:.2f} s (target < {TARGET_SECONDS:.0f} s)")
    result = {
        "rows": rows,
        "slowest_pdf_s": worst,
        "target_s": TARGET_SECONDS,
        "machine": platform.platform(),
        "database": "postgresql" if os.environ.get("JURU_DATABASE_URL") else "sqlite",
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
