"""The timeline report: alert, declaration, pause, first statement, hourly volumes by sentiment, response times, end."""

from __future__ import annotations

import pytest
from django.utils import translation

from juru.crisis import report
from juru.crisis import services as crisis_services
from juru.listening import services as listening_services
from juru.listening.models import Alert
from juru.publishing import services
from tests.crisis.helpers import declare, run_due, scheduled
from tests.listening.factories import complaint_wave

pytestmark = pytest.mark.django_db


def test_the_report_tells_the_crisis_in_order(cast, brand_query, registered):
    listening_services.store_mentions(cast.org, cast.brand, complaint_wave("r", count=15))
    alert = Alert.objects.get(organisation=cast.org)
    scheduled(cast, "Promo akhir pekan")  # paused by the declaration
    crisis = declare(cast, alert=alert)
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Kami menarik nasi kotak batch 12.")
    draft = services.approve_draft(services.submit_draft(draft, actor=cast.author), actor=cast.pr1)
    draft = services.approve_draft(draft, actor=cast.crisis_lead)
    services.schedule_draft(draft, actor=cast.author, confirm_accounts=[cast.brand.handle])
    run_due()
    crisis = crisis_services.end_crisis(actor=cast.owner, crisis=crisis, summary="Produk ditarik, klarifikasi terbit.")

    with translation.override("en"):
        built = report.build(crisis)
    kinds = [m.kind for m in built.timeline]
    assert kinds == ["alert", "declared", "paused", "statement", "ended"]
    statement = built.timeline[3]
    assert statement.detail == "Kami menarik nasi kotak batch 12."
    assert "post on acme_id" in statement.title
    assert "1 posts were waiting" in built.timeline[2].detail
    assert built.totals["negative"] + built.totals["neutral"] + built.totals["positive"] == 15
    assert sum(1 for hour in built.hours if hour.total) >= 1
    assert not built.chart.empty
    approvals, crisis_lead, first_responses = built.responses
    assert (approvals.count, crisis_lead.count) == (1, 1)
    assert approvals.median is not None
    assert approvals.longest is not None
    assert built.held == {"held": 1, "released": 0, "rescheduled": 0, "cancelled": 0}

    document = report.render_document(crisis)
    assert document.startswith("<!doctype html>")
    assert "Kami menarik nasi kotak batch 12." in document
    assert "Laporan lini masa" in document  # rendered in the reader's language (Indonesian by default)


def test_response_rows_are_empty_but_present_when_nothing_was_submitted(cast):
    crisis = declare(cast)
    rows = report.response_time_rows(crisis)
    assert [row.count for row in rows] == [0, 0, 0]
    assert all(row.median is None for row in rows)
