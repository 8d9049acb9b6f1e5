"""Training writes: modules (text, quiz, who needs them), quiz attempts and recorded results."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts.models import Member, Organisation, Role
from juru.audit.services import record
from juru.governance import quiz, render
from juru.governance.exceptions import InvalidModuleError, InvalidTrainingResultError
from juru.governance.models import ModuleRole, TrainingCompletion, TrainingModule
from juru.governance.services.common import Actor


def _check_settings(pass_score: int, valid_days: int | None, roles: Iterable[str]) -> list[str]:
    if not 0 <= pass_score <= 100:
        raise InvalidTrainingResultError(_("The pass mark must be between 0 and 100."))
    if valid_days is not None and valid_days < 1:
        raise InvalidModuleError(_("A completion must stay valid for at least one day."))
    wanted = sorted(set(roles))
    if any(role not in Role.values for role in wanted):
        raise InvalidModuleError(_("Choose roles from the list."))
    return wanted


def _check_quiz(data: Any, body_id: str, body_en: str) -> list[dict[str, Any]]:
    if not data:
        return []
    try:
        return quiz.validate(data, min(len(render.sections(body_id)), len(render.sections(body_en))))
    except quiz.QuizFormatError as exc:
        raise InvalidModuleError(_("The quiz is not valid: %(problem)s.") % {"problem": exc}) from None


def _set_roles(module: TrainingModule, roles: list[str]) -> None:
    module.roles.exclude(role__in=roles).delete()
    for role in roles:
        ModuleRole.objects.get_or_create(module=module, role=role)


@transaction.atomic
def create_training_module(
    *, actor: Actor, organisation: Organisation, code: str, title_id: str, title_en: str, required: bool = True,
    pass_score: int = 80, body_id: str = "", body_en: str = "", quiz: Any = None, valid_days: int | None = 365,
    roles: Iterable[str] = (),
) -> TrainingModule:  # fmt: skip
    """A training module (required ones gate eligibility of the roles named, or of every role)."""
    wanted = _check_settings(pass_score, valid_days, roles)
    questions = _check_quiz(quiz, body_id, body_en)
    module = TrainingModule.objects.create(
        organisation=organisation, code=code, title_id=title_id, title_en=title_en, required=required,
        pass_score=pass_score, body_id=body_id, body_en=body_en, quiz=questions, valid_days=valid_days,
    )  # fmt: skip
    _set_roles(module, wanted)
    record(
        action="training.create_module",
        actor=actor,
        organisation=organisation,
        obj=module,
        after={"code": code, "required": required, "pass_score": pass_score, "roles": wanted},
    )
    return module


@transaction.atomic
def update_training_module(
    *, actor: Actor, module: TrainingModule, required: bool, pass_score: int, valid_days: int | None,
    roles: Iterable[str],
) -> TrainingModule:  # fmt: skip
    """Change who needs a module, its pass mark and how long a pass stays valid (for passes from now on)."""
    wanted = _check_settings(pass_score, valid_days, roles)
    before = {
        "required": module.required, "pass_score": module.pass_score, "valid_days": module.valid_days,
        "roles": sorted(r.role for r in module.roles.all()),
    }  # fmt: skip
    module.required, module.pass_score, module.valid_days = required, pass_score, valid_days
    module.save(update_fields=["required", "pass_score", "valid_days"])
    _set_roles(module, wanted)
    after = {"required": required, "pass_score": pass_score, "valid_days": valid_days, "roles": wanted}
    record(action="training.update_module", actor=actor, organisation=module.organisation, obj=module,
           before=before, after=after)  # fmt: skip
    return module


def _record(
    actor: Actor, member: Member, module: TrainingModule, score: int, wrong_sections: list[int],
    attempt_token: uuid.UUID | None,
) -> TrainingCompletion:  # fmt: skip
    passed = score >= module.pass_score
    now = timezone.now()
    expires = now + timedelta(days=module.valid_days) if passed and module.valid_days else None
    completion = TrainingCompletion.objects.create(
        organisation=member.organisation, member=member, module=module, score=score, passed=passed,
        completed_at=now, expires_at=expires, attempt_token=attempt_token, wrong_sections=wrong_sections,
    )  # fmt: skip
    record(
        action="training.complete",
        actor=actor,
        organisation=member.organisation,
        obj=module,
        after={"member": member.user.get_username(), "score": score, "passed": passed, "expires_at": expires},
    )
    return completion


@transaction.atomic
def record_training_completion(
    *, actor: Actor, member: Member, module: TrainingModule, score: int
) -> TrainingCompletion:
    """Record an attempt's score (e.g. training held elsewhere); it passes at the module's pass mark."""
    if module.organisation_id != member.organisation_id:
        raise InvalidTrainingResultError(_("This module belongs to another organisation."))
    if not 0 <= score <= 100:
        raise InvalidTrainingResultError(_("A score must be between 0 and 100."))
    return _record(actor, member, module, score, [], None)


def submit_quiz(
    *, actor: Actor, member: Member, module: TrainingModule, answers: Mapping[int, int | None],
    attempt_token: uuid.UUID,
) -> TrainingCompletion:  # fmt: skip
    """Grade the member's answers and record the attempt.

    ``attempt_token`` comes with the quiz form: the same form sent twice is one attempt, answered
    with the first result.
    """
    if module.organisation_id != member.organisation_id:
        raise InvalidTrainingResultError(_("This module belongs to another organisation."))
    if not module.quiz:
        raise InvalidModuleError(_("This module has no quiz."))
    earlier = TrainingCompletion.objects.filter(attempt_token=attempt_token, member=member).first()
    if earlier is not None:
        return earlier
    result = quiz.grade(module.quiz, answers)
    try:
        with transaction.atomic():
            return _record(actor, member, module, result.score, result.wrong_sections, attempt_token)
    except IntegrityError:  # the same form arrived twice at once: the other request recorded it
        return TrainingCompletion.objects.get(attempt_token=attempt_token, member=member)


@transaction.atomic
def install_starter_modules(*, actor: Actor, organisation: Organisation) -> list[TrainingModule]:
    """Add the shipped training modules the organisation does not have yet (matched by code)."""
    from juru.governance import starter

    have = set(TrainingModule.objects.filter(organisation=organisation).values_list("code", flat=True))
    return [
        create_training_module(
            actor=actor,
            organisation=organisation,
            code=m.code,
            title_id=m.title_id,
            title_en=m.title_en,
            pass_score=m.pass_score,
            body_id=m.body_id,
            body_en=m.body_en,
            quiz=m.quiz,
            valid_days=m.valid_days,
            roles=m.roles,
        )  # fmt: skip
        for m in starter.modules()
        if m.code not in have
    ]


@transaction.atomic
def update_module_content(
    *, actor: Actor, module: TrainingModule, title_id: str, title_en: str, body_id: str, body_en: str, quiz: Any
) -> TrainingModule:  # fmt: skip
    """Change a module's titles, texts and quiz (passes already recorded keep counting)."""
    if not title_id.strip() or not title_en.strip():
        raise InvalidModuleError(_("A module needs a title in Indonesian and English."))
    questions = _check_quiz(quiz, body_id, body_en)
    before = {"title_id": module.title_id, "questions": len(module.quiz or [])}
    module.title_id, module.title_en, module.body_id, module.body_en = title_id, title_en, body_id, body_en
    module.quiz = questions
    module.save(update_fields=["title_id", "title_en", "body_id", "body_en", "quiz"])
    record(action="training.update_content", actor=actor, organisation=module.organisation, obj=module,
           before=before, after={"title_id": title_id, "questions": len(questions)})  # fmt: skip
    return module
