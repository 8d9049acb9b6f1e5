"""The web fixtures (two organisations, people, signed-in clients) for the security tests."""

from tests.web.conftest import (  # noqa: F401  # fixtures are found by name
    account_a,
    client_for,
    fast_passwords,
    org_a,
    org_b,
    outsider,
    owner,
    speaker,
    viewer,
)
