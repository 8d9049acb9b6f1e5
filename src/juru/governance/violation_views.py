"""Violation cases in the product: the list, opening a case, its workflow and decision, the ladder, repeat offenders.

Handling cases follows ``OrgAction.MANAGE_POLICY`` (404 otherwise). Any member may report a
violation (from a blocked draft or a published post, or by hand); the member a case is about
reads its decision on the case page (without the investigation notes) and confirms reading it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from juru.accounts import roles, tenancy
from juru.accounts.models import Member, OrgAction
from juru.governance import queries, services
from juru.governance.exceptions import GovernanceError
from juru.governance.forms import CaseForm, DecisionForm, LadderStepForm, step_label
from juru.governance.models import (
    ConsequenceStep,
    Severity,
    ViolationCase,
    ViolationSource,
    ViolationState,
)
from juru.governance.services.violations import DECIDABLE
from juru.governance.views import not_a_read, page_context, require_manage
from juru.publishing.models import Draft, Post
from juru.web.decorators import member_view

PAGE = 100
WINDOWS = {"90": 90, "365": 365, "all": None}  # repeat offenders: days to look back


def _context(member: Member, **extra: Any) -> dict[str, Any]:
    return page_context(member, **extra) | {"section": "violations"}


def _to_case(member: Member, case: ViolationCase) -> HttpResponse:
    return redirect("governance:violation_detail", org_slug=member.organisation.slug, case_id=case.public_id)


@member_view
@require_GET
def violations(request: HttpRequest, member: Member) -> HttpResponse:
    """Every case, newest first, narrowed by state, member, rule, severity and source."""
    require_manage(member)
    fields = ("state", "member", "rule", "severity", "source")
    filters = queries.CaseFilters(**{key: request.GET.get(key, "").strip() for key in fields})
    cases = queries.violation_cases(member.organisation, filters)
    context = _context(
        member, cases=cases[:PAGE], filters=filters, states=ViolationState.choices, severities=Severity.choices,
        sources=ViolationSource.choices,
        members=Member.objects.filter(organisation=member.organisation).select_related("user").order_by("user__username"),
    )  # fmt: skip
    return render(request, "governance/violations.html", context)


def _prefill(member: Member, request: HttpRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    """Initial form values and the case's links, from ``?draft=`` or ``?post=`` (see ``case_prefill``)."""
    draft_id = request.GET.get("draft") or request.POST.get("draft")
    post_id = request.GET.get("post") or request.POST.get("post")
    return case_prefill(member, draft_id or None, post_id or None)


def case_prefill(member: Member, draft_id: Any, post_id: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Initial case values and the case's links (with its source), from a blocked draft or a published post."""
    if draft_id:
        draft = tenancy.get_object_for_member(Draft.objects.select_related("author"), member, draft_id)
        decision = draft.decisions.filter(verdict="block").order_by("-created_at").first()
        hits = [h for h in (decision.hits if decision else []) if h.get("action") == "block"]
        initial = {"member": draft.author.public_id, "content": draft.text,
                   "rules": ", ".join(sorted({h["rule"] for h in hits})), "severity": _worst(hits)}  # fmt: skip
        return initial, {"draft": draft, "scan_decision": decision, "source": ViolationSource.BLOCKED_DRAFT}
    if post_id:
        post = tenancy.get_object_for_member(Post.objects.select_related("draft__author"), member, post_id)
        source = ViolationSource.FLAGGED_REPLY if post.reply_to else ViolationSource.PUBLISHED_POST
        initial = {"member": post.draft.author.public_id, "content": post.body}
        return initial, {"post": post, "draft": post.draft, "source": source}
    return {}, {"source": ViolationSource.MANUAL}


def _worst(hits: list[dict[str, Any]]) -> str:
    order = list(Severity.values)
    found = [h.get("severity", "") for h in hits if h.get("severity") in order]
    return max(found, key=order.index) if found else ""


@member_view
@require_http_methods(["GET", "POST"])
def violation_new(request: HttpRequest, member: Member) -> HttpResponse:
    """Report a violation: by hand, or from a blocked draft or a published post (prefilled)."""
    initial, links = _prefill(member, request)
    form = CaseForm(request.POST or None, initial=initial, organisation=member.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.open_case(
                actor=member, member=data["member"], reason=data["reason"], rules=form.rule_list(),
                severity=data["severity"], content=data["content"], **links,
            )  # fmt: skip
        except GovernanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The violation case was opened."))
            if roles.role_can(member, OrgAction.MANAGE_POLICY):
                return _to_case(member, case)
            return redirect("web:org_home", org_slug=member.organisation.slug)
    context = _context(member, form=form, links=links)
    return render(request, "governance/violation_new.html", context)


def visible_case(member: Member, case_id: Any) -> ViolationCase:
    """The case if the member manages cases or it is about them; 404 otherwise."""
    related = ViolationCase.objects.select_related(
        "member__user", "opened_by__user", "decided_by__user", "suspension", "retraining_module", "draft", "post"
    )
    case = tenancy.get_object_for_member(related, member, case_id)
    if case.member_id != member.pk and not roles.role_can(member, OrgAction.MANAGE_POLICY):
        raise Http404
    return case


@member_view
def violation_detail(request: HttpRequest, member: Member, case_id: str) -> HttpResponse:
    """One case: what happened, the notes, the workflow buttons and the decision."""
    case = visible_case(member, case_id)
    if refused := not_a_read(request):
        return refused
    manages = roles.role_can(member, OrgAction.MANAGE_POLICY)
    steps = queries.ladder(member.organisation)
    suggested = queries.suggested_step(case, steps)
    form = DecisionForm(steps=steps, initial={"step": str(suggested.public_id) if suggested else "none"})
    context = _context(
        member, case=case, manages=manages, notes=case.notes.select_related("author__user") if manages else [],
        decision_form=form, suggested=step_label(suggested) if suggested else "",
        earlier=queries.earlier_offences(case) if manages else 0, can_decide=case.state in DECIDABLE,
        moves=[(state, ViolationState(state).label) for state in (ViolationState.INVESTIGATING, ViolationState.CLOSED)
               if case.can_move_to(state)],
        can_reopen=case.can_move_to(ViolationState.REOPENED), is_subject=case.member_id == member.pk,
    )  # fmt: skip
    return render(request, "governance/violation_detail.html", context)


def _attempt(request: HttpRequest, member: Member, case: ViolationCase, action: Any, success: str) -> HttpResponse:
    try:
        action()
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return _to_case(member, case)


@member_view
@require_POST
def violation_move(request: HttpRequest, member: Member, case_id: str) -> HttpResponse:
    """Investigate, close or reopen a case."""
    require_manage(member)
    case = visible_case(member, case_id)
    target = request.POST.get("state", "")
    if target == ViolationState.INVESTIGATING:
        return _attempt(request, member, case, lambda: services.start_investigation(actor=member, case=case),
                        _("The case is being investigated."))  # fmt: skip
    if target == ViolationState.CLOSED:
        return _attempt(request, member, case, lambda: services.close_case(actor=member, case=case),
                        _("The case is closed."))  # fmt: skip
    if target == ViolationState.REOPENED:
        reason = request.POST.get("reason", "")
        return _attempt(request, member, case, lambda: services.reopen_case(actor=member, case=case, reason=reason),
                        _("The case is open again."))  # fmt: skip
    messages.error(request, _("Choose what to do with the case."))
    return _to_case(member, case)


@member_view
@require_POST
def violation_note(request: HttpRequest, member: Member, case_id: str) -> HttpResponse:
    """Add an investigation note."""
    require_manage(member)
    case = visible_case(member, case_id)
    text = request.POST.get("text", "")
    return _attempt(request, member, case, lambda: services.add_note(actor=member, case=case, text=text),
                    _("Note added."))  # fmt: skip


@member_view
@require_POST
def violation_decide(request: HttpRequest, member: Member, case_id: str) -> HttpResponse:
    """Decide the case with a rung of the ladder; the consequence applies at once."""
    require_manage(member)
    case = visible_case(member, case_id)
    form = DecisionForm(request.POST, steps=queries.ladder(member.organisation))
    if not form.is_valid():
        messages.error(request, _("Choose a consequence and explain the decision."))
        return _to_case(member, case)
    step, note = form.chosen_step(), form.cleaned_data["note"]
    return _attempt(request, member, case, lambda: services.decide_case(actor=member, case=case, step=step, note=note),
                    _("The case is decided; the member was told."))  # fmt: skip


@member_view
@require_POST
def violation_seen(request: HttpRequest, member: Member, case_id: str) -> HttpResponse:
    """The member concerned confirms reading the decision."""
    case = visible_case(member, case_id)
    return _attempt(request, member, case, lambda: services.mark_seen(member=member, case=case),
                    _("Thank you for reading the decision."))  # fmt: skip


@member_view
@require_http_methods(["GET", "POST"])
def violation_ladder(request: HttpRequest, member: Member) -> HttpResponse:
    """The organisation's consequence ladder: add and remove rungs, or start from the suggested one."""
    require_manage(member)
    form = LadderStepForm(request.POST or None, organisation=member.organisation)
    if request.method == "POST" and "suggested" in request.POST:
        try:
            module = form.fields["module"].clean(request.POST.get("module"))
        except ValidationError:
            module = None
        try:
            services.install_suggested_ladder(actor=member, module=module)
        except GovernanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The suggested ladder is in place; change it as you need."))
        return redirect("governance:violation_ladder", org_slug=member.organisation.slug)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_ladder_step(actor=member, consequence=data["consequence"], days=data["days"],
                                     module=data["module"])  # fmt: skip
        except GovernanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The step was added to the ladder."))
            return redirect("governance:violation_ladder", org_slug=member.organisation.slug)
    steps = [(step, step_label(step)) for step in queries.ladder(member.organisation)]
    return render(request, "governance/violation_ladder.html", _context(member, form=form, steps=steps))


@member_view
@require_POST
def violation_ladder_remove(request: HttpRequest, member: Member, step_id: str) -> HttpResponse:
    """Take a rung off the ladder."""
    require_manage(member)
    step = tenancy.get_object_for_member(ConsequenceStep, member, step_id)
    services.remove_ladder_step(actor=member, step=step)
    messages.success(request, _("The step was removed from the ladder."))
    return redirect("governance:violation_ladder", org_slug=member.organisation.slug)


@member_view
@require_GET
def repeat_offenders(request: HttpRequest, member: Member) -> HttpResponse:
    """Cases per person and per rule over a period, most first."""
    require_manage(member)
    window = request.GET.get("window", "365")
    days = WINDOWS.get(window, 365)
    since = timezone.now() - timedelta(days=days) if days else None
    context = _context(
        member, people=queries.repeat_offenders(member.organisation, since), rules=queries.cases_per_rule(
            member.organisation, since), window=window if window in WINDOWS else "365",
    )  # fmt: skip
    return render(request, "governance/repeat_offenders.html", context)
