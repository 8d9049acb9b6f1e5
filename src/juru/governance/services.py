"""The governance writes needed so far: publish a policy version, sign it, record training,
suspend and lift. Each records its audit event in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts.models import Member, Organisation
from juru.audit.services import record
from juru.governance.exceptions import (
    InvalidPolicyConfigError,
    InvalidSuspensionError,
    InvalidTrainingResultError,
    NotCurrentPolicyError,
)
from juru.governance.models import PolicySignoff, PolicyVersion, Suspension, TrainingCompletion, TrainingModule
from juru.governance.queries import current_policy
from juru.rules.config import OrgConfig

Actor = AbstractBaseUser | None


def policy_revision(config: OrgConfig) -> str:
    """The policy revision: hash of the enabled rule packs and the organisation config."""
    from juru.rules.engine import policy_revision as revision_of
    from juru.rules.engine import resolve_packs

    try:
        return revision_of(resolve_packs(config), config)
    except Exception as exc:  # unknown pack ids and malformed packs both arrive here
        raise InvalidPolicyConfigError(str(exc)) from None


@transaction.atomic
def publish_policy_version(
    *,
    actor: Actor,
    organisation: Organisation,
    title: str,
    body_id: str,
    body_en: str,
    config: Mapping[str, Any] | None = None,
) -> PolicyVersion:
    """Publish a new policy version; it becomes current and everyone must sign it again."""
    data = dict(config or {})
    try:
        parsed = OrgConfig.from_mapping({"name": organisation.name, **data})
    except ValueError as exc:
        raise InvalidPolicyConfigError(str(exc)) from None
    if not title.strip() or not body_id.strip() or not body_en.strip():
        raise InvalidPolicyConfigError(_("A policy needs a title and text in Indonesian and English."))
    last = PolicyVersion.objects.filter(organisation=organisation).aggregate(n=Max("number"))["n"] or 0
    version = PolicyVersion.objects.create(
        organisation=organisation,
        number=last + 1,
        title=title.strip(),
        body_id=body_id,
        body_en=body_en,
        config=data,
        revision=policy_revision(parsed),
        published_at=timezone.now(),
        published_by_id=actor.pk if actor is not None else None,
    )
    record(
        action="policy.publish",
        actor=actor,
        organisation=organisation,
        obj=version,
        after={"number": version.number, "title": version.title, "revision": version.revision,
               "hash": version.content_hash()},
    )  # fmt: skip
    return version


@transaction.atomic
def sign_policy(*, actor: Actor, member: Member, policy_version: PolicyVersion | None = None) -> PolicySignoff:
    """The member signs the current policy version (again signing is a no-op)."""
    current = current_policy(member.organisation)
    version = policy_version or current
    if version is None or current is None or version.pk != current.pk:
        raise NotCurrentPolicyError(_("Only the current policy version can be signed."))
    signoff, created = PolicySignoff.objects.get_or_create(
        member=member,
        policy_version=version,
        defaults={"organisation": member.organisation, "version_hash": version.content_hash()},
    )
    if created:
        record(
            action="policy.sign",
            actor=actor,
            organisation=member.organisation,
            obj=version,
            after={"member": member.user.get_username(), "version": version.number, "hash": signoff.version_hash},
        )
    return signoff


@transaction.atomic
def create_training_module(
    *, actor: Actor, organisation: Organisation, code: str, title_id: str, title_en: str, required: bool = True,
    pass_score: int = 80,
) -> TrainingModule:  # fmt: skip
    """A training module (required ones gate eligibility)."""
    if not 0 <= pass_score <= 100:
        raise InvalidTrainingResultError(_("The pass mark must be between 0 and 100."))
    module = TrainingModule.objects.create(
        organisation=organisation, code=code, title_id=title_id, title_en=title_en, required=required,
        pass_score=pass_score,
    )  # fmt: skip
    record(
        action="training.create_module",
        actor=actor,
        organisation=organisation,
        obj=module,
        after={"code": code, "required": required, "pass_score": pass_score},
    )
    return module


@transaction.atomic
def record_training_completion(
    *, actor: Actor, member: Member, module: TrainingModule, score: int
) -> TrainingCompletion:
    """Record an attempt; it passes when the score reaches the module's pass mark."""
    if module.organisation_id != member.organisation_id:
        raise InvalidTrainingResultError(_("This module belongs to another organisation."))
    if not 0 <= score <= 100:
        raise InvalidTrainingResultError(_("A score must be between 0 and 100."))
    completion = TrainingCompletion.objects.create(
        organisation=member.organisation, member=member, module=module, score=score, passed=score >= module.pass_score
    )
    record(
        action="training.complete",
        actor=actor,
        organisation=member.organisation,
        obj=module,
        after={"member": member.user.get_username(), "score": score, "passed": completion.passed},
    )
    return completion


@transaction.atomic
def suspend_member(
    *, actor: Actor, member: Member, reason: str, ends_at: datetime | None = None, starts_at: datetime | None = None
) -> Suspension:
    """Suspend a member from speaking (until ``ends_at``, or until lifted)."""
    start = starts_at or timezone.now()
    if ends_at is not None and ends_at <= start:
        raise InvalidSuspensionError(_("A suspension must end after it starts."))
    suspension = Suspension.objects.create(
        organisation=member.organisation,
        member=member,
        reason=reason,
        starts_at=start,
        ends_at=ends_at,
        created_by_id=actor.pk if actor is not None else None,
    )
    record(
        action="member.suspend",
        actor=actor,
        organisation=member.organisation,
        obj=member,
        after={"reason": reason, "starts_at": start, "ends_at": ends_at},
    )
    return suspension


@transaction.atomic
def lift_suspension(*, actor: Actor, suspension: Suspension) -> Suspension:
    """End a suspension now."""
    if suspension.lifted_at is None:
        suspension.lifted_at = timezone.now()
        suspension.save(update_fields=["lifted_at"])
        record(
            action="member.lift_suspension",
            actor=actor,
            organisation=suspension.organisation,
            obj=suspension.member,
            after={"suspension": str(suspension.public_id)},
        )
    return suspension
