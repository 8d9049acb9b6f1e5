"""Appeals: an author asks (staff record it), a moderator decides; accepting one lifts the ban."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.audit.services import PendingEvent, append
from juru.moderation.exceptions import ModerationError
from juru.moderation.models import Appeal, AppealState, Author, AuthorState, ModerationAction
from juru.moderation.services import authors as author_services
from juru.moderation.services.common import event, queue

MAX_STATEMENT = 5000


def record_appeal(*, actor: Any, author: Author, statement: str) -> Appeal:
    """Write down what the author asks (one open appeal per author at a time)."""
    statement = statement.strip()
    if not statement:
        raise ModerationError(_("Write down what the author says."))
    if len(statement) > MAX_STATEMENT:
        raise ModerationError(_("An appeal takes at most %(count)d characters.") % {"count": MAX_STATEMENT})
    with transaction.atomic():
        locked = Author.objects.select_for_update().get(pk=author.pk)
        if locked.appeals.filter(state=AppealState.OPEN).exists():
            raise ModerationError(_("This author has an appeal waiting for a decision already."))
        appeal = Appeal.objects.create(
            organisation=locked.organisation, author=locked, statement=statement, recorded_by=actor
        )
        append(
            [
                event(
                    "moderation.appeal_recorded", actor=actor, organisation=locked.organisation, obj=appeal,
                    summary=f"@{locked.handle}", after={"author": locked.handle, "statement": statement[:500]},
                )
            ]
        )  # fmt: skip
    return appeal


def decide_appeal(*, actor: Any, appeal: Appeal, accept: bool, note: str = "") -> Appeal:
    """Accept (the ban is lifted and past strikes stop counting) or reject an open appeal, with a reason."""
    note = note.strip()
    if not accept and not note:
        raise ModerationError(_("Say why the appeal is rejected; the author will be told."))
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().select_related("author", "organisation").get(pk=appeal.pk)
        if locked.state != AppealState.OPEN:
            raise ModerationError(_("This appeal has been decided already."))
        author = Author.objects.select_for_update().select_related("organisation").get(pk=locked.author_id)
        requested: list[ModerationAction] = []
        events: list[PendingEvent] = []
        if accept and author.state == AuthorState.BANNED:
            requested, events = author_services.unban_steps(
                author, actor=actor, reason=_("Appeal accepted."), action="moderation.author_unbanned"
            )
        elif accept:
            author.state, author.counted_from = AuthorState.ACTIVE, timezone.now()
            author.save(update_fields=["state", "counted_from"])
        locked.state = AppealState.ACCEPTED if accept else AppealState.REJECTED
        locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note
        locked.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        events.append(
            event(
                f"moderation.appeal_{locked.state}", actor=actor, organisation=locked.organisation, obj=locked,
                summary=f"@{author.handle}: {note}"[:200], after={"state": locked.state, "note": note[:500]},
            )
        )  # fmt: skip
        append(events)
        queue(requested)
    return locked
