"""Where a rules-only scan spends its time: per-stage CPU cost on the seeded benchmark corpus.

Stages are timed the way ``Scanner.scan`` runs them, on one thread: ``prepare`` (normalisation and
language detection), each step in registry order (a detector on its own, or a group of detectors that
share one pass, such as the ten ``pii.*`` detectors, called once), and rule evaluation. Then the
end-to-end rules-only scan: posts per second of CPU time and per-post p50/p99 latency. CPU time
(``thread_time_ns``) keeps the figures meaningful on a shared machine; wall time is printed too.
Posts are seen for the first time: the warm-up, the per-stage timing and the end-to-end timing each
use their own distinct posts (other seeds), so no per-text cache flatters a figure. ``--repeat N``
runs every measurement N times over the same posts and keeps the fastest run (the least disturbed
by other load; from the second run on, caches have seen the posts).
``--cprofile`` prints the top functions by own time. Writes ``bench/results/profile_scan.json``.

    .venv/bin/python bench/profile_scan.py [--posts 3000] [--repeat 1] [--cprofile 25]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import BRANDS, generate  # noqa: E402

from juru.rules.config import OrgConfig  # noqa: E402
from juru.scan.findings import Finding, ScanContext  # noqa: E402
from juru.scan.scanner import Scanner  # noqa: E402

RESULTS = HERE / "results" / "profile_scan.json"


def org_config() -> OrgConfig:
    """A realistic organisation: a brand, two competitors, codenames and an allow-listed term."""
    return OrgConfig(
        name="Bench",
        brand_names=(BRANDS[0],),
        competitor_names=(BRANDS[1], BRANDS[2]),
        confidential_terms=("Project Garuda", "Rajawali"),
        allowed_terms=("gratis ongkir",),
    )


def distinct_sets(n: int, seed: int, count: int) -> list[list[str]]:
    """``count`` lists of ``n`` posts, no post in two lists or twice in one (seeds from ``seed`` on)."""
    seen: set[str] = set()
    sets: list[list[str]] = []
    for _ in range(count):
        batch: list[str] = []
        while len(batch) < n:
            for post in generate(n, seed):
                if post not in seen and len(batch) < n:
                    seen.add(post)
                    batch.append(post)
            seed += 7919
        sets.append(batch)
    return sets


def _best(runs: list[list[int]]) -> list[int]:
    return min(runs, key=sum)


def per_stage(scanner: Scanner, posts: list[str], context: ScanContext, repeat: int) -> dict[str, float]:
    """Mean CPU microseconds per post for each stage of ``scanner.scan``."""
    clock = time.thread_time_ns
    steps = [(step, members, _label(step, members)) for step, members in scanner._steps]
    names = ["prepare"] + [label for _, _, label in steps] + ["rules"]
    best: dict[str, float] = {}
    for _ in range(repeat):
        totals = dict.fromkeys(names, 0)
        for text in posts:
            t0 = clock()
            prepared = scanner.prepare_text(text, context.lang)
            t1 = clock()
            totals["prepare"] += t1 - t0
            findings: list[Finding] = []
            for step, members, label in steps:
                t0 = clock()
                if members is None:
                    findings.extend(step.detect(prepared, context))
                else:
                    by_name = step.detect_group(prepared, context)
                    for name, found in by_name.items():
                        if name in members:
                            findings.extend(found)
                t1 = clock()
                totals[label] += t1 - t0
            findings.sort(key=lambda f: (f.start, f.end, f.detector))
            t0 = clock()
            scanner.ruleset.evaluate(findings, context)
            totals["rules"] += clock() - t0
        for name in names:
            value = totals[name] / len(posts) / 1000
            best[name] = min(best.get(name, value), value)
    return best


def _label(step: Any, members: frozenset[str] | None) -> str:
    """A stage name: the detector id, or the group's common prefix and size (``pii.* (10 detectors)``)."""
    if members is None:
        return str(step.name)
    return f"{min(members).split('.')[0]}.* ({len(members)} detectors)"


def end_to_end(run: Callable[[str], Any], posts: list[str], repeat: int) -> dict[str, float]:
    """Posts per CPU second (and wall second) with per-post CPU p50/p99, best of ``repeat`` runs."""
    runs: list[list[int]] = []
    walls: list[float] = []
    clock = time.thread_time_ns
    for _ in range(repeat):
        latencies: list[int] = []
        wall0 = time.perf_counter()
        for text in posts:
            t0 = clock()
            run(text)
            latencies.append(clock() - t0)
        walls.append(time.perf_counter() - wall0)
        runs.append(latencies)
    latencies = _best(runs)
    total_s = sum(latencies) / 1e9
    return {
        "posts_per_s_cpu": len(posts) / total_s,
        "posts_per_s_wall": len(posts) / min(walls),
        "p50_ms": statistics.median(latencies) / 1e6,
        "p99_ms": statistics.quantiles(latencies, n=100)[98] / 1e6,
    }


def profile(run: Callable[[str], Any], posts: list[str], top: int) -> None:
    """cProfile of ``run`` over the corpus, top functions by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for text in posts:
        run(text)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main() -> None:
    """Print the per-stage table and the end-to-end figures; write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--cprofile", type=int, default=0, metavar="TOP", help="print a cProfile of the scan")
    args = parser.parse_args()

    # Per config: posts for the stages, posts for the end-to-end scan; then the warm-up posts. All distinct.
    *measured, warmup = distinct_sets(args.posts, args.seed, 5)
    posts = measured[0]
    context = ScanContext()
    results: dict[str, Any] = {
        "posts": len(posts),
        "seed": args.seed,
        "mean_chars": statistics.fmean(len(p) for p in posts),
        "python": platform.python_version(),
        "configs": {},
    }
    for index, (label, config) in enumerate((("default", OrgConfig()), ("org", org_config()))):
        posts, scan_posts = measured[2 * index], measured[2 * index + 1]
        scanner = Scanner(config, classifiers=False)
        for text in warmup[:200]:  # lazy tables and regex compilation, on posts not measured
            scanner.scan(text, context)
        stages = per_stage(scanner, posts, context, args.repeat)
        total = end_to_end(lambda t, s=scanner: s.scan(t, context), scan_posts, args.repeat)
        results["configs"][label] = {"stages_us": stages, "scan": total}
        print(f"\n== rules-only Scanner, {label} config, {len(posts)} posts, best of {args.repeat} ==")
        print(f"{'stage':32s} {'µs/post':>9s}")
        for name, value in sorted(stages.items(), key=lambda kv: -kv[1]):
            print(f"{name:32s} {value:9.2f}")
        print(f"{'sum of stages':32s} {sum(stages.values()):9.2f}")
        print(
            f"scan: {total['posts_per_s_cpu']:,.0f} posts/s CPU ({total['posts_per_s_wall']:,.0f} wall), "
            f"p50 {total['p50_ms'] * 1000:.1f} µs, p99 {total['p99_ms'] * 1000:.1f} µs"
        )
        if args.cprofile:
            profile(lambda t, s=scanner: s.scan(t, context), posts, args.cprofile)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
