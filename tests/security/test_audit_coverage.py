"""Finding 2: every audited write is audited whatever the door; sign-in events reach the member's auditors."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from juru.accounts.models import Member, Organisation
from juru.audit.models import AuditEvent
from juru.audit.queries import events_for_organisation
from tests.web.conftest import PASSWORD, add_totp, current_code, sign_in

pytestmark = pytest.mark.django_db


def actions_seen_by(org: Organisation) -> list[str]:
    return list(events_for_organisation(org).values_list("action", flat=True))


def test_failed_password_of_a_member_is_seen_by_their_organisation(owner: Member, org_b: Organisation) -> None:
    Client().post(reverse("web:login"), {"username": owner.user.username, "password": "wrong-password-1"})
    event = events_for_organisation(owner.organisation, action_prefix="auth.login_failed").get()
    assert event.after is not None
    assert event.after["username"] == owner.user.username
    assert "wrong-password-1" not in str(event.after)
    assert "auth.login_failed" not in actions_seen_by(org_b)


def test_failed_password_of_an_unknown_name_belongs_to_no_organisation(owner: Member) -> None:
    Client().post(reverse("web:login"), {"username": "nobody-here", "password": "wrong-password-1"})
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.organisation is None
    assert event.actor_label == "anonymous:nobody-here"


def test_wrong_and_throttled_codes_are_audited(owner: Member) -> None:
    device = add_totp(owner.user)
    client = Client()
    client.post(reverse("web:login"), {"username": owner.user.username, "password": PASSWORD})
    wrong = "000000" if current_code(device) != "000000" else "111111"
    client.post(reverse("web:login_verify"), {"token": wrong})
    client.post(reverse("web:login_verify"), {"token": wrong})  # inside django-otp's back-off
    actions = actions_seen_by(owner.organisation)
    assert "auth.second_factor_failed" in actions
    assert "auth.second_factor_throttled" in actions
    assert "auth.login" not in actions


def test_wrong_recovery_code_is_audited(owner: Member) -> None:
    add_totp(owner.user)
    client = Client()
    client.post(reverse("web:login"), {"username": owner.user.username, "password": PASSWORD})
    client.post(reverse("web:login_recovery"), {"code": "aaaa-bbbb-cccc"})
    event = events_for_organisation(owner.organisation, action_prefix="auth.second_factor_failed").get()
    assert event.after is not None
    assert event.after["method"] == "recovery"


def test_sign_in_and_sign_out_are_seen_by_each_organisation_of_the_member(owner: Member, org_b: Organisation) -> None:
    Member.objects.create(user=owner.user, organisation=org_b, role="viewer")
    client = sign_in(Client(), owner.user)
    client.post(reverse("web:logout"))
    for org in (owner.organisation, org_b):
        assert {"auth.login", "auth.logout"} <= set(actions_seen_by(org))


def test_second_factor_changes_are_seen_by_the_members_organisation(owner: Member) -> None:
    from juru.accounts import services

    services.generate_recovery_codes(actor=owner.user)
    assert "2fa.recovery_codes" in actions_seen_by(owner.organisation)


def test_no_admin_screen_can_write() -> None:
    request = RequestFactory().get("/admin/")
    assert admin.site._registry, "the admin registers the models it shows"
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
        assert not model_admin.get_actions(request), label
