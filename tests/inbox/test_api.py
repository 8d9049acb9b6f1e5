"""The inbox API: conversations with filters and actions, routing rules; same checks as the pages."""

from __future__ import annotations

import pytest

from juru.inbox.models import Conversation
from juru.listening import services as listening
from tests.inbox.conftest import incoming
from tests.listening.test_api import Api
from tests.publishing.conftest import build_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(cast) -> Conversation:
    listening.store_mentions(cast.org, cast.brand, [incoming("a1", "Nasi kotaknya basi", author="sari")])
    return Conversation.objects.get(organisation=cast.org)


def test_list_filters_and_detail(cast, conversation):
    owner = Api(cast.owner)
    listed = owner.get("/conversations?status=open")
    assert listed.status_code == 200
    [row] = listed.json()
    assert row["id"] == str(conversation.public_id)
    assert row["author"] == "sari"
    assert row["priority"] == "normal"
    assert row["due_at"] is not None
    assert owner.get("/conversations?status=resolved").json() == []
    assert owner.get("/conversations?assignee=none").json()[0]["assignee"] is None
    assert owner.get("/conversations?status=gone").status_code == 400
    assert owner.get("/conversations?priority=sangat").status_code == 400
    detail = owner.get(f"/conversations/{conversation.public_id}").json()
    assert detail["messages"][0]["text"] == "Nasi kotaknya basi"


def test_assign_note_escalate_resolve_and_reopen(cast, conversation):
    owner = Api(cast.owner)
    base = f"/conversations/{conversation.public_id}"
    assigned = owner.send("post", f"{base}/assign", {"assignee": str(cast.pr1.public_id)})
    assert assigned.status_code == 200
    assert assigned.json()["assignee"] == cast.pr1.user.username
    assert owner.send("post", f"{base}/notes", {"text": "  "}).status_code == 400
    assert owner.send("post", f"{base}/notes", {"text": "Minta nomor pesanan"}).status_code == 201
    refused = owner.send("post", f"{base}/escalate", {"reason": "", "team": str(cast.teams["legal"].public_id)})
    assert refused.status_code == 400
    escalated = owner.send("post", f"{base}/escalate", {"reason": "Somasi", "team": str(cast.teams["legal"].public_id)})
    assert escalated.json()["team"] == "legal"
    resolved = owner.send("post", f"{base}/resolve")
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["due_at"] is None
    assert owner.send("post", f"{base}/resolve").status_code == 409
    assert owner.send("post", f"{base}/reopen").json()["status"] == "open"
    events = [e["kind"] for e in owner.get(base).json()["events"]]
    assert events == ["assigned", "note", "escalated", "status", "status"]


def test_a_contributor_cannot_act_and_another_organisation_sees_nothing(cast, conversation):
    employee = Api(cast.employee)
    base = f"/conversations/{conversation.public_id}"
    assert employee.send("post", f"{base}/resolve").status_code == 403
    other = build_cast("bank")
    outsider = Api(other.owner)
    assert outsider.get(base).status_code == 404
    assert outsider.send("post", f"{base}/resolve").status_code == 404
    assert outsider.get("/conversations").json() == []


def test_routing_rules_crud(cast):
    owner, employee = Api(cast.owner), Api(cast.employee)
    body = {"name": "Keracunan", "words": "keracunan\nbasi", "team": str(cast.teams["crisis"].public_id),
            "priority": "urgent", "tags": "keamanan pangan"}  # fmt: skip
    assert employee.send("post", "/routing-rules", body).status_code == 403
    made = owner.send("post", "/routing-rules", body)
    assert made.status_code == 201
    rule = made.json()
    assert rule["words"] == ["keracunan", "basi"]
    assert rule["tags"] == ["keamanan pangan"]
    assert owner.send("post", "/routing-rules", body | {"priority": "sangat"}).status_code == 400
    changed = owner.send("put", f"/routing-rules/{rule['id']}", body | {"priority": "high", "is_active": False})
    assert changed.json()["priority"] == "high"
    assert changed.json()["is_active"] is False
    assert [r["name"] for r in owner.get("/routing-rules").json()] == ["Keracunan"]
    assert owner.send("delete", f"/routing-rules/{rule['id']}").status_code == 204
    assert owner.get("/routing-rules").json() == []
