"""Moderation: per-author strikes, the organisation's policy, hides and bans, appeals.

An author is one handle on one network, seen by one organisation. Strikes come only from spam,
abuse and hate (never from negative sentiment); each strike keeps the mention and the signals that
gave it, so the author's page can explain every step. Hides and bans are ``ModerationAction`` rows:
written in the deciding transaction, carried out on the network by a task after the commit, retried
until the network answers, and each reversible by an action of the opposite kind.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from juru.accounts.models import BrandAccount, Organisation
from juru.listening.models import Mention


def _public_id() -> models.UUIDField:
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))


class BanMode(models.TextChoices):
    """What reaching the strike threshold does."""

    AUTOMATIC = "automatic", _("Ban automatically")
    SUGGEST = "suggest", _("Suggest a ban to a moderator")
    OFF = "off", _("Do nothing (strikes are only recorded)")


class ModerationPolicy(models.Model):
    """How one organisation moderates: what is hidden at once, how strikes weigh, when a ban comes."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="moderation_policy")
    hide_spam = models.BooleanField(_("hide spam automatically"), default=True)
    hide_abuse = models.BooleanField(_("hide abusive and hateful comments automatically"), default=False)
    ban_mode = models.CharField(_("at the threshold"), max_length=10, choices=BanMode.choices, default=BanMode.SUGGEST)
    threshold = models.PositiveSmallIntegerField(_("strike points for a ban"), default=3)
    window_days = models.PositiveSmallIntegerField(_("counted over (days)"), default=7)
    spam_weight = models.PositiveSmallIntegerField(_("points per spam comment"), default=1)
    abuse_weight = models.PositiveSmallIntegerField(_("points per abusive comment"), default=1)
    hate_weight = models.PositiveSmallIntegerField(_("points per hateful comment"), default=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("moderation policy")
        verbose_name_plural = _("moderation policies")

    def __str__(self) -> str:
        return f"moderation policy of {self.organisation}"

    def weight(self, kind: str) -> int:
        """The points one strike of this kind is worth."""
        weights: dict[str, int] = {StrikeKind.SPAM: self.spam_weight, StrikeKind.ABUSE: self.abuse_weight}
        return weights.get(kind, self.hate_weight)


class AuthorState(models.TextChoices):
    ACTIVE = "active", _("Active")
    BAN_SUGGESTED = "ban_suggested", _("Ban suggested")
    BANNED = "banned", _("Banned")


class BanMethod(models.TextChoices):
    """How a ban is enforced: blocked on the network, or (where it cannot block) each new comment hidden."""

    BLOCK = "block", _("Blocked on the network")
    HIDE = "hide", _("New comments hidden")


class Author(models.Model):
    """One member of the public (a handle on a network) as one organisation sees them."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="moderation_authors")
    network = models.CharField(_("network"), max_length=40)
    handle = models.CharField(_("handle"), max_length=200)
    name = models.CharField(_("name"), max_length=200, blank=True, default="")
    state = models.CharField(_("state"), max_length=20, choices=AuthorState.choices, default=AuthorState.ACTIVE)
    ban_method = models.CharField(_("ban enforced by"), max_length=10, choices=BanMethod.choices, blank=True)
    whitelisted = models.BooleanField(_("whitelisted"), default=False)
    # Strikes before this moment no longer count towards a ban (set by an unban or an accepted appeal).
    counted_from = models.DateTimeField(null=True, blank=True)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)

    class Meta:
        ordering = ["handle"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "network", "handle"], name="moderation_author_once"),
        ]
        indexes = [models.Index(fields=["organisation", "state"], name="moderation_author_state")]

    def __str__(self) -> str:
        return f"@{self.handle} ({self.network})"

    @property
    def is_banned(self) -> bool:
        return self.state == AuthorState.BANNED


class StrikeKind(models.TextChoices):
    SPAM = "spam", _("Spam")
    ABUSE = "abuse", _("Abuse")
    HATE = "hate", _("Hate speech")


class Strike(models.Model):
    """One mention that counted against its author, with the signals that made it count."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="strikes")
    mention = models.OneToOneField(Mention, on_delete=models.CASCADE, related_name="strike")
    kind = models.CharField(_("kind"), max_length=10, choices=StrikeKind.choices)
    weight = models.PositiveSmallIntegerField(_("points"))
    # [{"signal": "gambling", "detail": "slot gacor"}, ...]: what the author's page shows as evidence.
    evidence = models.JSONField(default=list)
    created_at = models.DateTimeField(_("time"), db_index=True)  # the mention's time

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("strike")
        verbose_name_plural = _("strikes")

    def __str__(self) -> str:
        return f"{self.kind} strike on {self.author_id}"


class ActionKind(models.TextChoices):
    HIDE = "hide", _("Hide comment")
    UNHIDE = "unhide", _("Show comment again")
    BLOCK = "block", _("Block author")
    UNBLOCK = "unblock", _("Unblock author")


class ActionState(models.TextChoices):
    PENDING = "pending", _("Waiting for the network")
    DONE = "done", _("Done")
    FAILED = "failed", _("Refused by the network")
    CANCELLED = "cancelled", _("Cancelled before it was carried out")


class ModerationAction(models.Model):
    """One hide or block (or its reversal) to carry out on the network, and how that went."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="moderation_actions")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="actions")
    account = models.ForeignKey(BrandAccount, on_delete=models.CASCADE, related_name="moderation_actions")
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(_("action"), max_length=10, choices=ActionKind.choices)
    state = models.CharField(_("state"), max_length=10, choices=ActionState.choices, default=ActionState.PENDING)
    automatic = models.BooleanField(_("automatic"), default=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(_("network answer"), max_length=500, blank=True, default="")
    reversed_by = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="moderation_action_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["hide", "unhide"]) | Q(mention__isnull=False), name="moderation_hide_has_mention"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.author_id} ({self.state})"


class AppealState(models.TextChoices):
    OPEN = "open", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Appeal(models.Model):
    """An author's request to lift a ban or strikes, recorded by staff and decided by a moderator."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="appeals")
    statement = models.TextField(_("what the author says"))
    state = models.CharField(_("state"), max_length=10, choices=AppealState.choices, default=AppealState.OPEN)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason for the decision"), blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"appeal of {self.author_id} ({self.state})"
