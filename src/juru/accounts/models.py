"""Organisations, members, teams, brand accounts, grants, API tokens and recovery codes.

Writes go through ``juru.accounts.services``; questions of "may this member do X" through
``juru.accounts.access``. Every organisation-owned row carries ``organisation`` and a public UUID.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin

from juru.accounts import crypto


class Role(models.TextChoices):
    """A member's organisation-wide role (what they may do beyond per-account grants)."""

    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    APPROVER = "approver", _("Approver")
    SPOKESPERSON = "spokesperson", _("Spokesperson")
    RESPONDER = "responder", _("Responder")
    CONTRIBUTOR = "contributor", _("Contributor")
    VIEWER = "viewer", _("Viewer")


class OrgAction(models.TextChoices):
    """Organisation-wide actions that follow the role (see ``roles.role_can``)."""

    MANAGE_MEMBERS = "manage_members", _("Manage members")
    MANAGE_TEAMS = "manage_teams", _("Manage teams")
    MANAGE_ACCOUNTS = "manage_accounts", _("Manage brand accounts")
    MANAGE_GRANTS = "manage_grants", _("Manage grants")
    VIEW_AUDIT = "view_audit", _("View the audit log")
    MANAGE_POLICY = "manage_policy", _("Manage the policy")
    OVERRIDE_BLOCK = "override_block", _("Override a block")
    DECLARE_CRISIS = "declare_crisis", _("Declare a crisis")
    MANAGE_ORGANISATION = "manage_organisation", _("Change the organisation's settings")


class TeamKind(models.TextChoices):
    """What a team is for; routing and approval chains look teams up by kind."""

    CRISIS = "crisis", _("Crisis")
    CUSTOMER_CARE = "customer_care", _("Customer care")
    PR = "pr", _("Public relations")
    LEGAL = "legal", _("Legal")
    MARKETING = "marketing", _("Marketing")
    COMPLIANCE = "compliance", _("Compliance")
    OTHER = "other", _("Other")


class AccountType(models.TextChoices):
    """A brand account speaks for the company; a personal one belongs to an employee (advocacy)."""

    BRAND = "brand", _("Brand account")
    PERSONAL = "personal", _("Personal account")


class ConnectionStatus(models.TextChoices):
    """Whether Juru can currently publish through the account's stored credentials."""

    CONNECTED = "connected", _("Connected")
    NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnecting")
    DISCONNECTED = "disconnected", _("Disconnected")


class Permission(models.TextChoices):
    """Per-brand-account permissions a grant gives."""

    DRAFT = "draft", _("Draft")
    PUBLISH = "publish", _("Publish")
    REPLY = "reply", _("Reply")
    APPROVE = "approve", _("Approve")
    MODERATE = "moderate", _("Moderate")


# Permissions that speak for the organisation (or decide what it says) need the full set of checks.
SPEAKING_PERMISSIONS = frozenset({Permission.PUBLISH, Permission.REPLY, Permission.APPROVE})


def _public_id() -> models.UUIDField:
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))


class Organisation(models.Model):
    """A company using Juru; the tenant every other row belongs to."""

    public_id = _public_id()
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    crisis_active = models.BooleanField(_("crisis active"), default=False)
    # What members see until they choose a language for themselves.
    language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class UserPreference(models.Model):
    """A person's own choices, kept with their user so they follow them across devices and organisations."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="juru_preference")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language or '-'}"


class Member(models.Model):
    """A user's membership of one organisation, with a role."""

    public_id = _public_id()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="%(app_label)s_%(class)s_unique_user_org"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="%(app_label)s_%(class)s_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_username()} @ {self.organisation_id}"

    @property
    def display_name(self) -> str:
        """The user's full name, or the username when none is set."""
        return self.user.get_full_name() or self.user.get_username()


class Team(models.Model):
    """A group of members (crisis, customer care, PR...) that grants and routing can target."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices, default=TeamKind.OTHER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="%(app_label)s_%(class)s_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    """A member's place in a team; a lead can be asked first (escalation, crisis)."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="team_memberships")
    is_lead = models.BooleanField(_("team lead"), default=False)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(fields=["team", "member"], name="%(app_label)s_%(class)s_unique_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.team_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The organisation is always the team's; filling it here keeps direct creates correct.
        if self.organisation_id is None:
            self.organisation_id = self.team.organisation_id
        super().save(*args, **kwargs)


class BrandAccount(models.Model):
    """An account on a social network that Juru publishes to (brand) or an employee's own (personal)."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="brand_accounts")
    network = models.CharField(_("network"), max_length=40, default="sandbox")
    handle = models.CharField(_("handle"), max_length=200)
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    account_type = models.CharField(
        _("account type"), max_length=10, choices=AccountType.choices, default=AccountType.BRAND
    )
    owner_member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="personal_accounts"
    )
    # Fernet ciphertext of the credentials JSON; read and write it through ``credentials``.
    credentials_encrypted = models.TextField(_("credentials (encrypted)"), blank=True, default="")
    connection_status = models.CharField(
        _("connection status"), max_length=20, choices=ConnectionStatus.choices, default=ConnectionStatus.DISCONNECTED
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["network", "handle"]
        verbose_name = _("brand account")
        verbose_name_plural = _("brand accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "network", "handle"], name="%(app_label)s_%(class)s_unique_handle"
            ),
            models.CheckConstraint(
                condition=Q(account_type=AccountType.BRAND) | Q(owner_member__isnull=False),
                name="%(app_label)s_%(class)s_personal_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.handle} ({self.network})"

    @property
    def credentials(self) -> dict[str, Any]:
        """The decrypted credentials; raises ``CredentialsUnreadableError`` if the key does not fit."""
        return crypto.decrypt_json(self.credentials_encrypted)

    @credentials.setter
    def credentials(self, value: dict[str, Any] | None) -> None:
        self.credentials_encrypted = crypto.encrypt_json(value) if value else ""

    @property
    def has_credentials(self) -> bool:
        """True when credentials are stored (without decrypting them)."""
        return bool(self.credentials_encrypted)


class Grant(models.Model):
    """Permission on one brand account, given to a member directly or to a team."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="grants")
    account = models.ForeignKey(BrandAccount, on_delete=models.CASCADE, related_name="grants")
    permission = models.CharField(_("permission"), max_length=10, choices=Permission.choices)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, null=True, blank=True, related_name="grants")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="grants")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(team__isnull=True))
                | (Q(member__isnull=True) & Q(team__isnull=False)),
                name="%(app_label)s_%(class)s_member_xor_team",
            ),
            models.UniqueConstraint(
                fields=["account", "permission", "member"],
                condition=Q(member__isnull=False),
                name="%(app_label)s_%(class)s_unique_member",
            ),
            models.UniqueConstraint(
                fields=["account", "permission", "team"],
                condition=Q(team__isnull=False),
                name="%(app_label)s_%(class)s_unique_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.permission} on {self.account_id}"


class ApiToken(models.Model):
    """A per-member bearer token for the JSON API; only its SHA-256 is stored."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        """True until revoked."""
        return self.revoked_at is None

    @staticmethod
    def hash_token(raw: str) -> str:
        """SHA-256 of the raw token: tokens are long random strings, so no slow hash is needed."""
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """One-time recovery codes for 2FA; django-otp finds it like any device. Codes are stored hashed."""

    class Meta(Device.Meta):
        verbose_name = _("recovery code set")
        verbose_name_plural = _("recovery code sets")

    def get_throttle_factor(self) -> int:
        """Seconds of delay after the first failure, doubling after each further one."""
        return int(getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1))

    def verify_token(self, token: Any) -> bool:
        """Accept an unused code once (throttled like other devices)."""
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        match = self.codes.filter(code_hash=RecoveryCode.hash_code(str(token))).first()
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset()
        return True


class RecoveryCode(models.Model):
    """The SHA-256 of one unused recovery code (codes carry 80 random bits)."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"recovery code of device {self.device_id}"

    @staticmethod
    def normalise(code: str) -> str:
        """Codes are typed with or without dashes and in any case."""
        return "".join(ch for ch in code.lower() if ch.isalnum())

    @classmethod
    def hash_code(cls, code: str) -> str:
        """Hash of the normalised code."""
        return hashlib.sha256(cls.normalise(code).encode("ascii", "ignore")).hexdigest()
