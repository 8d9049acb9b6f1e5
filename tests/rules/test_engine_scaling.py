"""Rule evaluation stays linear in the findings: counted in executed lines, not in seconds."""

from __future__ import annotations

import random
import sys
from types import FrameType
from typing import Any

from juru.rules import engine
from juru.rules.engine import RuleSet
from juru.scan.findings import Finding, ScanContext
from tests.rules.helpers import finding, make_pack, rule_yaml

_ENGINE_FILE = engine.__file__


def _lines_executed(call: Any) -> int:
    """How many lines of ``juru.rules.engine`` run during ``call()`` (a machine-independent cost)."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def global_trace(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename == _ENGINE_FILE else None

    sys.settrace(global_trace)
    try:
        call()
    finally:
        sys.settrace(None)
    return count


def _near_ruleset() -> RuleSet:
    rule = rule_yaml(match={"entities": ["PHONE"], "near": {"entities": ["PHONE"], "within": 5}})
    return RuleSet([make_pack(rule)])


def _superseding_ruleset() -> RuleSet:
    generic = rule_yaml(id="demo.generic", action="warn")
    specific = rule_yaml(id="demo.specific", match={"entities": ["EMAIL"]}, supersedes=["demo.generic"])
    return RuleSet([make_pack(generic, specific)])


def _phones(count: int) -> list[Finding]:
    return [finding("PHONE", 20 * i, 20 * i + 14) for i in range(count)]


def _cost_ratio(ruleset: RuleSet, build: Any) -> float:
    small, large = build(500), build(2000)
    ctx = ScanContext()
    small_cost = _lines_executed(lambda: ruleset.evaluate(small, ctx))
    large_cost = _lines_executed(lambda: ruleset.evaluate(large, ctx))
    return large_cost / small_cost


def test_proximity_rules_cost_grows_linearly_with_the_findings():
    # Four times the findings: about four times the work (a pairwise check would be sixteen).
    assert _cost_ratio(_near_ruleset(), _phones) < 5


def test_superseding_costs_grow_linearly_with_the_hits():
    def overlapping(count: int) -> list[Finding]:
        return [finding("PHONE" if i % 2 else "EMAIL", 10 * i, 10 * i + 12) for i in range(count)]

    assert _cost_ratio(_superseding_ruleset(), overlapping) < 5


def _brute_near(target: Finding, findings: list[Finding], entities: set[str], within: int) -> bool:
    for other in findings:
        if other is target or other.entity not in entities:
            continue
        if max(other.start - target.end, target.start - other.end, 0) <= within:
            return True
    return False


def test_the_sweep_answers_proximity_exactly_like_the_pairwise_definition():
    rng = random.Random(7)
    rule = rule_yaml(match={"entities": ["PHONE"], "near": {"entities": ["EMAIL", "PHONE"], "within": 6}})
    ruleset = RuleSet([make_pack(rule)])
    for _ in range(300):
        findings = []
        for _ in range(rng.randint(1, 12)):
            start = rng.randint(0, 80)
            findings.append(finding(rng.choice(["PHONE", "EMAIL", "NIK"]), start, start + rng.randint(0, 15)))
        expected = {
            (f.start, f.end)
            for f in findings
            if f.entity == "PHONE" and _brute_near(f, findings, {"EMAIL", "PHONE"}, 6)
        }
        got = {(h.start, h.end) for h in ruleset.evaluate(findings, ScanContext())}
        assert got == expected


def test_superseding_drops_exactly_the_overlapped_hits():
    rng = random.Random(11)
    ruleset = _superseding_ruleset()
    for _ in range(300):
        findings = []
        for _ in range(rng.randint(1, 10)):
            start = rng.randint(0, 60)
            findings.append(finding(rng.choice(["PHONE", "EMAIL"]), start, start + rng.randint(1, 12)))
        winners = [f for f in findings if f.entity == "EMAIL"]
        expected = {("demo.specific", w.start, w.end) for w in winners} | {
            ("demo.generic", f.start, f.end)
            for f in findings
            if f.entity == "PHONE" and not any(w.start < f.end and f.start < w.end for w in winners)
        }
        got = {(h.rule, h.start, h.end) for h in ruleset.evaluate(findings, ScanContext())}
        assert got == expected
