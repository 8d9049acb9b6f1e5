"""``juru sandbox traffic`` scenarios: who writes what, how often, and clear errors for bad options."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from juru.connectors.sandbox import SandboxStore
from juru.sandbox.scenarios import run


@pytest.fixture
def store(tmp_path: Any) -> SandboxStore:
    network = SandboxStore(tmp_path / "sandbox.sqlite3")
    network.register("tokoku", "Tokoku")
    network.publish("tokoku", "Promo akhir pekan!")
    return network


def test_keracunan_is_a_wave_from_many_people_naming_the_brand(store):
    written = run(store, "tokoku", scenario="keracunan", seed=1)
    assert len(written) == 40
    assert len({w.post.author for w in written}) >= 10
    assert all("Tokoku" in w.post.text for w in written)
    assert sum("keracunan" in w.post.text or "poisoning" in w.post.text for w in written) >= 10


def test_spam_is_one_author_with_links_and_critic_is_one_customer_once(store):
    spam = run(store, "tokoku", scenario="spam", seed=1)
    assert {w.post.author for w in spam} == {"promo_gacor88"}
    assert all("https://" in w.post.text for w in spam)
    critic = run(store, "tokoku", scenario="critic")
    assert len(critic) == 1


def test_a_blocked_author_falls_silent(store):
    store.block("tokoku", "promo_gacor88")
    assert run(store, "tokoku", scenario="spam") == []


def test_items_are_spread_over_the_minutes_asked_for(store):
    pauses: list[float] = []
    run(store, "tokoku", scenario="keracunan", count=5, minutes=2, sleep=pauses.append)
    assert pauses == [24.0] * 4


def test_bad_options_are_refused_clearly(store, tmp_path, monkeypatch, db):
    monkeypatch.setenv("JURU_DATA_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="unknown scenario"):
        run(store, "tokoku", scenario="riot")
    with pytest.raises(CommandError, match="--rate"):
        call_command("sandbox", "traffic", "--account", "tokoku", "--rate", "5")
    with pytest.raises(CommandError, match="invalid handle"):
        call_command("sandbox", "traffic", "--account", "bad handle!")
    with pytest.raises(CommandError, match="no sandbox brand account"):
        call_command("sandbox", "traffic")
