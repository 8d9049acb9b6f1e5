"""The audit log page (filter, paginate, chain status) and its JSON Lines export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, Any, cast

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from juru.accounts import access
from juru.accounts.models import Member, OrgAction
from juru.audit.labels import action_phrase, actor_name, object_kind
from juru.audit.models import AuditEvent
from juru.audit.services import export_events
from juru.audit.verify import verify_chain
from juru.web.decorators import member_view
from juru.web.htmx import render_page_or_partial

PAGE_SIZE = 50


@dataclass(frozen=True)
class EventRow:
    """One event with what a reader sees: the person's name and the action as a phrase."""

    event: AuditEvent
    actor_name: str
    actor_username: str
    action_phrase: str
    object_kind: str

    @classmethod
    def of(cls, event: AuditEvent) -> EventRow:
        name, username = actor_name(event)
        return cls(
            event=event,
            actor_name=name,
            actor_username=username,
            action_phrase=action_phrase(event.action),
            object_kind=object_kind(event.object_type) if event.object_type else "",
        )


class AuditFilterForm(forms.Form):
    """Filters of the audit log; every field is optional."""

    action = forms.CharField(label=_("Action"), required=False, max_length=80)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=200)
    object = forms.CharField(label=_("Object"), required=False, max_length=80)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date is before the start date."))
        return data


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filter_events(events: QuerySet[AuditEvent], data: dict[str, Any]) -> QuerySet[AuditEvent]:
    """Apply the filter form's cleaned data."""
    if data.get("action"):
        events = events.filter(action__istartswith=data["action"])
    if data.get("actor"):
        events = events.filter(actor_label__icontains=data["actor"])
    if data.get("object"):
        term = data["object"]
        events = events.filter(Q(object_id__istartswith=term) | Q(object_type__icontains=term))
    if data.get("start"):
        events = events.filter(created_at__gte=_day_start(data["start"]))
    if data.get("end"):
        events = events.filter(created_at__lt=_day_start(data["end"]) + timedelta(days=1))
    return events


def _require_audit(member: Member) -> None:
    if not access.role_can(member, OrgAction.VIEW_AUDIT):
        raise Http404


@member_view
@require_GET
def event_list(request: HttpRequest, member: Member) -> HttpResponse:
    """The organisation's audit events, newest first, with the chain's verification status."""
    _require_audit(member)
    form = AuditFilterForm(request.GET or None)
    events: QuerySet[AuditEvent] = AuditEvent.objects.filter(organisation=member.organisation).order_by("-seq")
    if form.is_bound and form.is_valid():
        events = filter_events(events, form.cleaned_data)
    page = Paginator(events.select_related("actor"), PAGE_SIZE).get_page(request.GET.get("page"))
    actions = (
        AuditEvent.objects.filter(organisation=member.organisation)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
    context = {
        "member": member,
        "slug": member.organisation.slug,
        "section": "audit",
        "form": form,
        "page_obj": page,
        "rows": [EventRow.of(event) for event in page],
        "actions": [(code, action_phrase(code)) for code in actions],
        "problems": verify_chain(),
    }
    return render_page_or_partial(request, "audit/event_list.html", context, partial="results")


@member_view
@require_GET
def event_export(request: HttpRequest, member: Member) -> HttpResponse:
    """The organisation's events as JSON Lines with their hashes, for archiving."""
    _require_audit(member)
    response = HttpResponse(content_type="application/x-ndjson; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="juru-audit-{member.organisation.slug}-{stamp}.jsonl"'
    # HttpResponse is file-like (write() takes str), which is all export_events needs.
    export_events(cast(IO[str], response), organisation=member.organisation)
    return response
