"""Policy versions, sign-offs, training and suspensions: the facts eligibility is built from."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from juru.accounts.models import Member, Organisation, Role


def _public_id() -> models.UUIDField:
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))


class PolicyVersion(models.Model):
    """One version of an organisation's policy: readable text (id + en) and machine config.

    The current version is the latest published one; a published version never changes.
    """

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="policy_versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body_id = models.TextField(_("text (Indonesian)"))
    body_en = models.TextField(_("text (English)"))
    # An ``OrgConfig`` mapping (juru.rules.config): org terms, enabled packs, allow-lists.
    config = models.JSONField(_("rule configuration"), default=dict, blank=True)
    revision = models.CharField(_("revision"), max_length=80, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A material version must be signed again by ``sign_by``; until then earlier signatures still count.
    material = models.BooleanField(_("material change"), default=False)
    grace_days = models.PositiveSmallIntegerField(_("days to sign again"), default=14)
    sign_by = models.DateTimeField(_("sign by"), null=True, blank=True)
    change_note = models.TextField(_("what changed"), blank=True)
    # Bumped on every draft save, so two people editing the same draft cannot overwrite each other.
    edit_serial = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-number"]
        get_latest_by = "number"
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="%(app_label)s_%(class)s_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def is_published(self) -> bool:
        """True once published."""
        return self.published_at is not None

    def body_for(self, lang: str) -> str:
        """The policy text in the given UI language (Indonesian unless English is asked for)."""
        return self.body_en if lang.startswith("en") else self.body_id

    def text_digest(self) -> str:
        """SHA-256 of the readable text alone (title and both languages): part of the policy revision."""
        canonical = json.dumps([self.title, self.body_id, self.body_en], ensure_ascii=False, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def content_hash(self) -> str:
        """SHA-256 of what a member signs: number, title, both texts and the rule config."""
        payload = {
            "number": self.number,
            "title": self.title,
            "body_id": self.body_id,
            "body_en": self.body_en,
            "config": self.config,
        }
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class PolicySignoff(models.Model):
    """A member's signature on one policy version, with the hash of the text they signed."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="policy_signoffs")
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="signoffs")
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    version_hash = models.CharField(_("version hash"), max_length=80)
    full_name = models.CharField(_("name as typed"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-signed_at"]
        verbose_name = _("policy sign-off")
        verbose_name_plural = _("policy sign-offs")
        constraints = [
            models.UniqueConstraint(fields=["member", "policy_version"], name="%(app_label)s_%(class)s_unique_signoff"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} signed {self.policy_version_id}"


class TrainingModule(models.Model):
    """A training module with a pass mark; required modules gate eligibility."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="training_modules")
    code = models.SlugField(_("code"), max_length=60)
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    required = models.BooleanField(_("required"), default=True)
    pass_score = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80)
    body_id = models.TextField(_("text (Indonesian)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    # Questions as data (see ``juru.governance.quiz``); each names the section of the text it tests.
    quiz = models.JSONField(_("quiz"), default=list, blank=True)
    valid_days = models.PositiveSmallIntegerField(_("valid for (days)"), null=True, blank=True, default=365)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(condition=Q(pass_score__lte=100), name="%(app_label)s_%(class)s_pass_score_range"),
        ]

    def __str__(self) -> str:
        return self.code

    def title_for(self, lang: str) -> str:
        """The title in the given UI language (Indonesian unless English is asked for)."""
        return self.title_en if lang.startswith("en") else self.title_id

    @property
    def title(self) -> str:
        """The title in the active language (for templates)."""
        return self.title_for(get_language() or "id")

    def body_for(self, lang: str) -> str:
        """The module text in the given UI language."""
        return self.body_en if lang.startswith("en") else self.body_id

    def applies_to(self, role: str) -> bool:
        """True if members with ``role`` must pass this module (roles prefetched when asked for many)."""
        roles = [r.role for r in self.roles.all()]
        return self.required and (not roles or role in roles)


class ModuleRole(models.Model):
    """A role that must pass a required module; a required module without any is required of every role."""

    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["role"]
        verbose_name = _("required role")
        verbose_name_plural = _("required roles")
        constraints = [
            models.UniqueConstraint(fields=["module", "role"], name="%(app_label)s_%(class)s_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.module_id}: {self.role}"


class TrainingCompletion(models.Model):
    """One attempt at a module: its score and whether it passed."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="training_completions")
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="completions")
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # The quiz form's one-time token: the same submission arriving twice is one attempt.
    attempt_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    wrong_sections = models.JSONField(_("sections to read again"), default=list, blank=True)

    class Meta:
        ordering = ["-completed_at"]
        verbose_name = _("training completion")
        verbose_name_plural = _("training completions")
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="%(app_label)s_%(class)s_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.module_id} {self.score}%"

    @staticmethod
    def valid_q(when: datetime | None = None) -> Q:
        """Filter for passed attempts that have not expired at ``when`` (now by default)."""
        moment = when or timezone.now()
        return Q(passed=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=moment))


class Suspension(models.Model):
    """A period in which a member may not speak for the organisation."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="suspensions")
    reason = models.TextField(_("reason"))
    starts_at = models.DateTimeField(_("starts at"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"suspension of {self.member_id}"

    def is_active_at(self, when: datetime | None = None) -> bool:
        """True if the suspension applies at ``when`` (now by default)."""
        moment = when or timezone.now()
        return self.lifted_at is None and self.starts_at <= moment and (self.ends_at is None or self.ends_at > moment)

    @staticmethod
    def active_q(when: datetime | None = None) -> Q:
        """Filter for suspensions in force at ``when`` (the queryset form of ``is_active_at``)."""
        moment = when or timezone.now()
        return Q(lifted_at__isnull=True, starts_at__lte=moment) & (Q(ends_at__isnull=True) | Q(ends_at__gt=moment))


class Reminder(models.Model):
    """When a member was last reminded by e-mail of one open task (``key``: what and which version)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="governance_reminders")
    key = models.CharField(_("task"), max_length=120)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["member", "key"], name="%(app_label)s_%(class)s_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.key}"


class ViolationState(models.TextChoices):
    """Where a violation case is in its workflow."""

    OPEN = "open", _("Open")
    INVESTIGATING = "investigating", _("Investigating")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


# The states a case may move to from each state (decide has its own form; the rest are buttons).
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    ViolationState.OPEN: frozenset({ViolationState.INVESTIGATING, ViolationState.DECIDED, ViolationState.CLOSED}),
    ViolationState.INVESTIGATING: frozenset({ViolationState.DECIDED, ViolationState.CLOSED}),
    ViolationState.DECIDED: frozenset({ViolationState.CLOSED, ViolationState.REOPENED}),
    ViolationState.CLOSED: frozenset({ViolationState.REOPENED}),
    ViolationState.REOPENED: frozenset({ViolationState.INVESTIGATING, ViolationState.DECIDED, ViolationState.CLOSED}),
}


class ViolationSource(models.TextChoices):
    """Where a case came from."""

    BLOCKED_DRAFT = "blocked_draft", _("Blocked draft")
    OVERRIDE = "override", _("Owner's override of a block")
    PUBLISHED_POST = "published_post", _("Published post")
    FLAGGED_REPLY = "flagged_reply", _("Flagged reply")
    MANUAL = "manual", _("Reported by hand")


class Severity(models.TextChoices):
    """How serious a violation is (the scanner's scale)."""

    INFO = "info", _("Info")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Consequence(models.TextChoices):
    """What a decision does to the member (the rungs of a consequence ladder)."""

    NONE = "none", _("No action")
    WARNING = "warning", _("Warning")
    RETRAINING = "retraining", _("Retraining")
    SUSPENSION = "suspension", _("Suspension of speaking rights")
    REMOVE_GRANTS = "remove_grants", _("Removal of grants")


class ConsequenceStep(models.Model):
    """One rung of the organisation's consequence ladder: a consequence with its period or module."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="consequence_steps")
    position = models.PositiveSmallIntegerField(_("position"))
    consequence = models.CharField(_("consequence"), max_length=16, choices=Consequence.choices)
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)  # suspensions only
    module = models.ForeignKey(
        TrainingModule, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("module")
    )  # retraining only

    class Meta:
        ordering = ["organisation", "position", "pk"]
        verbose_name = _("consequence step")
        verbose_name_plural = _("consequence ladder")

    def __str__(self) -> str:
        return f"{self.position}: {self.consequence}"


class ViolationCase(models.Model):
    """A suspected breach of the policy by one member: what happened, the investigation, the decision."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="violation_cases")
    opened_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=16, choices=ViolationSource.choices)
    draft = models.ForeignKey(
        "publishing.Draft", on_delete=models.SET_NULL, null=True, blank=True, related_name="violation_cases"
    )
    post = models.ForeignKey(
        "publishing.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="violation_cases"
    )
    scan_decision = models.ForeignKey("publishing.ScanDecision", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")  # fmt: skip
    rules = models.JSONField(_("rules"), default=list, blank=True)
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices, blank=True)
    content = models.TextField(_("content"), blank=True)
    reason = models.TextField(_("why the case was opened"))
    state = models.CharField(_("state"), max_length=16, choices=ViolationState.choices, default=ViolationState.OPEN)
    consequence = models.CharField(_("consequence"), max_length=16, choices=Consequence.choices, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    suspension = models.ForeignKey(Suspension, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # A retraining decision assigns this module: it stops them speaking until they pass it after ``decided_at``.
    retraining_module = models.ForeignKey(
        TrainingModule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removed_grants = models.JSONField(_("grants removed"), default=list, blank=True)
    seen_at = models.DateTimeField(_("seen by the member"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("violation case")
        verbose_name_plural = _("violation cases")
        indexes = [models.Index(fields=["organisation", "state"], name="governance_case_org_state")]

    def __str__(self) -> str:
        return f"violation {self.public_id}"

    def can_move_to(self, state: str) -> bool:
        """True if the workflow allows going from the current state to ``state``."""
        return state in CASE_TRANSITIONS.get(self.state, frozenset())


class CaseNote(models.Model):
    """A note written while a case is investigated; notes are kept, never edited."""

    case = models.ForeignKey(ViolationCase, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return f"note on {self.case_id}"
