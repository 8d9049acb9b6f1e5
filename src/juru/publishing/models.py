"""Drafts, their per-account posts, scan decisions, approval chains and publish attempts.

A ``Draft`` is what an author writes (one text, optional per-network variants) for one or more
accounts; it moves through the editorial states (draft → in review → approved → scheduled).
Each target account gets a ``Post``: the unit the sweeper claims and a connector publishes.
Writes go through ``juru.publishing.services``; these models only hold fields and predicates.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DraftState(models.TextChoices):
    """Editorial state of a draft (DESIGN F5)."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    NEEDS_HUMAN = "needs_human", _("Needs a human")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


EDITABLE_STATES = frozenset(
    {DraftState.DRAFT, DraftState.CHANGES_REQUESTED, DraftState.IN_REVIEW, DraftState.APPROVED, DraftState.EXPIRED}
)
SUBMITTABLE_STATES = frozenset({DraftState.DRAFT, DraftState.CHANGES_REQUESTED})
CANCELLABLE_STATES = frozenset(
    {
        DraftState.DRAFT,
        DraftState.IN_REVIEW,
        DraftState.CHANGES_REQUESTED,
        DraftState.APPROVED,
        DraftState.SCHEDULED,
        DraftState.EXPIRED,
    }
)


class PostState(models.TextChoices):
    """Publishing state of one draft on one account."""

    WAITING = "waiting", _("Waiting for approval")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    NEEDS_HUMAN = "needs_human", _("Needs a human")
    CANCELLED = "cancelled", _("Cancelled")


# What a post that has not been scheduled yet is waiting for, by its draft's state (a blocked or
# fully approved draft is not "waiting for approval").
WAITING_POST_LABELS: dict[DraftState, Promise] = {
    DraftState.DRAFT: _("Not submitted"),
    DraftState.CHANGES_REQUESTED: _("Changes requested"),
    DraftState.IN_REVIEW: _("Waiting for approval"),
    DraftState.APPROVED: _("Approved, not scheduled yet"),
    DraftState.REJECTED: _("Rejected"),
    DraftState.EXPIRED: _("Expired"),
    DraftState.CANCELLED: _("Cancelled"),
}

FINAL_POST_STATES = frozenset({PostState.PUBLISHED, PostState.FAILED, PostState.NEEDS_HUMAN, PostState.CANCELLED})


class BusinessFunction(models.TextChoices):
    """The business function a post serves (DESIGN F11)."""

    PR = "pr", _("Public relations")
    MARKETING = "marketing", _("Marketing")
    LEAD_GENERATION = "lead_generation", _("Lead generation")
    CUSTOMER_CARE = "customer_care", _("Customer care")
    MARKET_RESEARCH = "market_research", _("Market research")


class DraftChannel(models.TextChoices):
    """The check's channel for a draft's text."""

    POST = "post", _("Post")
    SHARE = "share", _("Advocacy share")


class Draft(models.Model):
    """A text an author prepares for one or more accounts, with its editorial state."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="drafts")
    author = models.ForeignKey("accounts.Member", on_delete=models.PROTECT, related_name="drafts")
    text = models.TextField(_("text"))
    # Where the text goes besides the account (the check's ``channel``): a post, or an employee's
    # share of company content (advocacy), whose rules differ.
    channel = models.CharField(_("channel"), max_length=16, choices=DraftChannel.choices, default=DraftChannel.POST)
    campaign = models.CharField(_("campaign"), max_length=120, blank=True)
    business_function = models.CharField(
        _("business function"), max_length=32, choices=BusinessFunction.choices, blank=True
    )
    scheduled_for = models.DateTimeField(_("target time"), null=True, blank=True)
    state = models.CharField(max_length=24, choices=DraftState.choices, default=DraftState.DRAFT)
    # Bumped by every content edit: approvals carry the version they saw, so an approval of
    # text that changed meanwhile is refused instead of approving words nobody read.
    version = models.PositiveIntegerField(default=1)
    review_round = models.PositiveIntegerField(default=0)
    verdict = models.CharField(max_length=24, blank=True)
    acknowledged = models.JSONField(default=list, blank=True)
    override_digest = models.CharField(max_length=80, blank=True)
    scheduled_by = models.ForeignKey(
        "accounts.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "state"], name="publishing_draft_org_state")]

    def __str__(self) -> str:
        return f"{self.text[:40]} ({self.state})"

    @property
    def is_editable(self) -> bool:
        """Whether the text may still change (editing an approved draft resets its chain)."""
        return self.state in EDITABLE_STATES

    @property
    def is_reply(self) -> bool:
        """Whether the draft answers a comment (its post carries ``reply_to``); reads prefetched posts."""
        return any(post.reply_to for post in self.posts.all())


class Post(models.Model):
    """One draft on one account: the unit that is scheduled, claimed and published."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="posts")
    account = models.ForeignKey("accounts.BrandAccount", on_delete=models.PROTECT, related_name="posts")
    text_variant = models.TextField(_("text for this network"), blank=True)
    # The network id of the comment or post this one answers (a reply from the inbox); blank for a post.
    reply_to = models.CharField(_("in reply to"), max_length=200, blank=True, default="")
    state = models.CharField(max_length=16, choices=PostState.choices, default=PostState.WAITING)
    due_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    attempts = models.PositiveIntegerField(default=0)
    remote_id = models.CharField(max_length=255, blank=True)
    url = models.URLField(max_length=500, blank=True)
    reason = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "account"], name="%(app_label)s_%(class)s_one_per_account"),
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="publishing_post_due")]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.state}"

    @property
    def body(self) -> str:
        """The text sent to this account: its variant, or the draft's text."""
        return self.text_variant or self.draft.text

    @property
    def status_display(self) -> str:
        """The post's state for people: a post still waiting says what its draft waits for."""
        if self.state != PostState.WAITING:
            return str(self.get_state_display())
        label = WAITING_POST_LABELS.get(DraftState(self.draft.state))
        return str(label if label is not None else self.get_state_display())


class Attachment(models.Model):
    """A file attached to a draft, with where it came from and who must be credited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    content_type = models.CharField(max_length=100)
    alt_text = models.CharField(_("alt text"), max_length=500, blank=True)
    source = models.CharField(_("source / credit"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.file.name


class ScanDecision(models.Model):
    """A recorded pre-publish check: what was decided, under which policy revision, and why."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions")
    revision = models.CharField(max_length=80)
    input_digest = models.CharField(max_length=80)
    verdict = models.CharField(max_length=24)
    lang = models.CharField(max_length=8, blank=True)
    context = models.JSONField(default=dict)
    hits = models.JSONField(default=list)
    findings = models.JSONField(default=list)
    purpose = models.CharField(max_length=16, default="save")
    actor = models.ForeignKey("accounts.Member", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.verdict} {self.revision[:15]}"


class StepMode(models.TextChoices):
    """Whether one listed approver suffices or all must approve."""

    ANY = "any", _("Any of")
    ALL = "all", _("All of")


class ApprovalChain(models.Model):
    """The editable approval chain of one brand account."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    account = models.OneToOneField("accounts.BrandAccount", on_delete=models.CASCADE, related_name="approval_chain")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"chain:{self.account_id}"


class ChainStep(models.Model):
    """One step of a chain: approvers are members, teams and/or roles."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    chain = models.ForeignKey(ApprovalChain, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("name"), max_length=120)
    mode = models.CharField(max_length=8, choices=StepMode.choices, default=StepMode.ANY)
    members = models.ManyToManyField("accounts.Member", blank=True, related_name="+")
    teams = models.ManyToManyField("accounts.Team", blank=True, related_name="+")
    roles = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class StepKind(models.TextChoices):
    """Why a review step is in a draft's chain."""

    ACCOUNT = "account", _("Account chain")
    PR = "pr", _("PR review")
    COMPLIANCE = "compliance", _("Compliance")
    LEGAL = "legal", _("Legal")
    CRISIS = "crisis", _("Crisis lead")


class StepState(models.TextChoices):
    """State of one materialised review step."""

    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    SUPERSEDED = "superseded", _("Superseded")


class ReviewStep(models.Model):
    """A step of a draft's chain for one review round, with its approvers frozen at submit time."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveIntegerField()
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=StepKind.choices)
    name = models.CharField(max_length=120)
    mode = models.CharField(max_length=8, choices=StepMode.choices, default=StepMode.ANY)
    approver_ids = models.JSONField(default=list)
    state = models.CharField(max_length=20, choices=StepState.choices, default=StepState.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "round", "position"], name="%(app_label)s_%(class)s_unique_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.state})"


class ApprovalDecision(models.TextChoices):
    """What an approver said."""

    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    REQUEST_CHANGES = "request_changes", _("Changes requested")


class Approval(models.Model):
    """One approver's decision on one step, with the draft version they saw."""

    step = models.ForeignKey(ReviewStep, on_delete=models.CASCADE, related_name="approvals")
    member = models.ForeignKey("accounts.Member", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=ApprovalDecision.choices)
    comment = models.TextField(blank=True)
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One voice per approver per step: a double click or a race cannot count twice.
            models.UniqueConstraint(fields=["step", "member"], name="%(app_label)s_%(class)s_once_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}:{self.decision}"


class AttemptState(models.TextChoices):
    """State of one try at the network."""

    CALLING = "calling", _("Calling the network")
    PUBLISHED = "published", _("Published")
    RATE_LIMITED = "rate_limited", _("Rate limited")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("Rejected")
    AUTH_EXPIRED = "auth_expired", _("Authorisation expired")
    UNKNOWN = "unknown", _("Outcome unknown")
    NOT_FOUND = "not_found", _("Not found on the network")


class PublishAttempt(models.Model):
    """One try at the network, committed *before* the call so a crash leaves a trace."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="publish_attempts")
    number = models.PositiveIntegerField()
    idempotency_key = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=AttemptState.choices, default=AttemptState.CALLING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    remote_id = models.CharField(max_length=255, blank=True)
    retry_after = models.FloatField(null=True, blank=True)
    reason = models.TextField(blank=True)
    # An unknown outcome whose lookup could not reach the network is asked again later, a few times.
    failed_lookups = models.PositiveSmallIntegerField(default=0)
    look_again_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["post", "number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="%(app_label)s_%(class)s_unique_number"),
            # At most one call in flight per post, whatever the workers do.
            models.UniqueConstraint(
                fields=["post"], condition=Q(state="calling"), name="%(app_label)s_%(class)s_one_in_flight"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id}#{self.number}:{self.state}"
