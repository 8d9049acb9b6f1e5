"""Goals writes: clear, translated refusals that change nothing, and an audit event for each change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from juru.audit.labels import ACTION_PHRASES
from juru.audit.models import AuditEvent
from juru.goals import queries, services
from juru.goals.exceptions import GoalsError
from juru.goals.models import Objective, Target
from tests import factories as base

pytestmark = pytest.mark.django_db


def objective(org, **changes):
    values = {
        "function": "pr",
        "title": "Citra positif",
        "period_start": date(2026, 11, 1),
        "period_end": date(2027, 1, 31),
    }
    return services.create_objective(actor=None, organisation=org, **(values | changes))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period_end": date(2026, 10, 1)}, "The period ends before it starts."),
        ({"period_end": None}, "Give the period a start and an end date."),
        ({"period_end": date(2030, 1, 1)}, "A period lasts at most two years."),
        ({"title": "   "}, "Describe the objective in a few words."),
        ({"function": "sales"}, "Choose a business function."),
    ],
)
def test_a_bad_objective_is_refused_with_a_reason(org, changes, message):
    with translation.override("en"), pytest.raises(GoalsError) as refused:
        objective(org, **changes)
    assert refused.value.message == message
    assert not Objective.objects.exists()


def test_a_refusal_is_translated(org):
    with translation.override("id"), pytest.raises(GoalsError) as refused:
        objective(org, title="")
    assert refused.value.message == "Jelaskan sasaran dalam beberapa kata."


@pytest.mark.parametrize(
    ("kpi", "value", "message"),
    [
        ("likes", Decimal(5), "Choose a KPI from the list."),
        ("posts_published", Decimal(-1), "A target is a number of zero or more."),
        ("negative_share", Decimal(140), "A share is at most 100 %."),
    ],
)
def test_a_bad_target_is_refused(org, kpi, value, message):
    goal = objective(org)
    with translation.override("en"), pytest.raises(GoalsError) as refused:
        services.set_target(actor=None, objective=goal, kpi=kpi, value=value)
    assert refused.value.message == message
    assert not Target.objects.exists()


def test_setting_a_target_twice_changes_it_and_is_audited(org, owner):
    goal = objective(org)
    services.set_target(actor=owner.user, objective=goal, kpi="negative_share", value=Decimal(20))
    services.set_target(actor=owner.user, objective=goal, kpi="negative_share", value=Decimal(15))
    assert [(t.kpi, t.value) for t in goal.targets.all()] == [("negative_share", Decimal(15))]
    event = AuditEvent.objects.filter(action="goals.target_set").order_by("pk").last()
    assert event.before == {"kpi": "negative_share", "value": "20.00"}
    assert event.after == {"kpi": "negative_share", "value": "15"}


def test_every_goals_action_has_a_readable_phrase(org, owner, spokesperson):
    team = base.make_team(org, "Humas", "pr")
    services.save_profile(actor=owner.user, organisation=org, function="pr", name="Humas")
    goal = objective(org)
    target = services.set_target(actor=None, objective=goal, kpi="violations", value=Decimal(0))
    services.update_objective(
        actor=None,
        objective=goal,
        function="pr",
        title="Citra",
        period_start=date(2026, 11, 1),
        period_end=date(2026, 12, 1),
    )
    services.delete_target(actor=None, target=target)
    services.save_pilot(
        actor=None, organisation=org, name="Pilot", team=team, start=date(2026, 11, 1), end=date(2026, 11, 30)
    )
    services.delete_objective(actor=None, objective=goal)
    actions = set(AuditEvent.objects.filter(action__startswith="goals.").values_list("action", flat=True))
    assert len(actions) == 7
    assert actions <= set(ACTION_PHRASES)


def test_function_names_are_the_organisations_own(org, other_org):
    services.save_profile(
        actor=None, organisation=org, function="lead_generation", name="Katering Kantor", description="B2B"
    )
    names = queries.function_names(org)
    assert names["lead_generation"] == "Katering Kantor"
    with translation.override("en"):
        assert queries.function_names(other_org)["lead_generation"] == "Lead generation"
    with pytest.raises(GoalsError):
        services.save_profile(actor=None, organisation=org, function="pr", name=" ")


def test_a_pilot_takes_only_a_team_of_its_own_organisation(org, other_org):
    foreign = base.make_team(other_org, "Legal", "legal")
    with translation.override("en"), pytest.raises(GoalsError) as refused:
        services.save_pilot(
            actor=None, organisation=org, name="Pilot", team=foreign, start=date(2026, 11, 1), end=date(2026, 11, 30)
        )
    assert refused.value.message == "Choose the team that takes part in the pilot."


@pytest.mark.parametrize("text", ["2026-13", "26-11", "November", "", "1999-01"])
def test_a_month_must_be_yyyy_mm(text):
    with pytest.raises(GoalsError):
        queries.parse_month(text)
    assert queries.parse_month("2026-11") == date(2026, 11, 1)


def test_progress_knows_which_way_is_better(org, activity):
    goal = objective(org, function="lead_generation", period_end=date(2026, 11, 30))
    more = services.set_target(actor=None, objective=goal, kpi="posts_published", value=Decimal(4))
    less = services.set_target(actor=None, objective=goal, kpi="approval_turnaround_median", value=Decimal(4))
    up = queries.progress(more, goal)
    down = queries.progress(less, goal)
    assert (up.actual, up.reached, up.percent) == (2, False, 50)  # two lead-generation posts of four
    assert down.actual == 5.0  # lead generation: 5 and 9 hours
    assert (down.reached, down.percent) == (False, 80)
