"""Violation cases: a decision on the organisation's ladder changes who may speak at once and ends on time;
the workflow, the member being told, repeat offenders, bad input, and the pages in both languages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from juru.accounts.access import eligibility
from juru.accounts.models import BrandAccount, Grant, Member, Role
from juru.audit.models import AuditEvent
from juru.governance import queries, services
from juru.governance.exceptions import InvalidCaseError
from juru.governance.models import Consequence, ConsequenceStep, ViolationCase
from tests import factories
from tests.governance.conftest import MoveClock
from tests.web.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Service messages in English here; the pages choose their language by cookie."""
    with translation.override("en"):
        yield


def client_for(member: Member, lang: str = "id") -> Client:
    client = sign_in(Client(), member.user)
    client.cookies["juru_language"] = lang
    return client


def url(member: Member, name: str, *args: Any) -> str:
    return reverse(f"governance:{name}", args=[member.organisation.slug, *args])


def open_case(owner: Member, member: Member, **fields: Any) -> ViolationCase:
    fields = {"source": "manual", "reason": "Membocorkan harga promo", "rules": ["core.confidential"]} | fields
    return services.open_case(actor=owner, member=member, **fields)


def step(owner: Member, consequence: str, **fields: Any) -> ConsequenceStep:
    return services.add_ladder_step(actor=owner, consequence=consequence, **fields)


@pytest.fixture
def told(spokesperson: Member) -> Member:
    spokesperson.user.email = "sari@contoh.example"
    spokesperson.user.save(update_fields=["email"])
    return spokesperson


def test_a_seven_day_suspension_takes_publishing_away_at_once_and_it_returns_after_seven_days(
    owner: Member, told: Member, account: BrandAccount, move_clock: MoveClock, django_capture_on_commit_callbacks: Any
) -> None:
    factories.make_eligible(told, account)
    seven = step(owner, Consequence.SUSPENSION, days=7)
    case = open_case(owner, told)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(
            url(owner, "violation_decide", case.public_id), {"step": seven.public_id, "note": "Pelanggaran berat"}
        )
    assert response.status_code == 302
    assert eligibility(told, "publish", account).codes == ["suspended"]
    case.refresh_from_db()
    assert (case.state, case.consequence) == ("decided", "suspension")
    assert case.suspension is not None
    assert case.suspension.ends_at == case.decided_at + timedelta(days=7)
    assert {"violation.decided", "member.suspend"} <= set(AuditEvent.objects.values_list("action", flat=True))
    assert "Pelanggaran berat" in mail.outbox[0].body
    assert "suspension" in mail.outbox[0].body.lower()
    move_clock(timedelta(days=6, hours=23))
    assert not eligibility(told, "publish", account).allowed
    move_clock(timedelta(hours=1, minutes=1))
    assert eligibility(told, "publish", account).allowed


def test_retraining_stops_speaking_until_the_module_is_passed_again(
    owner: Member, spokesperson: Member, account: BrandAccount, move_clock: MoveClock
) -> None:
    module = factories.required_module(owner.organisation)
    factories.make_eligible(spokesperson, account)  # passed the module already
    case = open_case(owner, spokesperson)
    services.decide_case(actor=owner, case=case, step=step(owner, Consequence.RETRAINING, module=module), note="Ulang")
    answer = eligibility(spokesperson, "publish", account)
    assert answer.codes == ["training_missing"]
    assert "Social media basics" in str(answer.reasons[0].message)
    assert [t.kind for t in queries.member_todos(spokesperson)] == ["retrain", "case"]
    assert access_matrix_codes(spokesperson, account) == ["training_missing"]
    move_clock(timedelta(minutes=1))
    services.record_training_completion(actor=None, member=spokesperson, module=module, score=100)
    assert eligibility(spokesperson, "publish", account).allowed


def access_matrix_codes(member: Member, account: BrandAccount) -> list[str]:
    from juru.accounts.access import eligibility_matrix

    return eligibility_matrix(member.organisation, [member], [account], ["publish"])[(member, account, "publish")].codes


def test_removal_of_grants_takes_every_direct_grant_away(
    owner: Member, spokesperson: Member, account: BrandAccount
) -> None:
    factories.make_eligible(spokesperson, account)
    case = open_case(owner, spokesperson)
    case = services.decide_case(actor=owner, case=case, step=step(owner, Consequence.REMOVE_GRANTS), note="Dicabut")
    assert not Grant.objects.filter(member=spokesperson).exists()
    assert eligibility(spokesperson, "publish", account).codes == ["no_grant"]
    assert case.removed_grants == [{"account": account.handle, "permission": "publish"}]
    assert AuditEvent.objects.filter(action="grant.revoke").count() == 1


def test_a_warning_changes_nothing_but_the_member_is_told_in_the_app_and_by_mail(
    owner: Member, told: Member, account: BrandAccount, django_capture_on_commit_callbacks: Any
) -> None:
    factories.make_eligible(told, account)
    case = open_case(owner, told)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_case(actor=owner, case=case, step=step(owner, Consequence.WARNING), note="Hati-hati")
    assert eligibility(told, "publish", account).allowed
    assert len(mail.outbox) == 1
    assert "Hati-hati" in mail.outbox[0].body
    client = client_for(told)
    assert 'data-todo="case"' in client.get(reverse("web:org_home", args=[told.organisation.slug])).content.decode()
    detail = client.get(url(told, "violation_detail", case.public_id)).content.decode()
    assert "Hati-hati" in detail
    assert 'data-testid="case-notes"' not in detail
    client.post(url(told, "violation_seen", case.public_id))
    assert 'data-todo="case"' not in client.get(reverse("web:org_home", args=[told.organisation.slug])).content.decode()


def test_the_workflow_and_a_new_decision_after_reopening_ends_the_earlier_suspension(
    owner: Member, spokesperson: Member, account: BrandAccount
) -> None:
    factories.make_eligible(spokesperson, account)
    case = open_case(owner, spokesperson)
    case = services.start_investigation(actor=owner, case=case)
    services.add_note(actor=owner, case=case, text="Sudah bicara dengan atasannya")
    case = services.decide_case(actor=owner, case=case, step=step(owner, Consequence.SUSPENSION, days=30), note="x")
    assert not eligibility(spokesperson, "publish", account).allowed
    case = services.close_case(actor=owner, case=case)
    case = services.reopen_case(actor=owner, case=case, reason="Bukti baru")
    case = services.decide_case(actor=owner, case=case, step=None, note="Tidak terbukti")
    assert (case.state, case.consequence) == ("decided", "none")
    assert eligibility(spokesperson, "publish", account).allowed
    events = AuditEvent.objects.filter(object_id=str(case.public_id)).order_by("seq")
    actions = list(events.values_list("action", flat=True))
    assert actions == [
        "violation.open", "violation.investigating", "violation.note", "violation.decided", "violation.closed",
        "violation.reopened", "violation.decided",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda owner, case: services.decide_case(actor=owner, case=case, step=None, note=" "), "Explain the decision"),
        (lambda owner, case: services.reopen_case(actor=owner, case=case, reason="x"), "cannot move to Reopened"),
        (lambda owner, case: services.reopen_case(actor=owner, case=case, reason=""), "Say why"),
        (lambda owner, case: services.add_note(actor=owner, case=case, text=""), "Write the note"),
        (lambda owner, case: services.add_ladder_step(actor=owner, consequence="suspension", days=0), "between 1 and"),
        (lambda owner, case: services.add_ladder_step(actor=owner, consequence="retraining"), "training modules"),
        (lambda owner, case: services.add_ladder_step(actor=owner, consequence="jail"), "from the list"),
        (lambda owner, case: services.open_case(actor=owner, member=owner, source="manual", reason=""), "Say why"),
        (lambda owner, case: services.open_case(actor=owner, member=owner, source="x", reason="y"), "comes from"),
        (
            lambda owner, case: services.decide_case(actor=case.member, case=case, step=None, note="x"),
            "about yourself",
        ),
    ],
)
def test_bad_requests_are_refused_with_a_reason_and_change_nothing(
    owner: Member, spokesperson: Member, change: Any, error: str
) -> None:
    case = open_case(owner, spokesperson)
    before = (ViolationCase.objects.count(), ConsequenceStep.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InvalidCaseError, match=error):
        change(owner, case)
    assert (ViolationCase.objects.count(), ConsequenceStep.objects.count(), AuditEvent.objects.count()) == before
    case.refresh_from_db()
    assert case.state == "open"


def test_a_decided_case_cannot_be_decided_again_without_reopening(owner: Member, spokesperson: Member) -> None:
    case = open_case(owner, spokesperson)
    services.decide_case(actor=owner, case=case, step=None, note="Tidak terbukti")
    with pytest.raises(InvalidCaseError, match="reopen it first"):
        services.decide_case(actor=owner, case=case, step=None, note="lagi")


def test_another_organisations_step_is_refused(owner: Member, spokesperson: Member, outsider: Member) -> None:
    foreign = services.add_ladder_step(actor=outsider, consequence="warning")
    with pytest.raises(InvalidCaseError, match="this organisation's ladder"):
        services.decide_case(actor=owner, case=open_case(owner, spokesperson), step=foreign, note="x")


def test_the_ladder_suggests_one_step_higher_for_each_earlier_offence(owner: Member, spokesperson: Member) -> None:
    services.install_suggested_ladder(actor=owner, module=factories.required_module(owner.organisation))
    ladder = queries.ladder(owner.organisation)
    assert [s.consequence for s in ladder] == ["warning", "retraining", "suspension", "suspension", "remove_grants"]
    first = open_case(owner, spokesperson)
    assert queries.suggested_step(first, ladder) == ladder[0]
    services.decide_case(actor=owner, case=first, step=ladder[0], note="Peringatan")
    dismissed = open_case(owner, spokesperson)
    services.decide_case(actor=owner, case=dismissed, step=None, note="Tidak terbukti")  # no action: not counted
    assert queries.suggested_step(open_case(owner, spokesperson), ladder) == ladder[1]
    with pytest.raises(InvalidCaseError, match="already has a ladder"):
        services.install_suggested_ladder(actor=owner)


def test_repeat_offenders_per_person_and_per_rule(owner: Member, spokesperson: Member, viewer: Member) -> None:
    for rules in (["core.confidential"], ["core.confidential", "core.pii"]):
        services.decide_case(
            actor=owner, case=open_case(owner, spokesperson, rules=rules), step=step(owner, "warning"), note="x"
        )
    open_case(owner, viewer, rules=["core.pii"])
    people = queries.repeat_offenders(owner.organisation)
    assert [(r.member, r.cases, r.with_consequence) for r in people] == [(spokesperson, 2, 2), (viewer, 1, 0)]
    assert people[0].rules == ["core.confidential", "core.pii"]
    per_rule = [(r.key, r.cases, r.with_consequence) for r in queries.cases_per_rule(owner.organisation)]
    assert per_rule == [("core.confidential", 2, 1), ("core.pii", 2, 2)]
    html = client_for(owner, "en").get(url(owner, "violation_repeat")).content.decode()
    assert "Repeat offenders" in html
    assert 'data-member="sari"' in html


def test_the_case_list_filters(owner: Member, spokesperson: Member, viewer: Member) -> None:
    open_case(owner, spokesperson, rules=["core.confidential"], severity="critical")
    open_case(owner, viewer, rules=["core.pii"], severity="low")
    client = client_for(owner)
    assert client.get(url(owner, "violations") + "?rule=core.pii").content.decode().count("data-case=") == 1
    assert client.get(url(owner, "violations") + "?severity=critical").content.decode().count("data-case=") == 1
    html = client.get(url(owner, "violations") + f"?member={viewer.public_id}").content.decode()
    assert 'data-member="vino"' in html
    assert 'data-member="sari"' not in html
    assert client.get(url(owner, "violations") + "?state=closed").content.decode().count("data-case=") == 0


@pytest.mark.parametrize(("lang", "text"), [("id", "Kasus pelanggaran"), ("en", "Violation cases")])
def test_cases_are_handled_from_the_pages(lang: str, text: str, owner: Member, spokesperson: Member) -> None:
    client = client_for(owner, lang)
    assert text in client.get(url(owner, "violations")).content.decode()
    response = client.post(
        url(owner, "violation_new"),
        {"member": spokesperson.public_id, "rules": "core.confidential, core.pii", "severity": "high",
         "content": "Harga baru bocor", "reason": "Dilaporkan tim PR"},
    )  # fmt: skip
    case = ViolationCase.objects.get()
    assert response["Location"] == url(owner, "violation_detail", case.public_id)
    assert (case.rules, case.source, case.opened_by) == (["core.confidential", "core.pii"], "manual", owner)
    client.post(url(owner, "violation_move", case.public_id), {"state": "investigating"})
    client.post(url(owner, "violation_note", case.public_id), {"text": "Cek tangkapan layar"})
    html = client.get(url(owner, "violation_detail", case.public_id)).content.decode()
    assert "Cek tangkapan layar" in html
    case.refresh_from_db()
    assert case.state == "investigating"


def test_a_report_without_a_reason_keeps_what_was_typed(owner: Member, spokesperson: Member) -> None:
    response = client_for(owner, "en").post(
        url(owner, "violation_new"), {"member": spokesperson.public_id, "content": "Teks yang dilaporkan"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html
    assert "Teks yang dilaporkan" in html
    assert not ViolationCase.objects.exists()


def test_any_member_may_report_but_only_managers_see_cases(owner: Member, spokesperson: Member, viewer: Member) -> None:
    client = client_for(viewer)
    response = client.post(url(viewer, "violation_new"), {"member": spokesperson.public_id, "reason": "Kasar"})
    assert response["Location"] == reverse("web:org_home", args=[viewer.organisation.slug])
    case = ViolationCase.objects.get()
    assert client.get(url(viewer, "violations")).status_code == 404
    assert client.get(url(viewer, "violation_detail", case.public_id)).status_code == 404
    assert client_for(spokesperson).get(url(spokesperson, "violation_detail", case.public_id)).status_code == 200


def test_the_ladder_page_adds_and_removes_steps(owner: Member) -> None:
    client = client_for(owner, "en")
    assert 'data-testid="suggested-ladder"' in client.get(url(owner, "violation_ladder")).content.decode()
    client.post(url(owner, "violation_ladder"), {"consequence": "suspension", "days": 7})
    response = client.post(url(owner, "violation_ladder"), {"consequence": "suspension", "days": ""})
    assert "A suspension needs a number of days between 1 and 365." in response.content.decode()
    only = ConsequenceStep.objects.get()
    assert "Suspension of speaking rights: 7 days" in client.get(url(owner, "violation_ladder")).content.decode()
    client.post(url(owner, "violation_ladder_remove", only.public_id))
    assert not ConsequenceStep.objects.exists()


def test_admins_manage_cases_and_spokespeople_do_not(org: Any, spokesperson: Member) -> None:
    admin = factories.make_member(org, "adi", Role.ADMIN)
    assert client_for(admin).get(url(admin, "violation_ladder")).status_code == 200
    assert client_for(spokesperson).get(url(spokesperson, "violation_ladder")).status_code == 404


def _published_reply(owner: Member, author: Member, account: BrandAccount) -> Any:
    from juru.publishing.models import Draft, Post

    draft = Draft.objects.create(organisation=owner.organisation, author=author, text="Jangan lebay, Kak.")
    return Post.objects.create(
        organisation=owner.organisation, draft=draft, account=account, idempotency_key="balas-1", state="published",
        reply_to="komentar-42", url="https://contoh.example/p/1",
    )  # fmt: skip


def test_a_flagged_reply_is_reported_from_its_post(owner: Member, spokesperson: Member, account: BrandAccount) -> None:
    post = _published_reply(owner, spokesperson, account)
    client = client_for(owner)
    form = client.get(url(owner, "violation_new") + f"?post={post.public_id}").content.decode()
    assert "Jangan lebay, Kak." in form
    client.post(
        url(owner, "violation_new"), {"post": post.public_id, "member": spokesperson.public_id, "reason": "Ketus"}
    )
    case = ViolationCase.objects.get()
    assert (case.source, case.post, case.draft, case.content) == ("flagged_reply", post, post.draft, "")
    detail = client.get(url(owner, "violation_detail", case.public_id)).content.decode()
    assert "https://contoh.example/p/1" in detail


def test_a_blocked_draft_prefills_its_rules_and_severity(
    owner: Member, spokesperson: Member, account: BrandAccount
) -> None:
    from juru.publishing.models import Draft, ScanDecision

    draft = Draft.objects.create(organisation=owner.organisation, author=spokesperson, text="Proyek Sambal Api",
                                 verdict="block")  # fmt: skip
    hits = [{"rule": "core.confidential", "action": "block", "severity": "critical"},
            {"rule": "core.insult", "action": "warn", "severity": "high"}]  # fmt: skip
    ScanDecision.objects.create(organisation=owner.organisation, draft=draft, revision="r", input_digest="d",
                                verdict="block", hits=hits)  # fmt: skip
    html = client_for(owner).get(url(owner, "violation_new") + f"?draft={draft.public_id}").content.decode()
    assert 'value="core.confidential"' in html
    assert '<option value="critical" selected>' in html
    assert "Proyek Sambal Api" in html


def test_another_organisations_draft_cannot_be_reported_here(owner: Member, outsider: Member) -> None:
    from juru.publishing.models import Draft

    draft = Draft.objects.create(organisation=outsider.organisation, author=outsider, text="Rahasia")
    assert client_for(owner).get(url(owner, "violation_new") + f"?draft={draft.public_id}").status_code == 404
