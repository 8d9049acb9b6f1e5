"""The governance API: the same checks as the pages, 404 across organisations, clear errors."""

from __future__ import annotations

import uuid

import pytest

from juru.accounts.models import Member, Organisation
from juru.governance import services
from juru.governance.models import PolicySignoff, TrainingModule
from tests import factories
from tests.api_client import Api

pytestmark = pytest.mark.django_db


def _sign(member: Member, **changes: object) -> dict[str, object]:
    return {"full_name": member.display_name, "password": f"{member.user.get_username()}-pass-123",
            "confirm": True} | changes  # fmt: skip


def test_policies_list_detail_and_signing(spokesperson: Member) -> None:
    version = factories.publish_policy(spokesperson.organisation, competitor_names=["Rasa Prima"])
    api = Api(spokesperson)
    listed = api.get("/policies").json()
    assert [(v["number"], v["hash"]) for v in listed] == [(1, version.content_hash())]
    detail = api.get(f"/policies/{version.public_id}").json()
    assert detail["config"] == {"competitor_names": ["Rasa Prima"]}
    assert api.get("/policies/me").json() == {"current": 1, "signed": False, "counts": False, "due_by": None}
    response = api.post(f"/policies/{version.public_id}/sign", _sign(spokesperson))
    assert response.status_code == 201
    assert response.json()["version_hash"] == version.content_hash()
    assert api.get("/policies/me").json()["counts"] is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"password": "salah"}, "That is not your password."), ({"full_name": "X"}, "Type your full name")],
)
def test_bad_signatures_are_refused(spokesperson: Member, changes: dict[str, object], message: str) -> None:
    version = factories.publish_policy(spokesperson.organisation)
    response = Api(spokesperson).post(f"/policies/{version.public_id}/sign", _sign(spokesperson, **changes))
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert not PolicySignoff.objects.exists()


def test_signing_an_old_version_is_a_conflict(spokesperson: Member) -> None:
    old = factories.publish_policy(spokesperson.organisation)
    factories.publish_policy(spokesperson.organisation)
    response = Api(spokesperson, "id").post(f"/policies/{old.public_id}/sign", _sign(spokesperson))
    assert response.status_code == 409
    assert "Hanya versi kebijakan yang berlaku" in response.json()["detail"]


def test_signoff_list_is_for_those_who_manage_the_policy(owner: Member, spokesperson: Member) -> None:
    version = factories.publish_policy(owner.organisation)
    services.sign_policy(actor=None, member=spokesperson)
    assert Api(spokesperson).get(f"/policies/{version.public_id}/signoffs").status_code == 404
    assert [s["member"] for s in Api(owner).get(f"/policies/{version.public_id}/signoffs").json()] == ["sari"]


def test_another_organisations_objects_are_not_found(spokesperson: Member, other_org: Organisation) -> None:
    version = factories.publish_policy(other_org)
    module = services.install_starter_modules(actor=None, organisation=other_org)[0]
    api = Api(spokesperson)
    assert api.get(f"/policies/{version.public_id}").status_code == 404
    assert api.post(f"/policies/{version.public_id}/sign", _sign(spokesperson)).status_code == 404
    assert api.get(f"/training/modules/{module.public_id}").status_code == 404
    body = {"answers": {"1": 0}, "attempt_token": str(uuid.uuid4())}
    assert api.post(f"/training/modules/{module.public_id}/attempts", body).status_code == 404


def test_training_through_the_api(spokesperson: Member) -> None:
    services.install_starter_modules(actor=None, organisation=spokesperson.organisation)
    module = TrainingModule.objects.get(organisation=spokesperson.organisation, code="keamanan-akun")
    api = Api(spokesperson)
    listed = {m["code"]: m for m in api.get("/training/modules").json()}
    assert listed["keamanan-akun"]["title"] == "Account security"
    assert listed["keamanan-akun"]["passed"] is False
    detail = api.get(f"/training/modules/{module.public_id}").json()
    assert "answer" not in detail["questions"][0]
    answers = {str(n): q["answer"] for n, q in enumerate(module.quiz, start=1)}
    token = str(uuid.uuid4())
    first = api.post(f"/training/modules/{module.public_id}/attempts", {"answers": answers, "attempt_token": token})
    again = api.post(f"/training/modules/{module.public_id}/attempts", {"answers": answers, "attempt_token": token})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["passed"] is True
    assert len(api.get("/training/completions").json()) == 1


def test_an_incomplete_attempt_is_refused(spokesperson: Member) -> None:
    module = services.install_starter_modules(actor=None, organisation=spokesperson.organisation)[0]
    response = Api(spokesperson).post(
        f"/training/modules/{module.public_id}/attempts", {"answers": {"1": 0}, "attempt_token": str(uuid.uuid4())}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Answer every question before you send the quiz."


def test_everyones_completions_need_the_policy_right(owner: Member, spokesperson: Member) -> None:
    assert Api(spokesperson).get("/training/completions?everyone=true").status_code == 404
    assert Api(owner).get("/training/completions?everyone=true").status_code == 200
