"""Sign-in: password, authenticator code (no replay), recovery code, enrolment, lockout, expiry."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts import services
from juru.accounts.models import Grant, Member, Permission
from tests.web.conftest import PASSWORD, add_totp, current_code, english_client

pytestmark = pytest.mark.django_db


def password_step(client: Client, username: str, password: str = PASSWORD) -> object:
    return client.post(reverse("web:login"), {"username": username, "password": password})


def test_anonymous_home_goes_to_login() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_wrong_password_is_refused_with_a_translated_message(owner: Member) -> None:
    response = password_step(Client(), "ani", "salah-sekali-123")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    assert "_auth_user_id" not in Client().session


def test_user_without_grants_or_device_signs_in_with_password_only(viewer: Member) -> None:
    client = Client()
    response = password_step(client, "vino")
    assert response.status_code == 302
    assert client.get("/").url == reverse("web:org_home", args=["kopi"])


def test_totp_code_completes_sign_in_and_cannot_be_replayed(owner: Member) -> None:
    device = add_totp(owner.user)
    client = Client()
    response = password_step(client, "ani")
    assert response["Location"] == reverse("web:login_verify")
    # Before the code, the user is not signed in.
    assert client.get(reverse("web:org_home", args=["kopi"])).status_code == 302
    code = current_code(device)
    response = client.post(reverse("web:login_verify"), {"token": code})
    assert response.status_code == 302
    assert client.get(reverse("web:org_home", args=["kopi"])).status_code == 200

    # The same code again, in a new sign-in, is refused: django-otp remembers the last time step.
    second = Client()
    password_step(second, "ani")
    response = second.post(reverse("web:login_verify"), {"token": code})
    assert response.status_code == 200
    assert "sudah pernah dipakai" in response.content.decode()
    assert second.get(reverse("web:org_home", args=["kopi"])).status_code == 302


def test_wrong_totp_code_is_refused(owner: Member) -> None:
    device = add_totp(owner.user)
    client = Client()
    password_step(client, "ani")
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("web:login_verify"), {"token": wrong})
    assert response.status_code == 200
    assert "Kode ini salah" in response.content.decode()
    assert client.get(reverse("web:org_home", args=["kopi"])).status_code == 302


def test_malformed_code_gets_a_form_error(owner: Member) -> None:
    add_totp(owner.user)
    client = Client()
    password_step(client, "ani")
    response = client.post(reverse("web:login_verify"), {"token": "abc"})
    assert "Masukkan enam angka" in response.content.decode()


def test_verify_page_without_password_step_sends_back_to_login() -> None:
    response = Client().get(reverse("web:login_verify"))
    assert response["Location"] == reverse("web:login")


def test_recovery_code_signs_in_once(owner: Member) -> None:
    add_totp(owner.user)
    codes = services.generate_recovery_codes(actor=owner.user)
    client = Client()
    password_step(client, "ani")
    response = client.post(reverse("web:login_recovery"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("web:org_home", args=["kopi"])).status_code == 200

    again = Client()
    password_step(again, "ani")
    response = again.post(reverse("web:login_recovery"), {"code": codes[0]})
    assert "Kode pemulihan ini salah atau sudah pernah dipakai." in response.content.decode()


def test_member_with_publish_grant_must_enrol(speaker: Member, account_a: object) -> None:
    Grant.objects.create(
        organisation=speaker.organisation, account=account_a, permission=Permission.PUBLISH, member=speaker
    )
    client = Client()
    response = password_step(client, "budi")
    assert response["Location"] == reverse("web:twofactor_setup")
    page = client.get(reverse("web:twofactor_setup"))
    html = page.content.decode()
    assert "<svg" in html
    secret = re.search(r'data-testid="totp-secret"><code>([A-Z2-7 ]+)</code>', html)
    assert secret is not None
    device = TOTPDevice.objects.get(user=speaker.user, confirmed=False)
    response = client.post(reverse("web:twofactor_setup"), {"token": current_code(device)})
    assert response["Location"] == reverse("web:recovery_codes")
    codes_page = client.get(reverse("web:recovery_codes")).content.decode()
    assert codes_page.count("<li><code>") == 10
    # Shown once: the next visit no longer lists them.
    assert "<li><code>" not in client.get(reverse("web:recovery_codes")).content.decode()
    assert client.get(reverse("web:org_home", args=["kopi"])).status_code == 200


def test_signed_in_member_who_gets_a_grant_is_sent_to_enrolment(speaker: Member, account_a: object) -> None:
    client = Client()
    password_step(client, "budi")
    Grant.objects.create(
        organisation=speaker.organisation, account=account_a, permission=Permission.REPLY, member=speaker
    )
    response = client.get(reverse("web:org_home", args=["kopi"]))
    assert response["Location"] == reverse("web:twofactor_setup")


def test_lockout_after_repeated_failures_shows_translated_page(owner: Member) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = password_step(client, "ani", "salah-lagi-123")
    response = password_step(client, "ani", PASSWORD)
    assert response.status_code == 429
    assert "Masuk dikunci" in response.content.decode()


@override_settings(TRUSTED_PROXIES=1)
def test_a_lockout_behind_a_proxy_locks_the_attacker_not_every_visitor(owner: Member) -> None:
    attacker = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(attacker, "ani", "salah-lagi-123")
    assert password_step(attacker, "ani", PASSWORD).status_code == 429  # type: ignore[attr-defined]
    colleague = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert password_step(colleague, "ani", PASSWORD).status_code == 302  # type: ignore[attr-defined]


def test_expired_session_returns_to_login_with_message(viewer: Member) -> None:
    client = Client()
    password_step(client, "vino")
    client.session.flush()  # what the server does when a session times out
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie + "x"
    response = client.get(reverse("web:org_home", args=["kopi"]), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("web:login"))
    assert "Sesi Anda telah berakhir" in response.content.decode()


def test_expired_session_on_htmx_request_redirects_the_page(viewer: Member) -> None:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "gone"
    response = client.get(reverse("web:org_home", args=["kopi"]), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("web:login")


def test_logout_is_post_only(owner: Member, client_for: object) -> None:
    client = client_for(owner)  # type: ignore[operator]
    assert client.get(reverse("web:logout")).status_code == 405
    response = client.post(reverse("web:logout"), follow=True)
    assert "Anda telah keluar." in response.content.decode()
    assert client.get(reverse("web:org_home", args=["kopi"])).status_code == 302


def test_login_page_in_english_after_choosing_it() -> None:
    response = english_client().get(reverse("web:login"))
    assert "Sign in to Juru" in response.content.decode()
