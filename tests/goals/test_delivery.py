"""The monthly e-mail: last month's report as PDF to each owner, once per organisation and month."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from juru.audit.models import AuditEvent
from juru.goals import delivery
from juru.goals.models import ReportDelivery
from tests import factories as base

pytestmark = pytest.mark.django_db


@pytest.fixture
def owners(org, owner):
    owner.user.email = "olivia@nusantara.example"
    owner.user.save(update_fields=["email"])
    second = base.make_member(org, "wulan", "owner")
    second.user.email = "wulan@nusantara.example"
    second.user.save(update_fields=["email"])
    base.make_member(org, "adi", "admin").user.__class__.objects.filter(username="adi").update(email="adi@x.example")
    return [owner, second]


def test_owners_get_last_months_report_once(org, owners, activity):
    assert delivery.send_monthly_reports(today=date(2026, 12, 1)) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["olivia@nusantara.example", "wulan@nusantara.example"]
    message = mail.outbox[0]
    name, pdf, kind = message.attachments[0]
    assert kind == "application/pdf"
    assert pdf.startswith(b"%PDF")
    assert "2026-11" in name
    assert "2026-11" in message.subject
    assert "?month=2026-11" in message.body
    assert ReportDelivery.objects.get().month == date(2026, 11, 1)
    assert AuditEvent.objects.filter(action="goals.report_sent").count() == 1

    assert delivery.send_monthly_reports(today=date(2026, 12, 2)) == 0  # the next day's run: nothing twice
    assert len(mail.outbox) == 2


def test_a_failed_send_is_tried_again_on_the_next_run(org, owners, monkeypatch):
    def broken(self, fail_silently=False):
        raise ConnectionError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with pytest.raises(ConnectionError):
        delivery.send_monthly_reports(today=date(2026, 12, 1))
    assert not ReportDelivery.objects.exists()
    monkeypatch.undo()
    assert delivery.send_monthly_reports(today=date(2026, 12, 1)) == 1


def test_an_owner_reads_the_report_in_their_language(org, owners):
    from juru.accounts.services import set_user_language

    set_user_language(user=owners[1].user, language="en")
    delivery.send_month(org, date(2026, 11, 1))
    by_person = {m.to[0]: m for m in mail.outbox}
    assert by_person["wulan@nusantara.example"].subject.startswith("Monthly report")
    assert by_person["olivia@nusantara.example"].subject.startswith("Laporan bulanan")


def test_the_scheduler_runs_the_monthly_task(org, owners, activity):
    from juru.goals import tasks
    from juru.project.celery import app

    entry = app.conf.beat_schedule["goals-send-monthly-reports"]
    assert entry["task"] == tasks.send_monthly_reports_task.name == "goals.send_monthly_reports"
    assert entry["schedule"] <= 24 * 3600  # at least daily, so the first of the month is never skipped
    assert tasks.send_monthly_reports_task() == 1  # last month's report, whatever today is
    assert tasks.send_monthly_reports_task() == 0
