"""Run every rule's ``examples`` through the real Scanner (Semgrep-style rule tests).

Each rule is tested with only its own pack enabled and the pack's ``example_config`` (plus the
example's own ``config``); classifiers are switched on only for rules that need them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from juru.rules.config import OrgConfig
from juru.rules.engine import rule_needs_classifiers
from juru.rules.loader import available_packs
from juru.rules.model import Example, Rule
from juru.scan.findings import ScanContext


@dataclass(frozen=True, slots=True)
class ExampleOutcome:
    """The result of one example: ``kind`` is ``match`` or ``ok``; ``problem`` is None when it passed."""

    rule: str
    kind: str
    text: str
    context: Mapping[str, Any]
    problem: str | None
    findings: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """True if the rule behaved as the example says."""
        return self.problem is None


class ExampleRunner:
    """Builds one scanner per distinct example config and reuses it."""

    def __init__(self) -> None:
        self._scanners: dict[tuple[str, bool], Any] = {}

    def _scanner(self, rule: Rule, example: Example) -> Any:
        from juru.scan.scanner import Scanner

        pack = available_packs()[rule.pack]
        data = {**pack.example_config, **example.config, "enabled_packs": [rule.pack]}
        config = OrgConfig.from_mapping(data)
        key = (config.canonical_json(), rule_needs_classifiers(rule))
        scanner = self._scanners.get(key)
        if scanner is None:
            scanner = Scanner(config, classifiers=key[1])
            self._scanners[key] = scanner
        return scanner

    def run_example(self, rule: Rule, example: Example, kind: str) -> ExampleOutcome:
        """Scan one example and say whether ``rule`` fired as expected."""
        context = ScanContext(**dict(example.context))
        result = self._scanner(rule, example).scan(example.text, context)
        hits = [h for h in result.hits if h.rule == rule.id]
        seen = tuple(f"{f.entity}({f.detector}) {example.text[f.start : f.end]!r}" for f in result.findings)
        problem = None
        if kind == "match" and not hits:
            missing = sorted(rule.match.entities - emitted_entities())
            problem = "rule did not fire" + (f" (no installed detector emits {', '.join(missing)})" if missing else "")
        elif kind == "match" and example.span is not None:
            spans = [example.text[h.start : h.end] for h in hits]
            if example.span not in spans:
                problem = f"rule fired on {spans!r}, expected {example.span!r}"
        elif kind == "ok" and hits:
            problem = "rule fired on " + ", ".join(repr(example.text[h.start : h.end]) for h in hits)
        return ExampleOutcome(rule.id, kind, example.text, dict(example.context), problem, seen)

    def run_rule(self, rule: Rule) -> list[ExampleOutcome]:
        """Every example of ``rule``."""
        outcomes = [self.run_example(rule, e, "match") for e in rule.match_examples]
        outcomes.extend(self.run_example(rule, e, "ok") for e in rule.ok_examples)
        return outcomes


@functools.cache
def emitted_entities() -> frozenset[str]:
    """Entities declared by the installed detectors (lexicon detectors declare theirs from data)."""
    from juru.scan.registry import default_registry

    return frozenset(entity for spec in default_registry().specs() for entity in spec.entities)


def selected_rules(packs: Iterable[str] = (), rules: Iterable[str] = ()) -> list[Rule]:
    """The installed rules filtered by pack ids and/or rule ids (no filter: all)."""
    wanted_packs, wanted_rules = set(packs), set(rules)
    chosen = []
    for pack in available_packs().values():
        for rule in pack.rules:
            if wanted_packs and pack.id not in wanted_packs and rule.id not in wanted_rules:
                continue
            if wanted_rules and rule.id not in wanted_rules and pack.id not in wanted_packs:
                continue
            chosen.append(rule)
    return chosen


def run_examples(rules: Iterable[Rule]) -> list[ExampleOutcome]:
    """Run the examples of ``rules``; one outcome per example."""
    runner = ExampleRunner()
    outcomes: list[ExampleOutcome] = []
    for rule in rules:
        outcomes.extend(runner.run_rule(rule))
    return outcomes
