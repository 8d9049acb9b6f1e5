"""Ingestion end to end on the sandbox network: traffic in, mentions stored once, one alert per burst, delivered."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from standardwebhooks.webhooks import Webhook

from juru.audit.models import AuditEvent
from juru.connectors.base import Mention as Incoming
from juru.listening import services, tasks
from juru.listening.models import Alert, Mention, PollCursor
from juru.sandbox.scenarios import run as traffic
from tests.listening.conftest import register

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data_dir(sandbox: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``juru sandbox traffic`` writes to the same sandbox file the connector reads."""
    monkeypatch.setenv("JURU_DATA_DIR", str(tmp_path))
    return sandbox


def test_keracunan_traffic_becomes_mentions_and_exactly_one_negative_alert(cast, brand_query, data_dir, eager, capsys):
    register(data_dir, cast)
    call_command("sandbox", "traffic", "--scenario", "keracunan", "--account", cast.brand.handle, "--seed", "7")
    assert "40 of 40 items written" in capsys.readouterr().out
    tasks.poll_accounts()
    stored = Mention.objects.filter(account=cast.brand)
    assert stored.count() == 40
    assert stored.filter(sentiment="negative").count() >= 30
    assert brand_query.mentions.count() == 40
    alert = Alert.objects.get(organisation=cast.org)
    assert alert.query == brand_query
    assert alert.sentiment == "negative"
    assert 1 <= alert.severity <= 10
    assert alert.observed >= 5
    assert alert.examples
    assert "keracunan" in alert.top_terms or "sakit" in alert.top_terms
    assert AuditEvent.objects.filter(action="listening.alert_opened").count() == 1
    from juru.listening.notify import alert_message

    subjects = {alert_message(alert, language)[0] for language in ("id", "en")}
    alert_mails = [message for message in mail.outbox if message.subject in subjects]  # not the demo's other mail
    assert sorted(address for message in alert_mails for address in message.to) == [
        "acme-crisis_lead@acme.example",
        "acme-owner@acme.example",
        "acme-pr2@acme.example",
    ]  # one message each: recipients never see each other's addresses
    assert all("Acme" in message.subject for message in mail.outbox)


def test_polling_again_stores_nothing_twice(cast, brand_query, sandbox, eager):
    register(sandbox, cast)
    traffic(sandbox, cast.brand.handle, scenario="normal", count=15, seed=3)
    first = services.ingest_account(cast.brand)
    again = services.ingest_account(cast.brand)
    assert (first.fetched, first.stored) == (15, 15)
    assert (again.fetched, again.stored) == (0, 0)
    cursor = PollCursor.objects.get(account=cast.brand)
    cursor.cursor = ""  # a lost cursor reads everything again: the network ids keep it from counting twice
    cursor.save()
    replay = services.ingest_account(cast.brand)
    assert (replay.fetched, replay.stored) == (15, 0)
    assert Mention.objects.filter(account=cast.brand).count() == 15


def test_duplicate_deliveries_in_one_batch_are_stored_once(cast, brand_query):
    item = Incoming("x1", "budi", "Acme mantap", datetime.now(UTC))
    result = services.store_mentions(cast.org, cast.brand, [item, item, item])
    assert result.stored == 1
    assert services.store_mentions(cast.org, cast.brand, [item]).stored == 0


def test_an_outage_keeps_the_cursor_and_loses_nothing(cast, brand_query, sandbox, eager):
    register(sandbox, cast)
    traffic(sandbox, cast.brand.handle, scenario="normal", count=5, seed=1)
    services.ingest_account(cast.brand)
    cursor = PollCursor.objects.get(account=cast.brand).cursor
    traffic(sandbox, cast.brand.handle, scenario="normal", count=4, seed=2)
    sandbox.inject_fault("server_error", operation="fetch")
    failed = services.ingest_account(cast.brand)
    assert failed.error
    assert PollCursor.objects.get(account=cast.brand).cursor == cursor
    assert PollCursor.objects.get(account=cast.brand).error
    recovered = services.ingest_account(cast.brand)
    assert recovered.stored == 4
    assert Mention.objects.filter(account=cast.brand).count() == 9
    assert PollCursor.objects.get(account=cast.brand).error == ""


def test_emoji_only_and_very_long_mentions_are_stored(cast, brand_query):
    now = datetime.now(UTC)
    items = [Incoming("e1", "a", "😡😡😡", now), Incoming("e2", "b", "acme " + "sangat kecewa " * 800, now)]
    assert services.store_mentions(cast.org, cast.brand, items).stored == 2
    long = Mention.objects.get(remote_id="e2")
    assert len(long.text) > 10_000
    assert long.queries.filter(pk=brand_query.pk).exists()


def test_a_burst_split_over_polls_stays_one_alert_that_updates(cast, brand_query, eager):
    start = datetime.now(UTC) - timedelta(minutes=30)
    wave = [
        Incoming(
            f"k{i}",
            f"user{i}",
            "Sekeluarga keracunan dan sakit perut setelah makan nasi kotak Acme",
            start + timedelta(seconds=15 * i),
        )
        for i in range(60)
    ]
    services.store_mentions(cast.org, cast.brand, wave[:20])
    services.store_mentions(cast.org, cast.brand, wave[20:])
    alert = Alert.objects.get(organisation=cast.org)
    assert alert.updates >= 1
    assert alert.observed > 20
    assert len(mail.outbox) == 3  # the opening only, once per recipient; updates go to the webhook


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["content-length"]))
        _Receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[str]:
    _Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/juru"
    server.shutdown()


def test_alerts_reach_the_webhook_signed_with_the_standard_webhooks_scheme(
    cast, brand_query, eager, receiver, settings
):
    settings.LISTENING_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # the test receiver, allowed explicitly
    config = services.update_alert_settings(
        actor=None, organisation=cast.org, email_enabled=False, webhook_url=receiver
    )
    assert config.webhook_secret.startswith("whsec_")
    start = datetime.now(UTC) - timedelta(minutes=10)
    wave = [
        Incoming(f"w{i}", f"u{i}", "Acme bikin keracunan, basi!", start + timedelta(seconds=10 * i)) for i in range(12)
    ]
    services.store_mentions(cast.org, cast.brand, wave)
    assert _Receiver.received
    headers, body = _Receiver.received[0]
    verified = Webhook(config.webhook_secret).verify(body, headers)
    assert verified["type"] == "alert.opened"
    assert verified["data"]["sentiment"] == "negative"
    assert verified["data"]["observed"] >= 5
    assert mail.outbox == []
    forged = dict(headers, **{"webhook-signature": "v1,AAAA"})
    with pytest.raises(Exception):  # noqa: B017,PT011 (the library raises its own verification error)
        Webhook(config.webhook_secret).verify(body, forged)


def test_bad_query_input_gets_a_clear_error(cast):
    from juru.listening.exceptions import ListeningError

    with pytest.raises(ListeningError, match="setidaknya satu kata"):
        services.create_query(actor=None, organisation=cast.org, name="Kosong", kind="brand", terms="  \n ")
    with pytest.raises(ListeningError, match="Beri nama"):
        services.create_query(actor=None, organisation=cast.org, name=" ", kind="brand", terms="acme")
    with pytest.raises(ListeningError, match="diawali https"):
        services.update_alert_settings(actor=None, organisation=cast.org, email_enabled=True, webhook_url="ftp://x")


def test_the_spike_state_is_json(cast, brand_query):
    services.store_mentions(cast.org, cast.brand, [Incoming("s1", "a", "acme", datetime.now(UTC))])
    from juru.listening.models import SpikeState

    assert json.loads(json.dumps(SpikeState.objects.get(organisation=cast.org).state))["version"] == 1


def test_in_the_demo_keracunan_traffic_raises_one_negative_alert_for_the_crisis_team(settings, data_dir, eager, capsys):
    from juru.ops import demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    org = demo.create()
    history = Mention.objects.filter(organisation=org).count()  # the demo's past weeks
    call_command("sandbox", "traffic", "--scenario", "normal", "--count", "10", "--seed", "1")
    tasks.poll_accounts()
    assert not Alert.objects.filter(organisation=org).exists()  # everyday traffic is not a burst
    call_command("sandbox", "traffic", "--scenario", "keracunan", "--seed", "2")
    tasks.poll_accounts()
    alert = Alert.objects.get(organisation=org)
    assert alert.sentiment == "negative"
    assert alert.query is not None
    assert alert.subject == "Nusantara Rasa"  # the demo's query for the brand and its products
    assert Mention.objects.filter(organisation=org).count() == history + 50
    from juru.listening.notify import alert_message

    subjects = {alert_message(alert, language)[0] for language in ("id", "en")}
    alert_mails = [message for message in mail.outbox if message.subject in subjects]  # not the demo's other mail
    assert sorted(address for message in alert_mails for address in message.to) == [
        "approver@nusantararasa.example",
        "owner@nusantararasa.example",
        "spokesperson@nusantararasa.example",
    ]


def test_only_connected_brand_accounts_are_polled(cast):
    from juru.listening.queries import pollable_account_ids

    ids = set(pollable_account_ids())
    assert {cast.brand.pk, cast.second_brand.pk} <= ids
    assert cast.personal.pk not in ids


def test_ingestion_runs_on_its_own_queue_and_juru_run_serves_it():
    from juru.ops.processes import worker_argv
    from juru.project.celery import app

    assert app.conf.task_routes["listening.*"] == {"queue": "listening"}
    assert app.conf.beat_schedule["listening-poll-accounts"]["task"] == "listening.poll_accounts"
    argv = worker_argv(["--concurrency", "2"], beat=True)
    assert argv[argv.index("--queues") + 1].split(",") == ["celery", "listening"]
    assert "--queues" not in worker_argv(["-Q", "publish"])
