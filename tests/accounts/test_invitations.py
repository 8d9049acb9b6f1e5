"""Adding a person sends an invitation link; they choose their own password with it, once, before it expires."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from juru.accounts.invitations import invited_user, make_key
from juru.accounts.models import Member, Role
from juru.audit.models import AuditEvent
from tests.web.conftest import english_client, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "kopi-susu-gula-aren-77"


def add_person(client: Client, email: str = "dewi@example.com") -> str:
    form = {"username": "dewi", "email": email, "full_name": "Dewi Lestari", "role": Role.CONTRIBUTOR}
    response = client.post(reverse("accounts:member_add", args=["nusantara"]), form)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.content.decode()


def shown_link(html: str) -> str:
    match = re.search(r'data-testid="invitation-link">http://testserver(/invitation/[^<]+/)<', html)
    assert match, "the invitation link is not shown"
    return match.group(1)


def test_adding_a_person_creates_a_user_without_password_and_shows_and_emails_the_link(owner: Member) -> None:
    html = add_person(sign_in(Client(), owner.user))
    path = shown_link(html)
    user = User.objects.get(username="dewi")
    assert not user.has_usable_password()
    assert "Tautan telah dikirim lewat e-mail ke dewi@example.com." in html
    assert len(mail.outbox) == 1
    assert path in mail.outbox[0].body
    assert mail.outbox[0].to == ["dewi@example.com"]
    event = AuditEvent.objects.get(action="member.invite")
    assert event.after == {"user": "dewi", "emailed": True, "valid_days": 3}
    assert event.actor_id == owner.user_id


def test_without_an_address_the_link_is_only_shown_in_english_too(owner: Member) -> None:
    html = add_person(sign_in(english_client(), owner.user), email="")
    shown_link(html)
    assert "This person has no e-mail address in Juru" in html
    assert mail.outbox == []


def test_the_invitee_sets_a_password_and_can_sign_in(owner: Member) -> None:
    path = shown_link(add_person(sign_in(Client(), owner.user)))
    invitee = Client()
    assert "Pilih kata sandi Anda" in invitee.get(path).content.decode()
    response = invitee.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert "Kata sandi Anda sudah diatur." in response.content.decode()
    user = User.objects.get(username="dewi")
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="member.invitation_accepted", actor=user).count() == 1
    signed_in = invitee.post(reverse("web:login"), {"username": "dewi", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_a_weak_password_is_refused_by_djangos_validators(owner: Member) -> None:
    path = shown_link(add_person(sign_in(Client(), owner.user)))
    html = Client().post(path, {"new_password1": "12345678", "new_password2": "12345678"}).content.decode()
    assert "Kata sandi ini terlalu umum." in html
    assert not User.objects.get(username="dewi").has_usable_password()


def test_a_used_link_gets_a_clear_page(owner: Member) -> None:
    path = shown_link(add_person(sign_in(Client(), owner.user)))
    Client().post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().get(path)
    assert again.status_code == 410
    assert "Tautan undangan ini sudah tidak berlaku" in again.content.decode()
    english = english_client().get(path)
    assert "This invitation link no longer works" in english.content.decode()


def test_an_expired_link_gets_the_same_page(owner: Member, settings: Any) -> None:
    path = shown_link(add_person(sign_in(Client(), owner.user)))
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert Client().get(path).status_code == 410


def test_a_forged_or_mangled_link_is_refused(owner: Member) -> None:
    add_person(sign_in(Client(), owner.user))
    user = User.objects.get(username="dewi")
    key = make_key(user)
    assert invited_user(key.uidb64, key.token) == user
    assert invited_user(key.uidb64, key.token[:-2] + "xx") is None
    assert invited_user("!!!", key.token) is None
    assert Client().get(f"/invitation/{key.uidb64}/nonsense-token/").status_code == 410


def test_an_existing_user_is_added_without_an_invitation(owner: Member, viewer: Member) -> None:
    client = sign_in(Client(), owner.user)
    Member.objects.filter(pk=viewer.pk).delete()
    response = client.post(
        reverse("accounts:member_add", args=["nusantara"]), {"username": "vino", "role": Role.VIEWER, "email": ""}
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="member.invite").exists()
