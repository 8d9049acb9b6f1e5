"""All writes of replies: saved replies (versions, approval) and replying to a mention.

Who does what (the documented decision):
- anyone holding the reply grant on an account, or who may approve, writes and edits saved replies;
- approving a saved reply takes an owner or administrator, or a member of a PR or compliance team,
  and never the author of the version being approved (four eyes, as for posts);
- a reply is a publishing draft with one post answering the mention (``Post.reply_to``), so it is
  scanned, routed, approved and sent at most once exactly like a post; only the grant differs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts.exceptions import NotEligible
from juru.accounts.models import Grant, Member, Permission, Role, TeamKind, TeamMembership
from juru.audit.services import PendingEvent, append, prepare
from juru.listening.models import Mention
from juru.publishing import services as publishing
from juru.publishing.exceptions import NotSubmittableError
from juru.publishing.models import Draft, DraftState, PostState
from juru.publishing.scanning import message_lang, warning_keys
from juru.publishing.services import decisions
from juru.replies import editing, presence
from juru.replies.exceptions import (
    NotAllowedError,
    OverlapError,
    RepliesError,
    ReplyBlockedError,
    UnfilledVariableError,
)
from juru.replies.models import Reply, SavedReply, SavedReplyState, SavedReplyVersion

MAX_TITLE = 120
MAX_TAGS = 10
APPROVER_TEAMS = (TeamKind.PR, TeamKind.COMPLIANCE)


# --------------------------------------------------------------------------- who may


def can_approve(member: Member) -> bool:
    """Owners, administrators and members of a PR or compliance team approve saved replies."""
    if member.role in (Role.OWNER, Role.ADMIN):
        return True
    return TeamMembership.objects.filter(member=member, team__kind__in=APPROVER_TEAMS).exists()


def can_edit(member: Member) -> bool:
    """Whoever answers the public (a reply grant, directly or through a team) or approves replies."""
    if can_approve(member):
        return True
    teams = TeamMembership.objects.filter(member=member).values("team_id")
    grants = Grant.objects.filter(account__organisation_id=member.organisation_id, permission=Permission.REPLY)
    return grants.filter(member=member).exists() or grants.filter(team_id__in=teams).exists()


def may_reply(member: Member, mention: Mention) -> bool:
    """Whether the member holds the reply grant on the mention's account (the rest is checked on send)."""
    if mention.account is None:
        return False
    teams = TeamMembership.objects.filter(member=member).values("team_id")
    grants = Grant.objects.filter(account=mention.account, permission=Permission.REPLY)
    return grants.filter(member=member).exists() or grants.filter(team_id__in=teams).exists()


def _event(action: str, actor: Member, obj: object, **fields: object) -> PendingEvent:
    return prepare(action=action, actor=actor.user, organisation=actor.organisation, obj=obj, **fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- saved replies


def _clean(title: str, text_id: str, text_en: str, tags: Sequence[str]) -> tuple[str, str, str, list[str]]:
    title, text_id, text_en = title.strip(), text_id.strip(), text_en.strip()
    if not title:
        raise RepliesError(_("Give the saved reply a title."))
    if len(title) > MAX_TITLE:
        raise RepliesError(_("The title is longer than %(limit)d characters.") % {"limit": MAX_TITLE})
    if not text_id:
        raise RepliesError(_("The Indonesian text is empty."))
    for text in (text_id, text_en):
        decisions.check_text_bounds(text)
    clean_tags = sorted({t.strip().lower()[:40] for t in tags if t.strip()})
    if len(clean_tags) > MAX_TAGS:
        raise RepliesError(_("Use at most %(limit)d topics.") % {"limit": MAX_TAGS})
    return title, text_id, text_en, clean_tags


def _snapshot(saved: SavedReply) -> dict[str, object]:
    return {"version": saved.version, "state": saved.state, "holding": saved.is_holding, "tags": saved.tags}


@transaction.atomic
def create_saved_reply(
    *, actor: Member, title: str, text_id: str, text_en: str = "", tags: Sequence[str] = (), is_holding: bool = False
) -> SavedReply:
    """A new saved reply; it waits for approval before responders may use it."""
    if not can_edit(actor):
        raise NotAllowedError(_("Your role does not allow this action."))
    title, text_id, text_en, tags = _clean(title, text_id, text_en, tags)
    saved = SavedReply.objects.create(
        organisation=actor.organisation, title=title, tags=tags, is_holding=is_holding, state=SavedReplyState.PENDING
    )
    SavedReplyVersion.objects.create(saved_reply=saved, number=1, text_id=text_id, text_en=text_en, author=actor)
    append([_event("replies.saved_reply.created", actor, saved, after=_snapshot(saved) | {"title": title})])
    return saved


def is_material(before: SavedReplyVersion, text_id: str, text_en: str) -> bool:
    """A change that needs a new approval: anything beyond a small edit in either language."""
    return not (editing.is_small_edit(before.text_id, text_id) and editing.is_small_edit(before.text_en, text_en))


@transaction.atomic
def edit_saved_reply(
    saved: SavedReply,
    *,
    actor: Member,
    title: str,
    text_id: str,
    text_en: str = "",
    tags: Sequence[str] = (),
    is_holding: bool = False,
    expected_version: int | None = None,
) -> SavedReply:
    """Write a new version; a material change (or a new holding flag) sends it back for approval."""
    saved = SavedReply.objects.select_for_update().get(pk=saved.pk)
    if not can_edit(actor):
        raise NotAllowedError(_("Your role does not allow this action."))
    if expected_version is not None and expected_version != saved.version:
        raise RepliesError(_("Someone else changed this saved reply meanwhile; reload it and edit again."))
    title, text_id, text_en, tags = _clean(title, text_id, text_en, tags)
    before = _snapshot(saved)
    current = saved.current
    material = is_material(current, text_id, text_en) or is_holding != saved.is_holding
    saved.version += 1
    SavedReplyVersion.objects.create(
        saved_reply=saved,
        number=saved.version,
        text_id=text_id,
        text_en=text_en,
        author=actor,
        material=material,
        approved_by=None if material else current.approved_by,
        approved_at=None if material else current.approved_at,
    )
    if material:
        saved.state = SavedReplyState.PENDING
    saved.title, saved.tags, saved.is_holding = title, tags, is_holding
    saved.save()
    action = "replies.saved_reply.changed" if material else "replies.saved_reply.small_edit"
    append([_event(action, actor, saved, before=before, after=_snapshot(saved))])
    return saved


@transaction.atomic
def approve_saved_reply(saved: SavedReply, *, actor: Member, version: int | None = None) -> SavedReply:
    """Approve the current version (``version``: the one the approver read) for responders."""
    saved = SavedReply.objects.select_for_update().get(pk=saved.pk)
    if not can_approve(actor):
        raise NotAllowedError(_("Only owners, administrators and PR or compliance team members approve saved replies."))
    if version is not None and version != saved.version:
        raise RepliesError(_("The saved reply changed while you were reading it; read the new version first."))
    if saved.state == SavedReplyState.APPROVED:
        raise RepliesError(_("This version is already approved."))
    current = saved.current
    if current.author_id == actor.pk:
        raise NotAllowedError(_("Authors never approve their own saved replies."))
    before = _snapshot(saved)
    current.approved_by, current.approved_at = actor, timezone.now()
    current.save(update_fields=["approved_by", "approved_at"])
    saved.state = SavedReplyState.APPROVED
    saved.save(update_fields=["state", "updated_at"])
    append([_event("replies.saved_reply.approved", actor, saved, before=before, after=_snapshot(saved))])
    return saved


# --------------------------------------------------------------------------- replying


def fill_variables(text: str, values: Mapping[str, str]) -> str:
    """``text`` with its variables filled; refuses (``UnfilledVariableError``) while one is still empty."""
    filled = editing.fill(text, values)
    missing = editing.variables(filled)
    if missing:
        names = ", ".join("{" + name + "}" for name in missing)
        raise UnfilledVariableError(_("Fill in %(names)s before sending.") % {"names": names})
    return filled


def overlap(member: Member, mention: Mention, thread_key: str, opened_at: datetime) -> list[str]:
    """Names of the others who replied on, or typed in, this conversation since ``opened_at``."""
    replied = (
        Reply.objects.filter(organisation=member.organisation, thread_key=thread_key, created_at__gte=opened_at)
        .exclude(author=member)
        .select_related("author__user")
    )
    names = {r.author.display_name for r in replied}
    names |= set(presence.typed_since(member, thread_key, opened_at.timestamp()))
    return sorted(names)


def _usable_version(member: Member, saved_version: SavedReplyVersion | None, text: str) -> SavedReplyVersion | None:
    """The saved reply the text was written from, if approved; ``None`` once the responder rewrote it."""
    if saved_version is None:
        return None
    if text not in (saved_version.text_id, saved_version.text_en):
        return None  # edited by the responder: a free reply, scanned and routed as such
    saved = saved_version.saved_reply
    if saved.organisation_id != member.organisation_id:
        raise RepliesError(_("This saved reply belongs to another organisation."))
    if not saved.is_usable or saved_version.number != saved.version:
        raise RepliesError(_("This saved reply is waiting for approval and cannot be used yet."))
    return saved_version


@transaction.atomic
def send_reply(
    *,
    actor: Member,
    mention: Mention,
    text: str,
    thread_key: str,
    opened_at: datetime,
    values: Mapping[str, str] | None = None,
    saved_version: SavedReplyVersion | None = None,
    acknowledge_warnings: bool = False,
    send_anyway: bool = False,
) -> Reply:
    """Reply to ``mention`` through the publishing path: draft, scan, routing, then sent at most once.

    A reply that needs no approval is scheduled for now and queued at once; one that does waits in
    the approval chain and goes out when approved (``send_approved``). Everything is one
    transaction: a refused reply leaves nothing behind, and the composer keeps its text.
    """
    if mention.organisation_id != actor.organisation_id or mention.account is None:
        raise RepliesError(_("This mention cannot be answered from Juru (no connected account)."))
    body = fill_variables(text.strip(), values or {})
    version = _usable_version(actor, saved_version, text.strip())
    others = overlap(actor, mention, thread_key, opened_at)
    if others and not send_anyway:
        raise OverlapError(
            _(
                "%(names)s replied or was typing here since you opened it; "
                "read the thread, then send anyway if still needed."
            )
            % {"names": ", ".join(others)},
            others,
        )
    draft = publishing.create_draft(actor=actor, accounts=[mention.account], text=body, reply_to=mention.remote_id)
    acknowledged = [key for d in decisions.latest_decisions(draft) for key in warning_keys(d.hits)]
    try:
        draft = publishing.submit_draft(draft, actor=actor, acknowledged=acknowledged if acknowledge_warnings else ())
    except NotSubmittableError as exc:
        raise ReplyBlockedError(_with_fixes(exc.message, draft)) from None
    reply = Reply.objects.create(
        organisation=actor.organisation,
        mention=mention,
        draft=draft,
        author=actor,
        thread_key=thread_key[:200],
        saved_version=version,
    )
    after = {"mention": str(mention.public_id), "draft": str(draft.public_id), "state": draft.state}
    if version is not None:
        after["saved_reply"] = f"{version.saved_reply.public_id}@{version.number}"
    append([_event("replies.reply.sent", actor, reply, after=after, summary=", ".join(others))])
    if draft.state == DraftState.APPROVED:
        _send_now(reply)
        reply.draft.refresh_from_db()
    return reply


def _with_fixes(message: str, draft: Draft) -> str:
    """The refusal followed by the fix of each blocking rule (e.g. "move to a private channel")."""
    lang = message_lang()
    found = decisions.latest_decisions(draft)
    fixes = [str(h.get("fix", {}).get(lang, "")) for d in found for h in d.hits if h.get("action") == "block"]
    fixes = [fix for fix in dict.fromkeys(fixes) if fix]
    return f"{message} {_('Fix:')} {' '.join(fixes)}" if fixes else message


def _send_now(reply: Reply) -> None:
    """Schedule the approved reply for now and queue it after commit (no wait for the sweep)."""
    draft = reply.draft
    account = reply.mention.account
    assert account is not None
    publishing.schedule_draft(draft, actor=reply.author, confirm_accounts=[str(account.public_id)])
    post_ids = list(draft.posts.filter(state=PostState.SCHEDULED).values_list("pk", flat=True))
    transaction.on_commit(lambda: _queue(post_ids))


def _queue(post_ids: list[int]) -> None:
    from juru.publishing import tasks

    for post_id in post_ids:
        if publishing.claim_post(post_id):
            tasks.publish_post.delay(post_id)


def send_approved(*, limit: int = 200) -> int:
    """Send replies whose approval chain finished (the sweep every few seconds); returns how many."""
    ready = Reply.objects.filter(draft__state=DraftState.APPROVED).values_list("pk", flat=True)[:limit]
    sent = 0
    for reply_id in list(ready):
        with transaction.atomic():
            reply = Reply.objects.select_related("draft", "author__user", "mention__account").get(pk=reply_id)
            draft = Draft.objects.select_for_update(of=("self",)).get(pk=reply.draft_id)
            if draft.state != DraftState.APPROVED:
                continue  # another sweep took it
            try:
                _send_now(reply)
            except NotEligible as exc:  # the author lost the grant meanwhile: the draft stays approved, says why
                reason = "; ".join(str(r.message) for r in exc.eligibility.reasons)
                Draft.objects.filter(pk=draft.pk).update(state_reason=reason[:500])
                continue
            sent += 1
    return sent
