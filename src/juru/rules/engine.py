"""Evaluation: findings plus the scan context become hits; the verdict is the strongest action.

Built once per policy revision and shared across scans, so the per-scan work is a dictionary
lookup per finding; the rules that apply to a context are indexed once per distinct context.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence

from juru.rules.config import OrgConfig
from juru.rules.loader import available_packs
from juru.rules.model import SEVERITY_RANK, Hit, Pack, Rule
from juru.scan.findings import Finding, ScanContext

# Entities only a classifier emits; a rule on them needs classifiers switched on.
CLASSIFIER_ENTITIES: frozenset[str] = frozenset({"NEGATIVE_SENTIMENT", "ABUSIVE", "HATE", "ANGER"})

_ContextKey = tuple[str, str, str | None, str | None, bool]


class UnknownPackError(ValueError):
    """The organisation config enables a pack that is not installed."""


def resolve_packs(config: OrgConfig, packs: Mapping[str, Pack] | None = None) -> list[Pack]:
    """The packs ``config`` enables, in its order; unknown ids raise ``UnknownPackError``."""
    installed = available_packs() if packs is None else packs
    missing = [name for name in config.enabled_packs if name not in installed]
    if missing:
        known = ", ".join(sorted(installed))
        raise UnknownPackError(f"unknown rule pack(s): {', '.join(missing)} (installed: {known})")
    return [installed[name] for name in dict.fromkeys(config.enabled_packs)]


def policy_revision(packs: Sequence[Pack], config: OrgConfig) -> str:
    """``sha256:`` + SHA-256 of the enabled packs' file contents and the config's canonical JSON."""
    digest = hashlib.sha256()
    for pack in sorted(packs, key=lambda p: p.id):
        digest.update(pack.id.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(pack.source).digest())
    digest.update(config.canonical_json().encode("utf-8"))
    return "sha256:" + digest.hexdigest()


def rule_needs_classifiers(rule: Rule) -> bool:
    """True if the rule can only fire on (or depends on) a classifier's findings."""
    match = rule.match
    near = match.near.entities if match.near else frozenset()
    return bool((match.entities | match.absent | near) & CLASSIFIER_ENTITIES)


class RuleSet:
    """The enabled rules of one policy revision, ready to evaluate."""

    def __init__(self, packs: Sequence[Pack], disabled_rules: Iterable[str] = ()) -> None:
        disabled = frozenset(disabled_rules)
        self.packs = tuple(packs)
        self.rules: tuple[Rule, ...] = tuple(r for p in self.packs for r in p.rules if r.id not in disabled)
        self.entities: frozenset[str] = frozenset(e for r in self.rules for e in _referenced(r))
        self._texts = {r.id: (r.message.to_json(), r.fix.to_json(), r.citation.to_json()) for r in self.rules}
        self.supersedes: dict[str, frozenset[str]] = {r.id: r.supersedes for r in self.rules if r.supersedes}
        self._by_context: dict[_ContextKey, dict[str, tuple[Rule, ...]]] = {}

    def rules_for(self, context: ScanContext) -> Mapping[str, tuple[Rule, ...]]:
        """The rules that apply in ``context``, by the entity they match (indexed on first use)."""
        return self._index(context)

    def _index(self, context: ScanContext) -> dict[str, tuple[Rule, ...]]:
        key: _ContextKey = (context.account, context.channel, context.network, context.role, context.crisis)
        index = self._by_context.get(key)
        if index is None:
            grouped: dict[str, list[Rule]] = {}
            for rule in self.rules:
                if rule.when.applies(*key):
                    for entity in rule.match.entities:
                        grouped.setdefault(entity, []).append(rule)
            index = {entity: tuple(rules) for entity, rules in grouped.items()}
            if len(self._by_context) > 4096:  # contexts are few in practice; bound memory anyway
                self._by_context.clear()
            self._by_context[key] = index
        return index

    def evaluate(self, findings: Sequence[Finding], context: ScanContext) -> list[Hit]:
        """The hits of ``findings`` in ``context``, sorted by position then rule id."""
        if not findings:
            return []
        index = self._index(context)
        present: set[str] | None = None
        neighbours = _Neighbours(findings)
        hits: list[Hit] = []
        seen: set[tuple[str, int, int]] = set()
        for finding in findings:
            rules = index.get(finding.entity)
            if not rules:
                continue
            for rule in rules:
                match = rule.match
                if finding.score < match.min_score:
                    continue
                if match.detectors and finding.detector not in match.detectors:
                    continue
                if match.min_severity is not None and not _severe_enough(finding, match.min_severity):
                    continue
                if match.absent:
                    if present is None:
                        present = {f.entity for f in findings}
                    if match.absent & present:
                        continue
                if match.near is not None and not neighbours.within(finding, match.near.entities, match.near.within):
                    continue
                key = (rule.id, finding.start, finding.end)
                if key in seen:
                    continue
                seen.add(key)
                message, fix, citation = self._texts[rule.id]
                hits.append(
                    Hit(
                        rule=rule.id,
                        pack=rule.pack,
                        severity=rule.severity,
                        action=rule.action,
                        start=finding.start,
                        end=finding.end,
                        entity=finding.entity,
                        message=message,
                        fix=fix,
                        citation=citation,
                        verify=rule.verify,
                    )
                )
        if len(hits) > 1:
            hits = _drop_superseded(hits, self)
            hits.sort(key=lambda h: (h.start, h.end, h.rule))
        return hits

    def rule(self, rule_id: str) -> Rule | None:
        """The enabled rule called ``rule_id``."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        return None


def _referenced(rule: Rule) -> frozenset[str]:
    near = rule.match.near.entities if rule.match.near else frozenset()
    return rule.match.entities | rule.match.absent | near


def _severe_enough(finding: Finding, minimum: str) -> bool:
    severity = finding.explanation.get("severity") if finding.explanation else None
    return isinstance(severity, str) and SEVERITY_RANK.get(severity, -1) >= SEVERITY_RANK[minimum]


class _Neighbours:
    """Answers "is another finding of these entities this close?" in constant time per question.

    One sweep per distinct entity set, over the findings in text order: the furthest end seen
    before each finding and the earliest start after it are all a proximity test needs, so a
    scan with many findings stays linear instead of comparing every pair.
    """

    def __init__(self, findings: Sequence[Finding]) -> None:
        self._findings = findings
        self._order: list[int] | None = None
        self._position: dict[int, int] = {}
        self._sweeps: dict[frozenset[str], tuple[list[int], list[int]]] = {}

    def within(self, finding: Finding, entities: frozenset[str], distance: int) -> bool:
        """True if a finding other than ``finding`` with an entity in ``entities`` is at most ``distance`` away."""
        if self._order is None:
            self._order = sorted(range(len(self._findings)), key=lambda i: self._findings[i].start)
            self._position = {id(self._findings[i]): rank for rank, i in enumerate(self._order)}
        sweep = self._sweeps.get(entities)
        if sweep is None:
            sweep = self._sweeps[entities] = self._sweep(entities)
        end_before, start_after = sweep
        rank = self._position[id(finding)]
        return finding.start - end_before[rank] <= distance or start_after[rank] - finding.end <= distance

    def _sweep(self, entities: frozenset[str]) -> tuple[list[int], list[int]]:
        """Per rank in text order: the furthest end of a matching finding before it, the earliest start after it."""
        ordered = [self._findings[i] for i in self._order or ()]
        far = 1 << 62  # further than any offset
        end_before = [-far] * len(ordered)
        furthest = -far
        for rank, other in enumerate(ordered):
            end_before[rank] = furthest
            if other.entity in entities and other.end > furthest:
                furthest = other.end
        start_after = [far] * len(ordered)
        earliest = far
        for rank in range(len(ordered) - 1, -1, -1):
            start_after[rank] = earliest
            other = ordered[rank]
            if other.entity in entities and other.start < earliest:
                earliest = other.start
        return end_before, start_after


def _drop_superseded(hits: list[Hit], ruleset: RuleSet) -> list[Hit]:
    """``hits`` without those overlapped by a hit of a rule that supersedes theirs (sorted winners, one sweep)."""
    replacing = ruleset.supersedes
    if not replacing:
        return hits
    beaten_rules: dict[str, list[Hit]] = {}
    for winner in hits:
        for loser_rule in replacing.get(winner.rule, ()):
            if loser_rule != winner.rule:
                beaten_rules.setdefault(loser_rule, []).append(winner)
    if not beaten_rules:
        return hits
    # Per superseded rule: winners by start, and the furthest end among the first k of them.
    spans: dict[str, tuple[list[int], list[int]]] = {}
    for loser_rule, winners in beaten_rules.items():
        winners.sort(key=lambda w: w.start)
        starts = [w.start for w in winners]
        reach: list[int] = []
        furthest = -1
        for w in winners:
            furthest = max(furthest, w.end)
            reach.append(furthest)
        spans[loser_rule] = (starts, reach)
    kept = []
    for hit in hits:
        span = spans.get(hit.rule)
        if span is not None:
            starts, reach = span
            overlapping = bisect_left(starts, hit.end)  # winners starting before this hit ends
            if overlapping and reach[overlapping - 1] > hit.start:
                continue
        kept.append(hit)
    return kept
