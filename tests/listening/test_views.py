"""Listening pages: filters, charts and terms, managing queries, alerts and their settings, in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from juru.accounts.models import Member, Role
from juru.accounts.services import organisations as org_services
from juru.audit.models import AuditEvent
from juru.listening import services
from juru.listening.models import Alert, AlertStatus, ListeningQuery
from tests.listening.factories import complaint_wave
from tests.publishing.conftest import make_user
from tests.web.conftest import sign_in

pytestmark = pytest.mark.django_db


def client_for(member: Member, lang: str = "id") -> Client:
    client = sign_in(Client(), member.user)
    client.cookies["juru_language"] = lang
    return client


@pytest.fixture
def alert(cast: Any, brand_query: ListeningQuery) -> Alert:
    services.store_mentions(cast.org, cast.brand, complaint_wave("v"))
    return Alert.objects.get(organisation=cast.org)


def url(name: str, cast: Any, *args: Any) -> str:
    return reverse(f"listening:{name}", args=[cast.org.slug, *args])


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("id", ["Pemantauan", "Volume dan sentimen", "Kata teratas", "Negatif"]),
        ("en", ["Listening", "Volume and sentiment", "Top terms", "Negative"]),
    ],
)
def test_listening_page_shows_chart_terms_and_mentions_in_both_languages(cast, alert, lang, words):
    html = client_for(cast.owner, lang).get(url("overview", cast)).content.decode()
    for word in words:
        assert word in html
    assert "<svg" in html
    assert 'class="negative"' in html
    assert "keracunan" in html
    assert 'data-testid="alert-badge"' in html


def test_filters_narrow_the_mentions_and_ignore_bad_values(cast, alert, brand_query):
    client = client_for(cast.owner, "en")
    positive = client.get(url("overview", cast), {"sentiment": "positive"}).content.decode()
    assert "No mentions match these filters." in positive
    junk = client.get(url("overview", cast), {"sentiment": "furious", "period": "1y", "query": "nope", "lang": "xx"})
    assert junk.status_code == 200
    assert "keracunan" in junk.content.decode()
    by_query = client.get(url("overview", cast), {"query": str(brand_query.public_id), "period": "24h"})
    assert "keracunan" in by_query.content.decode()


def test_owner_creates_edits_and_removes_a_query(cast):
    client = client_for(cast.owner, "en")
    response = client.post(
        url("query-list", cast),
        {
            "name": "Pesaing",
            "kind": "competitor",
            "language": "any",
            "terms": 'Rasa Sayang\n"sambal enak"',
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    query = ListeningQuery.objects.get(organisation=cast.org, name="Pesaing")
    response = client.post(
        url("query-edit", cast, query.public_id),
        {
            "name": "Pesaing utama",
            "kind": "competitor",
            "language": "id",
            "terms": "Rasa Sayang",
            "exclusions": "lowongan",
        },
    )
    assert response.status_code == 302
    query.refresh_from_db()
    assert (query.name, query.language, query.is_active) == ("Pesaing utama", "id", False)
    client.post(url("query-delete", cast, query.public_id))
    assert not ListeningQuery.objects.filter(pk=query.pk).exists()
    actions = set(AuditEvent.objects.filter(organisation=cast.org).values_list("action", flat=True))
    assert {"listening.query_created", "listening.query_changed", "listening.query_deleted"} <= actions


@pytest.mark.parametrize(("lang", "message"), [("id", "setidaknya satu kata"), ("en", "at least one word")])
def test_a_query_without_words_is_refused_with_a_translated_message(cast, lang, message):
    response = client_for(cast.owner, lang).post(
        url("query-list", cast), {"name": "Kosong", "kind": "brand", "language": "any", "terms": '""\n  ""'}
    )
    assert response.status_code == 200
    assert not ListeningQuery.objects.filter(name="Kosong").exists()
    assert message in response.content.decode()


def test_a_duplicate_query_name_is_refused(cast, brand_query):
    response = client_for(cast.owner, "id").post(
        url("query-list", cast), {"name": "acme", "kind": "brand", "language": "any", "terms": "x"}
    )
    assert "sudah ada" in response.content.decode()


def test_who_may_manage_and_acknowledge(cast, alert):
    employee = client_for(cast.employee, "en")
    assert employee.get(url("query-list", cast)).status_code == 200
    assert (
        employee.post(
            url("query-list", cast), {"name": "X", "kind": "brand", "language": "any", "terms": "x"}
        ).status_code
        == 404
    )
    assert employee.get(url("alert-settings", cast)).status_code == 404
    assert employee.post(url("alert-acknowledge", cast, alert.public_id)).status_code == 404
    assert "Acknowledge</button>" not in employee.get(url("alert-detail", cast, alert.public_id)).content.decode()
    crisis = client_for(cast.pr2, "en")  # a crisis-team member
    assert crisis.post(url("alert-acknowledge", cast, alert.public_id)).status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.acknowledged_by == cast.pr2.user
    again = crisis.post(url("alert-acknowledge", cast, alert.public_id), follow=True)
    assert "acknowledged already" in again.content.decode()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_alert_pages_show_the_evidence(cast, alert, lang):
    client = client_for(cast.owner, lang)
    listing = client.get(url("alert-list", cast)).content.decode()
    assert str(alert.public_id) in listing
    detail = client.get(url("alert-detail", cast, alert.public_id)).content.decode()
    assert f"{alert.observed} " in detail
    assert ("Contoh sebutan" if lang == "id" else "Example mentions") in detail
    assert "keracunan" in detail


def test_alert_settings_page_creates_a_signing_secret(cast):
    client = client_for(cast.owner, "en")
    response = client.post(
        url("alert-settings", cast), {"email_enabled": "on", "webhook_url": "https://hooks.example/juru"}
    )
    assert response.status_code == 302
    page = client.get(url("alert-settings", cast)).content.decode()
    assert "whsec_" in page
    bad = client.post(url("alert-settings", cast), {"webhook_url": "not a url"})
    assert bad.status_code == 200
    assert "valid URL" in bad.content.decode()


def test_another_organisations_member_sees_nothing(cast, alert):
    other = org_services.create_organisation(actor=None, name="Other", slug="other")
    stranger = org_services.add_member(actor=None, organisation=other, user=make_user("stranger"), role=Role.OWNER)
    client = client_for(stranger, "en")
    assert client.get(url("overview", cast)).status_code == 404
    assert client.get(reverse("listening:alert-detail", args=["other", alert.public_id])).status_code == 404
