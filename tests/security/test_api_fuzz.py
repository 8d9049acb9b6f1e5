"""Findings 4 and 6: generated requests against every API operation, as a viewer and as an owner, give no 5xx."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from juru.accounts.models import Role
from juru.accounts.services.tokens import create_api_token
from juru.publishing.services import drafts
from tests.publishing.conftest import build_cast
from tests.security.api_fuzzing import fuzz
from tests.web.conftest import make_member

pytestmark = pytest.mark.django_db


def test_no_generated_request_gets_a_server_error(settings: Any) -> None:
    settings.API_RATE_LIMIT = ""  # the limiter is tested on its own; here every request reaches a handler
    cast = build_cast()
    drafts.create_draft(actor=cast.author, accounts=[cast.brand], text="Selamat pagi dari Nusantara Rasa")
    viewer = make_member(cast.org, "vivi", Role.VIEWER)
    tokens = [create_api_token(actor=None, member=m, name="fuzz")[1] for m in (viewer, cast.owner, cast.author)]
    report = fuzz(Client(raise_request_exception=True), tokens, max_examples=6)
    assert report.requests > 100
    assert not report.failures, "\n".join(report.failures[:20])
    assert set(report.statuses) & {200, 201}, "some requests must get through, or the fuzzing proves nothing"
