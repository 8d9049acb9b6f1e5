"""``juru spikes [FILE|-]``: time-ordered mention events in, alerts out, as they would be raised (DESIGN.md 5.5).

Input lines: {"id", "time" (ISO 8601 with offset), "query", "sentiment", optional "text"}. A
malformed line yields {"id": ..., "error": "..."} and the run goes on.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from juru.spikes.detector import SENTIMENTS, Detector, Event, Settings, parse_time


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="juru spikes", description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default="-", help="JSON Lines input (default: standard input)")
    parser.add_argument(
        "--sentiments",
        default="negative",
        help="comma-separated sentiments that raise alerts (default: negative)",
    )
    return parser


def to_event(record: Any) -> Event:
    """The event of one parsed line; ValueError with a readable reason for bad input."""
    if not isinstance(record, dict):
        raise ValueError("each line must be a JSON object")
    for name in ("time", "query", "sentiment"):
        if not isinstance(record.get(name), str) or not record[name]:
            raise ValueError(f"{name} is required and must be a string")
    if record["sentiment"] not in SENTIMENTS:
        raise ValueError(f"sentiment must be one of {', '.join(SENTIMENTS)}")
    try:
        moment = parse_time(record["time"])
    except ValueError as exc:
        raise ValueError(f"time must be ISO 8601 with a UTC offset ({exc})") from None
    text = record.get("text")
    return Event(
        str(record.get("id", "")), moment, record["query"], record["sentiment"], text if isinstance(text, str) else ""
    )


def run(lines: Iterable[str], detector: Detector) -> Iterator[dict[str, object]]:
    """Alerts (and error objects for bad lines) in stream order."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        record: Any = None
        try:
            record = json.loads(line)
            alert = detector.observe(to_event(record))
        except json.JSONDecodeError as exc:
            yield {"id": None, "error": f"line {number}: not valid JSON ({exc.msg})"}
            continue
        except ValueError as exc:
            yield {"id": record.get("id") if isinstance(record, dict) else None, "error": f"line {number}: {exc}"}
            continue
        if alert is not None:
            yield alert.as_json()


def _open(path: str) -> IO[str]:
    if path == "-":
        return sys.stdin
    return open(path, encoding="utf-8")  # noqa: SIM115 (closed by main)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``juru spikes``."""
    args = _parser().parse_args(argv)
    sentiments = tuple(s.strip() for s in args.sentiments.split(",") if s.strip())
    unknown = set(sentiments) - set(SENTIMENTS)
    if unknown or not sentiments:
        _parser().error(f"--sentiments takes {', '.join(SENTIMENTS)}")
    try:
        source = _open(args.file)
    except OSError as exc:
        print(f"juru spikes: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    detector = Detector(Settings(alert_sentiments=sentiments))
    with source:
        out = sys.stdout
        for obj in run(source, detector):
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        out.flush()
    return 0
