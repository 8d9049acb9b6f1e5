"""Suspensions: a member may not speak for the organisation for a period, or until lifted."""

from __future__ import annotations

from datetime import datetime

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from juru.accounts.models import Member
from juru.audit.services import PendingEvent, append, prepare
from juru.governance.exceptions import InvalidSuspensionError
from juru.governance.models import Suspension
from juru.governance.services.common import Actor


def suspending(
    *, actor: Actor, member: Member, reason: str, ends_at: datetime | None = None, starts_at: datetime | None = None
) -> tuple[Suspension, PendingEvent]:
    """Create a suspension and return it with its audit event (for a caller that appends it)."""
    start = starts_at or timezone.now()
    if ends_at is not None and ends_at <= start:
        raise InvalidSuspensionError(_("A suspension must end after it starts."))
    if actor is not None and actor.pk == member.user_id:
        raise InvalidSuspensionError(_("You cannot suspend yourself."))
    suspension = Suspension.objects.create(
        organisation=member.organisation,
        member=member,
        reason=reason,
        starts_at=start,
        ends_at=ends_at,
        created_by_id=actor.pk if actor is not None else None,
    )
    event = prepare(
        action="member.suspend",
        actor=actor,
        organisation=member.organisation,
        obj=member,
        after={"reason": reason, "starts_at": start, "ends_at": ends_at},
    )
    return suspension, event


@transaction.atomic
def suspend_member(
    *, actor: Actor, member: Member, reason: str, ends_at: datetime | None = None, starts_at: datetime | None = None
) -> Suspension:
    """Suspend a member from speaking (until ``ends_at``, or until lifted); they are told by e-mail."""
    suspension, event = suspending(actor=actor, member=member, reason=reason, ends_at=ends_at, starts_at=starts_at)
    append([event])
    transaction.on_commit(lambda: _tell(member, "governance/suspended_email.txt", suspension))
    return suspension


def lifting(*, actor: Actor, suspension: Suspension, when: datetime | None = None) -> PendingEvent:
    """End a suspension now and return the audit event (for a caller that appends it)."""
    suspension.lifted_at = when or timezone.now()
    suspension.save(update_fields=["lifted_at"])
    return prepare(
        action="member.lift_suspension",
        actor=actor,
        organisation=suspension.organisation,
        obj=suspension.member,
        after={"suspension": str(suspension.public_id)},
    )


@transaction.atomic
def lift_suspension(*, actor: Actor, suspension: Suspension) -> Suspension:
    """End a suspension now."""
    if suspension.lifted_at is None:
        append([lifting(actor=actor, suspension=suspension)])
        transaction.on_commit(lambda: _tell(suspension.member, "governance/lifted_email.txt", suspension))
    return suspension


def _tell(member: Member, template: str, suspension: Suspension) -> None:
    """E-mail the member about their suspension, in Indonesian and English."""
    if not member.user.email:
        return
    parts = []
    for lang in ("id", "en"):
        with translation.override(lang):
            parts.append(render_to_string(template, {"member": member, "suspension": suspension}).strip())
    subject = parts[0].splitlines()[0]
    send_mail(subject, "\n\n---\n\n".join(parts), None, [member.user.email])
