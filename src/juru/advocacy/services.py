"""Advocacy writes: register a personal account, keep the library, share in one click.

A share is an ordinary publishing draft on the employee's personal account, on the ``share``
channel: the check requires the personal-opinion disclaimer and the employment disclosure there
(rules ``core.share-disclaimer`` and ``core.share-employment``), eligibility and approvals are
publishing's, and the post goes out with publishing's at-most-once delivery.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from juru.accounts.models import AccountType, BrandAccount, ConnectionStatus, Member, Permission
from juru.accounts.services import create_brand_account, set_grant
from juru.advocacy.exceptions import AdvocacyError, AdvocacyPausedError, AlreadySharedError, NotYourAccountError
from juru.advocacy.models import MAX_ITEM_CHARS, AdvocacyItem, Share
from juru.advocacy.queries import advocacy_paused, can_curate
from juru.audit.services import record
from juru.publishing.exceptions import PublishingError
from juru.publishing.models import Draft, DraftState, Post, PostState
from juru.publishing.services import decisions
from juru.publishing.services.drafts import create_draft, submit_draft
from juru.publishing.services.scheduling import schedule_draft
from juru.scan.findings import ScanContext

CLEAN_VERDICTS = ("allow", "warn")


def _item_summary(item: AdvocacyItem) -> dict[str, Any]:
    return {"title": item.title, "link": item.link, "is_active": item.is_active, "chars": len(item.text)}


@transaction.atomic
def register_personal_account(*, actor: Member, network: str, handle: str) -> BrandAccount:
    """Register the actor's own personal account and let them draft and publish on it."""
    account = create_brand_account(
        actor=actor.user,
        organisation=actor.organisation,
        network=network,
        handle=handle,
        account_type=AccountType.PERSONAL,
        owner_member=actor,
        connection_status=ConnectionStatus.DISCONNECTED,
    )
    # Grants say who may use the account (publish includes drafting); the right to speak (policy,
    # training, 2FA) still applies on top.
    set_grant(actor=actor.user, account=account, permission=Permission.PUBLISH, member=actor)
    return account


def _require_curator(actor: Member) -> None:
    if not can_curate(actor):
        raise AdvocacyError(_("Only account managers and PR or marketing team members keep the advocacy library."))


def _clean_item(title: str, text: str, link: str) -> tuple[str, str, str]:
    title, text, link = title.strip(), text.strip(), link.strip()
    if not title or not text:
        raise AdvocacyError(_("An advocacy post needs a title and a text."))
    if len(text) > MAX_ITEM_CHARS:
        raise AdvocacyError(_("An advocacy post has at most %(max)d characters.") % {"max": MAX_ITEM_CHARS})
    return title, text, link


def _check_item_text(actor: Member, text: str) -> None:
    """A hand-written item must pass the check as a share would, before anyone can share it."""
    context = ScanContext(role=actor.role, crisis=bool(actor.organisation.crisis_active))  # as the brand says it
    outcome = decisions.scan(actor.organisation, text, context)
    if outcome.verdict not in CLEAN_VERDICTS:
        raise AdvocacyError(
            _(
                "This text did not pass the check (%(verdict)s). Publish it on a brand account through "
                "approval first, then add it from the published post."
            )
            % {"verdict": outcome.verdict}
        )


@transaction.atomic
def add_item(*, actor: Member, title: str, text: str, link: str = "", source_post: Post | None = None) -> AdvocacyItem:
    """Add an item to the library: a published brand post, or a text that passes the check."""
    _require_curator(actor)
    title, text, link = _clean_item(title, text, link)
    if source_post is not None:
        if source_post.organisation_id != actor.organisation_id or source_post.state != PostState.PUBLISHED:
            raise AdvocacyError(_("Only a published post of this organisation can be added."))
        link = link or source_post.url
    else:
        _check_item_text(actor, text)
    item = AdvocacyItem.objects.create(
        organisation=actor.organisation, title=title, text=text, link=link, source_post=source_post, added_by=actor
    )
    record(
        action="advocacy.item_added", actor=actor.user, organisation=actor.organisation, obj=item,
        after=_item_summary(item),
    )  # fmt: skip
    return item


@transaction.atomic
def set_item_available(*, actor: Member, item: AdvocacyItem, available: bool) -> AdvocacyItem:
    """Withdraw an item from the library, or offer it again (shares already made stay)."""
    _require_curator(actor)
    before = _item_summary(item)
    item.is_active = available
    item.save(update_fields=["is_active"])
    action = "advocacy.item_restored" if available else "advocacy.item_withdrawn"
    record(action=action, actor=actor.user, organisation=item.organisation, obj=item, before=before,
           after=_item_summary(item))  # fmt: skip
    return item


def disclosure_line(member: Member, lang: str) -> str:
    """The sentence every share ends with: own views, and who the writer works for."""
    with translation.override(lang):
        return _("Views are my own; I work for %(organisation)s.") % {"organisation": member.organisation.name}


def share_text(item: AdvocacyItem, member: Member, lang: str) -> str:
    """What a one-click share says: the item, its link, and the disclosure line."""
    parts = [item.text]
    if item.link and item.link not in item.text:
        parts.append(item.link)
    parts.append(disclosure_line(member, lang))
    return "\n\n".join(parts)


def _check_share(actor: Member, item: AdvocacyItem, account: BrandAccount) -> None:
    if advocacy_paused(actor.organisation):
        raise AdvocacyPausedError(_("Sharing is paused while the organisation is in crisis mode."))
    if item.organisation_id != actor.organisation_id or not item.is_active:
        raise AdvocacyError(_("This post is no longer in the advocacy library."))
    if account.account_type != AccountType.PERSONAL or account.owner_member_id != actor.pk or not account.is_active:
        raise NotYourAccountError(_("You can share only from your own active personal accounts."))
    if Share.objects.filter(item=item, account=account).exists():
        raise AlreadySharedError(_("You already shared this post from %(handle)s.") % {"handle": account.handle})


def share_item(*, actor: Member, item: AdvocacyItem, account: BrandAccount, text: str, lang: str) -> Share:
    """Share ``item`` from the actor's personal account: draft, check, and publish at once when clean.

    A share the check holds (a missing disclosure, a warning to acknowledge, an approval) stays as a
    draft the employee finishes on the publishing pages; nothing is sent past the check.
    """
    _check_share(actor, item, account)
    draft = create_draft(actor=actor, accounts=[account], text=text or share_text(item, actor, lang), channel="share")
    share = _record_share(actor, item, account, draft)
    try:
        draft = submit_draft(draft, actor=actor)
        if draft.state == DraftState.APPROVED:
            schedule_draft(draft, actor=actor, confirm_accounts=[str(account.public_id)])
    except (PublishingError, PermissionDenied):
        pass  # the draft keeps the check's verdict and its state; the share list links to it
    share.draft.refresh_from_db()
    return share


@transaction.atomic
def _record_share(actor: Member, item: AdvocacyItem, account: BrandAccount, draft: Draft) -> Share:
    share = Share.objects.create(organisation=actor.organisation, item=item, member=actor, account=account, draft=draft)
    record(
        action="advocacy.shared", actor=actor.user, organisation=actor.organisation, obj=share,
        after={"item": str(item.public_id), "account": account.handle, "draft": str(draft.public_id)},
    )  # fmt: skip
    return share
