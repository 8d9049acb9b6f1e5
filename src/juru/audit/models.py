"""The append-only, hash-chained audit log (DESIGN.md F13).

Rows are written only by ``juru.audit.services.record``. The ORM refuses to change or delete
them; changes made behind its back (raw SQL) are found by ``juru audit verify``.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from juru.accounts.models import Organisation

GENESIS_HASH = "0" * 64


class AuditImmutableError(Exception):
    """Audit events are append-only: they cannot be changed or deleted."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Bulk updates and deletes are refused like single ones."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit events cannot be updated")

    def delete(self) -> NoReturn:  # type: ignore[override]  # refusing is the point
        raise AuditImmutableError("audit events cannot be deleted")


class AuditEvent(models.Model):
    """One recorded action: who did what to which object, and the chain link to the event before."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The actor's username at the time; it is what the hash covers (users may be renamed or removed).
    actor_label = models.CharField(_("actor"), max_length=200)
    # The actor's user id at the time, covered by the hash from version 2 on: pointing an event at
    # another user is detected, while removing a user (which empties ``actor``) is not tampering.
    actor_key = models.CharField(max_length=64, blank=True, default="")
    # Which fields the hash covers: 1 (before actor ids were hashed) or 2. Flipping it breaks the hash.
    hash_version = models.PositiveSmallIntegerField(default=1)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["organisation", "-seq"], name="audit_event_org_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutableError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit events cannot be deleted")


class ChainHead(models.Model):
    """The single row that holds the last sequence number and hash; appends lock it."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="%(app_label)s_%(class)s_singleton")]

    def __str__(self) -> str:
        return f"head #{self.seq}"
