"""``juru demo``: idempotent, prints logins, leaves one member visibly not eligible."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP

from juru.accounts.access import eligibility
from juru.accounts.models import BrandAccount, Member, Organisation
from juru.audit.verify import verify_chain
from juru.ops import demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_demo_is_idempotent_and_prints_logins(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo")
    first = capsys.readouterr().out
    counts = (Member.objects.count(), BrandAccount.objects.count())
    call_command("demo")
    second = capsys.readouterr().out
    assert counts == (Member.objects.count(), BrandAccount.objects.count())
    password = demo.demo_password("spokesperson")
    assert password in first
    assert password in second
    assert "otpauth://totp/" in second
    assert verify_chain() == []


def test_if_missing_does_nothing_when_present(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo", "--if-missing")
    assert "spokesperson" in capsys.readouterr().out
    call_command("demo", "--if-missing")
    out = capsys.readouterr().out
    assert "exists" in out
    assert "spokesperson" not in out


def test_demo_eligibility_shows_one_eligible_and_one_not() -> None:
    demo.create()
    org = Organisation.objects.get(slug=demo.ORG_SLUG)
    main = BrandAccount.objects.get(organisation=org, handle="@nusantararasa")
    spokesperson = Member.objects.get(organisation=org, user__username="spokesperson")
    marketer = Member.objects.get(organisation=org, user__username="marketer")
    assert eligibility(spokesperson, "publish", main).allowed
    assert eligibility(marketer, "publish", main).codes == ["policy_not_signed", "training_missing"]


def test_demo_shows_violation_cases_on_a_ladder_without_silencing_anyone() -> None:
    from juru.governance import queries

    org = demo.create()
    ladder = [step.consequence for step in queries.ladder(org)]
    assert ladder == ["warning", "retraining", "suspension", "suspension", "remove_grants"]
    cases = {case.member.user.username: case for case in queries.violation_cases(org)}
    assert (cases["responder"].state, cases["responder"].consequence) == ("closed", "warning")
    assert (cases["contributor"].state, cases["contributor"].rules) == ("open", ["core.confidential"])
    responder = cases["responder"].member
    care = BrandAccount.objects.get(organisation=org, handle="@nusantararasa_care")
    assert eligibility(responder, "reply", care).allowed


def test_printed_login_works() -> None:
    demo.create()
    login = next(row for row in demo.logins() if row.username == "spokesperson")
    member = Member.objects.get(user__username="spokesperson")
    assert member.user.check_password(login.password)
    device = member.user.totpdevice_set.get()
    assert TOTP(device.bin_key).token() == TOTP(bytes.fromhex(demo.demo_totp_key("spokesperson"))).token()


def test_demo_credentials_are_encrypted() -> None:
    demo.create()
    account = BrandAccount.objects.get(handle="@nusantararasa")
    assert "sandbox-nusantararasa" not in account.credentials_encrypted
    assert account.credentials == {"token": "sandbox-nusantararasa"}


def test_demo_has_a_past_crisis_with_its_report_and_no_active_one() -> None:
    from juru.crisis import queries, report

    org = demo.create()
    [crisis] = queries.history(org)
    assert crisis.ended_at is not None
    assert not org.crisis_active
    assert queries.active_crisis(org) is None
    kinds = [m.kind for m in report.timeline(crisis)]
    assert [k for k in kinds if k != "statement"] == ["declared", "paused", "ended"]  # the demo's history may post
    assert "Bekasi" in report.render_document(crisis)


def test_demo_moderation_policy_and_moderator() -> None:
    from juru.accounts.access import can_moderate
    from juru.moderation.models import ModerationPolicy

    demo.create()
    org = Organisation.objects.get(slug=demo.ORG_SLUG)
    policy = ModerationPolicy.objects.get(organisation=org)
    assert (policy.ban_mode, policy.threshold, policy.window_days, policy.hide_spam) == ("automatic", 3, 7, True)
    responder = Member.objects.get(organisation=org, user__username="responder")
    assert can_moderate(responder, "sandbox")
    assert not can_moderate(Member.objects.get(organisation=org, user__username="contributor"))


def test_demo_ships_saved_replies_one_holding_statement_and_one_waiting() -> None:
    from juru.replies import queries
    from juru.replies.models import SavedReply

    org = demo.create()
    saved = SavedReply.objects.filter(organisation=org)
    assert saved.count() == len(demo.SAVED_REPLIES)
    picker = queries.picker(org)
    assert len(picker) == len(demo.SAVED_REPLIES) - 1  # the replacement offer waits for compliance
    assert any("{nama}" in s.current.text_id for s in picker)
    assert [s.title for s in picker if s.is_holding] == ["Keamanan pangan: pernyataan sementara"]
