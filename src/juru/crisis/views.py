"""Crisis pages: the current crisis and its history, declaring (by hand or from an alert), ending,
the review list of held posts, and the timeline report.

One function view per URL; writes go through ``juru.crisis.services``; objects through
``juru.accounts.access`` (404 for another organisation's). Domain errors become messages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from juru.accounts import access
from juru.accounts.models import Member
from juru.crisis import queries, report, services
from juru.crisis.exceptions import CrisisError
from juru.crisis.forms import DeclareForm, EndForm, RescheduleForm
from juru.crisis.models import Crisis, HeldPost
from juru.listening.models import Alert
from juru.web.decorators import member_view


def _ctx(member: Member, **extra: Any) -> dict[str, Any]:
    return {"member": member, "slug": member.organisation.slug, "section": "crisis", **extra}


def _crisis(member: Member, crisis_id: Any) -> Crisis:
    queryset = Crisis.objects.select_related("alert__query", "alert__account", "declared_by__user", "ended_by__user")
    return access.get_object_for_member(queryset, member, crisis_id)


def _to_detail(crisis: Crisis) -> HttpResponse:
    return redirect("crisis:detail", org_slug=crisis.organisation.slug, crisis_id=crisis.public_id)


@member_view
@require_GET
def home(request: HttpRequest, member: Member) -> HttpResponse:
    """The active crisis (if any), the way to declare one, and the history of past crises."""
    org = member.organisation
    context = _ctx(
        member,
        active=queries.active_crisis(org),
        crises=queries.history(org)[:100],
        may_declare=services.may_declare(member),
    )
    return render(request, "crisis/home.html", context)


def _alert_from(member: Member, value: str) -> Alert | None:
    if not value:
        return None
    return access.get_object_for_member(Alert.objects.select_related("query", "account"), member, value)


@member_view
@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest, member: Member) -> HttpResponse:
    """Declare a crisis, by hand or from an alert (``?alert=<id>`` fills in what the alert knows)."""
    if not services.may_declare(member):
        raise Http404
    alert = _alert_from(member, request.POST.get("alert") or request.GET.get("alert", ""))
    initial = {}
    if alert is not None:
        initial = {
            "severity": alert.severity,
            "description": _("Spike in %(sentiment)s mentions of %(subject)s: %(terms)s")
            % {
                "sentiment": alert.get_sentiment_display().lower(),
                "subject": alert.subject,
                "terms": ", ".join(alert.top_terms[:5]),
            },
        }
    form = DeclareForm(request.POST or None, initial=initial)
    active = queries.active_crisis(member.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            crisis = services.declare_crisis(
                actor=member,
                severity=form.cleaned_data["severity"],
                description=form.cleaned_data["description"],
                alert=alert,
            )
        except CrisisError as exc:
            messages.error(request, exc.message)
        else:
            messages.warning(request, _("Crisis declared. The scheduled queue is paused."))
            return _to_detail(crisis)
    return render(request, "crisis/declare.html", _ctx(member, form=form, alert=alert, active=active))


@member_view
def detail(request: HttpRequest, member: Member, crisis_id: Any) -> HttpResponse:
    """One crisis: what it is, what the pause holds back, and the way to end it."""
    crisis = _crisis(member, crisis_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])  # after the lookup: another organisation's crisis is "not found"
    context = _ctx(
        member,
        crisis=crisis,
        timeline=report.timeline(crisis),
        paused=list(queries.paused_posts(member.organisation)[:200]) if crisis.is_active else [],
        waiting=queries.waiting_count(crisis),
        may_declare=services.may_declare(member),
        end_form=EndForm(),
    )
    return render(request, "crisis/detail.html", context)


@member_view
@require_POST
def end(request: HttpRequest, member: Member, crisis_id: Any) -> HttpResponse:
    """End the crisis; held posts go to the review list."""
    crisis = _crisis(member, crisis_id)
    if not services.may_declare(member):
        raise Http404
    form = EndForm(request.POST)
    summary = form.cleaned_data["summary"] if form.is_valid() else ""
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _to_detail(crisis)
    try:
        services.end_crisis(actor=member, crisis=crisis, summary=summary)
    except CrisisError as exc:
        messages.error(request, exc.message)
        return _to_detail(crisis)
    messages.success(request, _("Crisis ended. Review the held posts one by one."))
    return redirect("crisis:review", org_slug=member.organisation.slug, crisis_id=crisis.public_id)


@member_view
def review(request: HttpRequest, member: Member, crisis_id: Any) -> HttpResponse:
    """The posts the crisis held back: release, reschedule or cancel each one."""
    crisis = _crisis(member, crisis_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])  # after the lookup: another organisation's crisis is "not found"
    held = list(queries.held_posts(crisis))
    for item in held:
        item.may_review = services.may_review(member, item)  # type: ignore[attr-defined]
    context = _ctx(member, crisis=crisis, held=held, reschedule_form=RescheduleForm())
    return render(request, "crisis/review.html", context)


@member_view
@require_POST
def decide_held(request: HttpRequest, member: Member, crisis_id: Any, held_id: Any) -> HttpResponse:
    """Release, reschedule or cancel one held post."""
    crisis = _crisis(member, crisis_id)
    held = access.get_object_for_member(
        HeldPost.objects.filter(crisis=crisis).select_related("post__account"), member, held_id
    )
    if not services.may_review(member, held):
        raise Http404
    action = request.POST.get("action", "")
    back = redirect("crisis:review", org_slug=member.organisation.slug, crisis_id=crisis.public_id)
    try:
        if action == "release":
            services.release_held_post(actor=member, held=held)
            messages.success(request, _("Released: the post goes out at the next sweep."))
        elif action == "reschedule":
            form = RescheduleForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
                return back
            services.release_held_post(actor=member, held=held, when=form.cleaned_data["when"])
            messages.success(request, _("Rescheduled."))
        elif action == "cancel":
            services.cancel_held_post(actor=member, held=held)
            messages.success(request, _("Cancelled: the post will not be sent."))
        else:
            messages.error(request, _("Choose release, reschedule or cancel."))
    except CrisisError as exc:
        messages.error(request, exc.message)
    return back


@member_view
def report_page(request: HttpRequest, member: Member, crisis_id: Any) -> HttpResponse:
    """The timeline report, in the app."""
    crisis = _crisis(member, crisis_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])  # after the lookup: another organisation's crisis is "not found"
    return render(request, "crisis/report.html", _ctx(member, crisis=crisis, report=report.build(crisis)))


@member_view
def report_download(request: HttpRequest, member: Member, crisis_id: Any) -> HttpResponse:
    """The timeline report as a standalone HTML file."""
    crisis = _crisis(member, crisis_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])  # after the lookup: another organisation's crisis is "not found"
    response = HttpResponse(report.render_document(crisis), content_type="text/html; charset=utf-8")
    name = f"crisis-{crisis.declared_at:%Y%m%d-%H%M}.html"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
