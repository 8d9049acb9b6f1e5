"""The KPI registry: each KPI counts what a person would count, only in its period, function and people."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from juru.goals import kpis, queries
from juru.goals.kpis import REGISTRY, Scope
from juru.governance import services as governance
from tests import factories as base
from tests.goals.conftest import MONTH

pytestmark = pytest.mark.django_db


def month(org, **narrow):
    scope = queries.month_scope(org, MONTH)
    return Scope(org, scope.start, scope.end, **narrow)


def test_each_kpi_over_a_month_of_activity(org, activity):
    values = {kpi.name: value for kpi, value in queries.kpi_values(month(org))}
    assert values["posts_published"] == 4  # the reply and October's post do not count
    assert values["approval_turnaround_median"] == 3.0  # hours: 1, 2 (the reply), 3, 5, 9
    assert values["approval_turnaround_p90"] == 9.0
    assert values["mention_volume"] == 4
    assert values["negative_share"] == 25.0
    assert values["positive_share"] == 50.0
    assert values["leads_tagged"] == 1  # lead generation AND a campaign naming the source
    assert values["flagged_drafts"] == 1
    assert values["violations"] == 1


def test_kpis_narrow_to_a_function_and_to_members(org, activity, spokesperson, owner):
    assert kpis.posts_published(month(org, function="marketing")) == 2
    assert kpis.posts_published(month(org, function="lead_generation")) == 2
    assert kpis.leads_tagged(month(org, function="marketing")) == 0
    assert kpis.posts_published(month(org, members=(spokesperson.pk,))) == 2
    assert kpis.violations(month(org, members=(owner.pk,))) == 0
    assert kpis.violations(month(org, members=(spokesperson.pk,))) == 1


def test_an_empty_month_has_zeros_and_no_data_never_a_made_up_value(org, activity):
    scope = month(org)
    empty = Scope(org, scope.start + timedelta(days=400), scope.end + timedelta(days=400))
    values = {kpi.name: value for kpi, value in queries.kpi_values(empty)}
    assert values["posts_published"] == 0
    assert values["approval_turnaround_median"] is None
    assert values["negative_share"] is None


def test_training_coverage_counts_members_holding_every_required_module(org, owner, spokesperson):
    module = base.required_module(org)
    assert kpis.training_coverage(month(org)) == 0.0
    governance.record_training_completion(actor=None, member=spokesperson, module=module, score=100)
    assert kpis.training_coverage(month(org)) == 50.0
    assert kpis.training_coverage(month(org, members=(spokesperson.pk,))) == 100.0


def test_percentile_is_nearest_rank():
    assert kpis.percentile([], 0.5) is None
    assert kpis.percentile([4.0], 0.9) == 4.0
    assert kpis.percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.0
    assert kpis.percentile([float(n) for n in range(1, 11)], 0.9) == 9.0


@pytest.mark.parametrize(("lang", "label"), [("id", "Postingan terbit"), ("en", "Posts published")])
def test_every_kpi_has_a_translated_label_unit_and_description(lang, label):
    with translation.override(lang):
        assert str(REGISTRY["posts_published"].label) == label
        for kpi in REGISTRY.values():
            assert all(str(text) for text in (kpi.label, kpi.unit, kpi.description))


def test_a_new_kpi_is_one_registered_function(org, activity, monkeypatch):
    monkeypatch.setattr(kpis, "REGISTRY", dict(REGISTRY))
    monkeypatch.setattr(queries, "REGISTRY", kpis.REGISTRY)

    @kpis.kpi("replies_sent", label="Replies sent", unit="replies", description="Replies to comments.")
    def replies_sent(scope: Scope) -> float:
        return kpis.drafts(scope).filter(posts__reply_to__gt="", approved_at__gte=scope.start).count()

    values = {kpi.name: value for kpi, value in queries.kpi_values(month(org))}
    assert values["replies_sent"] == 1
    assert ("replies_sent", "Replies sent") in kpis.choices()
