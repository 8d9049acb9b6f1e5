"""The goals and reports API: every member reads, owners set goals, months are checked, the PDF is the page's."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from juru.accounts.models import Member, Organisation, Team
from juru.goals import services
from juru.goals.models import Objective, Target
from tests.api_client import Api
from tests.goals.factories import goals_objects
from tests.goals.test_report import text_of

pytestmark = pytest.mark.django_db


def objective(org: Organisation, start: date, end: date, title: str = "Peluncuran sambal") -> Objective:
    made = services.create_objective(
        actor=None, organisation=org, function="marketing", title=title, period_start=start, period_end=end
    )
    services.set_target(actor=None, objective=made, kpi="posts_published", value=Decimal(20))
    return made


def _new(**changes: Any) -> dict[str, Any]:
    return {"function": "marketing", "title": "Katering kantor", "description": "Prospek B2B",
            "period_start": "2026-11-01", "period_end": "2026-12-31"} | changes  # fmt: skip


def test_every_member_reads_the_current_objectives_with_progress(org: Organisation, spokesperson: Member) -> None:
    today = timezone.localdate()
    current = objective(org, today.replace(day=1), today + timedelta(days=60))
    objective(org, date(2025, 1, 1), date(2025, 3, 31), title="Yang lalu")
    listed = Api(spokesperson).get("/goals").json()
    assert [o["id"] for o in listed] == [str(current.public_id)]
    target = listed[0]["targets"][0]
    assert (target["kpi"], target["label"], Decimal(target["target"]), target["actual"]) == (
        "posts_published",
        "Posts published",
        Decimal(20),
        0,
    )
    assert (target["reached"], target["percent"]) == (False, 0)
    assert Api(spokesperson).get(f"/goals/{current.public_id}").json()["function_name"] == "Marketing"


def test_an_owner_creates_and_changes_an_objective_and_sets_a_target(owner: Member) -> None:
    api = Api(owner)
    created = api.send("POST", "/goals", _new())
    assert created.status_code == 201, created.content
    objective_id = created.json()["id"]
    changed = api.send("PUT", f"/goals/{objective_id}", _new(title="Katering sekolah"))
    assert changed.json()["title"] == "Katering sekolah"
    target = api.send("POST", f"/goals/{objective_id}/targets", {"kpi": "negative_share", "value": "15"})
    assert [(t["kpi"], Decimal(t["target"])) for t in target.json()["targets"]] == [("negative_share", Decimal(15))]
    assert Objective.objects.get().created_by == owner


def test_a_spokesperson_cannot_set_goals(owner: Member, spokesperson: Member) -> None:
    made = objective(owner.organisation, date(2026, 11, 1), date(2026, 12, 31))
    api = Api(spokesperson)
    assert api.send("POST", "/goals", _new()).status_code == 404
    assert api.send("PUT", f"/goals/{made.public_id}", _new(title="Diubah")).status_code == 404
    assert api.send("POST", f"/goals/{made.public_id}/targets", {"kpi": "violations", "value": "0"}).status_code == 404
    made.refresh_from_db()
    assert (made.title, Objective.objects.count(), Target.objects.count()) == ("Peluncuran sambal", 1, 1)


@pytest.mark.parametrize(
    ("lang", "ends_first", "too_much"),
    [
        ("en", "The period ends before it starts.", "A share is at most 100 %."),
        ("id", "Periode berakhir sebelum dimulai.", "Porsi paling banyak 100 %."),
    ],
)
def test_bad_goals_are_refused_in_the_readers_language(lang: str, ends_first: str, too_much: str,
                                                       owner: Member) -> None:  # fmt: skip
    made = objective(owner.organisation, date(2026, 11, 1), date(2026, 12, 31))
    api = Api(owner, lang)
    backwards = api.send("POST", "/goals", _new(period_start="2026-12-31", period_end="2026-11-01"))
    assert (backwards.status_code, backwards.json()["detail"]) == (422, ends_first)
    share = api.send("POST", f"/goals/{made.public_id}/targets", {"kpi": "negative_share", "value": "150"})
    assert (share.status_code, share.json()["detail"]) == (422, too_much)
    assert api.send("POST", f"/goals/{made.public_id}/targets", {"kpi": "likes", "value": "1"}).status_code == 422
    assert (Objective.objects.count(), Target.objects.count()) == (1, 1)


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Give the month as YYYY-MM, for example 2026-11."),
        ("id", "Tulis bulan sebagai TTTT-BB, misalnya 2026-11."),
    ],
)
def test_a_wrong_month_is_a_clear_422(lang: str, message: str, spokesperson: Member) -> None:
    api = Api(spokesperson, lang)
    for path in ("/goals/kpis?month=2026-13", "/reports/november", "/reports/2026-1/pdf"):
        response = api.get(path)
        assert (response.status_code, response.json()["detail"]) == (422, message), path


def test_the_months_kpis_are_the_dashboards(spokesperson: Member, activity: None) -> None:
    kpis = Api(spokesperson, "id").get("/goals/kpis?month=2026-11").json()
    values = {k["name"]: k["value"] for k in kpis["kpis"]}
    assert (kpis["month"], values["posts_published"], values["mention_volume"], values["violations"]) == (
        "2026-11",
        4,
        4,
        1,
    )
    assert {k["name"]: k["label"] for k in kpis["kpis"]}["posts_published"] == "Postingan terbit"


def test_the_monthly_report_has_kpis_objectives_and_pilots_of_this_organisation_only(
    org: Organisation, spokesperson: Member, activity: None, team: Team, outsider: Member
) -> None:
    ours = goals_objects(org, team)
    goals_objects(outsider.organisation, Team.objects.create(organisation=outsider.organisation, name="Tim B"))
    data = Api(spokesperson).get("/reports/2026-11").json()
    assert (data["month"], data["empty"]) == ("2026-11", False)
    assert [o["id"] for o in data["objectives"]] == [str(ours["objective"].public_id)]
    # marketing posts over the objective period up to the month end: one in October, two in November
    assert [o["targets"][0]["actual"] for o in data["objectives"]] == [3]
    assert [(p["name"], p["team"]) for p in data["pilots"]] == [("Pilot Humas", "Humas")]
    assert "sari" in [row["label"] for row in data["pilots"][0]["people"]]
    assert sum(f["posts"] for f in data["function_totals"]) == 4


@pytest.mark.parametrize(("lang", "words"), [("id", "Laporan bulanan, November 2026"),
                                             ("en", "Monthly report, November 2026")])  # fmt: skip
def test_the_report_pdf_in_either_language(lang: str, words: str, spokesperson: Member, activity: None) -> None:
    response = Api(spokesperson).get(f"/reports/2026-11/pdf?lang={lang}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"2026-11-{lang}.pdf" in response["Content-Disposition"]
    assert words in " ".join(text_of(response.content).split())
    assert Api(spokesperson).get("/reports/2026-11/pdf?lang=fr").status_code == 422


def test_the_new_operations_are_described(spokesperson: Member) -> None:
    paths = Api(spokesperson).get("/openapi.json").json()["paths"]
    wanted = ["goals", "goals/kpis", "goals/{objective_id}", "goals/{objective_id}/targets", "reports/{month}",
              "reports/{month}/pdf"]  # fmt: skip
    for path in wanted:
        assert f"/api/v1/{path}" in paths, path
