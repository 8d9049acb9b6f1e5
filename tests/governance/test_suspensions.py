"""Suspensions in the product: a 7-day suspension takes the right to speak away at once and gives it back
after 7 days; lifting ends it early; the member is told; only those who manage the policy may do it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from juru.accounts.access import eligibility
from juru.accounts.models import BrandAccount, Member
from juru.audit.models import AuditEvent
from juru.governance.models import Suspension
from tests import factories
from tests.governance.conftest import MoveClock
from tests.web.conftest import sign_in

pytestmark = pytest.mark.django_db


def client_for(member: Member, lang: str = "id") -> Client:
    client = sign_in(Client(), member.user)
    client.cookies["juru_language"] = lang
    return client


def page(member: Member) -> str:
    return reverse("governance:suspensions", args=[member.organisation.slug])


def test_seven_day_suspension_takes_publishing_away_and_gives_it_back(
    owner: Member,
    spokesperson: Member,
    account: BrandAccount,
    move_clock: MoveClock,
    django_capture_on_commit_callbacks: Any,
) -> None:
    factories.make_eligible(spokesperson, account)
    spokesperson.user.email = "sari@contoh.example"
    spokesperson.user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(
            page(owner), {"member": spokesperson.public_id, "reason": "Membocorkan harga baru", "days": 7}
        )
    assert response.status_code == 302
    assert eligibility(spokesperson, "publish", account).codes == ["suspended"]
    assert AuditEvent.objects.filter(action="member.suspend").exists()
    assert "Membocorkan harga baru" in mail.outbox[0].body
    move_clock(timedelta(days=6, hours=23))
    assert not eligibility(spokesperson, "publish", account).allowed
    move_clock(timedelta(hours=1, minutes=1))
    assert eligibility(spokesperson, "publish", account).allowed


def test_lifting_ends_it_at_once(owner: Member, spokesperson: Member, account: BrandAccount) -> None:
    factories.make_eligible(spokesperson, account)
    client = client_for(owner)
    client.post(page(owner), {"member": spokesperson.public_id, "reason": "Tunggu penyelidikan"})
    suspension = Suspension.objects.get(member=spokesperson)
    assert suspension.ends_at is None
    assert "Tunggu penyelidikan" in client.get(page(owner)).content.decode()
    client.post(reverse("governance:suspension_lift", args=[owner.organisation.slug, suspension.public_id]))
    assert eligibility(spokesperson, "publish", account).allowed


@pytest.mark.parametrize(
    ("data", "lang", "error"),
    [
        ({"days": 0, "reason": "x"}, "en", "greater than or equal to 1"),
        ({"days": 3, "reason": ""}, "id", "Bidang ini tidak boleh kosong."),
        ({"member": "self", "reason": "x"}, "en", "You cannot suspend yourself."),
    ],
)
def test_bad_suspensions_are_refused_with_a_reason(
    owner: Member, spokesperson: Member, data: dict[str, object], lang: str, error: str
) -> None:
    target = owner if data.get("member") == "self" else spokesperson
    response = client_for(owner, lang).post(page(owner), {**data, "member": target.public_id})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Suspension.objects.exists()


def test_members_who_do_not_manage_the_policy_get_404(spokesperson: Member, viewer: Member) -> None:
    client = client_for(spokesperson)
    assert client.get(page(spokesperson)).status_code == 404
    assert client.post(page(spokesperson), {"member": viewer.public_id, "reason": "x"}).status_code == 404
    assert not Suspension.objects.exists()
