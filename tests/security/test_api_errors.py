"""Findings 4 and 6: bounded requests, and every API error a 4xx JSON problem (never a 500 or a traceback)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from juru.accounts.models import Role
from juru.publishing.exceptions import TextTooLongError, UnstorableTextError
from juru.publishing.models import Draft
from juru.publishing.services import drafts
from juru.scan.limits import MAX_TEXT_CHARS
from tests.api_client import Api
from tests.publishing.conftest import Cast, build_cast
from tests.web.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db: Any) -> Cast:
    return build_cast()


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["detail"]
    return body


def test_viewer_token_on_the_audit_log_is_a_403_problem(cast: Cast) -> None:
    viewer = make_member(cast.org, "vera", Role.VIEWER)
    assert_problem(Api(viewer).get("/audit-events"), 403)


def test_a_long_scan_request_is_refused_with_the_limit(cast: Cast) -> None:
    text = "0812-3456-7890 " * 7_000  # about 100,000 characters of phone numbers
    body = assert_problem(Api(cast.author).post("/scan", {"text": text}), 422)
    assert str(MAX_TEXT_CHARS) in json.dumps(body)


def test_a_draft_over_the_limit_is_refused_by_the_service(cast: Cast) -> None:
    with pytest.raises(TextTooLongError, match=str(MAX_TEXT_CHARS)):
        drafts.create_draft(actor=cast.author, accounts=[cast.brand], text="a" * (MAX_TEXT_CHARS + 1))
    assert not Draft.objects.exists()


@pytest.mark.parametrize("escaped", ["\\ud800", "\\u0000", "ab\\udfffcd"])
def test_unstorable_characters_in_a_draft_are_a_422(cast: Cast, escaped: str) -> None:
    raw = '{"accounts": ["' + str(cast.brand.public_id) + '"], "text": "Halo ' + escaped + ' semua"}'
    body = assert_problem(Api(cast.author).post("/drafts", raw), 422)
    assert "body.text" in body["detail"]
    assert not Draft.objects.exists()


def test_unstorable_characters_in_the_query_are_a_422(cast: Cast) -> None:
    assert_problem(Api(cast.owner).get("/audit-events?action=%00"), 422)


def test_unstorable_characters_reach_the_service_as_a_clear_error(cast: Cast) -> None:
    with pytest.raises(UnstorableTextError, match="5"):
        drafts.create_draft(actor=cast.author, accounts=[cast.brand], text="Halo\x00semua")


def test_a_six_megabyte_body_is_a_413(cast: Cast) -> None:
    body = json.dumps({"text": "a" * (6 * 1024 * 1024)})
    assert_problem(Api(cast.author).post("/scan", body), 413)


def test_malformed_json_is_a_400(cast: Cast) -> None:
    assert_problem(Api(cast.author).post("/scan", b'{"text": '), 400)


def test_a_missing_or_wrong_token_is_a_401_problem(cast: Cast) -> None:
    response = Client(HTTP_AUTHORIZATION="Bearer juru_nope").get("/api/v1/drafts")
    assert_problem(response, 401)


def test_each_token_has_its_own_rate_limit(cast: Cast, settings: Any) -> None:
    settings.API_RATE_LIMIT = "3/minute"
    busy, other = Api(cast.author), Api(cast.author)
    for _ in range(3):
        assert busy.get("/drafts").status_code == 200
    refused = busy.get("/drafts")
    body = assert_problem(refused, 429)
    assert int(refused["Retry-After"]) >= 1
    assert "3/minute" in body["detail"]
    assert other.get("/drafts").status_code == 200


def test_the_live_check_takes_any_character_and_any_length(cast: Cast) -> None:
    from tests.web.conftest import sign_in

    client = sign_in(Client(), cast.author.user)
    url = "/o/acme/publishing/check/"
    for text in ("Halo\x00semua", "a" * (MAX_TEXT_CHARS + 500)):
        response = client.post(url, {"text": text, "accounts": [str(cast.brand.pk)]})
        assert response.status_code == 200
