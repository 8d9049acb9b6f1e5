"""Which connector serves which network: built-ins and plugins, both as ``juru.connectors`` entry points.

A plugin package declares, in its ``pyproject.toml``::

    [project.entry-points."juru.connectors"]
    mastodon = "juru_mastodon:MastodonConnector"

The entry point's name is the network id (lowercase) and its object a connector class (or factory)
that takes keyword options. Juru's own networks are declared exactly that way, in Juru's
``pyproject.toml`` and (for installs whose metadata predates them) in ``BUILTIN`` below.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Any, cast

from juru.connectors.base import Capabilities, Connector
from juru.connectors.errors import UnknownNetworkError

GROUP = "juru.connectors"

BUILTIN: tuple[EntryPoint, ...] = (
    EntryPoint(name="sandbox", value="juru.connectors.sandbox:SandboxConnector", group=GROUP),
    EntryPoint(name="bluesky", value="juru.connectors.bluesky:BlueskyConnector", group=GROUP),
    EntryPoint(name="mastodon", value="juru.connectors.mastodon:MastodonConnector", group=GROUP),
    EntryPoint(name="telegram", value="juru.connectors.telegram:TelegramConnector", group=GROUP),
    EntryPoint(name="x", value="juru.connectors.x:XConnector", group=GROUP),
    EntryPoint(name="facebook", value="juru.connectors.facebook:FacebookPageConnector", group=GROUP),
    EntryPoint(name="instagram", value="juru.connectors.facebook:InstagramConnector", group=GROUP),
    EntryPoint(name="youtube", value="juru.connectors.youtube:YouTubeConnector", group=GROUP),
)

ConnectorFactory = Callable[..., Connector]

# Connectors put in front of a network for the length of a ``substitute`` block (tests, benchmarks).
_SUBSTITUTES: dict[str, ConnectorFactory] = {}
_LOCAL = threading.local()


def _merge(builtin: Iterable[EntryPoint], discovered: Iterable[EntryPoint]) -> dict[str, EntryPoint]:
    """Built-ins first; a plugin may add networks but never silently replace one."""
    merged: dict[str, EntryPoint] = {}
    for entry in (*builtin, *discovered):
        name = entry.name.strip().lower()
        if name in merged and merged[name].value != entry.value:
            continue  # the first registration wins; the conflict is reported by `conflicts()`
        merged[name] = entry
    return merged


@cache
def _entries() -> dict[str, EntryPoint]:
    return _merge(BUILTIN, entry_points(group=GROUP))


def conflicts() -> list[tuple[str, str, str]]:
    """Networks that two packages both claim: (network, kept, ignored)."""
    kept = _entries()
    return [
        (entry.name, kept[entry.name].value, entry.value)
        for entry in entry_points(group=GROUP)
        if entry.name in kept and kept[entry.name].value != entry.value
    ]


def networks() -> list[str]:
    """Ids of every network a connector is registered for, sorted."""
    return sorted(_entries())


def posting_networks() -> list[str]:
    """Networks that take posts of their own; the others (YouTube) only answer comments."""
    return [network for network in networks() if capabilities(network).posts]


def connector_class(network: str) -> ConnectorFactory:
    """The connector class (or factory) registered for ``network``."""
    entry = _entries().get(network.strip().lower())
    if entry is None:
        known = ", ".join(networks())
        raise UnknownNetworkError(f"no connector for network {network!r} (known: {known})")
    return cast(ConnectorFactory, entry.load())


def capabilities(network: str) -> Capabilities:
    """What ``network`` supports, without connecting to it."""
    return cast(Capabilities, cast(Any, connector_class(network)).capabilities)


def get_connector(network: str, **options: Any) -> Connector:
    """A ready connector for ``network``; ``options`` go to its constructor (base_url, client, path, ...)."""
    name = network.strip().lower()
    substitute = _SUBSTITUTES.get(name)
    building = _building()
    if substitute is None or name in building:
        return connector_class(network)(**options)
    building.add(name)  # a substitute may build the real connector (on a test server) through this function
    try:
        return substitute(**options)
    finally:
        building.discard(name)


def _building() -> set[str]:
    """Networks whose substitute is running in this thread."""
    if not hasattr(_LOCAL, "building"):
        _LOCAL.building = set()
    return cast(set[str], _LOCAL.building)


@contextmanager
def substitute(network: str, factory: ConnectorFactory) -> Iterator[None]:
    """Inside the block, ``get_connector(network, **options)`` returns ``factory(**options)``.

    The test hook of the one registry: a fake, faulty or spying connector for a network, removed
    again when the block ends (whatever happens in it). Capabilities stay the registered class's.
    """
    name = network.strip().lower()
    previous = _SUBSTITUTES.get(name)
    _SUBSTITUTES[name] = factory
    try:
        yield
    finally:
        if previous is None:
            _SUBSTITUTES.pop(name, None)
        else:
            _SUBSTITUTES[name] = previous


def reset() -> None:
    """Forget discovered entry points (after installing a plugin in a running process, and in tests)."""
    _entries.cache_clear()
