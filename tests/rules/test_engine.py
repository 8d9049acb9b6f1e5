"""Evaluation: findings plus context become hits; the verdict is the strongest action."""

from __future__ import annotations

import dataclasses
import re

import pytest

from juru.rules.config import OrgConfig
from juru.rules.engine import RuleSet, UnknownPackError, policy_revision, resolve_packs
from juru.rules.loader import available_packs
from juru.rules.model import Hit, strongest_action
from juru.scan.findings import ScanContext
from tests.rules.helpers import finding, make_pack, rule_yaml


def _hit(action: str) -> Hit:
    return Hit("demo.x", "demo", "low", action, 0, 1, "X", {"id": "", "en": ""}, {"id": "", "en": ""}, "c")


@pytest.mark.parametrize(
    ("actions", "verdict"),
    [
        ([], "allow"),
        (["allow"], "allow"),
        (["warn", "allow"], "warn"),
        (["warn", "require_approval", "allow"], "require_approval"),
        (["require_approval", "block", "warn"], "block"),
        (["block", "warn"], "block"),
    ],
)
def test_verdict_is_the_strongest_action(actions, verdict):
    assert strongest_action([_hit(a) for a in actions]) == verdict


def _ruleset(*rules, disabled=()):
    return RuleSet([make_pack(*rules)], disabled)


def test_a_finding_of_a_matched_entity_becomes_a_hit_with_texts_and_citation():
    hits = _ruleset(rule_yaml()).evaluate([finding("PHONE", 16, 30)], ScanContext())
    assert [(h.rule, h.start, h.end, h.entity, h.action) for h in hits] == [("demo.phone", 16, 30, "PHONE", "block")]
    assert hits[0].to_json("en")["message"] == "There is a phone number."
    assert hits[0].to_json("id")["fix"] == "Hapus."
    assert hits[0].to_json()["citation"] == "UU 27/2022 Pasal 65 ayat (2)"


def test_other_entities_do_not_fire():
    assert _ruleset(rule_yaml()).evaluate([finding("EMAIL", 0, 5)], ScanContext()) == []


@pytest.mark.parametrize(
    ("when", "context", "fires"),
    [
        ({"account": ["personal"]}, ScanContext(account="personal"), True),
        ({"account": ["personal"]}, ScanContext(account="brand"), False),
        ({"channel": ["reply", "comment"]}, ScanContext(channel="reply"), True),
        ({"channel": ["reply", "comment"]}, ScanContext(channel="post"), False),
        ({"network": ["x"]}, ScanContext(network="X"), True),
        ({"network": ["x"]}, ScanContext(network="bluesky"), False),
        ({"network": ["x"]}, ScanContext(), False),
        ({"role": ["cfo"]}, ScanContext(role="cfo"), True),
        ({"role": ["cfo"]}, ScanContext(role="intern"), False),
        ({"crisis": True}, ScanContext(crisis=True), True),
        ({"crisis": True}, ScanContext(crisis=False), False),
        ({"account": ["brand"], "crisis": False}, ScanContext(account="brand", crisis=False), True),
    ],
)
def test_context_conditions(when, context, fires):
    hits = _ruleset(rule_yaml(when=when)).evaluate([finding("PHONE", 0, 5)], context)
    assert bool(hits) is fires


def test_the_same_ruleset_answers_different_contexts_correctly():
    ruleset = _ruleset(rule_yaml(when={"account": ["personal"]}))
    findings = [finding("PHONE", 0, 5)]
    assert ruleset.evaluate(findings, ScanContext(account="personal"))
    assert not ruleset.evaluate(findings, ScanContext(account="brand"))
    assert ruleset.evaluate(findings, ScanContext(account="personal"))


def test_absent_entity_suppresses_the_rule():
    rule = rule_yaml(match={"entities": ["PROMOTIONAL"], "absent": ["DISCLOSURE_PRESENT"]})
    ruleset = _ruleset(rule)
    assert ruleset.evaluate([finding("PROMOTIONAL", 0, 10)], ScanContext())
    assert not ruleset.evaluate([finding("PROMOTIONAL", 0, 10), finding("DISCLOSURE_PRESENT", 30, 33)], ScanContext())


def test_near_requires_a_neighbour_within_the_distance():
    rule = rule_yaml(match={"entities": ["SUPERLATIVE"], "near": {"entities": ["COMPETITOR_MENTION"], "within": 10}})
    ruleset = _ruleset(rule)
    sup = finding("SUPERLATIVE", 0, 7)
    assert ruleset.evaluate([sup, finding("COMPETITOR_MENTION", 17, 27)], ScanContext())
    assert not ruleset.evaluate([sup, finding("COMPETITOR_MENTION", 18, 27)], ScanContext())
    assert not ruleset.evaluate([sup], ScanContext())


def test_min_score_detectors_and_min_severity_filter_findings():
    rule = rule_yaml(match={"entities": ["PHONE"], "min_score": 0.5, "detectors": ["pii.phone"]})
    ruleset = _ruleset(rule)
    assert ruleset.evaluate([finding("PHONE", 0, 5, detector="pii.phone", score=0.6)], ScanContext())
    assert not ruleset.evaluate([finding("PHONE", 0, 5, detector="pii.phone", score=0.4)], ScanContext())
    assert not ruleset.evaluate([finding("PHONE", 0, 5, detector="other.phone")], ScanContext())
    severe = _ruleset(rule_yaml(match={"entities": ["CLAIM_HEALTH"], "min_severity": "critical"}))
    assert severe.evaluate([finding("CLAIM_HEALTH", 0, 5, severity="critical")], ScanContext())
    assert not severe.evaluate([finding("CLAIM_HEALTH", 0, 5, severity="high")], ScanContext())
    assert not severe.evaluate([finding("CLAIM_HEALTH", 0, 5)], ScanContext())


def test_a_superseding_rule_replaces_hits_on_overlapping_spans_only():
    generic = rule_yaml(id="demo.generic", action="warn")
    specific = rule_yaml(id="demo.specific", supersedes=["demo.generic"])
    ruleset = _ruleset(generic, specific)
    hits = ruleset.evaluate([finding("PHONE", 0, 10), finding("PHONE", 20, 30, detector="x.other")], ScanContext())
    assert sorted((h.rule, h.start) for h in hits) == [("demo.specific", 0), ("demo.specific", 20)]
    only_generic = RuleSet([make_pack(generic, specific)], disabled_rules=["demo.specific"])
    assert [h.rule for h in only_generic.evaluate([finding("PHONE", 0, 10)], ScanContext())] == ["demo.generic"]


def test_hits_are_sorted_and_not_duplicated():
    ruleset = _ruleset(rule_yaml(match={"entities": ["PHONE", "EMAIL"]}))
    same = finding("PHONE", 20, 30)
    hits = ruleset.evaluate([same, finding("EMAIL", 0, 5), same], ScanContext())
    assert [(h.start, h.entity) for h in hits] == [(0, "EMAIL"), (20, "PHONE")]


def test_disabled_rules_do_not_fire():
    ruleset = _ruleset(rule_yaml(), disabled=["demo.phone"])
    assert ruleset.evaluate([finding("PHONE", 0, 5)], ScanContext()) == []


def test_default_config_enables_the_indonesian_packs_and_not_the_us_ones():
    enabled = [p.id for p in resolve_packs(OrgConfig())]
    assert enabled[:1] == ["core"]
    assert "id-pdp" in enabled
    assert not [p for p in enabled if p.startswith("us-")]


def test_unknown_pack_is_a_clear_error():
    with pytest.raises(UnknownPackError, match="unknown rule pack.*eu-gdpr"):
        resolve_packs(OrgConfig(enabled_packs=("core", "eu-gdpr")))


def test_revision_is_stable_and_changes_with_config_and_pack_contents():
    config = OrgConfig(brand_names=("Kopi Senja",))
    packs = resolve_packs(config)
    first = policy_revision(packs, config)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", first)
    assert policy_revision(resolve_packs(config), OrgConfig(brand_names=("Kopi Senja",))) == first
    assert policy_revision(packs, OrgConfig(brand_names=("Kopi Pagi",))) != first
    assert policy_revision(packs, dataclasses.replace(config, disabled_rules=("core.insult",))) != first
    edited = [dataclasses.replace(p, source=p.source + b"\n# edited") if p.id == "core" else p for p in packs]
    assert policy_revision(edited, config) != first


def test_revision_covers_only_enabled_packs():
    only_core = OrgConfig(enabled_packs=("core",))
    with_us = OrgConfig(enabled_packs=("core", "us-ftc"))
    assert policy_revision(resolve_packs(only_core), only_core) != policy_revision(resolve_packs(with_us), with_us)
    assert "us-ftc" in available_packs()
