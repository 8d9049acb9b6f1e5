"""Goals pages: the dashboard, business functions, objectives and targets, pilots, the monthly report.

Every member sees the dashboard and the reports; owners and administrators (those who change the
organisation's settings) edit functions, objectives, targets and pilots. Writes go through
``juru.goals.services``; domain errors become messages and the form keeps what was typed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from juru.accounts import access
from juru.accounts.models import Member, OrgAction
from juru.goals import queries, report, services
from juru.goals.exceptions import GoalsError
from juru.goals.forms import FunctionForm, ObjectiveForm, PilotForm, TargetForm
from juru.goals.models import Objective, Pilot, Target
from juru.web.decorators import member_view


def _ctx(member: Member, **extra: Any) -> dict[str, Any]:
    return {"member": member, "slug": member.organisation.slug, "can_manage": can_manage(member), **extra}


def can_manage(member: Member) -> bool:
    """Goals are set by those who change the organisation's settings."""
    return access.role_can(member, OrgAction.MANAGE_ORGANISATION)


def _require_manage(member: Member) -> None:
    """Like every organisation page: what a role may not do is answered as "not found"."""
    if not can_manage(member):
        raise Http404


def _month(request: HttpRequest, default: date) -> date:
    text = request.GET.get("month", "")
    if not text:
        return default
    try:
        return queries.parse_month(text)
    except GoalsError as exc:
        messages.error(request, exc.message)
        return default


@member_view
@require_GET
def dashboard(request: HttpRequest, member: Member) -> HttpResponse:
    """KPIs, charts and progress against targets for one month (this month by default)."""
    month = _month(request, queries.this_month())
    data = report.build(member.organisation, month)
    context = _ctx(
        member,
        report=data,
        month=month,
        previous=queries.previous_month(month),
        following=queries.next_month(month) if month < queries.this_month() else None,
    )
    return render(request, "goals/dashboard.html", context)


@member_view
@require_http_methods(["GET", "POST"])
def functions(request: HttpRequest, member: Member) -> HttpResponse:
    """The business functions with the organisation's names for them; owners rename and describe them."""
    rows = queries.functions(member.organisation)
    by_function = {
        row.function: FunctionForm(prefix=row.function, initial={"name": row.name, "description": row.description})
        for row in rows
    }
    if request.method == "POST":
        _require_manage(member)
        function = request.POST.get("function", "")
        if function not in by_function:
            raise Http404
        form = by_function[function] = FunctionForm(request.POST, prefix=function)
        if form.is_valid():
            try:
                services.save_profile(
                    actor=request.user, organisation=member.organisation, function=function, **form.cleaned_data
                )
            except GoalsError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Business function saved."))
                return redirect("goals:functions", org_slug=member.organisation.slug)
    context = _ctx(member, rows=[(row, by_function[row.function]) for row in rows])
    return render(request, "goals/functions.html", context)


def _objective(member: Member, objective_id: Any) -> Objective:
    return access.get_object_for_member(Objective, member, objective_id)


@member_view
@require_http_methods(["GET", "POST"])
def objective_new(request: HttpRequest, member: Member) -> HttpResponse:
    """A new objective for one business function."""
    _require_manage(member)
    names = queries.function_names(member.organisation)
    initial = {"function": request.GET.get("function", "")}
    form = ObjectiveForm(request.POST or None, initial=initial, function_names=names)
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.create_objective(
                actor=request.user, organisation=member.organisation, created_by=member, **form.cleaned_data
            )
        except GoalsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Objective created. Now give it targets."))
            return redirect("goals:objective", org_slug=member.organisation.slug, objective_id=objective.public_id)
    return render(request, "goals/objective_form.html", _ctx(member, form=form, objective=None))


@member_view
@require_http_methods(["GET", "POST"])
def objective_detail(request: HttpRequest, member: Member, objective_id: Any) -> HttpResponse:
    """An objective with its targets and their progress; owners edit it and set targets."""
    objective = _objective(member, objective_id)
    names = queries.function_names(member.organisation)
    initial = {k: getattr(objective, k) for k in ("function", "title", "description", "period_start", "period_end")}
    form = ObjectiveForm(initial=initial, function_names=names)
    target_form = TargetForm()
    if request.method == "POST":
        _require_manage(member)
        if "kpi" in request.POST:
            target_form = TargetForm(request.POST)
            if target_form.is_valid():
                try:
                    services.set_target(actor=request.user, objective=objective, **target_form.cleaned_data)
                except GoalsError as exc:
                    target_form.add_error(None, exc.message)
                else:
                    messages.success(request, _("Target saved."))
                    return redirect(
                        "goals:objective", org_slug=member.organisation.slug, objective_id=objective.public_id
                    )
        else:
            form = ObjectiveForm(request.POST, function_names=names)
            if form.is_valid():
                try:
                    services.update_objective(actor=request.user, objective=objective, **form.cleaned_data)
                except GoalsError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("Objective saved."))
                    return redirect(
                        "goals:objective", org_slug=member.organisation.slug, objective_id=objective.public_id
                    )
    progress = [queries.progress(t, objective) for t in objective.targets.all()]
    context = _ctx(
        member,
        objective=objective,
        function_name=names.get(objective.function, ""),
        form=form,
        target_form=target_form,
        progress=progress,
    )
    return render(request, "goals/objective_detail.html", context)


@member_view
@require_POST
def objective_delete(request: HttpRequest, member: Member, objective_id: Any) -> HttpResponse:
    objective = _objective(member, objective_id)
    _require_manage(member)
    services.delete_objective(actor=request.user, objective=objective)
    messages.success(request, _("Objective “%(title)s” removed.") % {"title": objective.title})
    return redirect("goals:dashboard", org_slug=member.organisation.slug)


@member_view
@require_POST
def target_delete(request: HttpRequest, member: Member, objective_id: Any, target_id: Any) -> HttpResponse:
    objective = _objective(member, objective_id)
    _require_manage(member)
    target = Target.objects.filter(objective=objective, public_id=target_id).first()
    if target is None:
        raise Http404
    services.delete_target(actor=request.user, target=target)
    messages.success(request, _("Target removed."))
    return redirect("goals:objective", org_slug=member.organisation.slug, objective_id=objective.public_id)


@member_view
@require_http_methods(["GET", "POST"])
def pilots(request: HttpRequest, member: Member) -> HttpResponse:
    """Pilot programmes, and a form for a new one."""
    form = PilotForm(request.POST or None, organisation=member.organisation)
    if request.method == "POST":
        _require_manage(member)
        if form.is_valid():
            try:
                services.save_pilot(actor=request.user, organisation=member.organisation, **form.cleaned_data)
            except GoalsError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Pilot programme saved."))
                return redirect("goals:pilots", org_slug=member.organisation.slug)
    found = Pilot.objects.filter(organisation=member.organisation).select_related("team")
    return render(request, "goals/pilots.html", _ctx(member, pilots=found, form=form))


@member_view
@require_http_methods(["GET", "POST"])
def pilot_edit(request: HttpRequest, member: Member, pilot_id: Any) -> HttpResponse:
    """Change a pilot programme: its team, weeks, and what worked."""
    pilot = access.get_object_for_member(Pilot, member, pilot_id)
    _require_manage(member)
    initial = {"name": pilot.name, "team": pilot.team, "start": pilot.start, "end": pilot.end, "lessons": pilot.lessons}
    form = PilotForm(request.POST or None, initial=initial, organisation=member.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_pilot(actor=request.user, organisation=member.organisation, pilot=pilot, **form.cleaned_data)
        except GoalsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Pilot programme saved."))
            return redirect("goals:pilots", org_slug=member.organisation.slug)
    return render(request, "goals/pilot_edit.html", _ctx(member, pilot=pilot, form=form))


@member_view
@require_GET
def report_page(request: HttpRequest, member: Member) -> HttpResponse:
    """The monthly report (last month unless ``?month=YYYY-MM``) as a page, with its PDF in both languages."""
    wanted = _month(request, queries.previous_month(queries.this_month()))
    data = report.build(member.organisation, wanted)
    context = _ctx(
        member, report=data, month=wanted, previous=queries.previous_month(wanted), following=queries.next_month(wanted)
    )
    return render(request, "goals/report.html", context)


@member_view
@require_GET
def report_pdf(request: HttpRequest, member: Member) -> HttpResponse:
    """The monthly report as PDF, in the page language or the one asked for (``?lang=id|en``)."""
    from juru.goals.pdf import report_pdf as make_pdf  # noqa: PLC0415  (WeasyPrint loads only for PDFs)

    try:
        wanted = queries.parse_month(request.GET.get("month", ""))
    except GoalsError:
        wanted = queries.previous_month(queries.this_month())
    lang = request.GET.get("lang") or translation.get_language() or "id"
    if lang not in ("id", "en"):
        raise Http404
    response = HttpResponse(make_pdf(member.organisation, wanted, lang), content_type="application/pdf")
    name = f"juru-{member.organisation.slug}-{wanted:%Y-%m}-{lang}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
