"""The crisis API: declare, current, end, report, with the same checks as the pages and RFC 9457 problems."""

from __future__ import annotations

import pytest

from juru.crisis.models import Crisis
from juru.listening import services as listening_services
from juru.listening.models import Alert
from tests.crisis.factories import queued_post
from tests.listening.factories import complaint_wave
from tests.listening.test_api import Api
from tests.publishing.conftest import build_cast

pytestmark = pytest.mark.django_db


def test_declare_current_end_and_report(cast, brand_query):
    listening_services.store_mentions(cast.org, cast.brand, complaint_wave("api"))
    alert = Alert.objects.get(organisation=cast.org)
    queued_post(cast.author, cast.brand)
    lead = Api(cast.crisis_lead)
    assert lead.get("/crisis/current").status_code == 404
    made = lead.send(
        "post", "/crisis", {"severity": 8, "description": "Keracunan nasi kotak", "alert": str(alert.public_id)}
    )
    assert made.status_code == 201
    body = made.json()
    assert (body["active"], body["severity"], body["paused_posts"]) == (True, 8, 1)
    assert body["alert"] == str(alert.public_id)
    assert lead.get("/crisis/current").json()["id"] == body["id"]
    again = lead.send("post", "/crisis", {"severity": 5, "description": "Lagi"})
    assert again.status_code == 409
    assert again["Content-Type"].startswith("application/problem+json")
    ended = lead.send("post", f"/crisis/{body['id']}/end", {"summary": "Selesai"})
    assert ended.status_code == 200
    assert (ended.json()["active"], ended.json()["held_posts"], ended.json()["held_waiting"]) == (False, 1, 1)
    assert lead.send("post", f"/crisis/{body['id']}/end", {}).status_code == 409
    report = lead.get(f"/crisis/{body['id']}/report")
    assert report.status_code == 200
    assert report["Content-Type"].startswith("text/html")
    assert "Keracunan nasi kotak" in report.content.decode()
    assert [c["id"] for c in lead.get("/crisis").json()] == [body["id"]]


def test_a_member_without_the_right_is_refused_and_bad_input_is_explained(cast):
    refused = Api(cast.employee).send("post", "/crisis", {"severity": 5, "description": "x"})
    assert refused.status_code == 403
    owner = Api(cast.owner)
    bad = owner.send("post", "/crisis", {"severity": 12, "description": "Isu"})
    assert bad.status_code == 400
    assert "1 (minor) to 10" in bad.json()["detail"]
    empty = owner.send("post", "/crisis", {"severity": 3, "description": "   "})
    assert empty.status_code == 400
    assert not Crisis.objects.exists()


def test_another_organisations_crisis_and_alert_are_not_found(cast):
    other = build_cast("bank")
    theirs = Api(other.owner).send("post", "/crisis", {"severity": 4, "description": "Isu bank"}).json()
    mine = Api(cast.owner)
    assert mine.get(f"/crisis/{theirs['id']}").status_code == 404
    assert mine.send("post", f"/crisis/{theirs['id']}/end", {}).status_code == 404
    assert mine.get(f"/crisis/{theirs['id']}/report").status_code == 404
    listening_services.store_mentions(other.org, other.brand, complaint_wave("b"))
    alert = Alert.objects.get(organisation=other.org)
    assert (
        mine.send("post", "/crisis", {"severity": 4, "description": "x", "alert": str(alert.public_id)}).status_code
        == 404
    )
    assert mine.get("/crisis/current").status_code == 404
