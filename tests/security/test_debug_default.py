"""Finding 6: debug pages (tracebacks, every URL pattern) only when JURU_DEBUG=true is set explicitly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

PRINT_DEBUG = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='juru.project.settings'; django.setup();"
    "from django.conf import settings; print(settings.DEBUG, settings.ADMIN_ENABLED)"
)


def settings_seen(tmp_path: Path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("JURU_")}
    clean.update({"JURU_DATA_DIR": str(tmp_path), **env})
    done = subprocess.run(
        [sys.executable, "-c", PRINT_DEBUG], env=clean, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip()


def test_debug_and_admin_are_off_unless_asked_for(tmp_path: Path) -> None:
    assert settings_seen(tmp_path) == "False False"
    assert settings_seen(tmp_path, JURU_DEBUG="true", JURU_ADMIN="true") == "True True"


@pytest.mark.django_db
def test_unknown_page_shows_the_product_404_not_the_url_list() -> None:
    page = Client().get("/no-such-page/").content.decode()
    assert "URLconf" not in page
    assert "api/v1/" not in page
