"""Goals pages: the dashboard and report for every member, editing for owners, bad input kept and explained."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from juru.accounts.models import Member
from juru.goals.models import FunctionProfile, Objective, Pilot, Target
from tests.goals.conftest import MONTH
from tests.web.conftest import sign_in

pytestmark = pytest.mark.django_db


def client_for(member: Member, lang: str = "id") -> Client:
    client = sign_in(Client(), member.user)
    client.cookies["juru_language"] = lang
    return client


def url(name: str, member: Member, *args: object) -> str:
    return reverse(f"goals:{name}", args=[member.organisation.slug, *args])


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("id", ["Sasaran dan laporan", "Angka utama", "Postingan terbit", "Laporan bulanan"]),
        ("en", ["Goals and reports", "Key figures", "Posts published", "Monthly report"]),
    ],
)
def test_dashboard_shows_kpis_and_charts_in_both_languages(owner, activity, lang, words):
    html = client_for(owner, lang).get(url("dashboard", owner), {"month": "2026-11"}).content.decode()
    for word in words:
        assert word in html
    assert html.count("<svg") >= 2
    assert 'data-kpi="posts_published"' in html
    assert 'data-testid="nav-goals"' in html


def test_a_bad_month_falls_back_with_a_message(owner):
    html = client_for(owner, "en").get(url("dashboard", owner), {"month": "2026-99"}).content.decode()
    assert "Give the month as YYYY-MM, for example 2026-11." in html


def test_owner_creates_an_objective_and_sets_a_target(owner):
    client = client_for(owner, "en")
    response = client.post(
        url("objective-new", owner),
        {
            "function": "marketing",
            "title": "Peluncuran sambal",
            "period_start": "2026-11-01",
            "period_end": "2026-12-31",
        },
    )
    goal = Objective.objects.get()
    assert response["Location"] == url("objective", owner, goal.public_id)
    response = client.post(url("objective", owner, goal.public_id), {"kpi": "posts_published", "value": "25"})
    assert response.status_code == 302
    assert Target.objects.get().value == 25
    html = client.get(url("objective", owner, goal.public_id)).content.decode()
    assert "Posts published" in html
    assert "≥ 25" in html


def test_a_bad_objective_keeps_what_was_typed_and_says_why(owner):
    response = client_for(owner, "id").post(
        url("objective-new", owner),
        {
            "function": "pr",
            "title": "Citra merek tetap positif",
            "period_start": "2026-12-31",
            "period_end": "2026-11-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Periode berakhir sebelum dimulai." in html
    assert "Citra merek tetap positif" in html
    assert not Objective.objects.exists()


def test_a_bad_target_is_explained_and_nothing_is_saved(owner, activity):
    goal = Objective.objects.create(
        organisation=owner.organisation, function="pr", title="Citra", period_start=MONTH, period_end=date(2026, 11, 30)
    )
    response = client_for(owner, "en").post(
        url("objective", owner, goal.public_id), {"kpi": "negative_share", "value": "150"}
    )
    assert "A share is at most 100 %." in response.content.decode()
    assert not Target.objects.exists()


def test_owner_renames_a_business_function(owner):
    response = client_for(owner, "en").post(
        url("functions", owner),
        {"function": "lead_generation", "lead_generation-name": "Katering Kantor", "lead_generation-description": ""},
    )
    assert response.status_code == 302
    assert FunctionProfile.objects.get().name == "Katering Kantor"
    assert "Katering Kantor" in client_for(owner).get(url("functions", owner)).content.decode()


def test_viewer_sees_goals_but_cannot_change_them(viewer, owner, team):
    client = client_for(viewer, "en")
    html = client.get(url("dashboard", viewer)).content.decode()
    assert "New objective" not in html
    assert client.get(url("objective-new", viewer)).status_code == 404
    data = {"name": "Pilot", "team": team.pk, "start": "2026-11-01", "end": "2026-11-30"}
    assert client.post(url("pilots", viewer), data).status_code == 404
    assert not Pilot.objects.exists()
    assert client_for(owner).post(url("pilots", owner), data).status_code == 302
    assert Pilot.objects.get().team == team


@pytest.mark.parametrize(
    ("lang", "heading"), [("id", "Laporan bulanan, November 2026"), ("en", "Monthly report, November 2026")]
)
def test_report_page_in_both_languages_links_its_pdfs(owner, activity, lang, heading):
    html = client_for(owner, lang).get(url("report", owner), {"month": "2026-11"}).content.decode()
    assert heading in html
    assert "month=2026-11&amp;lang=id" in html
    assert "month=2026-11&amp;lang=en" in html


def test_report_pdf_download(owner, activity):
    response = client_for(owner).get(url("report-pdf", owner), {"month": "2026-11", "lang": "en"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "nusantara-2026-11-en.pdf" in response["Content-Disposition"]
    assert client_for(owner).get(url("report-pdf", owner), {"month": "2026-11", "lang": "fr"}).status_code == 404


def test_a_team_running_a_pilot_is_not_deleted_and_the_page_says_why(owner: Member) -> None:
    from juru.accounts.models import Team
    from juru.goals import services as goals
    from tests.factories import make_team

    team = make_team(owner.organisation, "Humas", "pr")
    goals.save_pilot(
        actor=None, organisation=owner.organisation, name="Pilot Humas", team=team,
        start=date(2026, 10, 5), end=date(2026, 11, 15),
    )  # fmt: skip
    response = client_for(owner).post(f"/o/{owner.organisation.slug}/teams/{team.public_id}/delete/", follow=True)
    assert response.status_code == 200
    assert "Pilot Humas" in response.content.decode()
    assert Team.objects.filter(pk=team.pk).exists()
