"""API: listening queries, mentions and alerts (same services and checks as the pages; 404 across organisations)."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from juru.accounts import access
from juru.accounts.api_auth import api_member
from juru.listening import queries, services
from juru.listening.exceptions import ListeningError
from juru.listening.models import Alert, AlertStatus, ListeningQuery, Mention
from juru.listening.views import can_acknowledge, can_manage

router = Router(tags=["listening"])
MAX_LIMIT = 500


class QueryIn(Schema):
    name: str
    kind: str = "brand"
    terms: str
    exclusions: str = ""
    language: str = "any"
    is_active: bool = True


class QueryOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    terms: list[str]
    exclusions: list[str]
    language: str
    is_active: bool


class MentionOut(Schema):
    id: uuid.UUID
    network: str
    account: str | None
    kind: str
    author: str
    text: str
    url: str
    created_at: datetime
    lang: str
    sentiment: str
    emotion: str
    abusive: bool
    hate: bool
    queries: list[uuid.UUID]


class AlertOut(Schema):
    id: uuid.UUID
    subject: str
    query: uuid.UUID | None
    sentiment: str
    severity: int
    observed: int
    expected: float
    window_minutes: int
    opened_at: datetime
    updated_at: datetime
    status: str
    top_terms: list[str]
    examples: list[dict[str, str]]


def _query_out(query: ListeningQuery) -> QueryOut:
    lines = [line.strip() for line in query.terms.splitlines() if line.strip()]
    excluded = [line.strip() for line in query.exclusions.splitlines() if line.strip()]
    return QueryOut(
        id=query.public_id, name=query.name, kind=query.kind, terms=lines, exclusions=excluded,
        language=query.language, is_active=query.is_active,
    )  # fmt: skip


def _alert_out(alert: Alert) -> AlertOut:
    return AlertOut(
        id=alert.public_id, subject=alert.subject, query=alert.query.public_id if alert.query else None,
        sentiment=alert.sentiment, severity=alert.severity, observed=alert.observed,
        expected=round(alert.expected, 1), window_minutes=alert.window_minutes, opened_at=alert.opened_at,
        updated_at=alert.updated_at, status=alert.status, top_terms=alert.top_terms, examples=alert.examples,
    )  # fmt: skip


def _refused(message: str) -> HttpError:
    return HttpError(400, message)


@router.get("/listening-queries", response=list[QueryOut], summary="Listening queries")
def list_queries(request: HttpRequest) -> list[QueryOut]:
    return [_query_out(q) for q in queries.queries_for(api_member(request).organisation)]


@router.post("/listening-queries", response={201: QueryOut}, summary="Create a listening query")
def create_query(request: HttpRequest, body: QueryIn) -> Status:
    member = api_member(request)
    if not can_manage(member):
        raise HttpError(403, _("Your role does not allow this action."))
    try:
        query = services.create_query(
            actor=member.user, organisation=member.organisation, name=body.name, kind=body.kind,
            terms=body.terms, exclusions=body.exclusions, language=body.language,
        )  # fmt: skip
    except ListeningError as exc:
        raise _refused(exc.message) from None
    return Status(201, _query_out(query))


@router.put("/listening-queries/{query_id}", response=QueryOut, summary="Change a listening query")
def update_query(request: HttpRequest, query_id: uuid.UUID, body: QueryIn) -> QueryOut:
    member = api_member(request)
    query = access.get_object_for_member(ListeningQuery, member, query_id)
    if not can_manage(member):
        raise HttpError(403, _("Your role does not allow this action."))
    try:
        services.update_query(
            actor=member.user, query=query, name=body.name, kind=body.kind, terms=body.terms,
            exclusions=body.exclusions, language=body.language, is_active=body.is_active,
        )  # fmt: skip
    except ListeningError as exc:
        raise _refused(exc.message) from None
    return _query_out(query)


@router.delete("/listening-queries/{query_id}", response={204: None}, summary="Remove a listening query")
def delete_query(request: HttpRequest, query_id: uuid.UUID) -> Status:
    member = api_member(request)
    query = access.get_object_for_member(ListeningQuery, member, query_id)
    if not can_manage(member):
        raise HttpError(403, _("Your role does not allow this action."))
    services.delete_query(actor=member.user, query=query)
    return Status(204, None)


@router.get("/mentions", response=list[MentionOut], summary="Mentions, newest first")
def list_mentions(
    request: HttpRequest,
    query: str = "",
    sentiment: str = "",
    lang: str = "",
    network: str = "",
    period: str = "7d",
    limit: int = 100,
) -> list[MentionOut]:
    org = api_member(request).organisation
    params = {"query": query, "sentiment": sentiment, "lang": lang, "network": network, "period": period}
    if query and queries.parse_filters(org, {"query": query}).query is None:
        raise Http404
    found = queries.mentions(org, queries.parse_filters(org, params)).prefetch_related("queries")
    return [_mention_out(m) for m in found[: max(1, min(limit, MAX_LIMIT))]]


def _mention_out(mention: Mention) -> MentionOut:
    return MentionOut(
        id=mention.public_id, network=mention.network, account=mention.account.handle if mention.account else None,
        kind=mention.kind, author=mention.author_handle, text=mention.text, url=mention.url,
        created_at=mention.created_at, lang=mention.lang, sentiment=mention.sentiment, emotion=mention.emotion,
        abusive=mention.abusive, hate=mention.hate, queries=[q.public_id for q in mention.queries.all()],
    )  # fmt: skip


@router.get("/alerts", response=list[AlertOut], summary="Alerts, newest first")
def list_alerts(request: HttpRequest, status: str = "", limit: int = 100) -> list[AlertOut]:
    if status and status not in AlertStatus.values:
        raise _refused(f"status must be one of {', '.join(AlertStatus.values)}")
    found = queries.alerts(api_member(request).organisation, status)
    return [_alert_out(a) for a in found[: max(1, min(limit, MAX_LIMIT))]]


@router.get("/alerts/{alert_id}", response=AlertOut, summary="One alert with its evidence")
def get_alert(request: HttpRequest, alert_id: uuid.UUID) -> AlertOut:
    return _alert_out(access.get_object_for_member(Alert, api_member(request), alert_id))


@router.post("/alerts/{alert_id}/acknowledge", response=AlertOut, summary="Take charge of an alert")
def acknowledge_alert(request: HttpRequest, alert_id: uuid.UUID) -> AlertOut:
    member = api_member(request)
    alert = access.get_object_for_member(Alert, member, alert_id)
    if not can_acknowledge(member):
        raise HttpError(403, _("Your role does not allow this action."))
    try:
        return _alert_out(services.acknowledge_alert(actor=member.user, alert=alert))
    except ListeningError as exc:
        raise HttpError(409, exc.message) from None
