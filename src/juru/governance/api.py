"""JSON API of governance (mounted under ``/api/v1/``): policy versions and sign-off, training.

The same services and checks as the web pages: everyone reads, signs and takes quizzes for
themselves; the list of signatures follows ``OrgAction.MANAGE_POLICY``; another organisation's
objects answer 404 like missing ones.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status

from juru.accounts.api_auth import api_member
from juru.accounts.models import Member, OrgAction
from juru.accounts.roles import role_can
from juru.accounts.tenancy import get_object_for_member
from juru.governance import queries, quiz, render, services
from juru.governance.exceptions import GovernanceError
from juru.governance.forms import SignForm
from juru.governance.models import PolicySignoff, PolicyVersion, TrainingCompletion, TrainingModule
from juru.governance.schemas import (
    AttemptIn,
    CompletionOut,
    ModuleDetailOut,
    ModuleOut,
    PolicyDetailOut,
    PolicyVersionOut,
    QuestionOut,
    SignIn,
    SignoffOut,
    SignStateOut,
)
from juru.project.client_address import client_address

router = Router(tags=["governance"])


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def _version_out(version: PolicyVersion) -> dict[str, object]:
    by = version.published_by
    return {
        "id": version.public_id, "number": version.number, "title": version.title,
        "published_at": version.published_at, "published_by": by.get_username() if by else None,
        "material": version.material, "sign_by": version.sign_by, "change_note": version.change_note,
        "revision": version.revision, "hash": version.content_hash(),
    }  # fmt: skip


def _published(member: Member, version_id: UUID) -> PolicyVersion:
    published = PolicyVersion.objects.filter(published_at__isnull=False).select_related("published_by")
    return get_object_for_member(published, member, version_id)


@router.get("/policies", response=list[PolicyVersionOut], summary="Published policy versions, newest first")
def list_policies(request: HttpRequest) -> list[dict[str, object]]:
    versions = queries.policy_versions(api_member(request).organisation).filter(published_at__isnull=False)
    return [_version_out(v) for v in versions.select_related("published_by")]


@router.get("/policies/me", response=SignStateOut, summary="My standing with the current version")
def my_sign_state(request: HttpRequest) -> SignStateOut:
    state = queries.sign_state(api_member(request))
    return SignStateOut(
        current=state.current.number if state.current else None,
        signed=state.signoff is not None,
        counts=state.counts,
        due_by=state.due_by,
    )


@router.get("/policies/{version_id}", response=PolicyDetailOut, summary="One version with both texts and its rules")
def get_policy(request: HttpRequest, version_id: UUID) -> dict[str, object]:
    version = _published(api_member(request), version_id)
    return _version_out(version) | {"body_id": version.body_id, "body_en": version.body_en, "config": version.config}


def _signoff_out(signoff: PolicySignoff) -> SignoffOut:
    return SignoffOut(
        id=signoff.public_id, member=signoff.member.user.get_username(), version=signoff.policy_version.number,
        signed_at=signoff.signed_at, version_hash=signoff.version_hash, full_name=signoff.full_name,
        ip_address=signoff.ip_address,
    )  # fmt: skip


@router.post("/policies/{version_id}/sign", response={201: SignoffOut}, summary="Sign this (current) version")
def sign(request: HttpRequest, version_id: UUID, body: SignIn) -> Status:
    member = api_member(request)
    version = _published(member, version_id)
    form = SignForm(
        {"version": version.public_id, "full_name": body.full_name, "password": body.password,
         "confirm": body.confirm},
        member=member,
    )  # fmt: skip
    if not form.is_valid():
        raise HttpError(422, " ".join(str(e) for errors in form.errors.values() for e in errors))
    try:
        signoff = services.sign_policy(
            actor=member.user, member=member, policy_version=version, full_name=body.full_name,
            ip_address=client_address(request),
        )  # fmt: skip
    except GovernanceError as exc:
        raise HttpError(409, str(exc)) from None
    return Status(201, _signoff_out(signoff))


@router.get("/policies/{version_id}/signoffs", response=list[SignoffOut], summary="Who signed this version")
def list_signoffs(request: HttpRequest, version_id: UUID) -> list[SignoffOut]:
    member = api_member(request)
    if not role_can(member, OrgAction.MANAGE_POLICY):
        raise Http404
    version = _published(member, version_id)
    signoffs = version.signoffs.select_related("member__user", "policy_version").order_by("signed_at")
    return [_signoff_out(s) for s in signoffs]


def _module_out(state: queries.ModuleState) -> dict[str, object]:
    module = state.module
    return {
        "id": module.public_id, "code": module.code, "title": module.title_for(_lang()), "required": state.required,
        "pass_score": module.pass_score, "valid_days": module.valid_days, "passed": state.done,
        "expires_at": state.valid.expires_at if state.valid else None, "attempts": state.attempts,
    }  # fmt: skip


@router.get("/training/modules", response=list[ModuleOut], summary="Training modules with my standing")
def list_modules(request: HttpRequest) -> list[dict[str, object]]:
    return [_module_out(state) for state in queries.training_state(api_member(request))]


@router.get("/training/modules/{module_id}", response=ModuleDetailOut, summary="A module's text and quiz")
def get_module(request: HttpRequest, module_id: UUID) -> dict[str, object]:
    member = api_member(request)
    module = get_object_for_member(TrainingModule, member, module_id)
    state = next(s for s in queries.training_state(member) if s.module.pk == module.pk)
    body = module.body_for(_lang())
    questions = [
        QuestionOut(number=q.number, section=q.section, text=q.text, choices=q.choices)
        for q in quiz.questions(module.quiz, _lang())
    ]
    return _module_out(state) | {"body": body, "sections": render.sections(body), "questions": questions}


def _completion_out(completion: TrainingCompletion) -> CompletionOut:
    return CompletionOut(
        id=completion.public_id, member=completion.member.user.get_username(), module=completion.module.code,
        score=completion.score, passed=completion.passed, completed_at=completion.completed_at,
        expires_at=completion.expires_at, wrong_sections=list(completion.wrong_sections or []),
    )  # fmt: skip


@router.post("/training/modules/{module_id}/attempts", response={201: CompletionOut}, summary="Take the quiz")
def attempt(request: HttpRequest, module_id: UUID, body: AttemptIn) -> Status:
    member = api_member(request)
    module = get_object_for_member(TrainingModule, member, module_id)
    if set(body.answers) != set(range(1, len(module.quiz) + 1)):
        raise HttpError(422, _("Answer every question before you send the quiz."))
    try:
        completion = services.submit_quiz(
            actor=member.user, member=member, module=module, answers=dict(body.answers),
            attempt_token=body.attempt_token,
        )  # fmt: skip
    except GovernanceError as exc:
        raise HttpError(409, str(exc)) from None
    return Status(201, _completion_out(completion))


@router.get("/training/completions", response=list[CompletionOut], summary="Training attempts")
def list_completions(request: HttpRequest, everyone: bool = False) -> list[CompletionOut]:
    """My attempts; ``everyone=true`` lists the organisation's (for those who manage the policy)."""
    member = api_member(request)
    completions = TrainingCompletion.objects.filter(organisation=member.organisation)
    if not everyone:
        completions = completions.filter(member=member)
    elif not role_can(member, OrgAction.MANAGE_POLICY):
        raise Http404
    return [_completion_out(c) for c in completions.select_related("member__user", "module")[:1000]]
