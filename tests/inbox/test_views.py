"""Inbox pages in both languages: list filters and badges, the conversation page, rules and settings, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from juru.accounts.services import set_grant
from juru.audit.models import AuditEvent
from juru.inbox.models import Conversation, EventKind, RoutingRule, Status
from juru.listening import services as listening
from tests.inbox.conftest import incoming
from tests.web.conftest import sign_in

pytestmark = pytest.mark.django_db


def client_for(member: Any, lang: str = "id") -> Client:
    client = sign_in(Client(), member.user)
    client.cookies["juru_language"] = lang
    return client


def url(name: str, cast: Any, *args: Any) -> str:
    return reverse(f"inbox:{name}", args=[cast.org.slug, *args])


@pytest.fixture
def conversation(cast) -> Conversation:
    listening.store_mentions(cast.org, cast.brand, [incoming("v1", "Pesanan saya salah kirim", author="sari")])
    return Conversation.objects.get(organisation=cast.org)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("id", ["Kotak masuk", "Tenggat", "Belum ditugaskan"]), ("en", ["Inbox", "Due", "Unassigned"])],
)
def test_the_list_shows_due_badges_in_both_languages(cast, conversation, lang, words):
    html = client_for(cast.owner, lang).get(url("list", cast)).content.decode()
    for word in words:
        assert word in html
    assert 'data-testid="due-ok"' in html or 'data-testid="due-warning"' in html
    assert "Pesanan saya salah kirim" in html


def test_filters_narrow_the_list(cast, conversation):
    client = client_for(cast.owner)
    assert "salah kirim" in client.get(url("list", cast) + "?view=unassigned").content.decode()
    assert "salah kirim" not in client.get(url("list", cast) + "?view=mine").content.decode()
    assert "salah kirim" not in client.get(url("list", cast) + "?breached=1").content.decode()
    assert "salah kirim" not in client.get(url("list", cast) + "?status=resolved").content.decode()
    assert client.get(url("list", cast) + "?status=nonsense&page=x").status_code == 200


def test_a_breached_conversation_is_badged_and_filtered(cast, conversation):
    Conversation.objects.filter(pk=conversation.pk).update(first_response_breached=True)
    html = client_for(cast.owner, "en").get(url("list", cast) + "?breached=1").content.decode()
    assert 'data-testid="due-breached"' in html
    assert "Target missed" in html


def test_the_conversation_page_works_assign_note_status(cast, conversation):
    client = client_for(cast.owner)
    page = url("conversation", cast, conversation.public_id)
    html = client.get(page).content.decode()
    assert "Riwayat penulis" in html
    assert 'data-testid="reply-slot"' in html
    mention = conversation.messages.get().mention
    assert f'href="/o/{cast.org.slug}/replies/to/{mention.public_id}/" data-testid="reply-button"' in html
    assert 'data-testid="composer"' not in html  # no reply grant: no composer, and a sentence that says why
    assert 'data-testid="no-reply-grant"' in html
    set_grant(actor=None, account=cast.brand, permission="reply", member=cast.owner)
    assert 'data-testid="composer"' in client.get(page).content.decode()  # the saved-reply composer sits here
    client.post(url("assign", cast, conversation.public_id), {"assignee": "me"})
    client.post(url("note", cast, conversation.public_id), {"text": "Cek resi"})
    response = client.post(url("note", cast, conversation.public_id), {"text": "   "}, follow=True)
    assert "Tulis catatannya terlebih dahulu." in response.content.decode()
    client.post(url("status", cast, conversation.public_id), {"status": "resolved"})
    conversation.refresh_from_db()
    assert conversation.assignee == cast.owner
    assert conversation.status == Status.RESOLVED
    assert conversation.events.filter(kind=EventKind.NOTE).count() == 1
    bad = client.post(url("status", cast, conversation.public_id), {"status": "hilang"}, follow=True)
    assert "Pilih terbuka, menunggu, atau selesai." in bad.content.decode()


def test_escalation_needs_a_reason_and_shows_in_the_thread(cast, conversation):
    client = client_for(cast.owner, "en")
    target = url("escalate", cast, conversation.public_id)
    refused = client.post(target, {"team": str(cast.teams["legal"].public_id), "reason": ""}, follow=True)
    assert "Say why the conversation is escalated." in refused.content.decode()
    client.post(target, {"team": str(cast.teams["legal"].public_id), "reason": "Pelanggan menyebut somasi"})
    html = client.get(url("conversation", cast, conversation.public_id)).content.decode()
    assert "Pelanggan menyebut somasi" in html
    assert 'data-testid="event-escalated"' in html


def test_a_viewer_sees_the_inbox_but_cannot_act(cast, conversation):
    viewer = cast.member("vina", role="viewer")
    client = client_for(viewer)
    assert client.get(url("conversation", cast, conversation.public_id)).status_code == 200
    assert client.post(url("status", cast, conversation.public_id), {"status": "resolved"}).status_code == 404
    conversation.refresh_from_db()
    assert conversation.status == Status.OPEN


def test_rules_are_created_edited_ordered_and_bad_input_is_kept(cast):
    client = client_for(cast.owner)
    form = {"name": "Keracunan", "words": "keracunan\nbasi", "team": cast.teams["crisis"].pk, "priority": "urgent",
            "is_active": "on"}  # fmt: skip
    client.post(url("rules", cast), form)
    rule = RoutingRule.objects.get(organisation=cast.org)
    assert rule.priority == "urgent"
    refused = client.post(url("rules", cast), {"name": "Kosong", "words": "halo"})
    html = refused.content.decode()
    assert "Pilih tindakan aturan" in html
    assert "Kosong" in html  # what was typed is still in the form
    client.post(url("rule-edit", cast, rule.public_id), form | {"priority": "high"})
    rule.refresh_from_db()
    assert rule.priority == "high"
    assert AuditEvent.objects.filter(action__in=["inbox.rule_created", "inbox.rule_changed"]).count() == 2


def test_settings_save_targets_and_days_and_refuse_bad_hours(cast):
    client = client_for(cast.owner, "en")
    form = {
        "time_zone": "Asia/Jakarta", "day_start": "09:00", "day_end": "18:00", "workdays": ["0", "1", "2", "3", "4"],
        "public_holidays": "on", "warning_minutes": "10", "offline_after_minutes": "20", "default_team": "",
        "first_urgent": "20", "resolution_urgent": "120", "first_high": "60", "resolution_high": "480",
        "first_normal": "240", "resolution_normal": "1440", "first_low": "480", "resolution_low": "2880",
    }  # fmt: skip
    client.post(url("settings", cast), form)
    from juru.inbox.sla import inbox_settings, targets_for

    assert inbox_settings(cast.org).warning_minutes == 10
    assert targets_for(cast.org)["urgent"] == (20, 120)
    refused = client.post(url("settings", cast), form | {"day_start": "18:00", "day_end": "09:00"}, follow=True)
    assert "The business day must end after it starts." in refused.content.decode()
    refused = client.post(url("settings", cast), form | {"time_zone": "Mars/Olympus"}, follow=True)
    assert "Unknown time zone" in refused.content.decode()
    client.post(url("day-add", cast), {"date": "2026-12-31", "note": "Libur perusahaan"})
    again = client.post(url("day-add", cast), {"date": "2026-12-31"}, follow=True)
    assert "This date has an override already" in again.content.decode()
