"""Which review steps a draft needs, from its scan verdict (DESIGN §3, approval routing table).

| verdict          | brand account                               | personal account     |
| allow            | the account's chain                         | no approval          |
| warn             | the account's chain, after acknowledgement  | acknowledgement only |
| require_approval | the account's chain + a compliance step     | one PR step          |
| block            | not submittable; an owner's override opens   | not submittable      |
|                  | a violation case, then as require_approval  |                      |

A reply (a post answering a comment, on any account) needs no approval when allowed, an
acknowledgement when warned, and the account's chain + a compliance step when the verdict asks
for approval: answering fast within the policy is the point of the reply grant.

Any hit from a legal pack appends a legal step; crisis mode appends a crisis-lead step (so during
a crisis every reply waits for the crisis lead).
This module decides *which* steps; the services resolve *who* approves each one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

VERDICT_ORDER = ("allow", "warn", "require_approval", "block")
LEGAL_PACKS = frozenset({"id-ite", "id-pdp", "id-ojk", "id-bpom"})


def is_legal_pack(pack: str) -> bool:
    """True for the packs whose hits need a lawyer's eye (Indonesian law packs and every ``us-*``)."""
    return pack in LEGAL_PACKS or pack.startswith("us-")


def hit_pack(hit: Mapping[str, Any]) -> str:
    """The pack of a stored hit (``pack`` if present, else the rule id's prefix)."""
    pack = hit.get("pack")
    if pack:
        return str(pack)
    return str(hit.get("rule", "")).split(".", 1)[0]


def strongest(verdicts: Iterable[str]) -> str:
    """The strongest of several verdicts (block > require_approval > warn > allow)."""
    return max(verdicts, key=VERDICT_ORDER.index, default="allow")


@dataclass(frozen=True)
class StepPlan:
    """A step to create. Account-chain steps carry their approvers; other kinds are resolved later."""

    kind: str
    name: str
    mode: str = "any"
    member_ids: tuple[int, ...] = ()
    team_ids: tuple[int, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Route:
    """The outcome of routing one draft: may it be submitted, and through which steps."""

    submittable: bool
    needs_acknowledgement: bool
    override_required: bool
    steps: tuple[StepPlan, ...] = field(default_factory=tuple)


COMPLIANCE = StepPlan(kind="compliance", name="Compliance")
LEGAL = StepPlan(kind="legal", name="Legal")
CRISIS = StepPlan(kind="crisis", name="Crisis lead")
PR = StepPlan(kind="pr", name="PR")


def route(
    *,
    verdict: str,
    account_type: str,
    hits: Sequence[Mapping[str, Any]],
    crisis: bool,
    account_steps: Sequence[StepPlan],
    overridden: bool = False,
    reply: bool = False,
) -> Route:
    """Route one post: ``account_steps`` is the brand account's chain (ignored for personal accounts)."""
    if verdict not in VERDICT_ORDER:
        raise ValueError(f"unknown verdict {verdict!r}")
    if reply:
        return _route_reply(verdict, hits, crisis, account_steps, overridden)
    if account_type == "personal":
        return _route_personal(verdict, hits, crisis)
    return _route_brand(verdict, hits, crisis, account_steps, overridden)


def _route_brand(
    verdict: str, hits: Sequence[Mapping[str, Any]], crisis: bool, chain: Sequence[StepPlan], overridden: bool
) -> Route:
    if verdict == "block" and not overridden:
        return Route(submittable=False, needs_acknowledgement=False, override_required=True)
    steps = list(chain) or [PR]
    if verdict in ("require_approval", "block"):
        steps.append(COMPLIANCE)
    return Route(True, verdict == "warn", False, tuple(_append_extras(steps, hits, crisis)))


def _route_reply(
    verdict: str, hits: Sequence[Mapping[str, Any]], crisis: bool, chain: Sequence[StepPlan], overridden: bool
) -> Route:
    if verdict == "block" and not overridden:
        return Route(submittable=False, needs_acknowledgement=False, override_required=True)
    steps: list[StepPlan] = []
    if verdict in ("require_approval", "block"):
        steps = [*(list(chain) or [PR]), COMPLIANCE]
    return Route(True, verdict == "warn", False, tuple(_append_extras(steps, hits, crisis)))


def _route_personal(verdict: str, hits: Sequence[Mapping[str, Any]], crisis: bool) -> Route:
    if verdict == "block":
        return Route(submittable=False, needs_acknowledgement=False, override_required=False)
    steps: list[StepPlan] = [PR] if verdict == "require_approval" else []
    return Route(True, verdict == "warn", False, tuple(_append_extras(steps, hits, crisis)))


def _append_extras(steps: list[StepPlan], hits: Sequence[Mapping[str, Any]], crisis: bool) -> list[StepPlan]:
    if any(is_legal_pack(hit_pack(hit)) for hit in hits):
        steps.append(LEGAL)
    if crisis:
        steps.append(CRISIS)
    return steps


def merge(routes: Sequence[Route]) -> Route:
    """One chain for a draft going to several accounts: account steps first, then each extra kind once."""
    if not routes:
        return Route(True, False, False, ())
    submittable = all(r.submittable for r in routes)
    account: list[StepPlan] = []
    extras: list[StepPlan] = []
    for r in routes:
        for step in r.steps:
            target = account if step.kind in ("account", "pr") else extras
            if step not in target:
                target.append(step)
    order = {"compliance": 0, "legal": 1, "crisis": 2}
    extras.sort(key=lambda s: order.get(s.kind, 9))
    return Route(
        submittable=submittable,
        needs_acknowledgement=any(r.needs_acknowledgement for r in routes),
        override_required=any(r.override_required for r in routes),
        steps=tuple(account + extras) if submittable else (),
    )
