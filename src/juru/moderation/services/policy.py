"""Changing an organisation's moderation policy."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from juru.accounts.models import Organisation
from juru.audit.services import append
from juru.moderation.exceptions import ModerationError
from juru.moderation.models import BanMode, ModerationPolicy
from juru.moderation.services.common import event, policy_for

FIELDS = (
    "hide_spam", "hide_abuse", "ban_mode", "threshold", "window_days", "spam_weight", "abuse_weight", "hate_weight",
)  # fmt: skip
MAX_THRESHOLD = 100
MAX_WINDOW_DAYS = 365
MAX_WEIGHT = 10


def _snapshot(policy: ModerationPolicy) -> dict[str, Any]:
    return {name: getattr(policy, name) for name in FIELDS}


def _check(values: dict[str, Any]) -> None:
    if values["ban_mode"] not in BanMode.values:
        raise ModerationError(_("Choose what happens when an author reaches the threshold."))
    if not 1 <= values["threshold"] <= MAX_THRESHOLD:
        raise ModerationError(_("The threshold must be between 1 and %(most)d points.") % {"most": MAX_THRESHOLD})
    if not 1 <= values["window_days"] <= MAX_WINDOW_DAYS:
        raise ModerationError(_("The window must be between 1 and %(most)d days.") % {"most": MAX_WINDOW_DAYS})
    for name in ("spam_weight", "abuse_weight", "hate_weight"):
        if not 0 <= values[name] <= MAX_WEIGHT:
            raise ModerationError(_("Each weight must be between 0 and %(most)d points.") % {"most": MAX_WEIGHT})


def update_policy(*, actor: Any, organisation: Organisation, **values: Any) -> ModerationPolicy:
    """Save the organisation's moderation policy (every field given; see ``FIELDS``)."""
    missing = [name for name in FIELDS if name not in values]
    if missing or set(values) - set(FIELDS):
        raise TypeError(f"update_policy needs exactly {FIELDS}")
    _check(values)
    with transaction.atomic():
        policy = ModerationPolicy.objects.select_for_update().get(pk=policy_for(organisation).pk)
        before = _snapshot(policy)
        for name, value in values.items():
            setattr(policy, name, value)
        policy.save()
        append(
            [
                event(
                    "moderation.policy_changed", actor=actor, organisation=organisation, obj=policy, before=before,
                    after=_snapshot(policy),
                )
            ]
        )  # fmt: skip
    return policy
