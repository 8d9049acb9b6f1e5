"""Every API operation that names an object by id answers 404 for another organisation's object."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from django.test import Client

from juru.accounts.models import Member
from juru.accounts.services import create_api_token
from juru.project.api import api
from juru.replies.models import Reply
from tests.web.test_pages import objects_b  # noqa: F401  (the other organisation's objects)

pytestmark = pytest.mark.django_db

# "METHOD path" -> a valid body, so the answer is about the object and not the payload.
# An operation with a path id that is missing here fails test_every_api_operation_with_an_id_is_covered.
API_OPERATIONS: dict[str, dict[str, Any] | None] = {
    "GET /me/eligibility/{account_id}/{permission}": None,
    "POST /advocacy/items/{item_id}/shares": {"account": str(uuid.uuid4())},
    "GET /policies/{version_id}": None,
    "POST /policies/{version_id}/sign": {"full_name": "Ani", "password": "x", "confirm": True},
    "GET /policies/{version_id}/signoffs": None,
    "GET /training/modules/{module_id}": None,
    "POST /training/modules/{module_id}/attempts": {"answers": {}, "attempt_token": str(uuid.uuid4())},
    "PUT /listening-queries/{query_id}": {"name": "Merek", "terms": "kopi"},
    "DELETE /listening-queries/{query_id}": None,
    "GET /alerts/{alert_id}": None,
    "POST /alerts/{alert_id}/acknowledge": {},
    "GET /drafts/{draft_id}": None,
    "PATCH /drafts/{draft_id}": {"text": "Halo", "version": 1},
    "POST /drafts/{draft_id}/submit": {},
    "POST /drafts/{draft_id}/approve": {},
    "POST /drafts/{draft_id}/reject": {},
    "POST /drafts/{draft_id}/request-changes": {},
    "POST /drafts/{draft_id}/schedule": {"confirm_accounts": []},
    "POST /drafts/{draft_id}/cancel": {},
    "POST /drafts/{draft_id}/override": {},
    "GET /decisions/{decision_id}": None,
    "GET /conversations/{conversation_id}": None,
    "POST /conversations/{conversation_id}/assign": {},
    "POST /conversations/{conversation_id}/resolve": {},
    "POST /conversations/{conversation_id}/reopen": {},
    "POST /conversations/{conversation_id}/pending": {},
    "POST /conversations/{conversation_id}/escalate": {"reason": "Somasi"},
    "POST /conversations/{conversation_id}/notes": {"text": "Cek resi"},
    "GET /routing-rules/{rule_id}": None,
    "PUT /routing-rules/{rule_id}": {"name": "Keracunan"},
    "DELETE /routing-rules/{rule_id}": None,
    "GET /authors/{author_id}": None,
    "POST /authors/{author_id}/ban": {},
    "POST /authors/{author_id}/unban": {},
    "POST /authors/{author_id}/whitelist": {"whitelisted": True},
    "POST /authors/{author_id}/appeals": {"statement": "Saya bukan bot"},
    "POST /authors/{author_id}/comments/{mention_id}/hide": {},
    "POST /authors/{author_id}/comments/{mention_id}/unhide": {},
    "POST /appeals/{appeal_id}/decide": {"accept": True},
    "GET /crisis/{crisis_id}": None,
    "GET /crisis/{crisis_id}/report": None,
    "POST /crisis/{crisis_id}/end": {},
    "POST /mentions/{mention_id}/reply": {"text": "Mohon maaf, Kak."},
    "GET /replies/{reply_id}": None,
    "POST /saved-replies/{saved_id}/versions": {"title": "Maaf", "text_id": "Mohon maaf ya, Kak."},
    "POST /saved-replies/{saved_id}/approve": {},
    "GET /violations/{case_id}": None,
    "POST /violations/{case_id}/investigate": {},
    "POST /violations/{case_id}/close": {},
    "POST /violations/{case_id}/reopen": {"reason": "Bukti baru"},
    "POST /violations/{case_id}/notes": {"text": "Cek tangkapan layar"},
    "POST /violations/{case_id}/decide": {"step": None, "note": "Teguran lisan"},
    "POST /violations/{case_id}/seen": {},
    "GET /goals/{objective_id}": None,
    "PUT /goals/{objective_id}": {
        "function": "marketing",
        "title": "Peluncuran",
        "period_start": "2026-10-01",
        "period_end": "2026-12-31",
    },
    "POST /goals/{objective_id}/targets": {"kpi": "posts_published", "value": "10"},
}
# Path parameter -> the object of the other organisation it names (or a plain value).
PARAMETERS = {
    "account_id": "account", "item_id": "item", "version_id": "version", "module_id": "module",
    "query_id": "query", "alert_id": "alert", "draft_id": "draft", "decision_id": "decision",
    "conversation_id": "conversation", "rule_id": "rule", "author_id": "author", "mention_id": "comment",
    "appeal_id": "appeal", "crisis_id": "crisis", "reply_id": "reply", "saved_id": "saved", "case_id": "case",
    "objective_id": "objective",
}  # fmt: skip
# Path parameters that name no object: the organisation is the token's (a report's month).
NOT_OBJECTS = {"month"}


def _operations() -> set[str]:
    """Every operation of the API whose path names an object, read from the routers."""
    found = set()
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            full = f"{prefix.rstrip('/')}/{path.lstrip('/')}".replace("//", "/")
            if set(re.findall(r"\{(\w+)\}", full)) - NOT_OBJECTS:
                found |= {f"{method} /{full.lstrip('/')}" for op in view.operations for method in op.methods}
    return found


def test_every_api_operation_with_an_id_is_covered() -> None:
    assert _operations() == set(API_OPERATIONS)


def _path(template: str, objects: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return "draft" if name == "permission" else str(objects[PARAMETERS[name]].public_id)

    return re.sub(r"\{(\w+)\}", value, template)


@pytest.mark.parametrize("operation", sorted(API_OPERATIONS))
def test_another_organisations_object_is_not_found(
    operation: str, owner: Member, request: pytest.FixtureRequest
) -> None:
    theirs = dict(request.getfixturevalue("objects_b"))
    theirs["reply"] = Reply.objects.create(
        organisation=theirs["member"].organisation, mention=theirs["comment"], draft=theirs["draft"],
        author=theirs["member"], thread_key="t",
    )  # fmt: skip
    _token, raw = create_api_token(actor=None, member=owner, name="tenancy")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    method, template = operation.split(" ", 1)
    body = API_OPERATIONS[operation]
    response = client.generic(
        method, f"/api/v1{_path(template, theirs)}", json.dumps(body) if body is not None else "",
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 404, response.content
    assert response["Content-Type"].startswith("application/problem+json")
