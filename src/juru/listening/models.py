"""Listening: what the organisation listens for, what the public said, and the alerts bursts raised."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from juru.accounts import crypto
from juru.accounts.models import BrandAccount, Organisation


def _public_id() -> models.UUIDField:
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))


class QueryKind(models.TextChoices):
    """What a query is about."""

    BRAND = "brand", _("Brand")
    PRODUCT = "product", _("Product")
    COMPETITOR = "competitor", _("Competitor")
    EXECUTIVE = "executive", _("Executive")
    TOPIC = "topic", _("Topic")


class QueryLanguage(models.TextChoices):
    """Which mentions a query matches by language."""

    ANY = "any", _("Indonesian and English")
    ID = "id", _("Indonesian")
    EN = "en", _("English")


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class ListeningQuery(models.Model):
    """Words and phrases that make a mention relevant, with exclusions (one term per line)."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="listening_queries")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=QueryKind.choices, default=QueryKind.BRAND)
    terms = models.TextField(_("words and phrases"), help_text=_("One per line; a mention matches any of them."))
    exclusions = models.TextField(
        _("exclusions"), blank=True, default="", help_text=_("One per line; a mention with any of them is left out.")
    )
    language = models.CharField(_("language"), max_length=3, choices=QueryLanguage.choices, default=QueryLanguage.ANY)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("listening query")
        verbose_name_plural = _("listening queries")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="listening_query_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def stream_key(self) -> str:
        """The spike detector's name for this query's stream."""
        return f"query:{self.public_id}"


class Mention(models.Model):
    """One thing the public said to or about the organisation, classified once when it arrived."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="mentions")
    account = models.ForeignKey(BrandAccount, on_delete=models.SET_NULL, null=True, related_name="mentions")
    network = models.CharField(_("network"), max_length=40)
    remote_id = models.CharField(_("network id"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, default="mention")
    author_handle = models.CharField(_("author"), max_length=200)
    author_name = models.CharField(_("author name"), max_length=200, blank=True, default="")
    text = models.TextField(_("text"))
    url = models.CharField(_("address"), max_length=500, blank=True, default="")
    in_reply_to = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("time"), db_index=True)
    fetched_at = models.DateTimeField(_("fetched at"), auto_now_add=True)
    batch = models.UUIDField(editable=False)  # the poll that stored it (ids now come back from the insert itself)
    lang = models.CharField(_("language"), max_length=5)
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=Sentiment.choices)
    sentiment_score = models.FloatField(default=0.0)  # probability of the chosen sentiment
    emotion = models.CharField(_("emotion"), max_length=10, blank=True, default="")
    abusive = models.BooleanField(_("abusive"), default=False)
    abusive_score = models.FloatField(default=0.0)
    hate = models.BooleanField(_("hate speech"), default=False)
    hate_score = models.FloatField(default=0.0)
    queries = models.ManyToManyField(ListeningQuery, related_name="mentions", blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "network", "remote_id"], name="listening_mention_once"),
        ]
        indexes = [
            models.Index(fields=["organisation", "created_at"], name="listening_mention_org_time"),
            # An author's recent mentions: moderation counts repetition over them on every poll.
            models.Index(fields=["organisation", "author_handle", "created_at"], name="listening_mention_author"),
        ]

    def __str__(self) -> str:
        return f"{self.author_handle}: {self.text[:40]}"


class PollCursor(models.Model):
    """Where reading an account's mentions stopped, and how the last poll went."""

    account = models.OneToOneField(BrandAccount, on_delete=models.CASCADE, related_name="poll_cursor")
    cursor = models.CharField(max_length=500, blank=True, default="")
    polled_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, default="")

    def __str__(self) -> str:
        return f"{self.account}: {self.cursor or '-'}"


class SpikeState(models.Model):
    """The spike detector's memory for one organisation (baselines, recent events, open episodes)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="spike_state")
    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"spike state of {self.organisation}"


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class Alert(models.Model):
    """One burst (episode): opened once, updated while it grows."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="alerts")
    episode = models.CharField(max_length=40)
    query = models.ForeignKey(ListeningQuery, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts")
    account = models.ForeignKey(BrandAccount, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts")
    # The query's name when the alert opened (refreshed when the query is deleted): the alert stays readable.
    query_name = models.CharField(_("query"), max_length=120, blank=True, default="")
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=Sentiment.choices)
    opened_at = models.DateTimeField(_("opened at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"))
    severity = models.PositiveSmallIntegerField(_("severity"))
    observed = models.PositiveIntegerField(_("observed"))
    expected = models.FloatField(_("expected"))
    window_minutes = models.PositiveIntegerField(_("window (minutes)"))
    top_terms = models.JSONField(default=list)
    examples = models.JSONField(default=list)  # [{"id": mention public id, "text": ...}]
    updates = models.PositiveIntegerField(default=0)
    status = models.CharField(_("status"), max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "episode"], name="listening_alert_one_per_episode"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.sentiment} ({self.severity})"

    @property
    def subject(self) -> str:
        """What the alert is about: the query's name (as it was, once deleted) or the account's handle."""
        if self.query is not None:
            return self.query.name
        if self.query_name:
            return self.query_name
        if self.account is not None:
            return f"@{self.account.handle}"
        return "-"

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected else float(self.observed)


class AlertSettings(models.Model):
    """Where an organisation's alerts go besides the app: e-mail on or off, and a signed webhook."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="alert_settings")
    email_enabled = models.BooleanField(_("send e-mail"), default=True)
    webhook_url = models.URLField(_("webhook address"), blank=True, default="")
    # Fernet ciphertext of the "whsec_..." signing secret; read and write through ``webhook_secret``.
    webhook_secret_encrypted = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return f"alert settings of {self.organisation}"

    @property
    def webhook_secret(self) -> str:
        """The decrypted signing secret ("" when none is set)."""
        return crypto.decrypt(self.webhook_secret_encrypted) if self.webhook_secret_encrypted else ""

    @webhook_secret.setter
    def webhook_secret(self, value: str) -> None:
        self.webhook_secret_encrypted = crypto.encrypt(value) if value else ""
