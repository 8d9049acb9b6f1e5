"""Saved replies (versioned, with their own approval) and the replies sent to mentions."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from juru.accounts.models import Member, Organisation


def _public_id() -> models.UUIDField:
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))


class SavedReplyState(models.TextChoices):
    """Whether responders may use the current version."""

    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")


class SavedReply(models.Model):
    """A pre-approved answer; its text lives in versions, the newest one is current."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="saved_replies")
    title = models.CharField(_("title"), max_length=120)
    tags = models.JSONField(_("topics"), default=list, blank=True)
    is_holding = models.BooleanField(_("holding statement"), default=False)
    state = models.CharField(
        _("state"), max_length=12, choices=SavedReplyState.choices, default=SavedReplyState.PENDING
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("saved reply")
        verbose_name_plural = _("saved replies")

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> SavedReplyVersion:
        """The newest version (what editors see and approvers approve)."""
        return self.versions.get(number=self.version)

    @property
    def is_usable(self) -> bool:
        """Responders may use it only once its current version is approved."""
        return self.state == SavedReplyState.APPROVED


class SavedReplyVersion(models.Model):
    """One text of a saved reply, in Indonesian and English; every edit writes a new one."""

    saved_reply = models.ForeignKey(SavedReply, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text_id = models.TextField(_("Indonesian text"))
    text_en = models.TextField(_("English text"), blank=True)
    material = models.BooleanField(default=True)  # False: a small edit that kept the approval
    author = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    approved_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["saved_reply", "number"], name="replies_version_once")]

    def __str__(self) -> str:
        return f"{self.saved_reply.title} v{self.number}"

    def text_for(self, lang: str) -> str:
        """The text in ``lang`` (Indonesian when there is no English text)."""
        return self.text_en if lang == "en" and self.text_en else self.text_id


class Reply(models.Model):
    """A reply to a mention: the publishing draft that carries it, and the conversation it belongs to."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="replies")
    mention = models.ForeignKey("listening.Mention", on_delete=models.CASCADE, related_name="replies")
    draft = models.OneToOneField("publishing.Draft", on_delete=models.CASCADE, related_name="reply")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    thread_key = models.CharField(max_length=200, db_index=True)
    saved_version = models.ForeignKey(
        SavedReplyVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="uses"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"reply to {self.mention_id}"
