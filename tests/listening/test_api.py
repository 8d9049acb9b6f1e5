"""The listening API: queries, mentions and alerts with the same checks as the pages, 404 across organisations."""

from __future__ import annotations

import pytest

from juru.listening import services
from juru.listening.models import ListeningQuery
from tests.api_client import Api
from tests.listening.factories import complaint_wave
from tests.publishing.conftest import build_cast

pytestmark = pytest.mark.django_db


def test_queries_can_be_managed_by_the_owner_only(cast):
    owner, employee = Api(cast.owner), Api(cast.employee)
    made = owner.send(
        "post", "/listening-queries", {"name": "Acme", "terms": "acme\nnasi kotak", "exclusions": "loker"}
    )
    assert made.status_code == 201
    body = made.json()
    assert body["terms"] == ["acme", "nasi kotak"]
    assert employee.send("post", "/listening-queries", {"name": "X", "terms": "x"}).status_code == 403
    assert [q["name"] for q in employee.get("/listening-queries").json()] == ["Acme"]
    changed = owner.send("put", f"/listening-queries/{body['id']}", {"name": "Acme", "terms": "acme", "language": "id"})
    assert changed.json()["language"] == "id"
    bad = owner.send("post", "/listening-queries", {"name": "Kosong", "terms": "  "})
    assert bad.status_code == 400
    assert "word or phrase" in bad.json()["detail"]
    assert owner.send("delete", f"/listening-queries/{body['id']}").status_code == 204
    assert not ListeningQuery.objects.exists()


def test_mentions_and_alerts_with_filters_and_acknowledgement(cast, brand_query):
    services.store_mentions(cast.org, cast.brand, complaint_wave("a"))
    api = Api(cast.owner)
    mentions = api.get(f"/mentions?sentiment=negative&query={brand_query.public_id}").json()
    assert mentions
    assert {m["sentiment"] for m in mentions} == {"negative"}
    assert str(brand_query.public_id) in mentions[0]["queries"]
    alerts = api.get("/alerts?status=open").json()
    assert len(alerts) == 1
    assert alerts[0]["sentiment"] == "negative"
    assert alerts[0]["observed"] >= 5
    assert Api(cast.employee).send("post", f"/alerts/{alerts[0]['id']}/acknowledge").status_code == 403
    done = Api(cast.crisis_lead).send("post", f"/alerts/{alerts[0]['id']}/acknowledge")
    assert done.json()["status"] == "acknowledged"
    assert api.send("post", f"/alerts/{alerts[0]['id']}/acknowledge").status_code == 409
    assert api.get("/alerts?status=bogus").status_code == 400


def test_another_organisation_gets_404(cast, brand_query):
    services.store_mentions(cast.org, cast.brand, complaint_wave("b"))
    alert_id = Api(cast.owner).get("/alerts").json()[0]["id"]
    stranger = Api(build_cast("other").owner)
    assert stranger.get(f"/alerts/{alert_id}").status_code == 404
    assert stranger.send("post", f"/alerts/{alert_id}/acknowledge").status_code == 404
    assert stranger.send("delete", f"/listening-queries/{brand_query.public_id}").status_code == 404
    assert stranger.get(f"/mentions?query={brand_query.public_id}").status_code == 404
    assert stranger.get("/mentions").json() == []
