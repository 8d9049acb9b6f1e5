"""Tenancy: the request's membership of the URL's organisation, and objects looked up inside it.

Both answer 404 for "missing" and "not yours" alike, so nobody learns what another organisation has.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from juru.accounts.models import Member

M = TypeVar("M", bound=Model)


def member_for_request(request: HttpRequest, org_slug: str) -> Member:
    """The request user's active membership of the organisation in the URL; 404 otherwise."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    cache: dict[str, Member] = request.__dict__.setdefault("_juru_members", {})
    if org_slug not in cache:
        member = (
            Member.objects.select_related("organisation", "user")
            .filter(user_id=user.pk, organisation__slug=org_slug, is_active=True)
            .first()
        )
        if member is None:
            raise Http404
        cache[org_slug] = member
    return cache[org_slug]


def get_object_for_member(model_or_qs: type[M] | QuerySet[M], member: Member, public_id: Any) -> M:
    """The object with this public id in the member's organisation; 404 if missing or another org's."""
    queryset = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    try:
        wanted = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    obj = queryset.filter(organisation_id=member.organisation_id, public_id=wanted).first()
    if obj is None:
        raise Http404
    return obj
