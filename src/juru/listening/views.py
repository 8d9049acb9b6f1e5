"""Listening pages: mentions with filters and charts, queries, alerts, alert settings.

One function view per URL; writes go through ``juru.listening.services``; objects through
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
from juru.accounts.models import Member, OrgAction, TeamKind, TeamMembership
from juru.listening import queries, services
from juru.listening.exceptions import ListeningError
from juru.listening.forms import AlertSettingsForm, QueryForm
from juru.listening.models import Alert, AlertStatus, ListeningQuery, Mention, Sentiment
from juru.web import charts
from juru.web.decorators import member_view

MENTIONS_SHOWN = 100


def _ctx(member: Member, **extra: Any) -> dict[str, Any]:
    return {"member": member, "slug": member.organisation.slug, "section": "listening", **extra}


def can_manage(member: Member) -> bool:
    """Queries and alert settings are managed by those who manage the organisation's accounts."""
    return access.role_can(member, OrgAction.MANAGE_ACCOUNTS)


def can_acknowledge(member: Member) -> bool:
    """Those who may declare a crisis, and crisis-team members, take charge of alerts."""
    if access.role_can(member, OrgAction.DECLARE_CRISIS):
        return True
    return TeamMembership.objects.filter(member=member, team__kind=TeamKind.CRISIS).exists()


def _require(allowed: bool) -> None:
    """Like every organisation page: what a role may not do is answered as "not found"."""
    if not allowed:
        raise Http404


@member_view
@require_GET
def overview(request: HttpRequest, member: Member) -> HttpResponse:
    """Mentions with filters, volume and sentiment over time, top terms."""
    org = member.organisation
    filters = queries.parse_filters(org, request.GET)
    found = queries.mentions(org, filters)
    buckets = queries.series(found, filters)
    context = _ctx(
        member,
        filters=filters,
        params=filters.as_params(),
        chart=charts.volume_chart(buckets, hourly=filters.period == "24h"),
        totals={s: sum(getattr(b, s) for b in buckets) for s in Sentiment.values},
        terms=queries.terms(found, exclude=queries.query_words(filters.query)),
        mentions=list(found[:MENTIONS_SHOWN]),
        query_choices=queries.queries_for(org),
        sentiments=Sentiment.choices,
        languages=[("id", _("Indonesian")), ("en", _("English")), ("mixed", _("Mixed"))],
        networks=queries.networks(org),
        periods=[("24h", _("Last 24 hours")), ("7d", _("Last 7 days")), ("30d", _("Last 30 days"))],
        open_alerts=queries.alerts(org, AlertStatus.OPEN)[:5],
    )
    return render(request, "listening/overview.html", context)


@member_view
@require_http_methods(["GET", "POST"])
def query_list(request: HttpRequest, member: Member) -> HttpResponse:
    """The organisation's queries, and a form for a new one."""
    form = QueryForm(request.POST or None)
    if request.method == "POST":
        _require(can_manage(member))
        if form.is_valid():
            try:
                query = services.create_query(
                    actor=request.user,
                    organisation=member.organisation,
                    **{k: form.cleaned_data[k] for k in ("name", "kind", "terms", "exclusions", "language")},
                )
            except ListeningError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Query “%(name)s” created.") % {"name": query.name})
                return redirect("listening:query-list", org_slug=member.organisation.slug)
    context = _ctx(member, queries=queries.queries_for(member.organisation), form=form, can_manage=can_manage(member))
    return render(request, "listening/query_list.html", context)


def _query(member: Member, query_id: Any) -> ListeningQuery:
    return access.get_object_for_member(ListeningQuery, member, query_id)


@member_view
@require_http_methods(["GET", "POST"])
def query_edit(request: HttpRequest, member: Member, query_id: Any) -> HttpResponse:
    """Change a query's words, exclusions, language or switch it off."""
    query = _query(member, query_id)
    _require(can_manage(member))
    form = QueryForm(request.POST or None, instance=query)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_query(
                actor=request.user,
                query=ListeningQuery.objects.get(pk=query.pk),
                **{k: form.cleaned_data[k] for k in ("name", "kind", "terms", "exclusions", "language", "is_active")},
            )
        except ListeningError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Query saved."))
            return redirect("listening:query-list", org_slug=member.organisation.slug)
    return render(request, "listening/query_edit.html", _ctx(member, query=query, form=form))


@member_view
@require_POST
def query_delete(request: HttpRequest, member: Member, query_id: Any) -> HttpResponse:
    """Remove a query (its mentions stay)."""
    query = _query(member, query_id)
    _require(can_manage(member))
    services.delete_query(actor=request.user, query=query)
    messages.success(request, _("Query “%(name)s” removed.") % {"name": query.name})
    return redirect("listening:query-list", org_slug=member.organisation.slug)


@member_view
@require_GET
def alert_list(request: HttpRequest, member: Member) -> HttpResponse:
    """Alerts, open ones first in the badge; filter by status."""
    status = request.GET.get("status", "")
    status = status if status in AlertStatus.values else ""
    found = queries.alerts(member.organisation, status)[:200]
    context = _ctx(member, alerts=found, status=status, statuses=AlertStatus.choices)
    return render(request, "listening/alert_list.html", context)


def _alert(member: Member, alert_id: Any) -> Alert:
    return access.get_object_for_member(Alert.objects.select_related("query", "account"), member, alert_id)


@member_view
def alert_detail(request: HttpRequest, member: Member, alert_id: Any) -> HttpResponse:
    """One alert with its evidence: observed against expected, top terms, example mentions."""
    alert = _alert(member, alert_id)  # another organisation's alert is "not found" whatever the method
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    ids = [example.get("id") for example in alert.examples]
    examples = Mention.objects.filter(organisation=member.organisation, public_id__in=[i for i in ids if i])
    context = _ctx(
        member,
        alert=alert,
        examples=examples,
        can_acknowledge=can_acknowledge(member),
        can_declare=access.role_can(member, OrgAction.DECLARE_CRISIS),
    )
    return render(request, "listening/alert_detail.html", context)


@member_view
@require_POST
def alert_acknowledge(request: HttpRequest, member: Member, alert_id: Any) -> HttpResponse:
    """Take charge of an alert."""
    alert = _alert(member, alert_id)
    _require(can_acknowledge(member))
    try:
        services.acknowledge_alert(actor=request.user, alert=alert)
    except ListeningError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Alert acknowledged."))
    return redirect("listening:alert-detail", org_slug=member.organisation.slug, alert_id=alert.public_id)


@member_view
@require_http_methods(["GET", "POST"])
def alert_settings(request: HttpRequest, member: Member) -> HttpResponse:
    """Where alerts go: e-mail to owners and the crisis team, and a signed webhook."""
    _require(can_manage(member))
    current = services.alert_settings(member.organisation)
    form = AlertSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_alert_settings(
                actor=request.user,
                organisation=member.organisation,
                email_enabled=form.cleaned_data["email_enabled"],
                webhook_url=form.cleaned_data["webhook_url"],
                rotate_secret=form.cleaned_data["rotate_secret"],
            )
        except ListeningError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Alert settings saved."))
            return redirect("listening:alert-settings", org_slug=member.organisation.slug)
    context = _ctx(member, form=form, settings_obj=services.alert_settings(member.organisation))
    return render(request, "listening/alert_settings.html", context)
