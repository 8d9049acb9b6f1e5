"""Appeals the author sends themselves, from a signed link the organisation gives them (no login).

The link carries the author's public id signed with the site's secret (salted for this use only)
and the time it was made; it works for ``LINK_DAYS`` days, so a link copied long ago or forged
gets a clear "no longer works" page. The author writes one statement (Unicode normalised,
control characters refused, at most ``MAX_STATEMENT`` characters), one open appeal at a time; it
lands in the moderation queue like one staff recorded. ``decide`` is the moderator's answer:
accepting lifts the ban and shows the author's hidden comments again, every step audited.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from typing import Any

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from juru.audit.services import append, prepare
from juru.moderation.exceptions import ModerationError
from juru.moderation.models import ActionKind, ActionState, Appeal, AppealState, Author, AuthorState
from juru.moderation.services import actions
from juru.moderation.services.appeals import MAX_STATEMENT, decide_appeal
from juru.moderation.services.common import queue

SALT = "juru.moderation.appeal-link"
LINK_DAYS = 30
ALLOWED_CONTROLS = {"\n", "\t"}


class AppealLinkError(ModerationError):
    """The appeal link is forged, damaged, or too old."""


def appeal_token(author: Author) -> str:
    """The signed, dated token of the author's appeal link."""
    return signing.dumps(str(author.public_id), salt=SALT)


def appeal_path(author: Author) -> str:
    """The public appeal page of the author (a path: the organisation adds its own address)."""
    return reverse("appeal", args=[appeal_token(author)])


def author_for(token: str) -> Author:
    """The author a token was made for; ``AppealLinkError`` when it is expired, forged or of no author."""
    try:
        public_id = signing.loads(token, salt=SALT, max_age=timedelta(days=LINK_DAYS))
    except signing.SignatureExpired:
        raise AppealLinkError(_("This appeal link has expired; ask the organisation for a new one.")) from None
    except signing.BadSignature:
        raise AppealLinkError(_("This appeal link is not valid; check that it was copied whole.")) from None
    found = Author.objects.select_related("organisation").filter(public_id=public_id).first()
    if found is None:
        raise AppealLinkError(_("This appeal link is not valid; check that it was copied whole."))
    return found


def hidden_count(author: Author) -> int:
    """How many of the author's comments are hidden now (or about to be)."""
    return len(actions.in_effect(author, ActionKind.HIDE))


def has_grounds(author: Author) -> bool:
    """Whether there is anything to appeal: a ban, a suggested ban, hidden comments, or strikes."""
    if author.state in (AuthorState.BANNED, AuthorState.BAN_SUGGESTED):
        return True
    return hidden_count(author) > 0 or author.strikes.exists()


def clean_statement(raw: str) -> str:
    """The statement as stored: NFC, trimmed, any script and emoji, no invisible control characters."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n").strip()
    if any(unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS for ch in text):
        raise ModerationError(_("The message contains control characters; type or paste it as plain text."))
    if not any(not unicodedata.category(ch).startswith(("Z", "C")) for ch in text):
        raise ModerationError(_("Write why the decision should be changed."))
    if len(text) > MAX_STATEMENT:
        raise ModerationError(
            _("An appeal takes at most %(limit)d characters; this one has %(count)d.")
            % {"limit": MAX_STATEMENT, "count": len(text)}
        )
    return text


def submit(*, author: Author, statement: str) -> Appeal:
    """The author's own appeal, into the moderators' queue (one waiting at a time)."""
    text = clean_statement(statement)
    with transaction.atomic():
        locked = Author.objects.select_for_update().select_related("organisation").get(pk=author.pk)
        if not has_grounds(locked):
            raise ModerationError(_("Nothing of yours is hidden or banned here, so there is nothing to appeal."))
        if locked.appeals.filter(state=AppealState.OPEN).exists():
            raise ModerationError(_("Your appeal is already waiting for a decision; you will see the answer here."))
        appeal = Appeal.objects.create(organisation=locked.organisation, author=locked, statement=text)
        # The author is the actor here: the audit log names them, not a member or Juru itself.
        sent = prepare(
            action="moderation.appeal_recorded", actor=None, organisation=locked.organisation, obj=appeal,
            summary=f"@{locked.handle}", after={"author": locked.handle, "by": "author", "statement": text[:500]},
            actor_label=f"@{locked.handle} ({locked.network})",
        )  # fmt: skip
        append([sent])
    return appeal


def decide(*, actor: Any, appeal: Appeal, accept: bool, note: str = "") -> Appeal:
    """Accept (the ban is lifted and hidden comments are shown again) or reject an open appeal, with a reason."""
    with transaction.atomic():
        decided = decide_appeal(actor=actor, appeal=appeal, accept=accept, note=note)
        if accept:
            reason = _("Appeal accepted.")
            hides = actions.in_effect(decided.author, ActionKind.HIDE)
            undone = [actions.reverse(hide, actor=actor, reason=reason) for hide in hides]
            append([pending for _action, pending in undone])
            queue([action for action, _pending in undone])
    return decided


def appealable(network: str, handle: str) -> list[Author]:
    """That handle's author records, in every organisation, that are banned or have a comment hidden now."""
    hidden = Q(
        actions__kind=ActionKind.HIDE, actions__reversed_by__isnull=True,
        actions__state__in=[ActionState.PENDING, ActionState.DONE],
    )  # fmt: skip
    found = Author.objects.filter(network=network, handle=handle).filter(Q(state=AuthorState.BANNED) | hidden)
    return list(found.select_related("organisation").distinct().order_by("organisation__name"))
