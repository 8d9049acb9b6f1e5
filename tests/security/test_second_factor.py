"""Finding 1: no door around the second factor (the admin, a half-finished sign-in, managing roles)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from juru.accounts.models import ApiToken, Member, Organisation, Role
from tests.web.conftest import PASSWORD, add_totp, current_code, make_member, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(org_a: Organisation) -> User:
    user = User.objects.create_superuser(username="root", password=PASSWORD, email="root@example.test")
    Member.objects.create(user=user, organisation=org_a, role=Role.ADMIN)
    add_totp(user)
    return user


def signed_in_by_password_only(user: User) -> Client:
    """A session opened without the second factor (what the admin's own login form used to give)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_admin_is_off_by_default(superuser: User) -> None:
    client = Client()
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 404
    assert "_auth_user_id" not in client.session
    assert sign_in(Client(), superuser).get("/admin/").status_code == 404


def test_admin_login_form_sends_to_the_product_sign_in(settings: Any, superuser: User) -> None:
    settings.ADMIN_ENABLED = True
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
    assert "_auth_user_id" not in client.session


def test_password_alone_never_opens_the_admin_or_the_product(settings: Any, superuser: User, owner: Member) -> None:
    settings.ADMIN_ENABLED = True
    client = signed_in_by_password_only(superuser)
    assert client.get("/admin/").status_code == 302  # to the sign-in, not the index
    product = client.get(reverse("web:org_home", kwargs={"org_slug": "kopi"}))
    assert product.status_code == 302
    assert product["Location"].startswith(reverse("web:login"))
    assert "_auth_user_id" not in client.session  # the half-open session was ended
    created = client.post(reverse("accounts:token_create", kwargs={"org_slug": "kopi"}), {"name": "x"})
    assert created.status_code == 302
    assert not ApiToken.objects.exists()


def test_verified_superuser_may_look_but_not_change(settings: Any, superuser: User, viewer: Member) -> None:
    settings.ADMIN_ENABLED = True
    client = sign_in(Client(), superuser)
    assert client.get("/admin/").status_code == 200
    change_url = reverse("admin:accounts_member_change", args=[viewer.pk])
    assert client.get(change_url).status_code == 200
    form = {"role": Role.OWNER, "user": viewer.user_id, "organisation": viewer.organisation_id}
    response = client.post(change_url, form)
    assert response.status_code == 403
    viewer.refresh_from_db()
    assert viewer.role == Role.VIEWER
    password_url = reverse("admin:auth_user_password_change", args=[viewer.user_id])
    response = client.post(password_url, {"password1": "x-new-password-1", "password2": "x-new-password-1"})
    assert response.status_code == 403
    assert client.get(reverse("admin:accounts_member_add")).status_code == 403


def test_admin_refuses_a_verified_member_who_is_not_a_superuser(settings: Any, owner: Member) -> None:
    settings.ADMIN_ENABLED = True
    assert sign_in(Client(), owner.user).get("/admin/").status_code == 302


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_managing_roles_must_enrol_before_using_the_product(org_a: Organisation, role: str) -> None:
    member = make_member(org_a, f"m-{role}", role)
    client = Client()
    response = client.post(reverse("web:login"), {"username": member.user.username, "password": PASSWORD})
    assert response["Location"] == reverse("web:twofactor_setup")
    page = client.get(reverse("accounts:member_list", kwargs={"org_slug": "kopi"}))
    assert page.status_code == 302  # no product page before the authenticator is confirmed
    assert page["Location"].startswith((reverse("web:login"), reverse("web:twofactor_setup")))


def test_a_viewer_without_grants_needs_no_second_factor(viewer: Member) -> None:
    client = Client()
    client.post(reverse("web:login"), {"username": viewer.user.username, "password": PASSWORD})
    assert client.get(reverse("web:org_home", kwargs={"org_slug": "kopi"})).status_code == 200


def test_owner_with_an_authenticator_signs_in_with_the_code(owner: Member) -> None:
    device = add_totp(owner.user)
    client = Client()
    response = client.post(reverse("web:login"), {"username": owner.user.username, "password": PASSWORD})
    assert response["Location"] == reverse("web:login_verify")
    response = client.post(reverse("web:login_verify"), {"token": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:member_list", kwargs={"org_slug": "kopi"})).status_code == 200
