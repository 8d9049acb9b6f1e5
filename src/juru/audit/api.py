"""API: the organisation's audit events (for roles that may view the audit log)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from juru.accounts.access import require_role
from juru.accounts.api_auth import api_member
from juru.accounts.models import OrgAction
from juru.audit.queries import events_for_organisation

router = Router(tags=["audit"])
MAX_LIMIT = 500


class AuditEventOut(Schema):
    seq: int
    created_at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    hash: str


@router.get("", response=list[AuditEventOut], summary="Audit events, newest first")
def list_events(
    request: HttpRequest, before_seq: int | None = None, action: str = "", limit: int = 100
) -> list[AuditEventOut]:
    member = api_member(request)
    require_role(member, OrgAction.VIEW_AUDIT)
    events = events_for_organisation(member.organisation, action_prefix=action)
    if before_seq is not None:
        events = events.filter(seq__lt=before_seq)
    return [
        AuditEventOut(
            seq=e.seq,
            created_at=e.created_at,
            actor=e.actor_label,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            summary=e.summary,
            before=e.before,
            after=e.after,
            hash=e.hash,
        )  # fmt: skip
        for e in events[: max(1, min(limit, MAX_LIMIT))]
    ]
