"""Shared personas (tests/personas.py)."""

from tests.personas import (  # noqa: F401  (fixtures)
    account,
    admin_member,
    fast_password_hashing,
    org,
    other_account,
    other_org,
    outsider,
    owner,
    spokesperson,
    viewer,
)
