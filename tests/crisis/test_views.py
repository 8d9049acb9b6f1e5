"""Crisis pages: declare from an alert, the banner on every page, end, review list, report; in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from juru.accounts.models import Member
from juru.crisis.models import Crisis, HeldPost, HeldState
from juru.listening import services as listening_services
from juru.listening.models import Alert
from juru.publishing.models import PostState
from tests.crisis.factories import queued_post
from tests.listening.factories import complaint_wave
from tests.web.conftest import sign_in

pytestmark = pytest.mark.django_db


def client_for(member: Member, lang: str = "id") -> Client:
    client = sign_in(Client(), member.user)
    client.cookies["juru_language"] = lang
    return client


def url(name: str, cast: Any, *args: Any) -> str:
    return reverse(f"crisis:{name}", args=[cast.org.slug, *args])


@pytest.fixture
def alert(cast: Any, brand_query: Any) -> Alert:
    listening_services.store_mentions(cast.org, cast.brand, complaint_wave("v"))
    return Alert.objects.get(organisation=cast.org)


@pytest.mark.parametrize(
    ("lang", "button", "declared"),
    [("id", "Menyatakan krisis", "Krisis dinyatakan."), ("en", "Declare a crisis", "Crisis declared.")],
)
def test_the_crisis_lead_declares_from_the_alert_page(cast, alert, lang, button, declared):
    client = client_for(cast.crisis_lead, lang)
    page = client.get(reverse("listening:alert-detail", args=[cast.org.slug, alert.public_id])).content.decode()
    assert 'data-testid="declare-from-alert"' in page
    assert button in page
    form = client.get(url("declare", cast), {"alert": alert.public_id}).content.decode()
    assert str(alert.public_id) in form
    assert f'value="{alert.severity}"' in form  # the alert's severity is offered
    response = client.post(
        url("declare", cast), {"alert": alert.public_id, "severity": 9, "description": "Gelombang keluhan keracunan"}
    )
    crisis = Crisis.objects.get()
    assert response["Location"] == url("detail", cast, crisis.public_id)
    assert (crisis.alert, crisis.severity) == (alert, 9)
    assert declared in client.get(response["Location"]).content.decode()


def test_a_member_without_the_right_sees_no_button_and_cannot_declare(cast, alert):
    client = client_for(cast.author)  # spokesperson
    page = client.get(reverse("listening:alert-detail", args=[cast.org.slug, alert.public_id])).content.decode()
    assert 'data-testid="declare-from-alert"' not in page
    assert 'data-testid="declare-link"' not in client.get(url("home", cast)).content.decode()
    assert client.get(url("declare", cast)).status_code == 404
    assert client.post(url("declare", cast), {"severity": 5, "description": "x"}).status_code == 404
    assert not Crisis.objects.exists()


@pytest.mark.parametrize(
    ("lang", "errors"),
    [("id", ["1 (ringan) sampai 10", "Jelaskan krisisnya"]), ("en", ["1 (minor) to 10", "Describe the crisis"])],
)
def test_bad_input_is_shown_next_to_the_fields_and_nothing_is_declared(cast, lang, errors):
    client = client_for(cast.owner, lang)
    html = client.post(url("declare", cast), {"severity": "", "description": " "}).content.decode()
    for error in errors:
        assert error in html
    html = client.post(url("declare", cast), {"severity": "11", "description": "Keluhan"}).content.decode()
    assert 'class="field has-error"' in html
    assert not Crisis.objects.exists()


def test_the_banner_is_on_every_page_of_the_organisation_while_the_crisis_lasts(cast):
    pages = [
        reverse("web:org_home", args=[cast.org.slug]),
        reverse("publishing:draft-list", args=[cast.org.slug]),
        reverse("listening:overview", args=[cast.org.slug]),
        reverse("accounts:member_list", args=[cast.org.slug]),
        reverse("governance:policy", args=[cast.org.slug]),
        url("home", cast),
    ]
    client = client_for(cast.employee)
    assert all('data-testid="crisis-banner"' not in client.get(p).content.decode() for p in pages)
    client_for(cast.owner).post(url("declare", cast), {"severity": 6, "description": "Isu viral"})
    for lang, words in (("id", "Mode krisis"), ("en", "Crisis mode")):
        client = client_for(cast.employee, lang)
        for page in pages:
            html = client.get(page).content.decode()
            assert 'data-testid="crisis-banner"' in html, page
            assert words in html
    crisis = Crisis.objects.get()
    client_for(cast.owner).post(url("end", cast, crisis.public_id), {"summary": ""})
    assert all('data-testid="crisis-banner"' not in client.get(p).content.decode() for p in pages)


def test_end_then_review_list_then_release_one(cast):
    first, second = (
        queued_post(cast.author, cast.brand, "Promo satu"),
        queued_post(cast.author, cast.brand, "Promo dua"),
    )
    owner = client_for(cast.owner, "en")
    owner.post(url("declare", cast), {"severity": 6, "description": "Isu viral"})
    crisis = Crisis.objects.get()
    detail = owner.get(url("detail", cast, crisis.public_id)).content.decode()
    assert "Promo satu" in detail
    assert "Promo dua" in detail
    response = owner.post(url("end", cast, crisis.public_id), {"summary": "Klarifikasi terbit."})
    assert response["Location"] == url("review", cast, crisis.public_id)
    author = client_for(cast.author, "en")  # the publisher of the account decides
    review = author.get(response["Location"]).content.decode()
    assert review.count('value="release"') == 2
    held = HeldPost.objects.get(post=first)
    author.post(url("decide-held", cast, crisis.public_id, held.public_id), {"action": "release"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (PostState.SCHEDULED, PostState.WAITING)
    held.refresh_from_db()
    assert held.state == HeldState.RELEASED
    page = author.get(response["Location"]).content.decode()
    assert page.count('value="release"') == 1
    assert "Released" in page


def test_reschedule_needs_a_valid_time_and_viewers_cannot_decide(cast):
    queued_post(cast.author, cast.brand)
    owner = client_for(cast.owner)
    owner.post(url("declare", cast), {"severity": 6, "description": "Isu viral"})
    crisis = Crisis.objects.get()
    owner.post(url("end", cast, crisis.public_id), {"summary": ""})
    held = HeldPost.objects.get()
    decide = url("decide-held", cast, crisis.public_id, held.public_id)
    author = client_for(cast.author, "en")
    page = author.post(decide, {"action": "reschedule", "when": "besok"}, follow=True).content.decode()
    assert "Enter a valid date and time." in page
    page = author.post(decide, {"action": "reschedule", "when": "2020-01-01T10:00"}, follow=True).content.decode()
    assert "in the past" in page
    assert client_for(cast.employee).post(decide, {"action": "release"}).status_code == 404
    held.refresh_from_db()
    assert held.state == HeldState.HELD


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("id", ["Laporan lini masa", "Krisis dinyatakan", "Antrean terjadwal dijeda", "Waktu respons"]),
        ("en", ["Timeline report", "Crisis declared", "Scheduled queue paused", "Response times"]),
    ],
)
def test_the_report_and_the_history_in_both_languages(cast, alert, lang, words):
    owner = client_for(cast.owner, lang)
    owner.post(url("declare", cast), {"alert": alert.public_id, "severity": 8, "description": "Keracunan"})
    crisis = Crisis.objects.get()
    owner.post(url("end", cast, crisis.public_id), {"summary": ""})
    report = owner.get(url("report", cast, crisis.public_id)).content.decode()
    for word in words:
        assert word in report
    assert 'class="negative"' in report  # the complaint wave in the hourly chart
    history = owner.get(url("home", cast)).content.decode()
    assert url("report", cast, crisis.public_id) in history
    download = owner.get(url("report-download", cast, crisis.public_id))
    assert download["Content-Disposition"].startswith("attachment;")
    assert words[0] in download.content.decode()
