"""Configuration of the inbox: routing rules, business hours and targets, days off, team assignment."""

from __future__ import annotations

from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from juru.accounts.models import BrandAccount, Member, Organisation, Team
from juru.audit.services import record
from juru.inbox.exceptions import InboxError
from juru.inbox.models import AssignmentMode, DayOverride, Priority, RoutingRule, SlaTarget, TeamInbox, split_tags
from juru.inbox.sla import inbox_settings
from juru.listening.matching import parse_terms
from juru.listening.models import Sentiment

RULE_FIELDS = (
    "name", "is_active", "words", "sentiment", "emotion", "abusive", "hate", "language", "network", "account",
    "authors", "team", "priority", "tags", "assignee",
)  # fmt: skip
EMOTIONS = ("anger", "fear", "happy", "love", "sadness")
LANGUAGES = ("id", "en", "mixed")
MAX_WORDS = 200
MAX_TARGET = 60 * 24 * 30  # business minutes: a month of full days is plenty


def _snapshot(rule: RoutingRule) -> dict[str, Any]:
    values = {name: getattr(rule, name) for name in RULE_FIELDS if name not in ("account", "team", "assignee")}
    values |= {
        "account": rule.account_id,
        "team": rule.team_id,
        "assignee": rule.assignee_id,
        "position": rule.position,
    }
    return values


def _clean_rule(organisation: Organisation, values: dict[str, Any]) -> dict[str, Any]:
    clean = {name: values.get(name) for name in RULE_FIELDS}
    clean["name"] = (clean["name"] or "").strip()
    if not clean["name"]:
        raise InboxError(_("Give the rule a name."))
    for text in ("words", "authors", "tags", "sentiment", "emotion", "language", "network", "priority"):
        clean[text] = (clean[text] or "").strip()
    if len(parse_terms(str(clean["words"]))) > MAX_WORDS:
        raise InboxError(_("A rule takes at most %(count)d words and phrases.") % {"count": MAX_WORDS})
    if clean["sentiment"] and clean["sentiment"] not in Sentiment.values:
        raise InboxError(_("Choose a sentiment from the list."))
    if clean["emotion"] and clean["emotion"] not in EMOTIONS:
        raise InboxError(_("Choose an emotion from the list."))
    if clean["language"] and clean["language"] not in LANGUAGES:
        raise InboxError(_("Choose a language from the list."))
    if clean["priority"] and clean["priority"] not in Priority.values:
        raise InboxError(_("Choose urgent, high, normal or low."))
    clean["tags"] = ", ".join(split_tags(str(clean["tags"])))
    for key, model in (("account", BrandAccount), ("team", Team), ("assignee", Member)):
        obj = clean[key]
        if obj is not None and (not isinstance(obj, model) or obj.organisation_id != organisation.pk):
            raise InboxError(_("Choose from this organisation's accounts, teams and members."))
    if not (clean["team"] or clean["priority"] or clean["tags"] or clean["assignee"]):
        raise InboxError(_("Choose what the rule does: a team, a priority, tags or a person."))
    clean["is_active"] = bool(clean["is_active"]) if values.get("is_active") is not None else True
    clean["abusive"], clean["hate"] = bool(clean["abusive"]), bool(clean["hate"])
    return clean


def create_rule(*, actor: Any, organisation: Organisation, **values: Any) -> RoutingRule:
    """A new rule, tried after the existing ones."""
    clean = _clean_rule(organisation, values)
    with transaction.atomic():
        last = RoutingRule.objects.filter(organisation=organisation).aggregate(top=Max("position"))["top"]
        rule = RoutingRule.objects.create(organisation=organisation, position=(last or 0) + 1, **clean)
        record(action="inbox.rule_created", actor=actor, organisation=organisation, obj=rule, after=_snapshot(rule))
    return rule


def update_rule(*, actor: Any, rule: RoutingRule, **values: Any) -> RoutingRule:
    """Change a rule; conversations already routed keep where they went."""
    clean = _clean_rule(rule.organisation, values)
    with transaction.atomic():
        before = _snapshot(rule)
        for key, value in clean.items():
            setattr(rule, key, value)
        rule.save()
        record(
            action="inbox.rule_changed", actor=actor, organisation=rule.organisation, obj=rule, before=before,
            after=_snapshot(rule),
        )  # fmt: skip
    return rule


def delete_rule(*, actor: Any, rule: RoutingRule) -> None:
    """Remove a rule."""
    with transaction.atomic():
        record(
            action="inbox.rule_deleted", actor=actor, organisation=rule.organisation, obj=rule, before=_snapshot(rule)
        )
        rule.delete()


def move_rule(*, actor: Any, rule: RoutingRule, direction: str) -> RoutingRule:
    """Try the rule one place earlier ("up") or later ("down")."""
    if direction not in ("up", "down"):
        raise InboxError(_("Move a rule up or down."))
    with transaction.atomic():
        rules = list(RoutingRule.objects.select_for_update().filter(organisation=rule.organisation))
        index = next(i for i, r in enumerate(rules) if r.pk == rule.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(rules):
            raise InboxError(_("The rule is at the end of the list already."))
        rules[index], rules[other] = rules[other], rules[index]
        for position, item in enumerate(rules, start=1):
            item.position = position
        RoutingRule.objects.bulk_update(rules, ["position"])
        record(
            action="inbox.rule_moved", actor=actor, organisation=rule.organisation, obj=rule,
            after={"order": [r.name for r in rules]},
        )  # fmt: skip
    return next(r for r in rules if r.pk == rule.pk)


def update_settings(
    *,
    actor: Any,
    organisation: Organisation,
    time_zone: str,
    day_start: time,
    day_end: time,
    workdays: list[int],
    public_holidays: bool,
    warning_minutes: int,
    offline_after_minutes: int,
    default_team: Team | None,
    targets: dict[str, tuple[int, int]],
) -> None:
    """Business hours, warning lead time, offline threshold, default team and the targets per priority."""
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InboxError(_("Unknown time zone: %(zone)s.") % {"zone": time_zone}) from None
    if day_end != time(0) and day_start >= day_end:
        raise InboxError(_("The business day must end after it starts."))
    if not workdays or any(d not in range(7) for d in workdays):
        raise InboxError(_("Choose at least one working day."))
    if default_team is not None and default_team.organisation_id != organisation.pk:
        raise InboxError(_("Choose a team of this organisation."))
    for priority, (first, resolution) in targets.items():
        if priority not in Priority.values or not 1 <= first <= MAX_TARGET or not 1 <= resolution <= MAX_TARGET:
            raise InboxError(_("Targets are between 1 and %(max)d business minutes.") % {"max": MAX_TARGET})
        if resolution < first:
            raise InboxError(_("A resolution target cannot be shorter than its first-response target."))
    with transaction.atomic():
        config = inbox_settings(organisation)
        before = _settings_snapshot(config)
        config.time_zone, config.day_start, config.day_end = time_zone, day_start, day_end
        config.workdays = ",".join(str(d) for d in sorted(set(workdays)))
        config.public_holidays, config.warning_minutes = public_holidays, warning_minutes
        config.offline_after_minutes, config.default_team = offline_after_minutes, default_team
        config.save()
        for priority, (first, resolution) in targets.items():
            SlaTarget.objects.update_or_create(
                organisation=organisation, priority=priority,
                defaults={"first_response_minutes": first, "resolution_minutes": resolution},
            )  # fmt: skip
        after = _settings_snapshot(config) | {"targets": {p: list(v) for p, v in targets.items()}}
        record(
            action="inbox.settings_changed", actor=actor, organisation=organisation, obj=config, before=before,
            after=after,
        )  # fmt: skip


def _settings_snapshot(config: Any) -> dict[str, Any]:
    return {
        "time_zone": config.time_zone, "day_start": str(config.day_start), "day_end": str(config.day_end),
        "workdays": config.workdays, "public_holidays": config.public_holidays,
        "warning_minutes": config.warning_minutes, "offline_after_minutes": config.offline_after_minutes,
        "default_team": config.default_team_id,
    }  # fmt: skip


def add_day_override(
    *, actor: Any, organisation: Organisation, day: date, is_working_day: bool, note: str
) -> DayOverride:
    """An extra day off or working day (one per date)."""
    with transaction.atomic():
        if DayOverride.objects.filter(organisation=organisation, date=day).exists():
            raise InboxError(_("This date has an override already; remove it first."))
        override = DayOverride.objects.create(
            organisation=organisation, date=day, is_working_day=is_working_day, note=note.strip()[:200]
        )
        record(
            action="inbox.day_override_added", actor=actor, organisation=organisation, obj=override,
            after={"date": str(day), "working_day": is_working_day, "note": override.note},
        )  # fmt: skip
    return override


def delete_day_override(*, actor: Any, override: DayOverride) -> None:
    """Remove an override."""
    with transaction.atomic():
        record(
            action="inbox.day_override_removed", actor=actor, organisation=override.organisation, obj=override,
            before={"date": str(override.date), "working_day": override.is_working_day},
        )  # fmt: skip
        override.delete()


def set_team_assignment(*, actor: Any, team: Team, assignment: str, capacity: int) -> TeamInbox:
    """How a team hands out new conversations, and how many open ones a person takes at most."""
    if assignment not in AssignmentMode.values:
        raise InboxError(_("Choose how the team's conversations are assigned."))
    if not 0 <= capacity <= 1000:
        raise InboxError(_("A person takes between 0 (no limit) and 1000 open conversations."))
    with transaction.atomic():
        row, _created = TeamInbox.objects.get_or_create(team=team)
        before = {"assignment": row.assignment, "capacity": row.capacity}
        row.assignment, row.capacity = assignment, capacity
        row.save(update_fields=["assignment", "capacity"])
        record(
            action="inbox.team_assignment_changed", actor=actor, organisation=team.organisation, obj=team,
            before=before, after={"assignment": assignment, "capacity": capacity},
        )  # fmt: skip
    return row
