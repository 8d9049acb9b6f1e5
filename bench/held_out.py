"""Every shipped classifier's recipe against the plain TF-IDF baseline on a fixed held-out fifth of its data.

Protocol (issue 11): per model, a stratified 20 % of its development set (seed ``HELD_OUT_SEED``, the row
indices written to ``bench/results/held_out_rows.json``, never texts) is kept out; the recipe in the catalogue
(members, calibration, thresholds: everything chosen by cross-validation) is trained on the other 80 %, and so
is the baseline (word 1-2 + char_wb 2-5 TF-IDF, linear SVM, with and without class balancing; the better of
the two on the held-out part is reported, which favours the baseline). Both are scored on the held-out rows
through the stored int16 format, with a paired bootstrap interval of the gap, and ECE / Brier of our
probabilities. Prints a table and writes ``bench/results/held_out.json``.

    python bench/held_out.py [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from juru.scan.classify import datasets
from juru.scan.classify.catalogue import SPECS
from juru.scan.classify.evaluation import HELD_OUT_SEED, held_out_evaluation

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results" / "held_out.json"
ROWS = ROOT / "results" / "held_out_rows.json"


def print_table(results: dict[str, Any]) -> None:
    """One line per headline figure: ours, the baseline, the bootstrap interval of the gap, calibration."""
    print(f"\n{'model':<14}{'figure':<10}{'ours':>7}{'TF-IDF':>8}{'gap 95% interval':>22}{'ECE':>7}{'Brier':>7}")
    for name, r in results.items():
        for figure, value in r["ours"].items():
            gap = r["gap_bootstrap"][figure]
            print(
                f"{name:<14}{figure:<10}{value:>7.3f}{r['baseline'][figure]:>8.3f}"
                f"{value - r['baseline'][figure]:>+8.3f} [{gap['low']:+.3f}, {gap['high']:+.3f}]"
                f"{r['calibration']['ece']:>7.3f}{r['calibration']['brier']:>7.3f}"
            )


def main(argv: list[str] | None = None) -> int:
    """Run the protocol for every model (or ``--only``), print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="model names (default: all)")
    args = parser.parse_args(argv)
    root = datasets.default_root()
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
    rows = json.loads(ROWS.read_text(encoding="utf-8"))["held_out_rows"] if ROWS.is_file() else {}
    results: dict[str, Any] = dict(previous.get("models", {}))
    done: list[str] = []
    for name, spec in SPECS.items():
        if args.only and name not in args.only:
            continue
        results[name], rows[name] = held_out_evaluation(spec, root)
        done.append(name)
        print(f"  {name}: ours {results[name]['ours']} baseline {results[name]['baseline']}", flush=True)
    print_table(results)
    # Re-read just before writing: runs for other models may have finished meanwhile.
    if RESULTS.is_file():
        results = {**json.loads(RESULTS.read_text(encoding="utf-8"))["models"], **{n: results[n] for n in done}}
    if ROWS.is_file():
        rows = {**json.loads(ROWS.read_text(encoding="utf-8"))["held_out_rows"], **{n: rows[n] for n in done}}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"seed": HELD_OUT_SEED, "models": results}, indent=2) + "\n", encoding="utf-8")
    ROWS.write_text(json.dumps({"seed": HELD_OUT_SEED, "held_out_rows": rows}) + "\n", encoding="utf-8")
    print(f"\nwritten: {RESULTS.relative_to(ROOT.parent)}, {ROWS.relative_to(ROOT.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
