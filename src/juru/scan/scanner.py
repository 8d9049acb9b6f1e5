"""The Scanner: prepare a text once, run every detector, let the enabled rules decide.

Build one per policy revision (``scanner_for`` caches them per process); ``scan`` is then
pure and thread-safe: detectors are built once and shared.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from juru.rules.config import OrgConfig
from juru.rules.engine import RuleSet, policy_revision, resolve_packs
from juru.rules.model import ACTION_RANK, SEVERITY_RANK, Hit, strongest_action
from juru.scan.findings import ACCOUNT_TYPES, CHANNELS, Finding, ScanContext
from juru.scan.lexicon import SHARED_PASS_KEY, SharedPass
from juru.scan.licensing import noncommercial_enabled, noncommercial_override
from juru.scan.limits import MAX_REPORTED_FINDINGS, MAX_REPORTED_HITS, MAX_TEXT_CHARS, TextTooLongError
from juru.scan.registry import Detector, DetectorRegistry, default_registry
from juru.scan.text import PreparedText

LANGS = ("id", "en", "mixed")
_DEFAULT_CONTEXT = ScanContext()
_WARM_UP_TEXT = "Terima kasih sudah menunggu, thank you for waiting!"


def _finding_order(finding: Finding) -> tuple[int, int, str]:
    return finding.start, finding.end, finding.detector


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What the check decided about one text.

    ``hits`` and ``findings`` are bounded (``juru.scan.limits``); ``hits_omitted`` and
    ``findings_omitted`` count what was left out. The verdict is decided on all of them.
    """

    verdict: str
    revision: str
    lang: str
    hits: list[Hit]
    findings: list[Finding]
    text: str = ""
    hits_omitted: int = 0
    findings_omitted: int = 0

    def to_json(self, messages: str = "id", *, explain: bool = False) -> dict[str, Any]:
        """The DESIGN.md §5.1 output object without ``id``; ``explain`` adds quoted spans and explanations."""
        hits = [hit.to_json(messages) for hit in self.hits]
        findings = [finding.to_json() for finding in self.findings]
        if explain:
            for hit_json, hit in zip(hits, self.hits):
                hit_json["text"] = self.text[hit.start : hit.end]
            for finding_json, finding in zip(findings, self.findings):
                finding_json["explanation"] = _jsonable(finding.explanation)
        output: dict[str, Any] = {
            "verdict": self.verdict,
            "revision": self.revision,
            "lang": self.lang,
            "hits": hits,
            "findings": findings,
        }
        if self.hits_omitted:
            output["hits_omitted"] = self.hits_omitted
        if self.findings_omitted:
            output["findings_omitted"] = self.findings_omitted
        return output


# One unit of work per text: a detector on its own (names None) or a shared group and its detectors' ids.
Step = tuple[Any, frozenset[str] | None]


def _plan(detectors: Iterable[Detector]) -> tuple[Step, ...]:
    """Detectors in registry order, those sharing a ``group`` (``DetectorGroup``) merged into one step.

    A group's step keeps its detectors' ids as a set: the scan reads only the ids a group found something
    for, and the final sort puts the findings in the same order whichever way they were gathered.
    """
    steps: list[tuple[Any, list[str] | None]] = []
    by_group: dict[int, list[str]] = {}
    for detector in detectors:
        group = getattr(detector, "group", None)
        if group is None or not callable(getattr(group, "detect_group", None)):
            steps.append((detector, None))
            continue
        names = by_group.get(id(group))
        if names is None:
            names = by_group[id(group)] = []
            steps.append((group, names))
        names.append(detector.name)
    return tuple((step, None if names is None else frozenset(names)) for step, names in steps)


class RecordError(ValueError):
    """An input record cannot be scanned; the message goes into the error line."""


class Scanner:
    """Detectors plus the rules of one organisation config (one policy revision)."""

    def __init__(
        self,
        config: OrgConfig | None = None,
        *,
        classifiers: bool = True,
        noncommercial: bool | None = None,
        registry: DetectorRegistry | None = None,
    ) -> None:
        self.config = config if config is not None else OrgConfig()
        packs = resolve_packs(self.config)
        self.ruleset = RuleSet(packs, self.config.disabled_rules)
        self.revision = policy_revision(packs, self.config)
        self.classifiers = classifiers
        self.noncommercial = noncommercial_enabled() if noncommercial is None else noncommercial
        self.detectors: tuple[Detector, ...] = self._build_detectors(registry or default_registry())
        self._steps = _plan(self.detectors)
        # The word lists of every detector, searched in one pass per text.
        self._shared_pass = SharedPass(owner for step, _ in self._steps for owner in getattr(step, "word_lists", ()))
        # Slang mapping uses non-commercial data: it follows this scanner's switch, not the environment.
        self._prepare: Callable[[str, str | None], PreparedText] = partial(_preparer(), slang=self.noncommercial)
        self._warm_up()

    def _warm_up(self) -> None:
        """Pay now what the first text would otherwise pay (language model, rule index, detectors' lazy data)."""
        from juru.scan.lang import load_model

        load_model()
        self.ruleset.rules_for(_DEFAULT_CONTEXT)
        # Detectors that load on first use (classifier models and their libraries, plugins' data) do it now.
        self.scan(_WARM_UP_TEXT)

    def _build_detectors(self, registry: DetectorRegistry) -> tuple[Detector, ...]:
        detectors = []
        # Detectors read the switch when built; this scanner's own value wins over the environment.
        with noncommercial_override(self.noncommercial):
            for spec in registry.specs():
                if spec.classifier and not self.classifiers:
                    continue
                if spec.noncommercial and not self.noncommercial:
                    continue
                detectors.append(spec.factory(self.config))
        return tuple(detectors)

    def prepare_text(self, text: str, lang: str | None) -> PreparedText:
        """``text`` prepared for this scanner's detectors (``lang``: given, or detected when None)."""
        prepared = self._prepare(text, lang)
        prepared.cache[SHARED_PASS_KEY] = self._shared_pass
        return prepared

    def scan(self, text: str, context: ScanContext | None = None) -> ScanResult:
        """Check ``text`` in ``context`` (default: a post on a brand account).

        Raises ``TextTooLongError`` when ``text`` has more than ``MAX_TEXT_CHARS`` characters.
        """
        if len(text) > MAX_TEXT_CHARS:
            raise TextTooLongError(len(text))
        ctx = _DEFAULT_CONTEXT if context is None else context
        prepared = self.prepare_text(text, ctx.lang)
        findings: list[Finding] = []
        for step, names in self._steps:
            if names is None:
                findings.extend(step.detect(prepared, ctx))
                continue
            by_name = step.detect_group(prepared, ctx)
            if by_name:
                for name, found in by_name.items():
                    if found and name in names:
                        findings.extend(found)
        if len(findings) > 1:
            findings.sort(key=_finding_order)
        hits = self.ruleset.evaluate(findings, ctx)
        verdict = strongest_action(hits)
        reported_hits = _strongest_hits(hits, MAX_REPORTED_HITS)
        reported_findings = _findings_to_report(findings, reported_hits, MAX_REPORTED_FINDINGS)
        return ScanResult(
            verdict=verdict,
            revision=self.revision,
            lang=ctx.lang or prepared.lang,
            hits=reported_hits,
            findings=reported_findings,
            text=text,
            hits_omitted=len(hits) - len(reported_hits),
            findings_omitted=len(findings) - len(reported_findings),
        )

    def scan_record(self, record: Any, *, messages: str = "id", explain: bool = False) -> dict[str, Any]:
        """One §5.1 output object for one parsed input record; bad records give an error object."""
        record_id = _record_id(record)
        try:
            text, context = parse_record(record)
            result = self.scan(text, context)
        except RecordError as exc:
            return {"id": record_id, "error": str(exc)}
        return {"id": record_id, **result.to_json(messages, explain=explain)}

    def scan_records(
        self, records: Iterable[Mapping[str, Any]], *, messages: str = "id", explain: bool = False
    ) -> Iterator[dict[str, Any]]:
        """The batch form used by the CLI: one output object per record, in order."""
        for record in records:
            yield self.scan_record(record, messages=messages, explain=explain)


def _hit_weight(hit: Hit) -> tuple[int, int, int]:
    return -ACTION_RANK[hit.action], -SEVERITY_RANK[hit.severity], hit.start


def _strongest_hits(hits: list[Hit], limit: int) -> list[Hit]:
    """At most ``limit`` hits in text order, the strongest actions first in line (so the verdict's hit is kept)."""
    if len(hits) <= limit:
        return hits
    kept = sorted(hits, key=_hit_weight)[:limit]
    kept.sort(key=lambda h: (h.start, h.end, h.rule))
    return kept


def _findings_to_report(findings: list[Finding], hits: list[Hit], limit: int) -> list[Finding]:
    """At most ``limit`` findings in text order; those behind a reported hit come first."""
    if len(findings) <= limit:
        return findings
    behind_hits = {(h.start, h.end, h.entity) for h in hits}
    first = [f for f in findings if (f.start, f.end, f.entity) in behind_hits][:limit]
    chosen = {id(f) for f in first}
    rest = [f for f in findings if id(f) not in chosen][: limit - len(first)]
    return sorted(first + rest, key=_finding_order)


def parse_record(record: Any) -> tuple[str, ScanContext]:
    """Validate a §5.1 input record; raises ``RecordError`` with a message a user can act on."""
    if not isinstance(record, Mapping):
        raise RecordError("record must be a JSON object")
    if "text" not in record:
        raise RecordError("missing required field 'text'")
    text = record["text"]
    if not isinstance(text, str):
        raise RecordError(f"'text' must be a string, not {_json_type(text)}")
    if len(text) > MAX_TEXT_CHARS:
        raise RecordError(f"'text' is too long: {len(text)} characters (the limit is {MAX_TEXT_CHARS})")
    if _has_lone_surrogate(text):
        raise RecordError("'text' contains an unpaired surrogate (invalid Unicode)")
    account = record.get("account")
    if account is not None and account not in ACCOUNT_TYPES:
        raise RecordError(f"'account' must be one of {', '.join(ACCOUNT_TYPES)}, not {account!r}")
    channel = record.get("channel")
    if channel is not None and channel not in CHANNELS:
        raise RecordError(f"'channel' must be one of {', '.join(CHANNELS)}, not {channel!r}")
    for key in ("network", "role"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise RecordError(f"'{key}' must be a string, not {_json_type(value)}")
    crisis = record.get("crisis")
    if crisis is not None and not isinstance(crisis, bool):
        raise RecordError(f"'crisis' must be true or false, not {_json_type(crisis)}")
    lang = record.get("lang")
    if lang is not None and lang not in LANGS:
        raise RecordError(f"'lang' must be one of {', '.join(LANGS)}, not {lang!r}")
    try:
        return text, ScanContext.from_record(record)
    except ValueError as exc:
        raise RecordError(str(exc)) from exc


def _record_id(record: Any) -> str | int | None:
    if not isinstance(record, Mapping):
        return None
    value = record.get("id")
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str | int):
        return value
    return str(value) if isinstance(value, float) else None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _preparer() -> Callable[..., PreparedText]:
    from juru.scan.normalise import prepare

    return prepare


_CACHE: dict[tuple[str, bool, bool], Scanner] = {}
_CACHE_LOCK = threading.Lock()


def scanner_for(config: OrgConfig | None = None, *, classifiers: bool = True) -> Scanner:
    """The process-wide scanner for ``config``'s policy revision (built on first use)."""
    cfg = config if config is not None else OrgConfig()
    # The non-commercial switch changes what the scanner finds, so it is part of the key.
    key = (policy_revision(resolve_packs(cfg), cfg), classifiers, noncommercial_enabled())
    scanner = _CACHE.get(key)
    if scanner is None:
        with _CACHE_LOCK:
            scanner = _CACHE.get(key)
            if scanner is None:
                scanner = Scanner(cfg, classifiers=classifiers)
                _CACHE[key] = scanner
    return scanner


__all__ = ["MAX_TEXT_CHARS", "RecordError", "ScanResult", "Scanner", "TextTooLongError", "parse_record", "scanner_for"]
