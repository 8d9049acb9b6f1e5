"""The bridge from drafts to the pure scanner: context, result shape and text limits."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from juru.scan.findings import ScanContext


@dataclass(frozen=True)
class ScanOutcome:
    """A scan result in the JSON shape stored on ``ScanDecision`` (messages in both languages)."""

    verdict: str
    revision: str
    lang: str
    hits: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)


def digest(text: str) -> str:
    """SHA-256 of the text as sent (UTF-8)."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    """Make explanations JSON-safe (tuples, sets, numpy scalars...)."""
    return json.loads(json.dumps(value, default=str))


def _hit_json(hit: Any) -> dict[str, Any]:
    return {
        "rule": hit.rule,
        "pack": hit.pack,
        "severity": hit.severity,
        "action": hit.action,
        "start": hit.start,
        "end": hit.end,
        "entity": hit.entity,
        "message": dict(hit.message),
        "fix": dict(hit.fix) if hit.fix else {},
        "citation": dict(hit.citation),
        "verify": hit.verify,
    }


def _finding_json(finding: Any) -> dict[str, Any]:
    data = finding.to_json()
    data["explanation"] = _plain(dict(finding.explanation or {}))
    return data


def scan_text(config: Any, text: str, context: ScanContext) -> ScanOutcome:
    """Scan ``text`` with the scanner for ``config`` (one cached scanner per policy revision)."""
    from juru.scan.scanner import scanner_for

    result = scanner_for(config).scan(text, context)
    return ScanOutcome(
        verdict=result.verdict,
        revision=result.revision,
        lang=result.lang or "",
        hits=[_hit_json(h) for h in result.hits],
        findings=[_finding_json(f) for f in result.findings],
    )


def hit_key(hit: dict[str, Any]) -> str:
    """A stable name for one hit, used to record that the author acknowledged a warning."""
    return f"{hit['rule']}@{hit['start']}-{hit['end']}"


def warning_keys(hits: list[dict[str, Any]]) -> list[str]:
    """Keys of the hits whose action is ``warn``: each must be acknowledged before submission."""
    return [hit_key(h) for h in hits if h.get("action") == "warn"]


def message_lang() -> str:
    """The language of hit messages for the current request (Indonesian unless English is active)."""
    return "en" if (get_language() or "id").startswith("en") else "id"
