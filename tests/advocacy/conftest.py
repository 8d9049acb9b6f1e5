"""The publishing cast (eligible people, a brand and a personal account) and the sandbox network."""

from collections.abc import Callable

import pytest
from django.test import Client

from juru.accounts.models import Member
from tests.publishing.conftest import cast, sandbox  # noqa: F401  (fixtures)
from tests.web.conftest import sign_in


@pytest.fixture
def client_for() -> Callable[[Member], Client]:
    """A signed-in client (second factor passed) for a member."""
    return lambda member: sign_in(Client(), member.user)
