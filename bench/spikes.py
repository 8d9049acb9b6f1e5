"""Spike detection quality and speed on synthetic month-long streams (DESIGN.md section 6).

Generates seeded months of mentions for several queries (quiet to busy, night lulls, busy
evenings, steady growth) with planted negative bursts (sudden, some at night; slow evening
build-ups) and positive campaign surges, runs them through ``juru spikes`` (the same code, in
process) and reports: share of bursts detected, median delay from a burst's start to its alert
(stream time), false alerts per query per month (and how many of those fell in a campaign), and
events per second. Writes ``bench/results/spikes.json``.

    .venv/bin/python bench/spikes.py [--months 3] [--queries 8] [--first-seed 0]

The detector's thresholds were tuned on seeds 0-2; ``--first-seed 3`` measures months it never saw.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

from juru.spikes.cli import run
from juru.spikes.detector import Detector
from juru.spikes.synthetic import events, month_plan, score

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"detection_rate": 1.0, "median_delay_minutes": 5.0, "false_alerts_per_query_month": 1.0}


def one_month(seed: int, queries: int) -> dict[str, float]:
    """Generate, detect and score one month."""
    plan = month_plan(seed=seed, queries=queries)
    lines = [json.dumps(record) for record in events(plan, seed=seed)]
    started = time.process_time()
    alerts = list(run(lines, Detector()))
    cpu = time.process_time() - started
    result = score(plan, alerts)
    return {
        "seed": seed,
        "events": len(lines),
        "cpu_s": cpu,
        "bursts": result.bursts,
        "detected": result.detected,
        "delays": list(result.delays),
        "false_alerts": result.false_alerts,
        "campaign_alerts": result.campaign_alerts,
        "alert_lines": len(alerts),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=3, help="independent months (seeds) to generate")
    parser.add_argument("--queries", type=int, default=8, help="queries per month")
    parser.add_argument("--first-seed", type=int, default=0, help="seed of the first month (tuning used 0-2)")
    args = parser.parse_args()
    seeds = range(args.first_seed, args.first_seed + args.months)
    months = [one_month(seed, args.queries) for seed in seeds]
    delays = sorted(d for m in months for d in m["delays"])
    bursts = sum(m["bursts"] for m in months)
    detected = sum(m["detected"] for m in months)
    false = sum(m["false_alerts"] for m in months)
    events_total = sum(m["events"] for m in months)
    cpu = sum(m["cpu_s"] for m in months)
    summary = {
        "detection_rate": detected / bursts,
        "median_delay_minutes": delays[len(delays) // 2] if delays else None,
        "p90_delay_minutes": delays[int(len(delays) * 0.9)] if delays else None,
        "false_alerts_per_query_month": false / (args.queries * args.months),
        "campaign_false_alerts": sum(m["campaign_alerts"] for m in months),
        "events_per_s_cpu": events_total / cpu,
        "events_per_month": events_total / args.months,
    }
    rows = [
        ("bursts detected", f"{detected}/{bursts} ({summary['detection_rate']:.0%})", "100%"),
        ("median delay from onset (min)", f"{summary['median_delay_minutes']:.1f}", "<= 5"),
        ("p90 delay from onset (min)", f"{summary['p90_delay_minutes']:.1f}", ""),
        ("false alerts / query / month", f"{summary['false_alerts_per_query_month']:.2f}", "<= 1"),
        ("  of which during campaigns", str(summary["campaign_false_alerts"]), ""),
        ("events / month", f"{summary['events_per_month']:,.0f}", ""),
        ("events / s (CPU)", f"{summary['events_per_s_cpu']:,.0f}", ""),
    ]
    for name, value, target in rows:
        print(f"{name:32} {value:>16} {target:>8}")  # noqa: T201
    RESULTS.mkdir(exist_ok=True)
    name = "spikes.json" if args.first_seed == 0 else f"spikes-seed{args.first_seed}.json"
    (RESULTS / name).write_text(
        json.dumps(
            {
                "summary": summary,
                "targets": TARGETS,
                "months": months,
                "queries": args.queries,
                "python": platform.python_version(),
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
