"""Training: quizzes graded with the sections to re-read, attempts counted, roles, expiry and eligibility."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from juru.accounts.access import eligibility, eligibility_matrix
from juru.accounts.models import BrandAccount, Member, Organisation, Role
from juru.governance import queries, services
from juru.governance.exceptions import InvalidModuleError, InvalidTrainingResultError
from juru.governance.models import TrainingCompletion, TrainingModule
from tests import factories
from tests.governance.conftest import MoveClock

pytestmark = pytest.mark.django_db


def _modules(org: Organisation) -> dict[str, TrainingModule]:
    return {m.code: m for m in services.install_starter_modules(actor=None, organisation=org)}


def _right(module: TrainingModule) -> dict[int, int | None]:
    return {n: q["answer"] for n, q in enumerate(module.quiz, start=1)}


def _take(member: Member, module: TrainingModule, answers: dict[int, int | None]) -> TrainingCompletion:
    return services.submit_quiz(actor=None, member=member, module=module, answers=answers, attempt_token=uuid.uuid4())


def _codes(member: Member, account: BrandAccount) -> list[str]:
    one = eligibility(member, "publish", account).codes
    many = eligibility_matrix(member.organisation, [member], [account], ["publish"])[(member, account, "publish")]
    assert one == many.codes
    return one


def test_starter_modules_are_installed_once(org: Organisation) -> None:
    assert len(_modules(org)) == 3
    assert services.install_starter_modules(actor=None, organisation=org) == []


def test_right_answers_pass_and_count_at_once(spokesperson: Member, account: BrandAccount) -> None:
    factories.make_eligible(spokesperson, account)
    modules = _modules(spokesperson.organisation)
    assert _codes(spokesperson, account) == ["training_missing"]
    for module in modules.values():
        result = _take(spokesperson, module, _right(module))
        assert (result.passed, result.score, result.wrong_sections) == (True, 100, [])
        assert result.expires_at is not None
    assert _codes(spokesperson, account) == []


def test_wrong_answer_fails_and_names_the_section_it_tests(spokesperson: Member) -> None:
    module = _modules(spokesperson.organisation)["etika-membalas"]
    answers = _right(module) | {3: 0}  # question 3 tests section 3
    result = _take(spokesperson, module, answers)
    assert (result.passed, result.score, result.wrong_sections) == (False, 75, [3])
    assert queries.attempts_on(spokesperson, module) == 1
    _take(spokesperson, module, _right(module))
    assert queries.attempts_on(spokesperson, module) == 2


def test_the_same_quiz_sent_twice_is_one_attempt(spokesperson: Member) -> None:
    module = _modules(spokesperson.organisation)["keamanan-akun"]
    token = uuid.uuid4()
    first = services.submit_quiz(actor=None, member=spokesperson, module=module, answers={}, attempt_token=token)
    again = services.submit_quiz(
        actor=None, member=spokesperson, module=module, answers=_right(module), attempt_token=token
    )
    assert again.pk == first.pk
    assert not again.passed
    assert queries.attempts_on(spokesperson, module) == 1


def test_module_required_of_other_roles_does_not_block(org: Organisation, account: BrandAccount) -> None:
    approver = factories.make_member(org, "ratna", Role.APPROVER)
    factories.make_eligible(approver, account, "approve")
    modules = _modules(org)
    for code in ("kerahasiaan-data", "keamanan-akun"):
        _take(approver, modules[code], _right(modules[code]))
    # "etika-membalas" is for spokespeople and responders only
    assert eligibility(approver, "approve", account).codes == []
    states = {s.module.code: s.required for s in queries.training_state(approver)}
    assert states == {"etika-membalas": False, "kerahasiaan-data": True, "keamanan-akun": True}


def test_expiry_takes_eligibility_away_with_a_reminder_before(
    spokesperson: Member, account: BrandAccount, move_clock: MoveClock
) -> None:
    factories.make_eligible(spokesperson, account)
    for module in _modules(spokesperson.organisation).values():
        _take(spokesperson, module, _right(module))
    assert queries.member_todos(spokesperson) == []
    move_clock(timedelta(days=365 - 10))
    assert {t.kind for t in queries.member_todos(spokesperson)} == {"renew"}
    assert _codes(spokesperson, account) == []
    move_clock(timedelta(days=11))
    assert _codes(spokesperson, account) == ["training_missing"]
    assert {t.kind for t in queries.member_todos(spokesperson)} == {"train"}


def test_settings_change_roles_pass_mark_and_validity(owner: Member, spokesperson: Member) -> None:
    module = _modules(owner.organisation)["kerahasiaan-data"]
    services.update_training_module(
        actor=owner.user, module=module, required=True, pass_score=100, valid_days=None, roles=["responder"]
    )
    assert [r.role for r in module.roles.all()] == ["responder"]
    assert not module.applies_to(Role.SPOKESPERSON)
    answers = _right(module) | {1: 0}
    assert not _take(spokesperson, module, answers).passed  # 67% < 100%
    assert _take(spokesperson, module, _right(module)).expires_at is None


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"pass_score": 101}, InvalidTrainingResultError),
        ({"valid_days": 0}, InvalidModuleError),
        ({"roles": ["raja"]}, InvalidModuleError),
    ],
)
def test_bad_module_settings_are_refused(owner: Member, changes: dict[str, object], error: type[Exception]) -> None:
    module = _modules(owner.organisation)["keamanan-akun"]
    settings = {"required": True, "pass_score": 80, "valid_days": 365, "roles": []} | changes
    with pytest.raises(error):
        services.update_training_module(actor=None, module=module, **settings)  # type: ignore[arg-type]


def test_a_malformed_quiz_is_refused(org: Organisation) -> None:
    with pytest.raises(InvalidModuleError):
        services.create_training_module(
            actor=None, organisation=org, code="x", title_id="x", title_en="x", body_id="## a", body_en="## a",
            quiz=[{"section": 2}],
        )  # fmt: skip


def test_a_module_without_quiz_cannot_be_taken_as_one(spokesperson: Member) -> None:
    module = factories.required_module(spokesperson.organisation)
    with pytest.raises(InvalidModuleError):
        _take(spokesperson, module, {})
