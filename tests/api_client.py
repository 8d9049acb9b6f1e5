"""One test client for the JSON API: a member's bearer token, a language, and JSON bodies."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from juru.accounts.models import Member
from juru.accounts.services.tokens import create_api_token


class Api:
    """Calls ``/api/v1`` as ``member`` with a fresh token, in ``lang``; bodies go as JSON (str/bytes as given)."""

    def __init__(self, member: Member, lang: str = "en") -> None:
        _token, raw = create_api_token(actor=None, member=member, name="test")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE=lang)

    def send(self, method: str, path: str, body: Any = None) -> Any:
        """Any method with a JSON body (``None`` sends an empty object)."""
        data = body if isinstance(body, str | bytes) else json.dumps({} if body is None else body)
        return self.client.generic(method.upper(), f"/api/v1{path}", data, content_type="application/json")

    def post(self, path: str, body: Any = None) -> Any:
        """POST with a JSON body."""
        return self.send("post", path, body)

    def get(self, path: str) -> Any:
        """GET without a body."""
        return self.client.get(f"/api/v1{path}")
