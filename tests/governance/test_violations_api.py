"""The violations API: the pages' checks (handlers, reporters, the member concerned), the workflow, clear errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from juru.accounts.models import BrandAccount, Member
from juru.governance import services
from juru.governance.models import CaseNote, ConsequenceStep, ViolationCase
from juru.publishing.models import Draft, ScanDecision
from tests.api_client import Api

pytestmark = pytest.mark.django_db


def open_case(owner: Member, member: Member, **fields: Any) -> ViolationCase:
    fields = {"source": "manual", "reason": "Membocorkan harga promo", "rules": ["core.confidential"]} | fields
    return services.open_case(actor=owner, member=member, **fields)


def step(owner: Member, consequence: str, **fields: Any) -> ConsequenceStep:
    return services.add_ladder_step(actor=owner, consequence=consequence, **fields)


def test_a_case_goes_from_report_to_decision_and_the_member_reads_it(owner: Member, spokesperson: Member) -> None:
    warning = step(owner, "warning")
    api = Api(owner)
    report = {"member": str(spokesperson.public_id), "reason": "Membocorkan harga promo",
              "rules": ["core.confidential"], "severity": "high", "content": "Promo 50% besok!"}  # fmt: skip
    response = api.post("/violations", report)
    assert response.status_code == 201, response.content
    case_id = response.json()["id"]
    assert response.json()["suggested_step"]["id"] == str(warning.public_id)
    assert [c["id"] for c in api.get("/violations?state=open&rule=core.confidential&severity=high").json()] == [case_id]
    assert api.get("/violations?state=closed").json() == []

    assert api.post(f"/violations/{case_id}/investigate").json()["state"] == "investigating"
    assert api.post(f"/violations/{case_id}/notes", {"text": "Tangkapan layar ada"}).status_code == 201
    decided = api.post(f"/violations/{case_id}/decide", {"step": str(warning.public_id), "note": "Teguran tertulis"})
    assert decided.status_code == 200, decided.content
    assert (decided.json()["state"], decided.json()["decision"]["consequence"]) == ("decided", "warning")
    assert [n["text"] for n in decided.json()["notes"]] == ["Tangkapan layar ada"]

    theirs = Api(spokesperson)
    read = theirs.get(f"/violations/{case_id}").json()
    assert (read["decision"]["note"], read["notes"], read["earlier_offences"]) == ("Teguran tertulis", None, None)
    assert theirs.post(f"/violations/{case_id}/seen").json()["seen_at"] is not None

    assert api.post(f"/violations/{case_id}/close").json()["state"] == "closed"
    reopened = api.post(f"/violations/{case_id}/reopen", {"reason": "Bukti baru"})
    assert (reopened.json()["state"], reopened.json()["can_decide"]) == ("reopened", True)
    assert api.get("/violations?state=reopened").json()[0]["id"] == case_id


def test_a_spokesperson_cannot_list_or_handle_cases_but_reads_their_own(
    owner: Member, spokesperson: Member, viewer: Member
) -> None:
    own = open_case(owner, spokesperson)
    elsewhere = open_case(owner, viewer)
    api = Api(spokesperson)
    hidden = ["/violations", "/violation-steps", "/violations/repeat-offenders", f"/violations/{elsewhere.public_id}"]
    for path in hidden:
        response = api.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/problem+json")
    for action, body in [("investigate", {}), ("close", {}), ("notes", {"text": "x"}),
                         ("decide", {"step": None, "note": "x"})]:  # fmt: skip
        assert api.post(f"/violations/{own.public_id}/{action}", body).status_code == 404, action
    assert api.get(f"/violations/{own.public_id}").json()["notes"] is None
    assert ViolationCase.objects.get(pk=own.pk).state == "open"
    assert not CaseNote.objects.exists()


def test_any_member_may_report_and_gets_back_only_what_they_sent(owner: Member, spokesperson: Member,
                                                                 viewer: Member) -> None:  # fmt: skip
    response = Api(spokesperson).post("/violations", {"member": str(viewer.public_id), "reason": "Kasar"})
    assert response.status_code == 201
    assert (response.json()["reason"], response.json()["notes"], response.json()["next_states"]) == ("Kasar", None, [])
    case = ViolationCase.objects.get()
    assert (case.member, case.opened_by, case.source) == (viewer, spokesperson, "manual")


def test_a_report_from_a_blocked_draft_takes_its_author_rules_and_severity(owner: Member, spokesperson: Member) -> None:
    draft = Draft.objects.create(organisation=owner.organisation, author=spokesperson, text="Proyek Sambal Api",
                                 verdict="block")  # fmt: skip
    hits = [{"rule": "core.confidential", "action": "block", "severity": "critical"},
            {"rule": "core.insult", "action": "warn", "severity": "high"}]  # fmt: skip
    decision = ScanDecision.objects.create(organisation=owner.organisation, draft=draft, revision="r",
                                           input_digest="d", verdict="block", hits=hits)  # fmt: skip
    response = Api(owner).post("/violations", {"draft": str(draft.public_id), "reason": "Bocor"})
    assert response.status_code == 201, response.content
    case = ViolationCase.objects.get()
    assert (case.member, case.rules, case.severity, case.content) == (
        spokesperson,
        ["core.confidential"],
        "critical",
        "Proyek Sambal Api",
    )
    assert (case.source, case.draft, case.scan_decision) == ("blocked_draft", draft, decision)
    assert response.json()["draft"] == str(draft.public_id)


def test_a_report_naming_another_organisations_draft_is_not_found(owner: Member, outsider: Member) -> None:
    draft = Draft.objects.create(organisation=outsider.organisation, author=outsider, text="Rahasia")
    response = Api(owner).post("/violations", {"draft": str(draft.public_id), "reason": "Bocor"})
    assert response.status_code == 404
    assert not ViolationCase.objects.exists()


@pytest.mark.parametrize(
    ("lang", "unknown_step", "empty_note"),
    [
        ("en", "Choose a consequence from this organisation's ladder.", "Explain the decision; the member reads it."),
        ("id", "Pilih sanksi dari tangga sanksi organisasi ini.", "Jelaskan keputusannya; anggota akan membacanya."),
    ],
)
def test_bad_decisions_are_refused_in_the_readers_language_and_change_nothing(
    lang: str, unknown_step: str, empty_note: str, owner: Member, spokesperson: Member, outsider: Member
) -> None:
    case = open_case(owner, spokesperson)
    theirs = step(outsider, "warning")
    api = Api(owner, lang)
    for body, message in [({"step": str(theirs.public_id), "note": "Teguran"}, unknown_step),
                          ({"step": None, "note": "   "}, empty_note)]:  # fmt: skip
        response = api.post(f"/violations/{case.public_id}/decide", body)
        assert response.status_code == 422, response.content
        assert response.json()["detail"] == message
    case.refresh_from_db()
    assert (case.state, case.decided_at, case.consequence) == ("open", None, "")


def test_workflow_conflicts_are_409_and_empty_texts_422(owner: Member, spokesperson: Member) -> None:
    case = open_case(owner, spokesperson)
    api = Api(owner)
    assert api.post(f"/violations/{case.public_id}/decide", {"step": None, "note": "Dimaafkan"}).status_code == 200
    again = api.post(f"/violations/{case.public_id}/decide", {"step": None, "note": "Lagi"})
    assert (again.status_code, again.json()["detail"]) == (409, "Only an open case can be decided; reopen it first.")
    assert api.post(f"/violations/{case.public_id}/investigate").status_code == 409
    empty = api.post(f"/violations/{case.public_id}/reopen", {"reason": ""})
    assert (empty.status_code, empty.json()["detail"]) == (422, "Say why the case is reopened.")
    assert api.post(f"/violations/{case.public_id}/notes", {"text": " "}).json()["detail"] == "Write the note first."
    assert ViolationCase.objects.get(pk=case.pk).state == "decided"


def test_only_the_member_concerned_confirms_and_nobody_decides_about_themselves(
    owner: Member, admin_member: Member, spokesperson: Member
) -> None:
    case = open_case(admin_member, owner)
    refused = Api(owner).post(f"/violations/{case.public_id}/decide", {"step": None, "note": "Saya sendiri"})
    assert (refused.status_code, refused.json()["detail"]) == (403, "You cannot decide a case about yourself.")
    other = open_case(owner, spokesperson)
    assert Api(owner).post(f"/violations/{other.public_id}/seen").status_code == 403


def test_the_report_is_checked_like_the_page(owner: Member, spokesperson: Member) -> None:
    missing = Api(owner, "id").post("/violations", {"member": str(spokesperson.public_id), "reason": ""})
    assert missing.status_code == 422
    assert missing.json()["detail"] == "Mengapa kasus dibuka: Bidang ini tidak boleh kosong."
    assert Api(owner).post("/violations", {"reason": "Tanpa nama"}).status_code == 422
    assert Api(owner).post("/violations", {"member": str(spokesperson.public_id), "reason": "x",
                                           "severity": "fatal"}).status_code == 422  # fmt: skip
    assert not ViolationCase.objects.exists()


def test_the_ladder_and_repeat_offenders(owner: Member, spokesperson: Member, viewer: Member) -> None:
    suspension = step(owner, "suspension", days=7)
    api = Api(owner)
    assert [(s["id"], s["days"]) for s in api.get("/violation-steps").json()] == [(str(suspension.public_id), 7)]
    open_case(owner, spokesperson)
    open_case(owner, spokesperson, rules=["core.insult"])
    old = open_case(owner, viewer)
    ViolationCase.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=200))
    recent = api.get("/violations/repeat-offenders?days=90").json()
    assert [(p["member"], p["cases"]) for p in recent["people"]] == [("sari", 2)]
    assert {r["rule"]: r["cases"] for r in recent["rules"]} == {"core.confidential": 1, "core.insult": 1}
    year = api.get("/violations/repeat-offenders").json()
    assert (year["days"], [p["member"] for p in year["people"]]) == (365, ["sari", "vino"])
    assert api.get("/violations/repeat-offenders?days=7").status_code == 422


def test_the_new_operations_are_described(owner: Member) -> None:
    paths = Api(owner).get("/openapi.json").json()["paths"]
    for path in ("/api/v1/violations", "/api/v1/violations/{case_id}/decide", "/api/v1/violations/{case_id}/seen",
                 "/api/v1/violation-steps", "/api/v1/violations/repeat-offenders"):  # fmt: skip
        assert path in paths, path


def test_filters_narrow_by_member_and_source(owner: Member, spokesperson: Member, viewer: Member,
                                             account: BrandAccount) -> None:  # fmt: skip
    mine = open_case(owner, spokesperson)
    open_case(owner, viewer, source="published_post")
    api = Api(owner)
    assert [c["id"] for c in api.get(f"/violations?member={spokesperson.public_id}").json()] == [str(mine.public_id)]
    assert [c["member"] for c in api.get("/violations?source=published_post").json()] == ["vino"]
    assert api.get("/violations?state=lost").status_code == 422
