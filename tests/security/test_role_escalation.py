"""Finding 3: no one raises their own role, and only an owner grants (or takes away) owner."""

from __future__ import annotations

import pytest
from django.urls import reverse

from juru.accounts import access, services
from juru.accounts.exceptions import RoleChangeNotAllowedError
from juru.accounts.models import Member, OrgAction, Organisation, Role
from juru.audit.models import AuditEvent
from tests.web.conftest import english_client, make_member, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(org_a: Organisation) -> Member:
    return make_member(org_a, "adi", Role.ADMIN)


def role_url(target: Member) -> str:
    return reverse("accounts:member_role", kwargs={"org_slug": target.organisation.slug, "member_id": target.public_id})


def test_admin_cannot_make_themself_owner_through_the_page(admin: Member, owner: Member) -> None:
    client = sign_in(english_client(), admin.user)
    response = client.post(role_url(admin), {"role": Role.OWNER}, follow=True)
    assert "You cannot raise your own role" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    assert not access.role_can(admin, OrgAction.OVERRIDE_BLOCK)
    assert not AuditEvent.objects.filter(action="member.change_role").exists()


def test_admin_cannot_grant_owner_to_someone_else(admin: Member, viewer: Member) -> None:
    with pytest.raises(RoleChangeNotAllowedError):
        services.change_role(actor=admin.user, member=viewer, role=Role.OWNER)
    viewer.refresh_from_db()
    assert viewer.role == Role.VIEWER


def test_admin_cannot_add_a_new_owner(admin: Member, org_a: Organisation) -> None:
    client = sign_in(english_client(), admin.user)
    form = {"username": "baru", "role": Role.OWNER, "email": "", "full_name": "Orang Baru"}
    response = client.post(reverse("accounts:member_add", kwargs={"org_slug": "kopi"}), form)
    assert "Only an owner can make someone an owner" in response.content.decode()
    assert not Member.objects.filter(user__username="baru").exists()


def test_admin_cannot_demote_an_owner(admin: Member, owner: Member) -> None:
    make_member(owner.organisation, "owner2", Role.OWNER)
    with pytest.raises(RoleChangeNotAllowedError):
        services.change_role(actor=admin.user, member=owner, role=Role.VIEWER)


def test_nobody_raises_their_own_role(org_a: Organisation) -> None:
    approver = make_member(org_a, "april", Role.APPROVER)
    with pytest.raises(RoleChangeNotAllowedError):
        services.change_role(actor=approver.user, member=approver, role=Role.ADMIN)


def test_owner_grants_owner_and_may_step_down(owner: Member, viewer: Member) -> None:
    services.change_role(actor=owner.user, member=viewer, role=Role.OWNER)
    services.change_role(actor=owner.user, member=owner, role=Role.ADMIN)
    owner.refresh_from_db()
    viewer.refresh_from_db()
    assert (owner.role, viewer.role) == (Role.ADMIN, Role.OWNER)


def test_admin_may_give_lower_roles(admin: Member, viewer: Member) -> None:
    services.change_role(actor=admin.user, member=viewer, role=Role.ADMIN)
    viewer.refresh_from_db()
    assert viewer.role == Role.ADMIN
