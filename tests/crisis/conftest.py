"""Crisis fixtures: the listening cast (owner and crisis team with e-mail), a sandbox, eager tasks, a fast scanner."""

from __future__ import annotations

from typing import Any

import pytest

from juru.crisis import tasks
from tests.listening.conftest import brand_query, cast, eager  # noqa: F401 (fixtures re-exported)
from tests.publishing.conftest import fake_scanner, sandbox  # noqa: F401 (fixtures re-exported)


@pytest.fixture(autouse=True)
def _fast_scanner(fake_scanner: None) -> None:  # noqa: F811
    """Drafts are checked by the marker scanner: crisis mode is about routing, not detection."""


@pytest.fixture
def announce(monkeypatch: pytest.MonkeyPatch) -> None:
    """The declaration's e-mail task runs in the test process when it is sent."""
    monkeypatch.setattr(tasks.announce_crisis, "delay", tasks.announce_crisis)


@pytest.fixture
def registered(sandbox: Any, cast: Any) -> Any:  # noqa: F811
    """The brand account exists on the sandbox network."""
    sandbox.register(cast.brand.handle, "Acme")
    return sandbox
