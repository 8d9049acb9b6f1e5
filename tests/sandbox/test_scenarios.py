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


def test_spam_repeats_links_six_times_and_critic_is_negative_without_abuse(store):
    from juru.listening.classification import label_all

    spam = run(store, "tokoku", scenario="spam", seed=3)
    assert len(spam) == 6
    assert len({w.post.text for w in spam}) == 6  # again and again, in different words
    critics = [run(store, "tokoku", scenario="critic", seed=seed)[0].post for seed in range(6)]
    assert len({post.author for post in critics}) > 1
    labels = label_all([post.text for post in critics])
    assert all(label.sentiment == "negative" for label in labels)
    assert not any(label.abusive or label.hate for label in labels)


def test_the_background_stream_is_gentle_plausible_and_bounded(store, monkeypatch):
    import random

    from juru.connectors.sandbox.traffic import AUTHORS
    from juru.sandbox import scenarios

    rng = random.Random(4)
    runs = [scenarios.background(store, "tokoku", rng=rng) for _ in range(30)]
    assert all(len(items) <= scenarios.BACKGROUND_MAX_PER_RUN for items in runs)
    written = [item for items in runs for item in items]
    assert written
    abusers = {handle for handle, _name in AUTHORS["abuse"]} | {handle for handle, _name in AUTHORS["spam"]}
    assert not {item.post.author for item in written} & abusers
    monkeypatch.setattr(scenarios, "BACKGROUND_DAILY_CAP", len(written))
    assert [scenarios.background(store, "tokoku", rng=rng) for _ in range(10)] == [[]] * 10  # the day is full


def test_the_background_task_feeds_only_the_demo_accounts_and_can_be_switched_off(
    store, settings, tmp_path, db, monkeypatch
):
    from juru.accounts.services import brand_accounts, organisations
    from juru.ops import demo
    from juru.project.celery import app
    from juru.sandbox import scenarios, tasks

    settings.SANDBOX_PATH = store.path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.create()
    other = organisations.create_organisation(actor=None, name="Lain", slug="lain")
    brand_accounts.create_brand_account(actor=None, organisation=other, network="sandbox", handle="@tokoku")
    monkeypatch.setattr(scenarios, "BACKGROUND_MAX_PER_RUN", 2)
    assert app.conf.beat_schedule["sandbox-background-traffic"]["task"] == "sandbox.background_traffic"
    assert tasks.background_traffic() == 0  # off in tests
    settings.SANDBOX_BACKGROUND_TRAFFIC = True
    written = sum(tasks.background_traffic() for _ in range(5))
    assert written > 0
    assert store.received_since("tokoku", store.clock().replace(year=2000)) == 0
    demo_heard = sum(store.received_since(h, store.clock().replace(year=2000)) for h in tasks.demo_handles())
    assert demo_heard == written
    assert tasks.demo_handles() == ["@nusantararasa", "@nusantararasa_care"]


def test_a_new_demo_has_conversations_from_the_first_poll(store, settings, db):
    from juru.accounts.models import BrandAccount
    from juru.connectors import registry
    from juru.connectors.sandbox import SandboxConnector
    from juru.inbox.models import Conversation
    from juru.listening.services import ingest_account
    from juru.ops import demo
    from juru.sandbox import scenarios

    settings.SANDBOX_PATH = store.path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SANDBOX_BACKGROUND_TRAFFIC = True
    org = demo.create()
    before = Conversation.objects.filter(organisation=org).count()
    accounts = BrandAccount.objects.filter(organisation=org, handle__in=["@nusantararasa", "@nusantararasa_care"])
    with registry.substitute("sandbox", lambda **options: SandboxConnector(store=store)):
        for account in accounts:
            ingest_account(account)
    assert Conversation.objects.filter(organisation=org).count() - before == 2 * scenarios.FIRST_COMMENTS


def test_without_background_traffic_the_demo_starts_quiet(store, settings, db):
    from juru.ops import demo
    from juru.sandbox.tasks import demo_handles

    settings.SANDBOX_PATH = store.path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.create()  # the tests' settings switch the stream off
    assert sum(store.received_since(h, store.clock().replace(year=2000)) for h in demo_handles()) == 0
