"""API: declare, end, the current crisis, history and the timeline report (same services and checks as the pages)."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from juru.accounts import access
from juru.accounts.api_auth import api_member
from juru.accounts.models import Member
from juru.crisis import queries, report, services
from juru.crisis.exceptions import CrisisConflictError, CrisisError, CrisisNotAllowedError
from juru.crisis.models import Crisis
from juru.listening.models import Alert

router = Router(tags=["crisis"])


class DeclareIn(Schema):
    severity: int
    description: str
    alert: uuid.UUID | None = None


class EndIn(Schema):
    summary: str = ""


class CrisisOut(Schema):
    id: uuid.UUID
    active: bool
    severity: int
    description: str
    alert: uuid.UUID | None
    declared_at: datetime
    declared_by: str
    paused_posts: int
    ended_at: datetime | None
    ended_by: str | None
    summary: str
    held_posts: int
    held_waiting: int


def _out(crisis: Crisis) -> CrisisOut:
    return CrisisOut(
        id=crisis.public_id, active=crisis.is_active, severity=crisis.severity, description=crisis.description,
        alert=crisis.alert.public_id if crisis.alert else None, declared_at=crisis.declared_at,
        declared_by=crisis.declared_by.user.get_username(), paused_posts=crisis.paused_posts,
        ended_at=crisis.ended_at, ended_by=crisis.ended_by.user.get_username() if crisis.ended_by else None,
        summary=crisis.summary, held_posts=crisis.held_posts.count(), held_waiting=queries.waiting_count(crisis),
    )  # fmt: skip


def _crisis(member: Member, crisis_id: uuid.UUID) -> Crisis:
    related = ("alert", "declared_by__user", "ended_by__user", "organisation")
    return access.get_object_for_member(Crisis.objects.select_related(*related), member, crisis_id)


def _refused(exc: CrisisError) -> HttpError:
    if isinstance(exc, CrisisNotAllowedError):
        return HttpError(403, exc.message)
    return HttpError(409 if isinstance(exc, CrisisConflictError) else 400, exc.message)


@router.get("/crisis", response=list[CrisisOut], summary="Crises, newest first")
def list_crises(request: HttpRequest) -> list[CrisisOut]:
    return [_out(c) for c in queries.history(api_member(request).organisation)[:100]]


@router.post("/crisis", response={201: CrisisOut}, summary="Declare a crisis (optionally from an alert)")
def declare(request: HttpRequest, body: DeclareIn) -> Status:
    member = api_member(request)
    alert = access.get_object_for_member(Alert, member, body.alert) if body.alert else None
    try:
        crisis = services.declare_crisis(
            actor=member, severity=body.severity, description=body.description, alert=alert
        )
    except CrisisError as exc:
        raise _refused(exc) from None
    return Status(201, _out(crisis))


@router.get("/crisis/current", response=CrisisOut, summary="The active crisis (404 when there is none)")
def current(request: HttpRequest) -> CrisisOut:
    crisis = queries.active_crisis(api_member(request).organisation)
    if crisis is None:
        raise Http404(_("No crisis is active."))
    return _out(crisis)


@router.get("/crisis/{crisis_id}", response=CrisisOut, summary="One crisis")
def get_crisis(request: HttpRequest, crisis_id: uuid.UUID) -> CrisisOut:
    return _out(_crisis(api_member(request), crisis_id))


@router.post("/crisis/{crisis_id}/end", response=CrisisOut, summary="End a crisis; held posts go to the review list")
def end(request: HttpRequest, crisis_id: uuid.UUID, body: EndIn) -> CrisisOut:
    member = api_member(request)
    crisis = _crisis(member, crisis_id)
    try:
        return _out(services.end_crisis(actor=member, crisis=crisis, summary=body.summary))
    except CrisisError as exc:
        raise _refused(exc) from None


@router.get(
    "/crisis/{crisis_id}/report",
    summary="The timeline report as an HTML document",
    openapi_extra={
        "responses": {
            200: {"description": "The report", "content": {"text/html": {"schema": {"type": "string"}}}},
        }
    },
)
def report_html(request: HttpRequest, crisis_id: uuid.UUID) -> HttpResponse:
    crisis = _crisis(api_member(request), crisis_id)
    return HttpResponse(report.render_document(crisis), content_type="text/html; charset=utf-8")
