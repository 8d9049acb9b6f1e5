"""Networks are found through the ``juru.connectors`` entry-point group, built-ins included."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from juru.connectors import registry
from juru.connectors.base import Connector
from juru.connectors.errors import UnknownNetworkError
from juru.connectors.sandbox import SandboxConnector


def test_builtin_networks_are_registered():
    assert {"sandbox", "bluesky"} <= set(registry.networks())


@pytest.mark.parametrize("network", registry.networks())
def test_every_registered_connector_loads_and_declares_its_capabilities(network):
    caps = registry.capabilities(network)
    assert caps.network == network
    assert caps.max_length > 0
    assert caps.measure("halo") > 0
    cls = registry.connector_class(network)
    for method in ("publish", "lookup", "delete", "fetch_mentions"):
        assert callable(getattr(cls, method)), f"{network} lacks {method}"


def test_get_connector_passes_options(tmp_path):
    connector = registry.get_connector("Sandbox", path=tmp_path / "s.sqlite3")
    assert isinstance(connector, SandboxConnector)
    assert isinstance(connector, Connector)
    assert connector.store.path == tmp_path / "s.sqlite3"


def test_unknown_network_is_a_clear_error():
    with pytest.raises(UnknownNetworkError, match="no connector for network 'myspace'"):
        registry.get_connector("myspace")


def test_a_plugin_adds_a_network_but_cannot_replace_a_builtin(monkeypatch):
    plugin = EntryPoint(name="fakenet", value="juru.connectors.sandbox:SandboxConnector", group=registry.GROUP)
    hijack = EntryPoint(name="bluesky", value="evil_plugin:Connector", group=registry.GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [plugin, hijack])
    registry.reset()
    try:
        assert "fakenet" in registry.networks()
        assert registry.connector_class("bluesky").__name__ == "BlueskyConnector"
        assert registry.conflicts() == [
            ("bluesky", "juru.connectors.bluesky:BlueskyConnector", "evil_plugin:Connector")
        ]
    finally:
        monkeypatch.undo()
        registry.reset()


def test_substitute_serves_a_network_only_inside_the_block(tmp_path):
    real = registry.get_connector("sandbox", path=tmp_path / "real.sqlite3")
    spy = object()
    with registry.substitute("sandbox", lambda **options: spy):
        assert registry.get_connector("sandbox") is spy
        assert registry.capabilities("sandbox") is real.capabilities  # capabilities stay the registered class's
    assert isinstance(registry.get_connector("sandbox", path=tmp_path / "s.sqlite3"), SandboxConnector)


def test_a_substitute_may_build_the_real_connector_through_the_registry(tmp_path):
    built = []

    def on_test_server(**options):
        connector = registry.get_connector("sandbox", path=tmp_path / "t.sqlite3")
        built.append(connector)
        return connector

    with registry.substitute("sandbox", on_test_server):
        assert isinstance(registry.get_connector("sandbox"), SandboxConnector)
    assert len(built) == 1


def test_every_network_declares_how_it_is_connected():
    from juru.connectors.connecting import Connectable, Kind

    for network in registry.networks():
        cls = registry.connector_class(network)
        assert cls.setup.kind in (Kind.NONE, Kind.FORM, Kind.OAUTH), network
        assert isinstance(cls(), Connectable), network
        assert cls.capabilities.oauth == (cls.setup.kind is Kind.OAUTH), network
