"""All writes of the publishing workflow (drafts, approvals, scheduling, publishing).

Callers write ``from juru.publishing import services`` and call ``services.submit_draft(...)``.
"""

from __future__ import annotations

from juru.publishing.services.approvals import approve_draft, decide, reject_draft, request_changes
from juru.publishing.services.attachments import add_attachment, remove_attachment
from juru.publishing.services.chains import configure_default_chains, set_chain
from juru.publishing.services.decisions import record_scan
from juru.publishing.services.drafts import cancel_draft, create_draft, override_block, submit_draft, update_draft
from juru.publishing.services.publish import (
    begin_attempt,
    publish_post,
    reconcile_stale_attempts,
    record_outcome,
    resolve_post,
)
from juru.publishing.services.scheduling import (
    claim_due_posts,
    claim_post,
    due_post_ids,
    expire_stale_drafts,
    schedule_draft,
)

__all__ = [
    "add_attachment",
    "remove_attachment",
    "approve_draft",
    "begin_attempt",
    "cancel_draft",
    "claim_due_posts",
    "claim_post",
    "configure_default_chains",
    "create_draft",
    "decide",
    "due_post_ids",
    "expire_stale_drafts",
    "override_block",
    "publish_post",
    "reconcile_stale_attempts",
    "record_outcome",
    "record_scan",
    "reject_draft",
    "request_changes",
    "resolve_post",
    "schedule_draft",
    "set_chain",
    "submit_draft",
    "update_draft",
]
