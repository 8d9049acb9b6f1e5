"""Helpers shared by the publishing services: audit, eligibility and settings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings

from juru.accounts import access
from juru.accounts.models import BrandAccount, Member, Organisation, Permission
from juru.audit.services import PendingEvent, append, prepare
from juru.publishing.models import Draft, Post


def late_approval_window() -> timedelta:
    """Approvals later than this before the target time expire the post (default 5 minutes)."""
    return timedelta(seconds=int(getattr(settings, "JURU_LATE_APPROVAL_SECONDS", 300)))


def pending_lifetime() -> timedelta:
    """Drafts waiting for approval longer than this expire (default 90 days)."""
    return timedelta(days=int(getattr(settings, "JURU_PENDING_APPROVAL_DAYS", 90)))


def call_timeout() -> timedelta:
    """A publish attempt still 'calling' after this is presumed to have lost its worker."""
    return timedelta(seconds=int(getattr(settings, "JURU_PUBLISH_CALL_TIMEOUT", 300)))


def max_attempts() -> int:
    """Tries per post before it fails with the last reason."""
    return int(getattr(settings, "JURU_PUBLISH_MAX_ATTEMPTS", 5))


def max_lookups() -> int:
    """Lookups that cannot reach the network before the post is handed to a person (default 4)."""
    return int(getattr(settings, "JURU_PUBLISH_MAX_LOOKUPS", 4))


def backoff(attempt: int) -> timedelta:
    """Exponential back-off after a transient failure: 30 s, 2 min, 8 min... capped at 1 hour."""
    return timedelta(seconds=min(3600, 30 * 4 ** max(0, attempt - 1)))


def user_of(member: Member | None) -> Any:
    """The auth user behind a member (audit actors are users)."""
    return member.user if member is not None else None


def audit(action: str, **fields: Any) -> None:
    """Write one audit event now (call inside the service's transaction); ``fields`` as for ``event``."""
    append([event(action, **fields)])


def event(
    action: str,
    *,
    actor: Member | None,
    organisation: Organisation,
    obj: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
) -> PendingEvent:
    """An audit event prepared now and appended later, once, with the rest of its service's events.

    Helpers that run inside another service's transaction return these and never append: the
    service appends all of its events in one write, last, so the chain head is locked once.
    """
    return prepare(
        action=action,
        actor=user_of(actor),
        organisation=organisation,
        obj=obj,
        before=before,
        after=after,
        summary=summary,
    )


def write_events(events: list[PendingEvent]) -> None:
    """Append a service's collected events in one write (call last, inside its transaction)."""
    if events:
        append(events)


def draft_snapshot(draft: Draft) -> dict[str, Any]:
    """The audit-relevant fields of a draft."""
    return {
        "state": draft.state,
        "version": draft.version,
        "round": draft.review_round,
        "verdict": draft.verdict,
        "scheduled_for": draft.scheduled_for.isoformat() if draft.scheduled_for else None,
    }


def require_for_accounts(member: Member, permission: str, accounts: Iterable[BrandAccount]) -> None:
    """``access.require_eligible`` on every account (raises ``NotEligible`` at the first refusal)."""
    for account in accounts:
        access.require_eligible(member, permission, account)


def require_can_draft(member: Member, accounts: Iterable[BrandAccount]) -> None:
    """Drafting needs a draft grant; whoever may publish on an account may also draft for it."""
    for account in accounts:
        if not access.eligibility(member, "publish", account).allowed:
            access.require_eligible(member, "draft", account)


def speaking_permission(draft: Draft) -> str:
    """The grant that sends this draft out: ``reply`` for a reply, ``publish`` for a post."""
    return Permission.REPLY if draft.is_reply else Permission.PUBLISH


def require_can_write(member: Member, draft: Draft) -> None:
    """Writing a reply needs the reply grant; writing a post, ``require_can_draft``."""
    if draft.is_reply:
        require_for_accounts(member, Permission.REPLY, draft_accounts(draft))
    else:
        require_can_draft(member, draft_accounts(draft))


def draft_accounts(draft: Draft) -> list[BrandAccount]:
    """The accounts a draft targets, in a stable order."""
    return [post.account for post in draft.posts.select_related("account").order_by("pk")]


def post_accounts(posts: Iterable[Post]) -> list[BrandAccount]:
    """The accounts of several posts."""
    return [post.account for post in posts]
