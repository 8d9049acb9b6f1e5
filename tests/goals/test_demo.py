"""The demo organisation shows goals with data: its function names, objectives, targets, a pilot, activity."""

from __future__ import annotations

import pytest

from juru.goals import queries, report
from juru.goals.models import Objective, Pilot, Target
from juru.ops import demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_dashboard_has_figures_against_targets():
    org = demo.create()
    assert queries.function_names(org)["lead_generation"] == "Katering Kantor"
    assert Objective.objects.filter(organisation=org).count() == 4
    assert Target.objects.filter(objective__organisation=org).count() >= 6
    data = report.build(org, queries.previous_month(queries.this_month()))
    values = {kpi.name: value for kpi, value in data.kpis}
    assert values["posts_published"] > 0
    assert values["mention_volume"] > 0
    assert values["approval_turnaround_median"] is not None
    assert not data.posts_chart.empty
    assert not data.mentions_chart.empty
    assert all(view.progress for view in data.objectives)
    assert [view.pilot for view in data.pilots] == list(Pilot.objects.filter(organisation=org))
    assert data.pilots[0].people  # the Humas team, per person
