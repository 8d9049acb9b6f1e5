"""Scan throughput and latency on one core, side by side with Presidio and lokal-id.

Generates a seeded corpus of realistic ~200-character posts (bench/corpus.py) and measures:
Juru's personal-data detectors alone, the rules-only scan (``Scanner(classifiers=False)``) and the
full scan with classifiers; then the same corpus through Presidio (regex recognizers only,
``NoOpNlpEngine``) and lokal-id, which run in their own virtualenv (bench/.venv-baselines, created
here from bench/requirements-baselines.txt) in a subprocess, so neither is a dependency of Juru.

Every figure is first sight: each measured post is distinct and scanned once, and the warm-up
(lazy tables, regex compilation) runs on other posts from another seed, so no per-text cache can
flatter the result. Throughput is posts per second of CPU time (one thread, so one core), which
stays meaningful on a busy machine; wall-clock figures are recorded too. Latency percentiles are
per-post CPU time. The classifier share is the full scan's mean per-post time minus the rules-only
one. ``start_up`` is a fresh process's cost to build each scanner and its first post's latency.
Writes ``bench/results/scan.json``.

    .venv/bin/python bench/scan.py [--posts 3000] [--no-baselines]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402

RESULTS = HERE / "results" / "scan.json"
BASELINE_VENV = HERE / ".venv-baselines"
BASELINE_REQUIREMENTS = HERE / "requirements-baselines.txt"
TARGETS = {"rules_only": 20_000, "full": 3_000}


def first_sight_corpus(n: int, seed: int) -> list[str]:
    """``n`` distinct posts (the generator may repeat a short post; repeats are replaced)."""
    posts = list(dict.fromkeys(generate(n, seed)))
    extra_seed = seed
    while len(posts) < n:
        extra_seed += 7919
        posts = list(dict.fromkeys(posts + generate(n - len(posts), extra_seed)))[:n]
    return posts


def warmup_corpus(posts: list[str], seed: int, n: int = 200) -> list[str]:
    """``n`` posts from another seed, none of them in ``posts``."""
    seen = set(posts)
    return [p for p in generate(n * 2, seed + 1) if p not in seen][:n]


def measure(run: Callable[[str], Any], posts: list[str], warmup: list[str]) -> dict[str, Any]:
    """Posts/s (CPU and wall) and per-post CPU latency percentiles of ``run`` over ``posts``, each seen once."""
    for post in warmup:
        run(post)
    cpu: list[float] = []
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    for post in posts:
        t0 = time.thread_time()
        run(post)
        cpu.append(time.thread_time() - t0)
    total_cpu, total_wall = time.process_time() - start_cpu, time.perf_counter() - start_wall
    return {
        "posts": len(posts),
        "posts_per_s_cpu": len(posts) / total_cpu if total_cpu else None,
        "posts_per_s_wall": len(posts) / total_wall,
        "p50_ms": statistics.median(cpu) * 1000,
        "p99_ms": statistics.quantiles(cpu, n=100)[98] * 1000,
    }


def juru_runs() -> dict[str, Callable[[str], Any]]:
    """The Juru configurations to measure; the scanner ones only when ``juru.scan.scanner`` exists."""
    from juru.scan.detectors.pii.engine import PiiEngine

    engine = PiiEngine()
    runs: dict[str, Callable[[str], Any]] = {"pii_detectors": engine._scan}
    try:
        from juru.scan.findings import ScanContext
        from juru.scan.scanner import Scanner
    except ImportError:
        return runs
    context = ScanContext()
    rules_only = Scanner(classifiers=False)
    full = Scanner()
    runs["rules_only"] = lambda text: rules_only.scan(text, context)
    runs["full"] = lambda text: full.scan(text, context)
    return runs


_START_UP = """
import json, sys, time
t0 = time.process_time()
from juru.scan.findings import ScanContext
from juru.scan.scanner import Scanner
t1 = time.process_time()
scanner = Scanner(classifiers=sys.argv[1] == "full")
t2 = time.process_time()
scanner.scan(sys.argv[2], ScanContext())
t3 = time.process_time()
print(json.dumps({"import_s": t1 - t0, "build_s": t2 - t1, "first_post_ms": (t3 - t2) * 1000}))
"""


def start_up(kind: str, post: str) -> dict[str, Any]:
    """CPU seconds a fresh process spends importing and building a scanner, and its first post's latency."""
    done = subprocess.run([sys.executable, "-c", _START_UP, kind, post], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return dict(json.loads(done.stdout))


def ensure_baseline_venv() -> Path | None:
    """The baselines' Python, creating bench/.venv-baselines on first use; ``None`` if that fails."""
    python = BASELINE_VENV / "bin" / "python"
    stamp = BASELINE_VENV / ".requirements"
    wanted = BASELINE_REQUIREMENTS.read_text(encoding="utf-8")
    if python.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return python
    print("setting up bench/.venv-baselines (Presidio, lokal-id) ...", file=sys.stderr)
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(BASELINE_VENV)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "-r",
                str(BASELINE_REQUIREMENTS),
            ],
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"baselines unavailable: {exc}", file=sys.stderr)
        return None
    stamp.write_text(wanted, encoding="utf-8")
    return python


def run_baselines(mode: str, texts: list[str], warmup: list[str] | None = None) -> dict[str, Any]:
    """Run bench/baselines.py in the baselines' venv (warmed up on ``warmup``); ``{}`` when they cannot run."""
    python = ensure_baseline_venv()
    if python is None:
        return {}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump({"texts": texts, "warmup": warmup} if warmup is not None else texts, fh)
        path = fh.name
    try:
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        done = subprocess.run(
            [str(python), str(HERE / "baselines.py"), mode, path], capture_output=True, text=True, env=env, check=False
        )
    finally:
        os.unlink(path)
    if done.returncode != 0:
        print(f"baselines failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        return {}
    return json.loads(done.stdout)


def print_table(rows: dict[str, dict[str, Any]], reference: str) -> None:
    """One line per configuration, with the speed ratio to ``reference``."""
    base = rows.get(reference, {}).get("posts_per_s_cpu")
    print(f"{'configuration':<22}{'posts/s (cpu)':>14}{'posts/s (wall)':>15}{'p50 ms':>9}{'p99 ms':>9}  vs {reference}")
    for name, row in rows.items():
        if "error" in row:
            print(f"{name:<22}  error: {row['error']}")
            continue
        ratio = f"{row['posts_per_s_cpu'] / base:.2f}x" if base and row.get("posts_per_s_cpu") else "-"
        print(
            f"{name:<22}{row['posts_per_s_cpu']:>14,.0f}{row['posts_per_s_wall']:>15,.0f}"
            f"{row['p50_ms']:>9.3f}{row['p99_ms']:>9.3f}  {ratio}"
        )


def _classifier_share(rows: dict[str, dict[str, Any]]) -> float | None:
    """Mean µs per post the classifiers add to the full scan (full minus rules-only)."""
    full, rules = rows.get("juru full", {}), rows.get("juru rules_only", {})
    if not full.get("posts_per_s_cpu") or not rules.get("posts_per_s_cpu"):
        return None
    return float(1e6 / full["posts_per_s_cpu"] - 1e6 / rules["posts_per_s_cpu"])


def main(argv: list[str] | None = None) -> int:
    """Measure, print the table, write bench/results/scan.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--no-baselines", action="store_true")
    args = parser.parse_args(argv)
    posts = first_sight_corpus(args.posts, args.seed)
    warmup = warmup_corpus(posts, args.seed)
    rows: dict[str, dict[str, Any]] = {}
    for name, run in juru_runs().items():
        rows[f"juru {name}"] = measure(run, posts, warmup)
    if not args.no_baselines:
        for name, row in run_baselines("speed", posts, warmup).items():
            rows[name] = row
    reference = "juru rules_only" if "juru rules_only" in rows else "juru pii_detectors"
    print(
        f"scan benchmark: {len(posts)} distinct posts, each scanned once (first sight), "
        f"mean {sum(map(len, posts)) / len(posts):.0f} chars, seed {args.seed}, load {os.getloadavg()[0]:.2f}"
    )
    print_table(rows, reference)
    classifier_us = _classifier_share(rows)
    if classifier_us is not None:
        print(f"  classifiers: {classifier_us:.0f} µs per post of the full scan")
    starts = {kind: start_up(kind, warmup[0]) for kind in ("rules_only", "full")}
    for kind, row in starts.items():
        if "error" not in row:
            print(
                f"  start-up {kind}: import {row['import_s']:.2f} s, build {row['build_s']:.2f} s, "
                f"first post {row['first_post_ms']:.1f} ms (CPU)"
            )
    targets = {
        key: {"target_posts_per_s": target, "met": rows[f"juru {key}"]["posts_per_s_cpu"] >= target}
        for key, target in TARGETS.items()
        if f"juru {key}" in rows
    }
    if "juru rules_only" in rows:
        targets["latency_p99_ms"] = {"target": 5.0, "met": rows["juru rules_only"]["p99_ms"] < 5.0}
    # Speed ratios against the full rules-only scan and against Juru's personal-data detectors alone
    # (the like-for-like comparison with Presidio and lokal-id, which only look for personal data).
    ratios = {
        f"{ref} / {name}": rows[ref]["posts_per_s_cpu"] / rows[name]["posts_per_s_cpu"]
        for ref in dict.fromkeys((reference, "juru pii_detectors"))
        for name in rows
        if name != ref and rows[name].get("posts_per_s_cpu") and rows.get(ref, {}).get("posts_per_s_cpu")
    }
    for key, value in ratios.items():
        if "juru" not in key.split(" / ")[1]:
            print(f"  {key}: {value:.1f}x")
    result = {
        "posts": len(posts),
        "seed": args.seed,
        "mean_chars": sum(map(len, posts)) / len(posts),
        "machine": {"python": platform.python_version(), "cpu_count": os.cpu_count(), "load": os.getloadavg()},
        "first_sight": True,
        "results": rows,
        "classifier_us_per_post": classifier_us,
        "start_up": starts,
        "ratios": ratios,
        "targets": targets,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
