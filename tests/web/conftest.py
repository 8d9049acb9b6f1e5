"""Fixtures for the web UI: two organisations, people with roles, signed-in clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts.models import BrandAccount, Member, Organisation, Role, Team, TeamMembership

PASSWORD = "kata-sandi-yang-panjang-42"


def make_member(org: Organisation, username: str, role: str = Role.VIEWER) -> Member:
    """A user with the test password who is an active member of ``org``."""
    user = User.objects.filter(username=username).first() or User.objects.create_user(
        username=username, password=PASSWORD, first_name=username.capitalize()
    )
    return Member.objects.create(user=user, organisation=org, role=role)


def add_totp(user: User) -> TOTPDevice:
    """A confirmed authenticator for ``user``."""
    return TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The code the user's phone would show now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def english_client(**options: Any) -> Client:
    """A browser that chose English with the header's switcher (the language cookie)."""
    client = Client(**options)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sign_in(client: Client, user: User) -> Client:
    """Log ``client`` in as ``user`` with a verified second factor (as after the TOTP step)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or add_totp(user)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def org_a(db: Any) -> Organisation:
    return Organisation.objects.create(name="PT Kopi Nusantara", slug="kopi")


@pytest.fixture
def org_b(db: Any) -> Organisation:
    return Organisation.objects.create(name="Bank Sejahtera", slug="bank")


@pytest.fixture
def owner(org_a: Organisation) -> Member:
    return make_member(org_a, "ani", Role.OWNER)


@pytest.fixture
def viewer(org_a: Organisation) -> Member:
    return make_member(org_a, "vino", Role.VIEWER)


@pytest.fixture
def speaker(org_a: Organisation) -> Member:
    return make_member(org_a, "budi", Role.SPOKESPERSON)


@pytest.fixture
def outsider(org_b: Organisation) -> Member:
    return make_member(org_b, "citra", Role.OWNER)


@pytest.fixture
def account_a(org_a: Organisation) -> BrandAccount:
    return BrandAccount.objects.create(
        organisation=org_a, network="sandbox", handle="@kopinusantara", display_name="Kopi"
    )


@pytest.fixture
def account_b(org_b: Organisation) -> BrandAccount:
    return BrandAccount.objects.create(organisation=org_b, network="sandbox", handle="@banksejahtera")


@pytest.fixture
def team_a(org_a: Organisation, speaker: Member) -> Team:
    team = Team.objects.create(organisation=org_a, name="Humas", kind="pr")
    TeamMembership.objects.create(team=team, member=speaker)
    return team


@pytest.fixture
def team_b(org_b: Organisation) -> Team:
    return Team.objects.create(organisation=org_b, name="Legal", kind="legal")


@pytest.fixture
def client_for() -> Callable[[Member], Client]:
    """A signed-in client for a member's user."""

    def build(member: Member) -> Client:
        return sign_in(Client(), member.user)

    return build


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Argon2 is right for production and needlessly slow for tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
