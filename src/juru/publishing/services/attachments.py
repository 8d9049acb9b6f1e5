"""Attachments: files with their source and credit, checked against every target network's limits."""

from __future__ import annotations

import os

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from juru.accounts.models import Member
from juru.audit.services import PendingEvent
from juru.connectors import registry
from juru.connectors.errors import UnknownNetworkError
from juru.publishing.exceptions import InvalidInputError, InvalidTransitionError
from juru.publishing.models import Attachment, Draft, DraftState
from juru.publishing.services.common import draft_accounts, event, require_can_draft, write_events
from juru.publishing.services.drafts import lock_draft, reset_chain

MAX_BYTES = 8 * 1024 * 1024


def _check_fits(draft: Draft, content_type: str) -> None:
    count = draft.attachments.count() + 1
    for account in draft_accounts(draft):
        try:
            caps = registry.capabilities(account.network)
        except UnknownNetworkError:
            continue
        if content_type not in caps.media_types:
            raise InvalidInputError(
                _("%(network)s does not accept %(type)s files.") % {"network": account.network, "type": content_type}
            )
        if count > caps.max_media:
            raise InvalidInputError(
                ngettext(
                    "%(network)s takes at most %(count)d attachment.",
                    "%(network)s takes at most %(count)d attachments.",
                    caps.max_media,
                )
                % {"network": account.network, "count": caps.max_media}
            )


def _content_changed(draft: Draft, actor: Member) -> list[PendingEvent]:
    """An attachment change is a content change: a submitted or approved draft is approved again."""
    events = []
    if draft.state in (DraftState.IN_REVIEW, DraftState.APPROVED, DraftState.SCHEDULED):
        events.append(reset_chain(draft, actor=actor, why=_("The attachments changed after the draft was submitted.")))
    draft.version = F("version") + 1
    draft.save()
    draft.refresh_from_db()
    return events


@transaction.atomic
def add_attachment(draft: Draft, *, actor: Member, upload: UploadedFile, source: str, alt_text: str = "") -> Attachment:
    """Attach a file; its source/credit is required (who made it, where it may be used)."""
    draft = lock_draft(draft)
    require_can_draft(actor, draft_accounts(draft))
    if not (draft.is_editable or draft.state == DraftState.SCHEDULED):
        raise InvalidTransitionError(_("This draft can no longer change."))
    if not source.strip():
        raise InvalidInputError(_("Say where the file comes from and whom to credit."))
    if upload.size is None or upload.size > MAX_BYTES:
        raise InvalidInputError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    content_type = (upload.content_type or "").lower()
    _check_fits(draft, content_type)
    attachment = Attachment.objects.create(
        draft=draft, file=upload, content_type=content_type, alt_text=alt_text.strip(), source=source.strip()
    )
    events = _content_changed(draft, actor)
    added = {"file": os.path.basename(attachment.file.name), "source": attachment.source}
    events.append(
        event("publishing.attachment.added", actor=actor, organisation=draft.organisation, obj=draft, after=added)
    )
    write_events(events)
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, *, actor: Member) -> Draft:
    """Remove a file from a draft (a content change)."""
    draft = lock_draft(attachment.draft)
    require_can_draft(actor, draft_accounts(draft))
    if not (draft.is_editable or draft.state == DraftState.SCHEDULED):
        raise InvalidTransitionError(_("This draft can no longer change."))
    name = os.path.basename(attachment.file.name)
    attachment.file.delete(save=False)
    attachment.delete()
    events = _content_changed(draft, actor)
    removed = {"file": name}
    events.append(
        event("publishing.attachment.removed", actor=actor, organisation=draft.organisation, obj=draft, before=removed)
    )
    write_events(events)
    return draft
