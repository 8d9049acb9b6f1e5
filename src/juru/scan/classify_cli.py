"""``juru classify``: JSON Lines in, one JSON object per line out (DESIGN.md section 5.2).

Streams with constant memory; a malformed line yields ``{"id": ..., "error": "..."}`` and the
run goes on. The language of each record comes from its ``lang`` field, then ``--lang``, then
detection; "mixed" posts use the Indonesian model.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from juru.scan.classify import LANGS, TASKS, UnavailableError, classify, model_lang, unavailable_reason


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="juru classify", description=__doc__.splitlines()[0])
    parser.add_argument("--task", required=True, choices=TASKS)
    parser.add_argument("file", nargs="?", default="-", help="JSON Lines input (default: standard input)")
    parser.add_argument("--lang", choices=LANGS, help="use this language's model for records without a lang field")
    return parser


def detect_lang(text: str) -> str:
    """Indonesian or English model for ``text``, using the scanner's language detector."""
    from juru.scan.lang import detect_language

    return model_lang(detect_language(text))


def _record_id(record: Any) -> Any:
    return record.get("id") if isinstance(record, dict) else None


def classify_record(task: str, record: Any, default_lang: str | None) -> dict[str, Any]:
    """The output object for one parsed input record (an error object for bad input)."""
    record_id = _record_id(record)
    if not isinstance(record, dict):
        return {"id": record_id, "error": "each line must be a JSON object"}
    text = record.get("text")
    if not isinstance(text, str):
        return {"id": record_id, "error": "text is required and must be a string"}
    lang = record.get("lang") or default_lang
    if lang is not None and lang not in ("id", "en", "mixed"):
        return {"id": record_id, "error": "lang must be id, en or mixed"}
    lang = model_lang(lang) if lang else detect_lang(text)
    try:
        prediction = classify(task, text, lang)
    except UnavailableError as exc:
        return {"id": record_id, "error": str(exc)}
    if isinstance(prediction.label, bool):
        return {"id": record_id, "label": prediction.label, "score": round(prediction.score, 4)}
    return {
        "id": record_id,
        "label": prediction.label,
        "scores": {name: round(p, 4) for name, p in prediction.scores.items()},
    }


def classify_lines(task: str, lines: Iterable[str], default_lang: str | None = None) -> Iterator[dict[str, Any]]:
    """One output object per non-blank input line, in order."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield {"id": None, "error": f"line {number}: not valid JSON ({exc.msg})"}
            continue
        yield classify_record(task, record, default_lang)


def _open(path: str) -> IO[str]:
    if path == "-":
        return sys.stdin
    return open(path, encoding="utf-8")  # noqa: SIM115 (closed by main)


def main(argv: list[str] | None = None) -> int:
    """Run ``juru classify``; exit 2 when the input cannot be read or the model may not run."""
    args = _parser().parse_args(argv)
    if args.lang:
        reason = unavailable_reason(args.task, args.lang)
        if reason:
            print(f"juru classify: {reason}", file=sys.stderr)
            return 2
    for lang in LANGS:
        reason = unavailable_reason(args.task, lang)
        if reason and args.lang is None:
            print(f"juru classify: note: {reason}; such records get an error line", file=sys.stderr)
    try:
        handle = _open(args.file)
    except OSError as exc:
        print(f"juru classify: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    out = sys.stdout
    try:
        for result in classify_lines(args.task, handle, args.lang):
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    except UnicodeDecodeError:
        print(f"juru classify: {args.file} is not UTF-8 text", file=sys.stderr)
        return 2
    finally:
        if handle is not sys.stdin:
            handle.close()
    out.flush()
    return 0
