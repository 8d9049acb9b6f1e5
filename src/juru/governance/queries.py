"""Reads of policy, sign-off, training and suspension state."""

from __future__ import annotations

from django.db.models import QuerySet

from juru.accounts.models import Member, Organisation
from juru.governance.models import PolicySignoff, PolicyVersion, Suspension, TrainingCompletion, TrainingModule
from juru.rules.config import OrgConfig


def current_policy(organisation: Organisation) -> PolicyVersion | None:
    """The latest published policy version, or None before the first is published."""
    return (
        PolicyVersion.objects.filter(organisation=organisation, published_at__isnull=False).order_by("-number").first()
    )


def current_org_config(organisation: Organisation) -> OrgConfig:
    """The rule configuration of the current policy (defaults with the organisation's name before any)."""
    policy = current_policy(organisation)
    if policy is None:
        return OrgConfig(name=organisation.name)
    data = {"name": organisation.name, **(policy.config or {})}
    return OrgConfig.from_mapping(data)


def policy_versions(organisation: Organisation) -> QuerySet[PolicyVersion]:
    """All versions of the organisation's policy, newest first."""
    return PolicyVersion.objects.filter(organisation=organisation).order_by("-number")


def signoff_for(member: Member, policy: PolicyVersion) -> PolicySignoff | None:
    """The member's signature on this version, if any."""
    return PolicySignoff.objects.filter(member=member, policy_version=policy).first()


def required_modules(organisation: Organisation) -> QuerySet[TrainingModule]:
    """Training modules every speaking member must pass."""
    return TrainingModule.objects.filter(organisation=organisation, required=True)


def passed_module_ids(member: Member) -> set[int]:
    """Ids of the modules the member has passed at least once."""
    return set(TrainingCompletion.objects.filter(member=member, passed=True).values_list("module_id", flat=True))


def active_suspension(member: Member) -> Suspension | None:
    """The suspension in force for the member now, if any."""
    return Suspension.objects.filter(Suspension.active_q(), member=member).order_by("-starts_at").first()


def members_missing_signoff(organisation: Organisation) -> QuerySet[Member]:
    """Active members who have not signed the current policy (for reminders)."""
    policy = current_policy(organisation)
    members = Member.objects.filter(organisation=organisation, is_active=True).select_related("user")
    if policy is None:
        return members.none()
    return members.exclude(policy_signoffs__policy_version=policy)
