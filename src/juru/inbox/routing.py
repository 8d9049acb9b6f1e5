"""Routing: which team, priority, tags and assignee a new conversation gets.

Rules are data (``RoutingRule``), tried in their order; the first active rule whose conditions all
hold decides (words: any of them). Nothing matched: the organisation's default team, normal
priority. During a crisis (``organisation.crisis_active``), a negative conversation goes to the
crisis team whatever the rule said, at least at high priority, so the people running the crisis see
every complaint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from juru.inbox.models import PRIORITY_RANK, Priority, RoutingRule
from juru.listening.matching import Matcher, fold


@dataclass(frozen=True, slots=True)
class Facts:
    """What routing looks at in the message that opens a conversation."""

    text: str
    sentiment: str = ""
    emotion: str = ""
    abusive: bool = False
    hate: bool = False
    lang: str = ""
    network: str = ""
    account_id: int | None = None
    author_handle: str = ""


@dataclass(frozen=True, slots=True)
class Route:
    """Where a conversation goes."""

    team_id: int | None = None
    priority: str = Priority.NORMAL
    tags: list[str] = field(default_factory=list)
    assignee_id: int | None = None
    rule_id: int | None = None
    crisis: bool = False


def _handle(value: str) -> str:
    return fold(value).lstrip("@")


@dataclass(frozen=True)
class _Compiled:
    rule: RoutingRule
    words: Matcher | None
    authors: frozenset[str]

    def matches(self, facts: Facts, folded: str) -> bool:
        rule = self.rule
        checks = (
            self.words is None or self.words.matches(folded, facts.lang or "id"),
            not rule.sentiment or rule.sentiment == facts.sentiment,
            not rule.emotion or rule.emotion == facts.emotion,
            not rule.abusive or facts.abusive,
            not rule.hate or facts.hate,
            not rule.language or rule.language == facts.lang,
            not rule.network or rule.network == facts.network,
            rule.account_id is None or rule.account_id == facts.account_id,
            not self.authors or _handle(facts.author_handle) in self.authors,
        )
        return all(checks)


class Router:
    """An organisation's rules compiled once, then applied to many conversations."""

    def __init__(
        self,
        rules: Sequence[RoutingRule],
        *,
        default_team_id: int | None = None,
        crisis_team_id: int | None = None,
        crisis_active: bool = False,
    ) -> None:
        self.rules = [
            _Compiled(
                rule,
                Matcher.build(str(rule.pk), rule.words) if rule.words.strip() else None,
                frozenset(_handle(line) for line in rule.authors.splitlines() if line.strip()),
            )
            for rule in rules
            if rule.is_active
        ]
        self.default_team_id = default_team_id
        self.crisis_team_id = crisis_team_id
        self.crisis_active = crisis_active

    def route(self, facts: Facts) -> Route:
        folded = fold(facts.text)
        found = next((c.rule for c in self.rules if c.matches(facts, folded)), None)
        if found is None:
            route = Route(team_id=self.default_team_id)
        else:
            route = Route(
                team_id=found.team_id or self.default_team_id,
                priority=found.priority or Priority.NORMAL,
                tags=found.tag_list,
                assignee_id=found.assignee_id,
                rule_id=found.pk,
            )
        if self.crisis_active and self.crisis_team_id and facts.sentiment == "negative":
            return Route(
                team_id=self.crisis_team_id,
                priority=more_urgent(route.priority, Priority.HIGH),
                tags=route.tags,
                rule_id=route.rule_id,
                crisis=True,
            )
        return route


def more_urgent(first: str, second: str) -> str:
    """The more urgent of two priorities."""
    return min(first, second, key=lambda p: PRIORITY_RANK.get(p, 9))  # type: ignore[call-overload]
