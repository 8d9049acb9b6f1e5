"""Every network × every fault, through the real connectors and the real workflow: never twice, never lost.

Each case schedules one post on a local server that speaks the network's documented API, injects
one fault into its first publish request, then runs sweeps (and the stale-attempt reconciliation)
until the post settles. It must end published exactly once, or with a person ("needs a human"),
and the network must never hold two copies. The same module runs on PostgreSQL in the second pass.
"""

from __future__ import annotations

from typing import Any

import pytest

from juru.connectors import registry
from juru.publishing.models import PostState
from tests.publishing.conftest import Cast
from tests.publishing.fault_networks import (
    FAULTS,
    NETWORKS,
    account_on,
    crash_mid_call,
    run_until_settled,
    scheduled_post,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_scanner")]


@pytest.fixture
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_published_once_or_handed_to_a_person(
    cast: Cast, tmp_path: Any, media_root: None, name: str, fault: str
) -> None:
    text = f"Menu baru minggu ini ({name}, {fault})"
    with NETWORKS[name](tmp_path) as network, registry.substitute(network.name, lambda **o: network.connector()):
        post = scheduled_post(cast, network, text, account_on(cast, network))
        if fault == "killed":
            crash_mid_call(post)
        else:
            network.inject(fault)
        post = run_until_settled(post)
        copies = network.held(text)
    assert copies <= 1, f"{name}/{fault}: {copies} copies on the network"
    assert post.state in (PostState.PUBLISHED, PostState.NEEDS_HUMAN), f"{name}/{fault}: {post.state} {post.reason}"
    if post.state == PostState.PUBLISHED:
        assert copies == 1, f"{name}/{fault}: recorded as published but not on the network"
    if fault == "401":
        assert post.state == PostState.NEEDS_HUMAN
        assert copies == 0
