"""Invitations: a new member sets their own password through a single-use, expiring link."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from juru.accounts.invitations import valid_days
from juru.accounts.models import Member
from juru.accounts.services.auth_events import record_for_each_organisation
from juru.audit.services import record

Actor = AbstractBaseUser | None


def send_invitation(*, actor: Actor, member: Member, link: str) -> bool:
    """Audit the invitation and e-mail the link when the person has an address; True if e-mailed."""
    user = member.user
    with transaction.atomic():
        record(
            action="member.invite",
            actor=actor,
            organisation=member.organisation,
            obj=member,
            after={"user": user.get_username(), "emailed": bool(user.email), "valid_days": valid_days()},
        )
    if not user.email:
        return False
    subject = _("You are invited to %(organisation)s on Juru") % {"organisation": member.organisation.name}
    body = _(
        "Hello %(name)s,\n\nyou have been added to %(organisation)s on Juru. Open this link to choose your "
        "password (it works once, for %(days)d days):\n\n%(link)s\n"
    ) % {
        "name": user.get_full_name() or user.get_username(),
        "organisation": member.organisation.name,
        "days": valid_days(),
        "link": link,
    }
    send_mail(subject, body, None, [user.email])
    return True


@transaction.atomic
def accept_invitation(*, user: AbstractBaseUser, password: str) -> None:
    """Set the invited person's password (already validated); this also spends the link."""
    user.set_password(password)
    user.save(update_fields=["password"])
    record_for_each_organisation(action="member.invitation_accepted", user=user, actor=user)
