"""The advocacy library and the shares employees make from it."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from juru.accounts.models import BrandAccount, Member, Organisation

MAX_ITEM_CHARS = 2000


class AdvocacyItem(models.Model):
    """An approved company post that employees may share from their personal accounts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="advocacy_items")
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), max_length=MAX_ITEM_CHARS)
    link = models.URLField(_("link"), max_length=500, blank=True, default="")
    # The published brand post it comes from, when it does (the library's "approved" means: already
    # approved and published by the company, or checked clean when added by hand).
    source_post = models.ForeignKey(
        "publishing.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    is_active = models.BooleanField(_("available to share"), default=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "is_active", "-created_at"], name="advocacy_item_listed")]

    def __str__(self) -> str:
        return self.title


class Share(models.Model):
    """One employee's share of one library item on one personal account (a draft in publishing)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(AdvocacyItem, on_delete=models.CASCADE, related_name="shares")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="advocacy_shares")
    account = models.ForeignKey(BrandAccount, on_delete=models.CASCADE, related_name="+")
    draft = models.OneToOneField("publishing.Draft", on_delete=models.CASCADE, related_name="advocacy_share")
    created_at = models.DateTimeField(_("shared at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["item", "account"], name="advocacy_share_once_per_account")]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.account_id}"
