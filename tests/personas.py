"""Personas (fixtures): two organisations, members in several roles, one brand account each."""

from __future__ import annotations

from typing import Any

import pytest

from juru.accounts.models import BrandAccount, Member, Organisation, Role
from tests import factories


@pytest.fixture
def org(db: None) -> Organisation:
    return factories.make_org("nusantara", "Nusantara")


@pytest.fixture
def other_org(db: None) -> Organisation:
    return factories.make_org("saingan", "Saingan")


@pytest.fixture
def owner(org: Organisation) -> Member:
    return factories.make_member(org, "olivia", Role.OWNER)


@pytest.fixture
def admin_member(org: Organisation) -> Member:
    return factories.make_member(org, "adi", Role.ADMIN)


@pytest.fixture
def spokesperson(org: Organisation) -> Member:
    return factories.make_member(org, "sari", Role.SPOKESPERSON)


@pytest.fixture
def viewer(org: Organisation) -> Member:
    return factories.make_member(org, "vino", Role.VIEWER)


@pytest.fixture
def outsider(other_org: Organisation) -> Member:
    return factories.make_member(other_org, "oscar", Role.OWNER)


@pytest.fixture
def account(org: Organisation) -> BrandAccount:
    return factories.make_account(org, "@nusantara")


@pytest.fixture
def other_account(other_org: Organisation) -> BrandAccount:
    return factories.make_account(other_org, "@saingan")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that create many users use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
