"""What moderators do to an author: ban, unban, dismiss a suggested ban, whitelist, hide and unhide.

Each public function is one transaction that ends with one audit append; the ``*_steps`` helpers
are the same changes for a caller that already holds a transaction (the strike counter), and
return their actions and events instead of appending them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts.models import BrandAccount
from juru.audit.services import PendingEvent, append
from juru.listening.models import Mention
from juru.moderation.exceptions import ModerationError
from juru.moderation.models import ActionKind, Author, AuthorState, BanMethod, ModerationAction
from juru.moderation.services import actions
from juru.moderation.services.common import event, queue

Steps = tuple[list[ModerationAction], list[PendingEvent]]
HIDEABLE_KINDS = ("comment", "reply")  # a mention on the author's own page is theirs, not ours to hide


def _locked(author: Author) -> Author:
    return Author.objects.select_for_update().select_related("organisation").get(pk=author.pk)


def _state(author: Author) -> dict[str, Any]:
    return {"state": author.state, "ban_method": author.ban_method, "whitelisted": author.whitelisted}


def accounts_reached(author: Author) -> list[BrandAccount]:
    """The active brand accounts this author's comments and mentions came through."""
    ids = (
        Mention.objects.filter(
            organisation=author.organisation,
            network=author.network,
            author_handle=author.handle,
            account__isnull=False,
        )  # fmt: skip
        .values_list("account", flat=True)
        .distinct()
    )
    return list(BrandAccount.objects.filter(pk__in=list(ids), is_active=True).order_by("pk"))


def _capability(account: BrandAccount, name: str) -> bool:
    from juru.publishing.services.publish import connector_for

    return bool(getattr(connector_for(account).capabilities, name, False))


def can_hide(mention: Mention) -> bool:
    """Whether Juru can hide this comment: one under an account's post, on a network that hides."""
    account = mention.account
    return account is not None and mention.kind in HIDEABLE_KINDS and _capability(account, "hide_comments")


def ban_steps(author: Author, *, actor: Any, reason: str) -> Steps:
    """Ban a locked author: block on every account that can, else hide their new comments from now on."""
    blockers = [account for account in accounts_reached(author) if _capability(account, "block_authors")]
    before = _state(author)
    author.state = AuthorState.BANNED
    author.ban_method = BanMethod.BLOCK if blockers else BanMethod.HIDE
    author.state_changed_at = timezone.now()
    author.save(update_fields=["state", "ban_method", "state_changed_at"])
    requested = [
        actions.request(author=author, account=account, kind=ActionKind.BLOCK, actor=actor, reason=reason)
        for account in blockers
    ]
    banned = event(
        "moderation.author_banned", actor=actor, organisation=author.organisation, obj=author,
        summary=f"@{author.handle}: {reason}"[:200], before=before, after=_state(author),
    )  # fmt: skip
    return [a for a, _e in requested], [banned, *(e for _a, e in requested)]


def hide_steps(author: Author, mention: Mention, *, actor: Any, reason: str) -> Steps:
    """Hide one comment of the author (nothing when it cannot be hidden or already is)."""
    if not can_hide(mention):
        return [], []
    hidden = ModerationAction.objects.filter(mention=mention, kind=ActionKind.HIDE, reversed_by__isnull=True)
    if hidden.exclude(state__in=["failed", "cancelled"]).exists():
        return [], []
    assert mention.account is not None
    action, pending = actions.request(
        author=author, account=mention.account, kind=ActionKind.HIDE, actor=actor, mention=mention, reason=reason
    )
    return [action], [pending]


def _finish(steps: Steps) -> None:
    requested, events = steps
    append(events)
    queue(requested)


def ban(*, actor: Any, author: Author, reason: str = "") -> Author:
    """Ban an author (a moderator's decision, or confirming a suggested ban)."""
    with transaction.atomic():
        locked = _locked(author)
        if locked.state == AuthorState.BANNED:
            raise ModerationError(_("This author is banned already."))
        if locked.whitelisted:
            raise ModerationError(_("This author is whitelisted; remove them from the whitelist first."))
        _finish(ban_steps(locked, actor=actor, reason=reason or _("Banned by a moderator.")))
    return locked


def unban_steps(author: Author, *, actor: Any, reason: str, action: str) -> Steps:
    before = _state(author)
    undone = [actions.reverse(block, actor=actor, reason=reason) for block in actions.in_effect(author, "block")]
    author.state, author.ban_method = AuthorState.ACTIVE, ""
    author.state_changed_at = author.counted_from = timezone.now()
    author.save(update_fields=["state", "ban_method", "state_changed_at", "counted_from"])
    lifted = event(
        action, actor=actor, organisation=author.organisation, obj=author, summary=f"@{author.handle}: {reason}"[:200],
        before=before, after=_state(author),
    )  # fmt: skip
    return [a for a, _e in undone], [lifted, *(e for _a, e in undone)]


def unban(*, actor: Any, author: Author, reason: str = "") -> Author:
    """Lift a ban: unblock on the network; the strikes so far stop counting towards the next one."""
    with transaction.atomic():
        locked = _locked(author)
        if locked.state != AuthorState.BANNED:
            raise ModerationError(_("This author is not banned."))
        _finish(
            unban_steps(
                locked, actor=actor, reason=reason or _("Unbanned by a moderator."), action="moderation.author_unbanned"
            )
        )
    return locked


def dismiss_suggestion(*, actor: Any, author: Author, reason: str = "") -> Author:
    """Decide against a suggested ban; the strikes so far stop counting towards the next suggestion."""
    with transaction.atomic():
        locked = _locked(author)
        if locked.state != AuthorState.BAN_SUGGESTED:
            raise ModerationError(_("No ban is suggested for this author."))
        before = _state(locked)
        locked.state = AuthorState.ACTIVE
        locked.state_changed_at = locked.counted_from = timezone.now()
        locked.save(update_fields=["state", "state_changed_at", "counted_from"])
        append(
            [
                event(
                    "moderation.ban_dismissed", actor=actor, organisation=locked.organisation, obj=locked,
                    summary=f"@{locked.handle}: {reason}"[:200], before=before, after=_state(locked),
                )
            ]
        )  # fmt: skip
    return locked


def set_whitelisted(*, actor: Any, author: Author, whitelisted: bool, reason: str = "") -> Author:
    """Put an author on the whitelist (never struck again; a ban is lifted) or take them off it."""
    with transaction.atomic():
        locked = _locked(author)
        if locked.whitelisted == whitelisted:
            raise ModerationError(
                _("This author is on the whitelist already.") if whitelisted else _("This author is not whitelisted.")
            )
        requested: list[ModerationAction] = []
        events: list[PendingEvent] = []
        if whitelisted and locked.state == AuthorState.BANNED:
            requested, events = unban_steps(
                locked, actor=actor, reason=_("Whitelisted."), action="moderation.author_unbanned"
            )
        before = _state(locked)
        locked.whitelisted = whitelisted
        if whitelisted:
            locked.state = AuthorState.ACTIVE
        locked.save(update_fields=["whitelisted", "state"])
        code = "moderation.author_whitelisted" if whitelisted else "moderation.author_unwhitelisted"
        events.append(
            event(
                code, actor=actor, organisation=locked.organisation, obj=locked,
                summary=f"@{locked.handle}: {reason}"[:200], before=before, after=_state(locked),
            )
        )  # fmt: skip
        _finish((requested, events))
    return locked


def hide(*, actor: Any, author: Author, mention: Mention, reason: str = "") -> ModerationAction:
    """Hide one of the author's comments by hand."""
    if mention.organisation_id != author.organisation_id or mention.author_handle != author.handle:
        raise ModerationError(_("This comment is not the author's."))
    if not can_hide(mention):
        raise ModerationError(_("This network does not let Juru hide this comment."))
    with transaction.atomic():
        locked = _locked(author)
        requested, events = hide_steps(locked, mention, actor=actor, reason=reason or _("Hidden by a moderator."))
        if not requested:
            raise ModerationError(_("This comment is hidden already."))
        _finish((requested, events))
    return requested[0]


def unhide(*, actor: Any, author: Author, mention: Mention, reason: str = "") -> ModerationAction:
    """Show a hidden comment again."""
    with transaction.atomic():
        _locked(author)
        hidden = (
            ModerationAction.objects.select_for_update()
            .filter(author=author, mention=mention, kind=ActionKind.HIDE, reversed_by__isnull=True)
            .exclude(state__in=["failed", "cancelled"])
            .select_related("author", "account", "mention")
            .first()
        )
        if hidden is None:
            raise ModerationError(_("This comment is not hidden."))
        undo, pending = actions.reverse(hidden, actor=actor, reason=reason or _("Shown again by a moderator."))
        _finish(([undo], [pending]))
    return undo
