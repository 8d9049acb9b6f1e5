"""Presence: who is viewing and typing on a conversation, in the cache (local memory and Redis)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.cache import caches
from django.test import override_settings

from juru.accounts.models import Member
from juru.replies import presence

pytestmark = pytest.mark.django_db


def test_others_see_who_is_viewing_and_who_is_typing(responder: Member, second_responder: Member) -> None:
    presence.heartbeat(responder, "t1", typing=False)
    presence.heartbeat(second_responder, "t1", typing=True)
    assert presence.others(responder, "t1") == [presence.Presence(second_responder.pk, "Dodi", typing=True)]
    assert presence.others(second_responder, "t1") == [presence.Presence(responder.pk, "Rani", typing=False)]
    assert presence.others(responder, "t2") == []


def test_typing_fades_after_the_window_and_viewing_after_the_heartbeats_stop(
    responder: Member, second_responder: Member
) -> None:
    start = time.time()
    presence.heartbeat(second_responder, "t1", typing=True, now=start)
    later = start + presence.TYPING_WINDOW + 1
    assert presence.others(responder, "t1", now=later)[0].typing is False
    presence.leave(second_responder, "t1")
    assert presence.others(responder, "t1") == []
    assert presence.typed_since(responder, "t1", start - 1) == ["Dodi"]  # remembered for the send warning
    assert presence.typed_since(responder, "t1", start + 1) == []


def test_presence_is_shared_across_processes_through_redis(
    redis_url: str, responder: Member, second_responder: Member
) -> None:
    redis_cache: dict[str, Any] = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    with override_settings(CACHES=redis_cache):
        caches["default"].clear()
        presence.heartbeat(second_responder, "shared", typing=True)
        import redis

        raw = redis.Redis.from_url(redis_url)
        assert any(b"presence" in key for key in raw.keys("*"))  # in Redis, not in this process's memory
        assert presence.others(responder, "shared")[0].typing is True
        caches["default"].clear()
