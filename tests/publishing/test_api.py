"""The publishing API: same services and permission checks as the UI, 404 across organisations."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from juru.publishing.models import Draft, DraftState
from juru.scan import MAX_TEXT_CHARS
from tests.api_client import Api
from tests.publishing.conftest import Cast, build_cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_scanner")]


def create(api: Api, cast: Cast, text: str = "Halo semua") -> dict[str, Any]:
    response = api.post("/drafts", {"accounts": [str(cast.brand.public_id)], "text": text})
    assert response.status_code == 201, response.content
    return response.json()


def test_scan_returns_the_scan_shape_and_records_a_decision(cast: Cast) -> None:
    api = Api(cast.author)
    body = api.post("/scan?messages=en", {"text": "Halo WARNME", "account": "brand"}).json()
    assert body["verdict"] == "warn"
    assert body["revision"].startswith("sha256:")
    assert body["hits"][0]["message"] == "message core.tone"
    assert body["hits"][0]["start"] == 5
    listed = api.get("/decisions").json()
    assert listed[0]["id"] == body["decision"]
    assert listed[0]["purpose"] == "api"


def test_scan_refuses_a_text_over_the_scanner_limit_with_a_client_error(cast: Cast) -> None:
    api = Api(cast.author)
    assert api.post("/scan", {"text": "a" * MAX_TEXT_CHARS}).status_code == 200
    response = api.post("/scan", {"text": "a" * (MAX_TEXT_CHARS + 1)})
    assert response.status_code == 422
    assert str(MAX_TEXT_CHARS) in response.content.decode()


def test_full_flow_through_the_api(cast: Cast) -> None:
    author, approver = Api(cast.author), Api(cast.pr1)
    draft = create(author, cast)
    assert author.post(f"/drafts/{draft['id']}/submit").json()["state"] == "in_review"
    assert author.post(f"/drafts/{draft['id']}/approve").status_code == 403  # own draft
    approved = approver.post(f"/drafts/{draft['id']}/approve", {"comment": "ok", "version": 1}).json()
    assert approved["state"] == "approved"
    assert approved["steps"][0]["approvals"][0]["comment"] == "ok"
    bad = author.post(f"/drafts/{draft['id']}/schedule", {"confirm_accounts": []})
    assert bad.status_code == 400
    assert "acme_id" in bad.json()["detail"]
    done = author.post(f"/drafts/{draft['id']}/schedule", {"confirm_accounts": ["acme_id"]}).json()
    assert done["state"] == "scheduled"
    assert done["posts"][0]["state"] == "scheduled"


def test_request_changes_reject_and_cancel(cast: Cast) -> None:
    author, approver = Api(cast.author), Api(cast.pr1)
    draft = create(author, cast)
    author.post(f"/drafts/{draft['id']}/submit")
    assert approver.post(f"/drafts/{draft['id']}/request-changes", {"comment": ""}).status_code == 409
    assert approver.post(f"/drafts/{draft['id']}/request-changes", {"comment": "perbaiki"}).json()["state"] == (
        "changes_requested"
    )
    assert author.post(f"/drafts/{draft['id']}/cancel", {"reason": "batal"}).json()["state"] == "cancelled"


def test_stale_version_is_a_conflict(cast: Cast) -> None:
    author, approver = Api(cast.author), Api(cast.pr1)
    draft = create(author, cast)
    author.post(f"/drafts/{draft['id']}/submit")
    patched = author.client.patch(
        f"/api/v1/drafts/{draft['id']}", json.dumps({"text": "baru", "version": 1}), content_type="application/json"
    )
    assert patched.json()["version"] == 2
    assert patched.json()["state"] == "draft"
    assert author.post(f"/drafts/{draft['id']}/submit").status_code == 200
    assert approver.post(f"/drafts/{draft['id']}/approve", {"version": 1}).status_code == 409


def test_blocked_draft_submit_is_refused_with_the_reason(cast: Cast) -> None:
    api = Api(cast.author)
    draft = create(api, cast, "BLOCKME")
    response = api.post(f"/drafts/{draft['id']}/submit")
    assert response.status_code == 400
    assert "core.confidential" in response.json()["detail"]


def test_ineligible_member_gets_403_with_reasons(cast: Cast) -> None:
    viewer = cast.member("viewer1", role="viewer")
    response = Api(viewer).post("/drafts", {"accounts": [str(cast.brand.public_id)], "text": "x"})
    assert response.status_code == 403
    assert response.json()["detail"]


def test_other_organisation_sees_404(cast: Cast) -> None:
    other = build_cast("globex")
    draft = create(Api(cast.author), cast)
    outsider = Api(other.author)
    assert outsider.get(f"/drafts/{draft['id']}").status_code == 404
    assert outsider.post(f"/drafts/{draft['id']}/approve").status_code == 404
    assert outsider.post("/drafts", {"accounts": [str(cast.brand.public_id)], "text": "x"}).status_code == 404
    assert outsider.get(f"/decisions?draft={draft['id']}").status_code == 404
    assert outsider.get("/drafts").json() == []
    assert Draft.objects.get().state == DraftState.DRAFT


def test_missing_token_is_401(cast: Cast) -> None:
    assert Client().get("/api/v1/drafts").status_code == 401


def test_bad_input_is_a_clear_error(cast: Cast) -> None:
    api = Api(cast.author)
    assert api.post("/drafts", {"accounts": [], "text": "x"}).status_code in (400, 422)
    assert api.post("/drafts", {"accounts": ["not-a-uuid"], "text": "x"}).status_code in (400, 422)
    assert api.post("/drafts", {"accounts": [str(cast.brand.public_id)], "text": "  "}).status_code == 400
