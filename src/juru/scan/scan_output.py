"""Output formats of ``juru scan``: JSON Lines, readable text, and SARIF 2.1.0 for code scanning."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import IO, Any, Protocol

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"block": "error", "require_approval": "warning", "warn": "warning", "allow": "note"}
VERDICT_LABELS = {"allow": "ALLOW", "warn": "WARN", "require_approval": "REQUIRE APPROVAL", "block": "BLOCK"}


class Writer(Protocol):
    """Receives results in input order."""

    def start(self) -> None:
        """Called before the first record."""

    def result(self, line_no: int, output: Mapping[str, Any], record: Mapping[str, Any]) -> None:
        """One scanned record (``output`` is the §5.1 object)."""

    def error(self, line_no: int, record_id: Any, message: str) -> None:
        """One record that could not be scanned."""

    def finish(self) -> None:
        """Called after the last record."""


def dumps_line(obj: Any) -> str:
    """Compact UTF-8 JSON; falls back to \\u escapes when a value holds invalid Unicode."""
    line = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(obj, separators=(",", ":"))
    return line


class JsonlWriter:
    """One JSON object per line (the default when piped)."""

    def __init__(self, out: IO[str], *, explain: bool = False) -> None:
        self.out = out
        self.explain = explain

    def start(self) -> None:
        """Nothing to write before the first line."""

    def result(self, line_no: int, output: Mapping[str, Any], record: Mapping[str, Any]) -> None:
        """Write the §5.1 object."""
        self.out.write(dumps_line(output) + "\n")

    def error(self, line_no: int, record_id: Any, message: str) -> None:
        """Write an error line for the record."""
        self.out.write(dumps_line({"id": record_id, "error": message}) + "\n")

    def finish(self) -> None:
        """Flush what is buffered."""
        self.out.flush()


class TextWriter:
    """A readable report (the default on a terminal); ``explain`` adds message, citation and fix."""

    def __init__(
        self, out: IO[str], *, messages: str = "id", explain: bool = False, caveats: Mapping[str, str] | None = None
    ) -> None:
        self.out = out
        self.caveats = caveats or {}
        self.explain = explain
        self.messages = messages
        self.counts: dict[str, int] = {}

    def start(self) -> None:
        """Nothing to write before the first record."""

    def result(self, line_no: int, output: Mapping[str, Any], record: Mapping[str, Any]) -> None:
        """Write the verdict line and one line (or block) per hit."""
        verdict = output["verdict"]
        self.counts[verdict] = self.counts.get(verdict, 0) + 1
        hits = output["hits"]
        noun = "hit" if len(hits) == 1 else "hits"
        lines = [f"[{output['id']}] {VERDICT_LABELS[verdict]}  ({len(hits)} {noun}, lang {output['lang']})"]
        text = record.get("text", "")
        for hit in hits:
            quoted = _quote(text[hit["start"] : hit["end"]])
            lines.append(
                f"  {hit['rule']}  {hit['severity']} → {hit['action']}  {quoted}  ({hit['start']}–{hit['end']})"
            )
            if self.explain:
                lines.append(f"      {hit['message']}")
                lines.append(f"      {_label('citation', self.messages)}: {hit['citation']}")
                lines.append(f"      {_label('fix', self.messages)}: {hit['fix']}")
                if hit["rule"] in self.caveats:
                    lines.append(f"      {_label('verify', self.messages)}: {self.caveats[hit['rule']]}")
        self.out.write("\n".join(lines) + "\n")

    def error(self, line_no: int, record_id: Any, message: str) -> None:
        """Write the error for the record."""
        self.counts["error"] = self.counts.get("error", 0) + 1
        shown = record_id if record_id is not None else f"line {line_no}"
        self.out.write(f"[{shown}] ERROR  {message}\n")

    def finish(self) -> None:
        """A one-line summary when more than one record was checked."""
        total = sum(self.counts.values())
        if total > 1:
            parts = ", ".join(f"{n} {name}" for name, n in sorted(self.counts.items()))
            self.out.write(f"-- {total} records: {parts}\n")
        self.out.flush()


def _quote(span: str, limit: int = 80) -> str:
    shown = span if len(span) <= limit else span[: limit - 1] + "…"
    return '"' + shown.replace("\n", "⏎") + '"'


def _label(name: str, lang: str) -> str:
    labels = {
        "citation": {"id": "dasar", "en": "citation"},
        "fix": {"id": "perbaikan", "en": "fix"},
        "verify": {"id": "perlu diverifikasi", "en": "to verify"},
    }
    return labels[name]["en" if lang == "en" else "id"]


class SarifWriter:
    """SARIF 2.1.0, streamed: the run's rules first, then one result per hit."""

    def __init__(self, out: IO[str], *, scanner: Any, uri: str, messages: str = "id", whole_text: bool = False) -> None:
        self.out = out
        self.scanner = scanner
        self.uri = uri
        self.messages = "en" if messages == "en" else "id"
        self.whole_text = whole_text
        self.first = True
        self.notifications: list[dict[str, Any]] = []

    def start(self) -> None:
        """Write the log header, the tool and its rules, and open the results array."""
        rules = [self._rule(rule) for rule in self.scanner.ruleset.rules]
        tool = {"driver": {"name": "juru", "semanticVersion": _version(), "rules": rules}}
        header = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
        }
        run_head = {
            "tool": tool,
            "columnKind": "unicodeCodePoints",
            "properties": {"policyRevision": self.scanner.revision},
        }
        head = dumps_line(header)[:-1] + ',"runs":[' + dumps_line(run_head)[:-1] + ',"results":['
        self.out.write(head + "\n")

    def _rule(self, rule: Any) -> dict[str, Any]:
        lang = self.messages
        entry: dict[str, Any] = {
            "id": rule.id,
            "name": rule.id.replace(".", "/"),
            "shortDescription": {"text": rule.title.get(lang)},
            "fullDescription": {"text": rule.message.get(lang)},
            "help": {"text": f"{rule.fix.get(lang)} ({rule.citation.get(lang)})"},
            "defaultConfiguration": {"level": SARIF_LEVELS[rule.action]},
            "properties": {
                "severity": rule.severity,
                "action": rule.action,
                "citation": rule.citation.get(lang),
                "pack": rule.pack,
            },
        }
        if rule.verify:
            entry["properties"]["verify"] = rule.verify
        return entry

    def result(self, line_no: int, output: Mapping[str, Any], record: Mapping[str, Any]) -> None:
        """One SARIF result per hit."""
        text = record.get("text", "")
        for hit in output["hits"]:
            self._write(self._result(line_no, output, hit, text))

    def _result(self, line_no: int, output: Mapping[str, Any], hit: Mapping[str, Any], text: str) -> dict[str, Any]:
        span = text[hit["start"] : hit["end"]]
        region: dict[str, Any] = {"snippet": {"text": span}}
        if self.whole_text:
            region.update(_text_region(text, hit["start"], hit["end"]))
        else:
            region["startLine"] = line_no
        fingerprint = hashlib.sha256(f"{hit['rule']}\0{output['id']}\0{span}".encode("utf-8", "surrogatepass"))
        return {
            "ruleId": hit["rule"],
            "level": SARIF_LEVELS[hit["action"]],
            "message": {"text": f'{hit["message"]} "{span}" — {hit["fix"]} ({hit["citation"]})'},
            "locations": [
                {
                    "physicalLocation": {"artifactLocation": {"uri": self.uri}, "region": region},
                    "logicalLocations": [{"name": str(output["id"]), "kind": "object"}],
                }
            ],
            "partialFingerprints": {"juruHit/v1": fingerprint.hexdigest()},
            "properties": {
                "recordId": output["id"],
                "start": hit["start"],
                "end": hit["end"],
                "entity": hit["entity"],
                "severity": hit["severity"],
                "action": hit["action"],
                "verdict": output["verdict"],
            },
        }

    def _write(self, result: dict[str, Any]) -> None:
        prefix = "" if self.first else ","
        self.first = False
        self.out.write(prefix + dumps_line(result) + "\n")

    def error(self, line_no: int, record_id: Any, message: str) -> None:
        """Bad records become tool execution notifications."""
        self.notifications.append(
            {
                "level": "error",
                "message": {"text": message},
                "locations": [
                    {"physicalLocation": {"artifactLocation": {"uri": self.uri}, "region": {"startLine": line_no}}}
                ],
                "properties": {"recordId": record_id},
            }
        )

    def finish(self) -> None:
        """Close the results array, add the invocation and close the log."""
        invocation = {"executionSuccessful": True, "toolExecutionNotifications": self.notifications}
        self.out.write('],"invocations":[' + dumps_line(invocation) + "]}]}\n")
        self.out.flush()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("juru")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without metadata
        return "0"


def _text_region(text: str, start: int, end: int) -> dict[str, int]:
    start_line = text.count("\n", 0, start) + 1
    start_col = start - (text.rfind("\n", 0, start) + 1) + 1
    end_line = text.count("\n", 0, end) + 1
    end_col = end - (text.rfind("\n", 0, end) + 1) + 1
    return {
        "startLine": start_line,
        "startColumn": start_col,
        "endLine": end_line,
        "endColumn": end_col,
        "charOffset": start,
        "charLength": end - start,
    }
