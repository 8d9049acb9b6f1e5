"""Personal-data detection quality on ``datasets/pii-dev``: per-entity precision, recall and F1.

Scoring follows the dataset README: a prediction is correct when it overlaps a gold span of a
compatible type (the same type, or both in NIK/KK/NPWP); ``strict`` also needs equal boundaries.
Writes ``bench/results/pii_eval.json``; ``evaluate()`` is imported by ``bench/quality.py``.

    .venv/bin/python bench/pii_eval.py [--dataset PATH] [--errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from juru.scan.classify.datasets import default_root
from juru.scan.detectors.pii import scan_pii

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = default_root() / "pii-dev" / "pii_dev.jsonl"
RESULTS = ROOT / "bench" / "results" / "pii_eval.json"
TYPES = ("NIK", "KK", "NPWP", "PHONE", "EMAIL", "CARD", "BANK_ACCOUNT", "PASSPORT", "ADDRESS", "DATE_OF_BIRTH")
IDENTIFIERS = TYPES[:8]
_NUMBER_IDS = {"NIK", "KK", "NPWP"}


def _compatible(a: str, b: str) -> bool:
    return a == b or (a in _NUMBER_IDS and b in _NUMBER_IDS)


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def load(path: Path) -> list[dict[str, Any]]:
    """The dataset records."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict[str, float]:
    p = tp_pred / n_pred if n_pred else 1.0
    r = tp_gold / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "predicted": n_pred, "gold": n_gold}


def juru_predictions(texts: list[str]) -> list[list[dict[str, Any]]]:
    """Juru's personal-data findings for each text."""
    return [[{"start": f.start, "end": f.end, "type": f.entity} for f in scan_pii(text)] for text in texts]


def evaluate(
    path: Path | None = None,
    *,
    errors: list[str] | None = None,
    predictions: list[list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """Score the detectors (or given ``predictions``) on pii-dev: overall, identifiers-only and per type."""
    records = load(path or DEFAULT_DATASET)
    if predictions is None:
        predictions = juru_predictions([rec["text"] for rec in records])
    counts: dict[str, Counter[str]] = {mode: Counter() for mode in ("overlap", "strict")}
    for rec, pred in zip(records, predictions, strict=True):
        text = rec["text"]
        gold = rec["spans"]
        for mode in counts:
            c = counts[mode]

            def match(a: dict[str, Any], b: dict[str, Any], mode: str = mode) -> bool:
                if not _compatible(a["type"], b["type"]):
                    return False
                if mode == "strict":
                    return a["start"] == b["start"] and a["end"] == b["end"]
                return _overlap(a, b)

            for p in pred:
                ok = any(match(p, g) for g in gold)
                c[f"pred:{p['type']}"] += 1
                c[f"tp_pred:{p['type']}"] += ok
                if errors is not None and mode == "overlap" and not ok:
                    errors.append(f"FP {rec['id']} {p['type']} {text[p['start'] : p['end']]!r}")
            for g in gold:
                ok = any(match(p, g) for p in pred)
                c[f"gold:{g['type']}"] += 1
                c[f"tp_gold:{g['type']}"] += ok
                if errors is not None and mode == "overlap" and not ok:
                    errors.append(f"FN {rec['id']} {g['type']} {text[g['start'] : g['end']]!r}")
    out: dict[str, Any] = {"dataset": str(path or DEFAULT_DATASET), "posts": len(records)}
    for mode, c in counts.items():

        def total(kind: str, types: tuple[str, ...], c: Counter[str] = c) -> int:
            return sum(c[f"{kind}:{t}"] for t in types)

        out[mode] = {
            "all": _prf(total("tp_pred", TYPES), total("pred", TYPES), total("tp_gold", TYPES), total("gold", TYPES)),
            "identifiers": _prf(
                total("tp_pred", IDENTIFIERS),
                total("pred", IDENTIFIERS),
                total("tp_gold", IDENTIFIERS),
                total("gold", IDENTIFIERS),
            ),
            "per_type": {t: _prf(c[f"tp_pred:{t}"], c[f"pred:{t}"], c[f"tp_gold:{t}"], c[f"gold:{t}"]) for t in TYPES},
        }
    return out


def print_table(result: dict[str, Any]) -> None:
    """Human-readable table of the overlap and strict scores."""
    print(f"pii-dev: {result['posts']} posts ({result['dataset']})")
    print(f"{'type':<16}{'P':>7}{'R':>7}{'F1':>7}{'pred':>6}{'gold':>6}   strict F1")
    rows = [*TYPES, "identifiers", "all"]
    for row in rows:
        o = result["overlap"]["per_type"].get(row) or result["overlap"][row]
        s = result["strict"]["per_type"].get(row) or result["strict"][row]
        print(
            f"{row:<16}{o['precision']:>7.3f}{o['recall']:>7.3f}{o['f1']:>7.3f}"
            f"{o['predicted']:>6}{o['gold']:>6}   {s['f1']:.3f}"
        )


def _score_baselines(path: Path) -> dict[str, Any]:
    """F1 of Presidio and lokal-id on the same posts (run in bench/.venv-baselines by bench/scan.py's helper)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from scan import run_baselines

    texts = [rec["text"] for rec in load(path)]
    scores: dict[str, Any] = {}
    for name, preds in run_baselines("spans", texts).items():
        if isinstance(preds, dict):
            scores[name] = preds
            continue
        scores[name] = evaluate(path, predictions=preds)
        o = scores[name]["overlap"]
        print(f"{name:<16} identifiers F1 {o['identifiers']['f1']:.3f}   all F1 {o['all']['f1']:.3f}")
    return scores


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--errors", action="store_true", help="list false positives and misses")
    parser.add_argument("--baselines", action="store_true", help="also score Presidio and lokal-id (own venv)")
    args = parser.parse_args(argv)
    if not args.dataset.exists():
        print(f"dataset not found: {args.dataset}", file=sys.stderr)
        return 2
    errors: list[str] | None = [] if args.errors else None
    result = evaluate(args.dataset, errors=errors)
    print_table(result)
    for line in errors or []:
        print(line)
    if args.baselines:
        result["baselines"] = _score_baselines(args.dataset)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
