"""Pages outside the signed-in product: the sandbox's styles, the icon, the error pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_sandbox_pages_take_their_styles_from_a_file_the_csp_allows(tmp_path: Path, settings: Any) -> None:
    settings.SANDBOX_PATH = tmp_path / "sandbox.sqlite3"
    client = Client()
    page = client.get("/sandbox/")
    html = page.content.decode()
    assert "<style" not in html  # style-src 'self' blocks inline blocks
    assert "style-src 'self'" in page["Content-Security-Policy"]
    assert "/static/sandbox/sandbox.css" in html
    css = client.get("/static/sandbox/sandbox.css")
    assert css.status_code == 200
    assert b".post" in b"".join(css.streaming_content)  # type: ignore[attr-defined]


def test_favicon_is_served() -> None:
    client = Client()
    assert 'rel="icon"' in client.get("/login/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(("lang", "text"), [("id", "Terjadi kesalahan"), ("en", "Something went wrong")])
def test_server_error_page_is_translated_and_plain(lang: str, text: str) -> None:
    with translation.override(lang):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert text in response.content.decode()
