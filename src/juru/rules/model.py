"""Rules, packs and hits as frozen data (built from validated YAML by ``juru.rules.loader``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

SEVERITIES: tuple[str, ...] = ("info", "low", "medium", "high", "critical")
ACTIONS: tuple[str, ...] = ("allow", "warn", "require_approval", "block")
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES)}
ACTION_RANK: dict[str, int] = {name: rank for rank, name in enumerate(ACTIONS)}
LEGAL_PACK_PREFIXES: tuple[str, ...] = ("id-ite", "id-pdp", "id-ojk", "id-bpom", "us-")


@dataclass(frozen=True, slots=True)
class Bilingual:
    """A user-facing text in Bahasa Indonesia and English."""

    id: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``en`` or anything else for Indonesian)."""
        return self.en if lang == "en" else self.id

    def to_json(self) -> dict[str, str]:
        """Both languages as a mapping."""
        return {"id": self.id, "en": self.en}


@dataclass(frozen=True, slots=True)
class Near:
    """Proximity: another finding of ``entities`` at most ``within`` characters away."""

    entities: frozenset[str]
    within: int


@dataclass(frozen=True, slots=True)
class Match:
    """What a rule fires on."""

    entities: frozenset[str]
    detectors: frozenset[str] = frozenset()
    min_score: float = 0.0
    min_severity: str | None = None
    absent: frozenset[str] = frozenset()
    near: Near | None = None


@dataclass(frozen=True, slots=True)
class When:
    """Context conditions; ``None`` means "any"."""

    account: frozenset[str] | None = None
    channel: frozenset[str] | None = None
    network: frozenset[str] | None = None
    role: frozenset[str] | None = None
    crisis: bool | None = None

    def applies(self, account: str, channel: str, network: str | None, role: str | None, crisis: bool) -> bool:
        """True if a text in this context is subject to the rule."""
        return (
            (self.account is None or account in self.account)
            and (self.channel is None or channel in self.channel)
            and (self.network is None or (network is not None and network.lower() in self.network))
            and (self.role is None or (role is not None and role.lower() in self.role))
            and (self.crisis is None or crisis == self.crisis)
        )


@dataclass(frozen=True, slots=True)
class Example:
    """A text a rule must fire on (``match``) or stay silent on (``ok``), with its context."""

    text: str
    context: Mapping[str, Any] = field(default_factory=dict)
    config: Mapping[str, Any] = field(default_factory=dict)
    span: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of a pack."""

    id: str
    pack: str
    title: Bilingual
    severity: str
    action: str
    match: Match
    message: Bilingual
    fix: Bilingual
    citation: Bilingual
    when: When = When()
    supersedes: frozenset[str] = frozenset()
    verify: str | None = None
    references: tuple[str, ...] = ()
    match_examples: tuple[Example, ...] = ()
    ok_examples: tuple[Example, ...] = ()


@dataclass(frozen=True, slots=True)
class Pack:
    """A rule pack loaded from one YAML file; ``source`` is the file's bytes (for the revision)."""

    id: str
    title: Bilingual
    version: int
    rules: tuple[Rule, ...]
    source: bytes
    description: Bilingual | None = None
    jurisdiction: str | None = None
    legal: bool = False
    example_config: Mapping[str, Any] = field(default_factory=dict)


class Hit(NamedTuple):
    """A rule that fired on a span of the original text (a tuple: cheap to build per scan)."""

    rule: str
    pack: str
    severity: str
    action: str
    start: int
    end: int
    entity: str
    message: Mapping[str, str]
    fix: Mapping[str, str]
    citation: Mapping[str, str]
    verify: str | None = None

    def to_json(self, messages: str = "id") -> dict[str, Any]:
        """The hit as in ``juru scan`` output (DESIGN.md §5.1), messages in one language."""
        lang = "en" if messages == "en" else "id"
        return {
            "rule": self.rule,
            "severity": self.severity,
            "action": self.action,
            "start": self.start,
            "end": self.end,
            "entity": self.entity,
            "message": self.message[lang],
            "fix": self.fix[lang],
            "citation": self.citation[lang],
        }


def strongest_action(hits: list[Hit] | tuple[Hit, ...]) -> str:
    """The verdict: block > require_approval > warn > allow (allow when nothing fired)."""
    best = 0
    for hit in hits:
        rank = ACTION_RANK[hit.action]
        if rank > best:
            best = rank
    return ACTIONS[best]
