"""Inbox pages: the list, one conversation, routing rules, settings (hours, targets, days off, teams), notices.

One function view per URL; writes go through ``juru.inbox.services``; objects through
``juru.accounts.access`` (404 for another organisation's, and for what a role may not do).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from juru.accounts import access
from juru.accounts.models import Member, Team
from juru.inbox import presence, queries, sla
from juru.inbox.badges import BadgeMaker
from juru.inbox.exceptions import InboxError
from juru.inbox.forms import DayOverrideForm, RuleForm, SettingsForm
from juru.inbox.models import (
    AssignmentMode,
    Conversation,
    DayOverride,
    Priority,
    RoutingRule,
    Status,
    TeamInbox,
)
from juru.inbox.services import config, work
from juru.web.decorators import member_view


def _ctx(member: Member, **extra: Any) -> dict[str, Any]:
    return {"member": member, "slug": member.organisation.slug, "section": "inbox", **extra}


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _conversation(member: Member, conversation_id: Any) -> Conversation:
    found = Conversation.objects.select_related("team", "assignee__user", "account", "organisation", "rule")
    return access.get_object_for_member(found, member, conversation_id)


def _shown(rows: list[Conversation], member: Member, inbox_settings: Any) -> list[Conversation]:
    """The page's rows with what each row shows worked out once here (link, status, badges)."""
    badges = BadgeMaker.for_page(inbox_settings.warning_minutes)
    placeholder = uuid.UUID(int=0)
    link = reverse("inbox:conversation", args=[member.organisation.slug, placeholder])
    statuses = {k: str(v) for k, v in Status.choices}
    for row in rows:
        row.list_status = statuses.get(row.status, row.status)  # type: ignore[attr-defined]
        row.list_url = link.replace(str(placeholder), str(row.public_id))  # type: ignore[attr-defined]
        row.priority_badge = badges.priority(row)  # type: ignore[attr-defined]
        row.due_badge = badges.due(row)  # type: ignore[attr-defined]
    return rows


@member_view
@require_GET
def conversation_list(request: HttpRequest, member: Member) -> HttpResponse:
    """Conversations with filters and due badges, most urgent first."""
    availability = work.touch(member)
    filters = queries.parse_filters(member.organisation, request.GET)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    rows, has_next = queries.page_of(queries.conversations(member, filters), page)
    inbox_settings = sla.inbox_settings(member.organisation)
    offline_after = inbox_settings.offline_after_minutes
    context = _ctx(
        member, filters=filters, params=filters.as_params(), conversations=_shown(rows, member, inbox_settings),
        page=page, has_next=has_next, statuses=Status.choices, priorities=Priority.choices,
        teams=queries.teams(member.organisation),
        views=[("all", _("All")), ("mine", _("Mine")), ("team", _("My teams")), ("unassigned", _("Unassigned"))],
        warning_minutes=inbox_settings.warning_minutes, offline_after=offline_after,
        availability=availability, can_configure=queries.can_configure(member),
        team_availability=presence.team_availability(member, offline_after),
    )  # fmt: skip
    return render(request, "inbox/list.html", context)


@member_view
def conversation_detail(request: HttpRequest, member: Member, conversation_id: Any) -> HttpResponse:
    """One conversation: the thread with notes and events, the author's history, and the actions."""
    conversation = _conversation(member, conversation_id)  # another organisation's is "not found" whatever the method
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    work.touch(member)
    mention = queries.latest_inbound(conversation)
    badges = BadgeMaker.for_page(sla.inbox_settings(member.organisation).warning_minutes)
    conversation.priority_badge = badges.priority(conversation)  # type: ignore[attr-defined]
    conversation.due_badge = badges.due(conversation)  # type: ignore[attr-defined]
    context = _ctx(
        member, conversation=conversation, thread=queries.thread(conversation), mention=mention,
        thread_key=f"{conversation.network}:{conversation.thread_key}",
        author_conversations=queries.author_conversations(conversation),
        author_mentions=queries.author_mentions(conversation), can_work=queries.can_work(member, conversation),
        people=queries.people(member.organisation), teams=queries.teams(member.organisation),
        statuses=Status.choices, priorities=Priority.choices,
    )  # fmt: skip
    return render(request, "inbox/conversation.html", context)


def _act(request: HttpRequest, member: Member, conversation_id: Any, action: Any, done: str) -> HttpResponse:
    """Run one action on a conversation the member may work on, then back to it."""
    conversation = _conversation(member, conversation_id)
    _require(queries.can_work(member, conversation))
    try:
        action(conversation)
    except InboxError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("inbox:conversation", org_slug=member.organisation.slug, conversation_id=conversation.public_id)


def _person(member: Member, value: str) -> Member | None:
    if not value:
        return None
    return access.get_object_for_member(Member, member, value)


def _team(member: Member, value: str) -> Team | None:
    if not value:
        return None
    return access.get_object_for_member(Team, member, value)


@member_view
@require_POST
def conversation_assign(request: HttpRequest, member: Member, conversation_id: Any) -> HttpResponse:
    """Give the conversation to someone ("me" for oneself, empty for nobody)."""
    value = request.POST.get("assignee", "")
    assignee = member if value == "me" else _person(member, value)
    return _act(
        request, member, conversation_id,
        lambda c: work.assign(actor=member, conversation=c, assignee=assignee), _("Assignment saved."),
    )  # fmt: skip


@member_view
@require_POST
def conversation_status(request: HttpRequest, member: Member, conversation_id: Any) -> HttpResponse:
    status = request.POST.get("status", "")
    return _act(
        request, member, conversation_id,
        lambda c: work.set_status(actor=member, conversation=c, status=status), _("Status changed."),
    )  # fmt: skip


@member_view
@require_POST
def conversation_priority(request: HttpRequest, member: Member, conversation_id: Any) -> HttpResponse:
    priority = request.POST.get("priority", "")
    return _act(
        request, member, conversation_id,
        lambda c: work.set_priority(actor=member, conversation=c, priority=priority), _("Priority changed."),
    )  # fmt: skip


@member_view
@require_POST
def conversation_tags(request: HttpRequest, member: Member, conversation_id: Any) -> HttpResponse:
    tags = request.POST.get("tags", "")
    return _act(
        request, member, conversation_id, lambda c: work.set_tags(actor=member, conversation=c, tags=tags),
        _("Tags saved."),
    )  # fmt: skip


@member_view
@require_POST
def conversation_note(request: HttpRequest, member: Member, conversation_id: Any) -> HttpResponse:
    text = request.POST.get("text", "")
    return _act(
        request, member, conversation_id, lambda c: work.add_note(actor=member, conversation=c, text=text),
        _("Note added."),
    )  # fmt: skip


@member_view
@require_POST
def conversation_escalate(request: HttpRequest, member: Member, conversation_id: Any) -> HttpResponse:
    team = _team(member, request.POST.get("team", ""))
    person = _person(member, request.POST.get("member", ""))
    reason = request.POST.get("reason", "")
    return _act(
        request, member, conversation_id,
        lambda c: work.escalate(actor=member, conversation=c, reason=reason, team=team, member=person),
        _("Conversation escalated."),
    )  # fmt: skip


@member_view
@require_POST
def availability(request: HttpRequest, member: Member) -> HttpResponse:
    """Online (takes new conversations) or away."""
    _require(queries.works_in_inbox(member))
    try:
        work.set_availability(member=member, status=request.POST.get("status", ""))
    except InboxError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Availability saved."))
    return redirect("inbox:list", org_slug=member.organisation.slug)


@member_view
@require_GET
def notifications(request: HttpRequest, member: Member) -> HttpResponse:
    """The member's notices: targets about to be missed, missed, escalations, assignments."""
    found = member.inbox_notifications.select_related("conversation").order_by("-created_at")[:200]
    return render(request, "inbox/notifications.html", _ctx(member, notices=found))


@member_view
@require_POST
def notifications_read(request: HttpRequest, member: Member) -> HttpResponse:
    queries.unread_notifications(member).update(read_at=timezone.now())
    messages.success(request, _("All notices marked as read."))
    return redirect("inbox:notifications", org_slug=member.organisation.slug)


# --------------------------------------------------------------------------- routing rules


def _rule_values(form: RuleForm) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in config.RULE_FIELDS}


@member_view
@require_http_methods(["GET", "POST"])
def rule_list(request: HttpRequest, member: Member) -> HttpResponse:
    """Routing rules in the order they are tried, and a form for a new one."""
    org = member.organisation
    form = RuleForm(request.POST or None, organisation=org)
    if request.method == "POST":
        _require(queries.can_configure(member))
        if form.is_valid():
            try:
                rule = config.create_rule(actor=request.user, organisation=org, **_rule_values(form))
            except InboxError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Rule “%(name)s” created.") % {"name": rule.name})
                return redirect("inbox:rules", org_slug=org.slug)
    rules = RoutingRule.objects.filter(organisation=org).select_related("team", "account", "assignee__user")
    context = _ctx(member, rules=rules, form=form, can_configure=queries.can_configure(member))
    return render(request, "inbox/rules.html", context)


def _rule(member: Member, rule_id: Any) -> RoutingRule:
    return access.get_object_for_member(RoutingRule, member, rule_id)


@member_view
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, member: Member, rule_id: Any) -> HttpResponse:
    rule = _rule(member, rule_id)
    _require(queries.can_configure(member))
    form = RuleForm(request.POST or None, instance=rule, organisation=member.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            config.update_rule(actor=request.user, rule=RoutingRule.objects.get(pk=rule.pk), **_rule_values(form))
        except InboxError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Rule saved."))
            return redirect("inbox:rules", org_slug=member.organisation.slug)
    return render(request, "inbox/rule_edit.html", _ctx(member, rule=rule, form=form))


@member_view
@require_POST
def rule_move(request: HttpRequest, member: Member, rule_id: Any) -> HttpResponse:
    rule = _rule(member, rule_id)
    _require(queries.can_configure(member))
    try:
        config.move_rule(actor=request.user, rule=rule, direction=request.POST.get("direction", ""))
    except InboxError as exc:
        messages.error(request, exc.message)
    return redirect("inbox:rules", org_slug=member.organisation.slug)


@member_view
@require_POST
def rule_delete(request: HttpRequest, member: Member, rule_id: Any) -> HttpResponse:
    rule = _rule(member, rule_id)
    _require(queries.can_configure(member))
    config.delete_rule(actor=request.user, rule=rule)
    messages.success(request, _("Rule “%(name)s” removed.") % {"name": rule.name})
    return redirect("inbox:rules", org_slug=member.organisation.slug)


# --------------------------------------------------------------------------- settings


def _settings_initial(member: Member) -> dict[str, Any]:
    current = sla.inbox_settings(member.organisation)
    initial: dict[str, Any] = {
        "time_zone": current.time_zone, "day_start": current.day_start, "day_end": current.day_end,
        "workdays": sorted(current.workday_numbers), "public_holidays": current.public_holidays,
        "warning_minutes": current.warning_minutes, "offline_after_minutes": current.offline_after_minutes,
        "default_team": current.default_team,
    }  # fmt: skip
    for priority, (first, resolution) in sla.targets_for(member.organisation).items():
        initial[f"first_{priority}"], initial[f"resolution_{priority}"] = first, resolution
    return initial


@member_view
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest, member: Member) -> HttpResponse:
    """Business hours, response-time targets per priority, days off, and how each team assigns."""
    _require(queries.can_configure(member))
    org = member.organisation
    form = SettingsForm(request.POST or None, initial=_settings_initial(member), organisation=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            config.update_settings(
                actor=request.user, organisation=org, time_zone=data["time_zone"].strip(), day_start=data["day_start"],
                day_end=data["day_end"], workdays=data["workdays"], public_holidays=data["public_holidays"],
                warning_minutes=data["warning_minutes"], offline_after_minutes=data["offline_after_minutes"],
                default_team=data["default_team"], targets=form.targets(),
            )  # fmt: skip
        except InboxError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Inbox settings saved."))
            return redirect("inbox:settings", org_slug=org.slug)
    team_rows = [(team, TeamInbox.objects.filter(team=team).first()) for team in queries.teams(org)]
    context = _ctx(
        member, form=form, day_form=DayOverrideForm(), overrides=DayOverride.objects.filter(organisation=org),
        team_rows=team_rows, modes=AssignmentMode.choices, priorities=Priority.choices,
    )  # fmt: skip
    return render(request, "inbox/settings.html", context)


@member_view
@require_POST
def day_add(request: HttpRequest, member: Member) -> HttpResponse:
    _require(queries.can_configure(member))
    form = DayOverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid date."))
    else:
        try:
            config.add_day_override(
                actor=request.user, organisation=member.organisation, day=form.cleaned_data["date"],
                is_working_day=form.cleaned_data["is_working_day"], note=form.cleaned_data["note"],
            )  # fmt: skip
        except InboxError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Day saved."))
    return redirect("inbox:settings", org_slug=member.organisation.slug)


@member_view
@require_POST
def day_delete(request: HttpRequest, member: Member, day_id: Any) -> HttpResponse:
    override = access.get_object_for_member(DayOverride, member, day_id)
    _require(queries.can_configure(member))
    config.delete_day_override(actor=request.user, override=override)
    messages.success(request, _("Day removed."))
    return redirect("inbox:settings", org_slug=member.organisation.slug)


@member_view
@require_POST
def team_assignment(request: HttpRequest, member: Member, team_id: Any) -> HttpResponse:
    team = access.get_object_for_member(Team, member, team_id)
    _require(queries.can_configure(member))
    try:
        capacity = int(request.POST.get("capacity", ""))
    except ValueError:
        capacity = -1
    try:
        config.set_team_assignment(
            actor=request.user, team=team, assignment=request.POST.get("assignment", ""), capacity=capacity
        )
    except InboxError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Team “%(name)s” saved.") % {"name": team.name})
    return redirect("inbox:settings", org_slug=member.organisation.slug)
