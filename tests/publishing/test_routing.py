"""The approval routing table of DESIGN §3, verdict by verdict, for brand and personal accounts."""

from __future__ import annotations

import pytest

from juru.publishing import routing
from juru.publishing.routing import StepPlan, route

CHAIN = (
    StepPlan(kind="account", name="PR", member_ids=(1,)),
    StepPlan(kind="account", name="Compliance", roles=("owner",)),
)
LEGAL_HIT = [{"rule": "id-pdp.nik", "pack": "id-pdp", "action": "block"}]


def kinds(r: routing.Route) -> list[str]:
    return [s.kind for s in r.steps]


@pytest.mark.parametrize(
    ("verdict", "expected", "ack"),
    [
        ("allow", ["account", "account"], False),
        ("warn", ["account", "account"], True),
        ("require_approval", ["account", "account", "compliance"], False),
    ],
)
def test_brand_account_follows_its_chain(verdict: str, expected: list[str], ack: bool) -> None:
    r = route(verdict=verdict, account_type="brand", hits=[], crisis=False, account_steps=CHAIN)
    assert r.submittable
    assert kinds(r) == expected
    assert r.needs_acknowledgement is ack


def test_brand_account_without_chain_gets_one_pr_step() -> None:
    r = route(verdict="allow", account_type="brand", hits=[], crisis=False, account_steps=[])
    assert kinds(r) == ["pr"]


def test_brand_block_needs_an_override() -> None:
    r = route(verdict="block", account_type="brand", hits=[], crisis=False, account_steps=CHAIN)
    assert not r.submittable
    assert r.override_required
    assert r.steps == ()


def test_brand_block_overridden_goes_through_chain_and_compliance() -> None:
    r = route(verdict="block", account_type="brand", hits=[], crisis=False, account_steps=CHAIN, overridden=True)
    assert r.submittable
    assert kinds(r) == ["account", "account", "compliance"]


@pytest.mark.parametrize(
    ("verdict", "expected", "ack", "submittable"),
    [
        ("allow", [], False, True),
        ("warn", [], True, True),
        ("require_approval", ["pr"], False, True),
        ("block", [], False, False),
    ],
)
def test_personal_account_table(verdict: str, expected: list[str], ack: bool, submittable: bool) -> None:
    r = route(verdict=verdict, account_type="personal", hits=[], crisis=False, account_steps=CHAIN, overridden=True)
    assert kinds(r) == expected
    assert r.needs_acknowledgement is ack
    assert r.submittable is submittable
    assert not r.override_required


@pytest.mark.parametrize("pack", ["id-ite", "id-pdp", "id-ojk", "id-bpom", "us-ftc", "us-finra"])
def test_legal_pack_hit_appends_a_legal_step(pack: str) -> None:
    hits = [{"rule": f"{pack}.x", "pack": pack, "action": "warn"}]
    assert (
        kinds(route(verdict="warn", account_type="brand", hits=hits, crisis=False, account_steps=CHAIN))[-1] == "legal"
    )
    assert kinds(route(verdict="warn", account_type="personal", hits=hits, crisis=False, account_steps=[])) == ["legal"]


def test_non_legal_pack_adds_no_legal_step() -> None:
    hits = [{"rule": "id-epi.superlative", "action": "warn"}]
    assert "legal" not in kinds(
        route(verdict="warn", account_type="brand", hits=hits, crisis=False, account_steps=CHAIN)
    )


def test_crisis_mode_appends_a_crisis_lead_step_last() -> None:
    r = route(verdict="require_approval", account_type="brand", hits=LEGAL_HIT, crisis=True, account_steps=CHAIN)
    assert kinds(r) == ["account", "account", "compliance", "legal", "crisis"]
    assert kinds(route(verdict="allow", account_type="personal", hits=[], crisis=True, account_steps=[])) == ["crisis"]


def test_pack_is_taken_from_the_rule_id_when_missing() -> None:
    assert routing.hit_pack({"rule": "id-ojk.guaranteed"}) == "id-ojk"


def test_strongest_verdict_wins() -> None:
    assert routing.strongest(["warn", "block", "allow"]) == "block"
    assert routing.strongest([]) == "allow"


def test_merge_keeps_account_steps_first_and_each_extra_once() -> None:
    a = route(verdict="require_approval", account_type="brand", hits=LEGAL_HIT, crisis=False, account_steps=CHAIN)
    b = route(verdict="require_approval", account_type="brand", hits=[], crisis=False, account_steps=[])
    assert kinds(routing.merge([a, b])) == ["account", "account", "pr", "compliance", "legal"]


def test_merge_is_not_submittable_if_one_account_blocks() -> None:
    a = route(verdict="allow", account_type="brand", hits=[], crisis=False, account_steps=CHAIN)
    b = route(verdict="block", account_type="brand", hits=[], crisis=False, account_steps=CHAIN)
    merged = routing.merge([a, b])
    assert not merged.submittable
    assert merged.steps == ()


def test_unknown_verdict_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown verdict"):
        route(verdict="maybe", account_type="brand", hits=[], crisis=False, account_steps=[])
