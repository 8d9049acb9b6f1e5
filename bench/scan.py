"""Scan throughput and latency on one core, side by side with Presidio and lokal-id.

Generates a seeded corpus of realistic ~200-character posts (bench/corpus.py) and measures:
Juru's personal-data detectors alone, the rules-only scan (``Scanner(classifiers=False)``) and the
full scan with classifiers; then the same corpus through Presidio (regex recognizers only,
``NoOpNlpEngine``) and lokal-id, which run in their own virtualenv (bench/.venv-baselines, created
here from bench/requirements-baselines.txt) in a subprocess, so neither is a dependency of Juru.

Throughput is posts per second of CPU time (one thread, so one core), which stays meaningful on a
busy machine; wall-clock figures are recorded too. Latency percentiles are per-post CPU time.
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


def measure(run: Callable[[str], Any], posts: list[str], warmup: int = 100) -> dict[str, Any]:
    """Posts/s (CPU and wall) and per-post CPU latency percentiles of ``run`` over ``posts``."""
    for post in posts[:warmup]:
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


def run_baselines(mode: str, texts: list[str]) -> dict[str, Any]:
    """Run bench/baselines.py in the baselines' venv; ``{}`` when they cannot run."""
    python = ensure_baseline_venv()
    if python is None:
        return {}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(texts, fh)
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


def main(argv: list[str] | None = None) -> int:
    """Measure, print the table, write bench/results/scan.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--no-baselines", action="store_true")
    args = parser.parse_args(argv)
    posts = generate(args.posts, args.seed)
    rows: dict[str, dict[str, Any]] = {}
    for name, run in juru_runs().items():
        rows[f"juru {name}"] = measure(run, posts)
    if not args.no_baselines:
        for name, row in run_baselines("speed", posts).items():
            rows[name] = row
    reference = "juru rules_only" if "juru rules_only" in rows else "juru pii_detectors"
    print(f"scan benchmark: {len(posts)} posts, mean {sum(map(len, posts)) / len(posts):.0f} chars, seed {args.seed}")
    print_table(rows, reference)
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
        "results": rows,
        "ratios": ratios,
        "targets": targets,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
