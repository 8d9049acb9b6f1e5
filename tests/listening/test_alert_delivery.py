"""Where alerts go: public webhook addresses only (when saved and when sent), e-mail in each
recipient's language, and alerts that stay readable after their query is deleted."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

import httpx
import pytest
from django.core import mail
from django.urls import reverse

from juru.accounts.models import UserPreference
from juru.listening import addresses, notify, services, tasks
from juru.listening.exceptions import ListeningError
from juru.listening.models import Alert
from tests.listening.factories import complaint_wave
from tests.listening.test_views import client_for, url

pytestmark = pytest.mark.django_db

REFUSED = [
    "http://127.0.0.1:8080/hook",
    "http://localhost/hook",
    "https://10.0.0.7/hook",
    "https://192.168.1.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[fe80::1]/hook",
    "http://100.100.100.200/latest/meta-data/",
    "http://0.0.0.0/hook",
    "https://intranet.example/hook",
    "https://metadata.example/computeMetadata/v1/",
    "https://mixed.example/hook",
]


@pytest.fixture
def alert(cast: Any, brand_query: Any) -> Alert:
    services.store_mentions(cast.org, cast.brand, complaint_wave("d"))
    return Alert.objects.get(organisation=cast.org)


@pytest.fixture
def localhost_dns(fake_dns: dict[str, list[str]]) -> None:
    fake_dns["localhost"] = ["127.0.0.1", "::1"]


@pytest.mark.parametrize("address", REFUSED)
def test_private_loopback_link_local_and_metadata_addresses_are_refused(address, localhost_dns):
    with pytest.raises(ListeningError, match="jaringan privat, lokal atau metadata"):
        addresses.check(address)


def test_a_public_address_is_checked_and_pinned_to_the_address_that_was_checked():
    target = addresses.check("https://hooks.example:8443/juru?x=1")
    assert target.url == "https://93.184.216.34:8443/juru?x=1"
    assert target.host_header == "hooks.example:8443"
    assert target.server_name == "hooks.example"


def test_an_operator_may_allow_a_private_network_explicitly(settings):
    settings.LISTENING_WEBHOOK_ALLOWED_NETWORKS = ["10.1.0.0/16"]
    assert addresses.check("https://intranet.example/hook").url == "https://10.1.2.3/hook"
    with pytest.raises(ListeningError):
        addresses.check("https://192.168.1.1/hook")  # only the network that was allowed


def test_unknown_names_credentials_and_bad_schemes_get_clear_errors():
    with pytest.raises(ListeningError, match="tidak ditemukan"):
        addresses.check("https://no-such-host.example/hook")
    with pytest.raises(ListeningError, match="nama pengguna"):
        addresses.check("https://user:pw@hooks.example/hook")
    with pytest.raises(ListeningError, match="diawali https"):
        addresses.check("file:///etc/passwd")


def test_ipv4_mapped_ipv6_is_judged_as_the_ipv4_address():
    assert addresses.is_refused(ipaddress.ip_address("::ffff:10.0.0.1"), [])
    assert not addresses.is_refused(ipaddress.ip_address("::ffff:93.184.216.34"), [])


@pytest.mark.parametrize(
    ("lang", "error"),
    [("id", "jaringan privat, lokal atau metadata"), ("en", "private, local or cloud-metadata network")],
)
def test_the_settings_form_refuses_an_internal_address_and_keeps_what_was_typed(cast, lang, error):
    client = client_for(cast.owner, lang)
    response = client.post(
        url("alert-settings", cast), {"email_enabled": "on", "webhook_url": "http://169.254.169.254/latest/"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert "http://169.254.169.254/latest/" in page  # nothing typed is lost
    assert services.alert_settings(cast.org).webhook_url == ""


def test_the_service_refuses_an_internal_address_too(cast):
    with pytest.raises(ListeningError):
        services.update_alert_settings(
            actor=None, organisation=cast.org, email_enabled=True, webhook_url="https://intranet.example/x"
        )


def test_a_name_that_turns_private_after_saving_is_refused_at_send_time(cast, alert, fake_dns, caplog):
    services.update_alert_settings(
        actor=None, organisation=cast.org, email_enabled=False, webhook_url="https://hooks.example/juru"
    )
    sent: list[httpx.Request] = []
    client = httpx.Client(transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(204)))
    assert notify.post_webhook(alert, opened=True, client=client) == 204
    assert sent[0].url.host == "93.184.216.34"
    assert sent[0].headers["host"] == "hooks.example"
    assert sent[0].extensions["sni_hostname"] == "hooks.example"

    fake_dns["hooks.example"] = ["127.0.0.1"]  # DNS rebinding: the same name now answers with loopback
    with pytest.raises(ListeningError):
        notify.post_webhook(alert, opened=False, client=client)
    assert len(sent) == 1
    with caplog.at_level(logging.WARNING, logger="juru.listening.tasks"):
        tasks.deliver_alert(alert.pk, False)  # the task gives up without retrying
    assert "refused" in caplog.text
    assert len(sent) == 1


def test_alert_emails_go_to_each_recipient_in_their_own_language(
    cast, brand_query, eager, django_capture_on_commit_callbacks
):
    UserPreference.objects.update_or_create(user=cast.crisis_lead.user, defaults={"language": "en"})
    cast.org.language = "id"
    cast.org.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        services.store_mentions(cast.org, cast.brand, complaint_wave("m"))
    by_address = {message.to[0]: message for message in mail.outbox}
    assert all(len(message.to) == 1 for message in mail.outbox)
    english = by_address["acme-crisis_lead@acme.example"]
    indonesian = by_address["acme-owner@acme.example"]
    assert english.subject.startswith("[Juru] Spike in negative mentions: Acme")
    assert "Open the alert: http" in english.body
    assert indonesian.subject.startswith("[Juru] Lonjakan")
    assert "Buka peringatan: http" in indonesian.body


@pytest.mark.parametrize("lang", ["id", "en"])
def test_deleting_a_query_keeps_its_alerts_readable_under_its_name(cast, alert, brand_query, lang):
    services.update_query(
        actor=None, query=brand_query, name="Acme dan produknya", kind="brand", terms=brand_query.terms
    )
    services.delete_query(actor=None, query=brand_query)
    alert.refresh_from_db()
    assert alert.query is None
    assert alert.subject == "Acme dan produknya"
    client = client_for(cast.owner, lang)
    listing = client.get(url("alert-list", cast)).content.decode()
    assert "Acme dan produknya" in listing
    detail = client.get(reverse("listening:alert-detail", args=[cast.org.slug, alert.public_id]))
    assert detail.status_code == 200
    assert "Acme dan produknya" in detail.content.decode()
