"""Reads of the audit log for the UI and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from juru.accounts.models import Organisation
from juru.audit.models import AuditEvent


def events_for_organisation(
    organisation: Organisation, *, action_prefix: str = "", object_id: str = ""
) -> QuerySet[AuditEvent]:
    """The organisation's events, newest first, optionally narrowed by action prefix or object."""
    events = AuditEvent.objects.filter(organisation=organisation).select_related("actor")
    if action_prefix:
        events = events.filter(action__startswith=action_prefix)
    if object_id:
        events = events.filter(object_id=object_id)
    return events.order_by("-seq")


def history_of(obj_public_id: str, organisation: Organisation) -> QuerySet[AuditEvent]:
    """Every event about one object of the organisation, oldest first."""
    return AuditEvent.objects.filter(organisation=organisation, object_id=obj_public_id).order_by("seq")
