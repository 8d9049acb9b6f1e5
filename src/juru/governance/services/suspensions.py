"""Suspensions: a member may not speak for the organisation for a period, or until lifted."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts.models import Member
from juru.audit.services import record
from juru.governance.exceptions import InvalidSuspensionError
from juru.governance.models import Suspension
from juru.governance.services.common import Actor


@transaction.atomic
def suspend_member(
    *, actor: Actor, member: Member, reason: str, ends_at: datetime | None = None, starts_at: datetime | None = None
) -> Suspension:
    """Suspend a member from speaking (until ``ends_at``, or until lifted)."""
    start = starts_at or timezone.now()
    if ends_at is not None and ends_at <= start:
        raise InvalidSuspensionError(_("A suspension must end after it starts."))
    suspension = Suspension.objects.create(
        organisation=member.organisation,
        member=member,
        reason=reason,
        starts_at=start,
        ends_at=ends_at,
        created_by_id=actor.pk if actor is not None else None,
    )
    record(
        action="member.suspend",
        actor=actor,
        organisation=member.organisation,
        obj=member,
        after={"reason": reason, "starts_at": start, "ends_at": ends_at},
    )
    return suspension


@transaction.atomic
def lift_suspension(*, actor: Actor, suspension: Suspension) -> Suspension:
    """End a suspension now."""
    if suspension.lifted_at is None:
        suspension.lifted_at = timezone.now()
        suspension.save(update_fields=["lifted_at"])
        record(
            action="member.lift_suspension",
            actor=actor,
            organisation=suspension.organisation,
            obj=suspension.member,
            after={"suspension": str(suspension.public_id)},
        )
    return suspension
