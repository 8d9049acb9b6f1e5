"""Who is viewing and who is typing on a conversation, in Django's cache.

With Redis configured (``JURU_CACHE_URL``) every web process shares one store; otherwise the cache
is local memory, which is right for the single-process default. Each member has their own keys
(no read-modify-write of a shared entry, so two heartbeats never overwrite each other); a roster
per conversation lists who ever joined, so readers know which keys to fetch.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache

from juru.accounts.models import Member

VIEWING_TTL = 5  # seconds without a heartbeat before someone no longer counts as viewing
TYPING_WINDOW = 3.0  # seconds after the last keystroke someone still counts as typing
HISTORY_TTL = 3600  # how long "typed at" is kept for the send warning
MAX_KEY = 200


@dataclass(frozen=True)
class Presence:
    """Another member on the conversation right now."""

    member_id: int
    name: str
    typing: bool


def _base(organisation_id: int, thread_key: str) -> str:
    # Hashed: a conversation name may hold any character, a cache key may not (memcached rules).
    digest = hashlib.sha256(thread_key[:MAX_KEY].encode()).hexdigest()[:32]
    return f"juru:presence:{organisation_id}:{digest}"


def _live_key(base: str, member_id: int) -> str:
    return f"{base}:live:{member_id}"


def _typed_key(base: str, member_id: int) -> str:
    return f"{base}:typed:{member_id}"


def heartbeat(member: Member, thread_key: str, *, typing: bool, now: float | None = None) -> None:
    """Record that ``member`` is viewing (and maybe typing on) the conversation."""
    now = time.time() if now is None else now
    base = _base(member.organisation_id, thread_key)
    roster: list[int] = cache.get(f"{base}:roster") or []
    if member.pk not in roster:
        cache.set(f"{base}:roster", [*roster, member.pk], HISTORY_TTL)
    live = cache.get(_live_key(base, member.pk)) or {}
    typed_at = now if typing else live.get("typed_at", 0.0)
    cache.set(_live_key(base, member.pk), {"name": member.display_name, "typed_at": typed_at}, VIEWING_TTL)
    if typing:
        cache.set(_typed_key(base, member.pk), {"name": member.display_name, "at": now}, HISTORY_TTL)


def leave(member: Member, thread_key: str) -> None:
    """The member closed the conversation (their typing history stays for the send warning)."""
    cache.delete(_live_key(_base(member.organisation_id, thread_key), member.pk))


def others(member: Member, thread_key: str, *, now: float | None = None) -> list[Presence]:
    """Everyone else viewing the conversation now, typing or not, by name."""
    now = time.time() if now is None else now
    base = _base(member.organisation_id, thread_key)
    ids = [pk for pk in cache.get(f"{base}:roster") or [] if pk != member.pk]
    found = cache.get_many([_live_key(base, pk) for pk in ids])
    people = []
    for pk in ids:
        live = found.get(_live_key(base, pk))
        if live:
            people.append(Presence(pk, live["name"], now - float(live["typed_at"]) <= TYPING_WINDOW))
    return sorted(people, key=lambda p: p.name)


def typed_since(member: Member, thread_key: str, since: float) -> list[str]:
    """Names of the others who typed on the conversation at or after ``since`` (a Unix time)."""
    base = _base(member.organisation_id, thread_key)
    ids = [pk for pk in cache.get(f"{base}:roster") or [] if pk != member.pk]
    found = cache.get_many([_typed_key(base, pk) for pk in ids])
    return sorted(entry["name"] for entry in found.values() if float(entry["at"]) >= since)
