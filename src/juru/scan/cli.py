"""``juru scan``: check texts from a file or stdin (DESIGN.md §5.1).

Streams line by line in constant memory: one output object per input line, in order. A bad
line becomes ``{"id": ..., "error": "..."}`` and the run goes on; the exit code is non-zero
only when the input cannot be read or the organisation config is invalid.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from importlib import resources
from typing import IO, Any

from juru.scan.scan_output import JsonlWriter, SarifWriter, TextWriter, Writer

MAX_LINE_BYTES = 1_000_000
READ_ERROR = 1
CONFIG_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="juru scan", description="Check texts against the organisation's policy.")
    parser.add_argument("file", nargs="?", default="-", help="input file, or - for stdin (default)")
    parser.add_argument(
        "--input",
        choices=("jsonl", "text"),
        default="jsonl",
        help="jsonl: one JSON object per line (default); text: the whole input is one text with id 1",
    )
    parser.add_argument(
        "--format",
        choices=("jsonl", "text", "sarif"),
        default=None,
        help="output format (default: text on a terminal, jsonl otherwise)",
    )
    parser.add_argument(
        "--config", metavar="ORG.yaml", help="organisation config (enabled packs, org terms, allow-lists)"
    )
    parser.add_argument("--messages", choices=("id", "en"), default="id", help="language of message and fix")
    parser.add_argument("--explain", action="store_true", help="quote each span and explain rule, citation and fix")
    parser.add_argument("--schema", action="store_true", help="print the JSON Schemas of input and output objects")
    parser.add_argument("--no-classifiers", action="store_true", help="rules, lexicons and personal data only (faster)")
    return parser


def schemas() -> dict[str, Any]:
    """The JSON Schemas of the §5.1 input and output objects, as shipped in the package."""
    folder = resources.files("juru.scan").joinpath("schemas")
    return {
        "input": json.loads(folder.joinpath("scan-input.schema.json").read_text("utf-8")),
        "output": json.loads(folder.joinpath("scan-output.schema.json").read_text("utf-8")),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``juru scan``."""
    args = _parser().parse_args(list(argv) if argv is not None else None)
    out = sys.stdout
    if args.schema:
        out.write(json.dumps(schemas(), indent=2, ensure_ascii=False) + "\n")
        return 0
    scanner = _build_scanner(args.config, classifiers=not args.no_classifiers)
    if scanner is None:
        return CONFIG_ERROR
    try:
        stream, size = _open_input(args.file)
    except OSError as exc:
        print(f"juru scan: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return READ_ERROR
    fmt = args.format or ("text" if _isatty(out) else "jsonl")
    writer = _writer(fmt, out, scanner, args)
    try:
        records = _text_records(stream) if args.input == "text" else _jsonl_records(stream)
        _run(scanner, records, writer, args, stream, size)
    except OSError as exc:
        print(f"juru scan: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return READ_ERROR
    finally:
        if stream is not _stdin_bytes():
            stream.close()
    return 0


def _build_scanner(config_path: str | None, *, classifiers: bool) -> Any:
    from juru.rules.engine import UnknownPackError
    from juru.rules.loader import PackError
    from juru.rules.orgfile import ConfigError, load_org_config
    from juru.scan.scanner import Scanner

    try:
        config = load_org_config(config_path) if config_path else None
        return Scanner(config, classifiers=classifiers)
    except (ConfigError, UnknownPackError, PackError) as exc:
        print(f"juru scan: {exc}", file=sys.stderr)
        return None


def _stdin_bytes() -> IO[bytes]:
    stream: Any = sys.stdin
    return stream.buffer if hasattr(stream, "buffer") else stream


def _open_input(path: str) -> tuple[IO[bytes], int | None]:
    if path == "-":
        return _stdin_bytes(), None
    stream = open(path, "rb")  # noqa: SIM115 - closed by main()
    try:
        size = os.fstat(stream.fileno()).st_size
    except OSError:
        size = None
    return stream, size


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _writer(fmt: str, out: IO[str], scanner: Any, args: argparse.Namespace) -> Writer:
    if fmt == "text":
        caveats = {rule.id: rule.verify for rule in scanner.ruleset.rules if rule.verify}
        return TextWriter(out, messages=args.messages, explain=args.explain, caveats=caveats)
    if fmt == "sarif":
        uri = "stdin" if args.file == "-" else args.file
        return SarifWriter(out, scanner=scanner, uri=uri, messages=args.messages, whole_text=args.input == "text")
    return JsonlWriter(out, explain=args.explain)


Record = tuple[int, Any, str | None]  # (line number, parsed record or None, error message)


def _jsonl_records(stream: IO[bytes]) -> Iterator[Record]:
    line_no = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        line_no += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield line_no, None, f"line {line_no} is longer than {MAX_LINE_BYTES} bytes"
            continue
        yield _parse_line(raw, line_no)


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    while True:
        chunk = stream.readline(MAX_LINE_BYTES)
        if not chunk or chunk.endswith(b"\n"):
            return


def _parse_line(raw: bytes, line_no: int) -> Record:
    if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return line_no, None, f"line {line_no} is not valid UTF-8 (byte {exc.start})"
    if not line.strip():
        return line_no, None, f"line {line_no} is empty"
    try:
        return line_no, json.loads(line), None
    except (json.JSONDecodeError, RecursionError) as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        return line_no, None, f"line {line_no} is not valid JSON: {detail}"


def _text_records(stream: IO[bytes]) -> Iterator[Record]:
    from juru.scan.limits import MAX_TEXT_CHARS

    limit = MAX_TEXT_CHARS * 4
    data = stream.read(limit + 1)
    if len(data) > limit:
        yield 1, None, f"input is longer than {limit} bytes"
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield 1, None, f"input is not valid UTF-8 (byte {exc.start})"
        return
    yield 1, {"id": "1", "text": text}, None


def _run(
    scanner: Any,
    records: Iterator[Record],
    writer: Writer,
    args: argparse.Namespace,
    stream: IO[bytes],
    size: int | None,
) -> None:
    progress = _Progress(stream, size) if _isatty(sys.stderr) else None
    writer.start()
    for line_no, record, error in records:
        if error is not None:
            writer.error(line_no, None, error)
        else:
            if isinstance(record, dict) and "id" not in record:
                record = {**record, "id": str(line_no)}
            try:
                output = scanner.scan_record(record, messages=args.messages, explain=args.explain)
            except Exception as exc:  # noqa: BLE001 - one broken record must not end a long run
                record_id = record.get("id") if isinstance(record, dict) else None
                output = {"id": record_id, "error": f"internal error while scanning: {type(exc).__name__}: {exc}"}
            if "error" in output:
                writer.error(line_no, output["id"], output["error"])
            else:
                writer.result(line_no, output, record)
        if progress is not None:
            progress.tick()
    writer.finish()
    if progress is not None:
        progress.done()


class _Progress:
    """Records done, rate and time left on stderr, at most twice a second (terminals only)."""

    def __init__(self, stream: IO[bytes], size: int | None) -> None:
        self.stream = stream
        self.size = size
        self.count = 0
        self.started = time.monotonic()
        self.shown = self.started

    def tick(self) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self.shown < 0.5:
            return
        self.shown = now
        elapsed = max(now - self.started, 1e-9)
        sys.stderr.write(f"\r{self.count:,} records, {self.count / elapsed:,.0f}/s{self._left(elapsed)}   ")
        sys.stderr.flush()

    def _left(self, elapsed: float) -> str:
        if not self.size:
            return ""
        try:
            position = self.stream.tell()
        except (OSError, ValueError):
            return ""
        if position <= 0:
            return ""
        seconds = (self.size - position) * elapsed / position
        return f", about {int(seconds // 60)}:{int(seconds % 60):02d} left"

    def done(self) -> None:
        if self.shown != self.started:
            sys.stderr.write("\n")
