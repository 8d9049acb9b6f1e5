"""Crisis mode: one declared crisis at a time per organisation, and the posts it held back.

The switch every reader checks is ``Organisation.crisis_active``; ``juru.crisis.services`` turns it
on and off in the same transaction that opens and closes a ``Crisis`` row, so the two never disagree.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _public_id() -> models.UUIDField:
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))


class Crisis(models.Model):
    """A crisis from its declaration to its end; the timeline report is read from it."""

    public_id = _public_id()
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="crises")
    alert = models.ForeignKey(
        "listening.Alert", on_delete=models.SET_NULL, null=True, blank=True, related_name="crises"
    )
    severity = models.PositiveSmallIntegerField(_("severity"))
    description = models.TextField(_("description"))
    declared_by = models.ForeignKey("accounts.Member", on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(_("declared at"))
    paused_posts = models.PositiveIntegerField(default=0)  # posts waiting in the queue when it was paused
    ended_by = models.ForeignKey("accounts.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    summary = models.TextField(_("closing note"), blank=True, default="")

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("crisis")
        verbose_name_plural = _("crises")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(ended_at__isnull=True), name="crisis_one_active_per_org"
            ),
            models.CheckConstraint(condition=Q(severity__gte=1, severity__lte=10), name="crisis_severity_1_to_10"),
        ]

    def __str__(self) -> str:
        return f"crisis {self.declared_at:%Y-%m-%d} ({self.severity})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class HeldState(models.TextChoices):
    """What became of a post the crisis held back."""

    HELD = "held", _("Held for review")
    RELEASED = "released", _("Released")
    RESCHEDULED = "rescheduled", _("Rescheduled")
    CANCELLED = "cancelled", _("Cancelled")


class HeldPost(models.Model):
    """A post that was waiting in the paused queue when the crisis ended: someone decides its fate."""

    public_id = _public_id()
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="held_posts")
    post = models.ForeignKey("publishing.Post", on_delete=models.CASCADE, related_name="crisis_holds")
    was_due_at = models.DateTimeField(_("was due at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=HeldState.choices, default=HeldState.HELD)
    decided_by = models.ForeignKey(
        "accounts.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["was_due_at", "pk"]
        verbose_name = _("held post")
        verbose_name_plural = _("held posts")
        constraints = [
            models.UniqueConstraint(fields=["crisis", "post"], name="crisis_held_post_once"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} ({self.state})"
