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
