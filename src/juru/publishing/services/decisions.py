"""Scanning drafts and recording each decision (policy revision, digest, findings, verdict)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from juru.accounts.models import BrandAccount, Member, Organisation
from juru.connectors import registry
from juru.connectors.errors import UnknownNetworkError
from juru.governance.queries import current_org_config
from juru.publishing import scanning
from juru.publishing.exceptions import InvalidInputError, TextTooLongError, UnstorableTextError
from juru.publishing.models import Draft, Post, ScanDecision
from juru.scan import limits
from juru.scan.findings import ScanContext
from juru.scan.storable import first_unstorable

MAX_TEXT_CHARS = limits.MAX_TEXT_CHARS


def context_for(account: BrandAccount, member: Member, *, channel: str = "post") -> ScanContext:
    """Where a text goes: account type, network, channel, author role, crisis state."""
    return ScanContext(
        account=account.account_type,
        channel=channel,
        network=account.network,
        role=member.role,
        crisis=bool(account.organisation.crisis_active),
    )


def context_json(context: ScanContext) -> dict[str, Any]:
    """The context as stored on a decision."""
    return {
        "account": context.account,
        "channel": context.channel,
        "network": context.network,
        "role": context.role,
        "crisis": context.crisis,
    }


def scan(organisation: Organisation, text: str, context: ScanContext) -> scanning.ScanOutcome:
    """Scan with the organisation's current policy (without recording anything)."""
    check_scan_length(text)  # the text itself is not stored, so any character may be checked
    return scanning.scan_text(current_org_config(organisation), text, context)


def record_scan(
    *,
    organisation: Organisation,
    text: str,
    context: ScanContext,
    actor: Member | None,
    purpose: str,
    draft: Draft | None = None,
    post: Post | None = None,
) -> ScanDecision:
    """Scan ``text`` and store the decision (only the text's digest is kept, not the text)."""
    outcome = scan(organisation, text, context)
    return ScanDecision.objects.create(
        organisation=organisation,
        draft=draft,
        post=post,
        revision=outcome.revision,
        input_digest=scanning.digest(text),
        verdict=outcome.verdict,
        lang=outcome.lang,
        context=context_json(context),
        hits=outcome.hits,
        findings=outcome.findings,
        purpose=purpose,
        actor=actor,
    )


def scan_post(post: Post, *, actor: Member, purpose: str) -> ScanDecision:
    """Record a decision for one post's text in its account's context (as written by the author)."""
    return record_scan(
        organisation=post.organisation,
        text=post.body,
        context=context_for(post.account, post.draft.author, channel="reply" if post.reply_to else post.draft.channel),
        actor=actor,
        purpose=purpose,
        draft=post.draft,
        post=post,
    )


def latest_decisions(draft: Draft) -> list[ScanDecision]:
    """The newest decision of each of the draft's posts (in post order)."""
    decisions = []
    for post in draft.posts.order_by("pk"):
        decision = post.decisions.order_by("-created_at", "-pk").first()
        if decision is not None:
            decisions.append(decision)
    return decisions


def check_scan_length(text: str) -> str:
    """``text`` if one scan accepts its length; ``TextTooLongError`` (422) naming the limit otherwise."""
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLongError(
            _("The text is %(length)d characters long; the limit is %(limit)d.")
            % {"length": len(text), "limit": MAX_TEXT_CHARS}
        )
    return text


def check_text_bounds(text: str) -> str:
    """``text`` if it is within the length limit and storable; a 422 domain error otherwise."""
    check_scan_length(text)
    position = first_unstorable(text)
    if position is not None:
        raise UnstorableTextError(
            _("The text contains a character that cannot be stored (at position %(position)d); remove it.")
            % {"position": position + 1}
        )
    return text


def check_length(account: BrandAccount, text: str) -> None:
    """Refuse a text over the network's limit, naming the limit (``InvalidInputError``)."""
    check_text_bounds(text)
    try:
        caps = registry.capabilities(account.network)
    except UnknownNetworkError:
        return
    if caps.fits(text):
        return
    raise InvalidInputError(
        _("The text for %(handle)s (%(network)s) is too long: %(length)d of at most %(limit)d %(unit)s.")
        % {
            "handle": account.handle,
            "network": caps.display_name or caps.network,
            "length": caps.measure(text),
            "limit": caps.max_length,
            "unit": caps.length_unit,
        }
    )
