"""The Indonesian and English catalogs are complete and their compiled .mo files match the .po files."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ("id", "en")


def parse_po(path: Path) -> list[dict[str, object]]:
    """Entries of a .po file: msgid, msgid_plural, msgstr forms, flags (header entry excluded)."""
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    field = ""

    def flush() -> None:
        if current.get("msgid") not in (None, ""):
            entries.append(dict(current))
        current.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            field = ""
        elif line.startswith("#,"):
            current["flags"] = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[field] = str(current.get(field, "")) + _unquote(line)
        else:
            field, _, rest = line.partition(" ")
            current[field] = _unquote(rest)
    flush()
    return entries


def _unquote(text: str) -> str:
    return text.strip()[1:-1].encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_has_no_empty_or_fuzzy_translation(lang: str) -> None:
    entries = parse_po(LOCALE / lang / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100, "the catalog looks truncated"
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", set())]  # type: ignore[operator]
    empty = [e["msgid"] for e in entries if any(v == "" for k, v in e.items() if k.startswith("msgstr"))]
    assert not fuzzy, f"fuzzy translations in {lang}: {fuzzy[:10]}"
    assert not empty, f"untranslated messages in {lang}: {empty[:10]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_matches_its_source(lang: str, tmp_path: Path) -> None:
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True)
    assert mo.read_bytes() == fresh.read_bytes(), f"{mo} is stale: run `juru compilemessages`"


def test_indonesian_is_the_default_and_translates() -> None:
    assert settings.LANGUAGE_CODE == "id"
    with translation.override("id"):
        assert translation.gettext("Sign in") == "Masuk"
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"


def test_eligibility_routes_and_severities_render_in_the_interface_language() -> None:
    result = SimpleNamespace(allowed=True, via=["direct", "team:Humas"], reasons=[])
    with translation.override("id"):
        html = render_to_string("components/_eligibility.html", {"result": result})
        assert "melalui izin langsung, tim “Humas”" in html
        assert ">kritis</span>" in render_to_string("components/_severity.html", {"value": "critical"})
        assert translation.pgettext("navigation", "Publishing") == "Publikasi"
    with translation.override("en"):
        html = render_to_string("components/_eligibility.html", {"result": result})
        assert "via a direct grant, team “Humas”" in html
        assert ">critical</span>" in render_to_string("components/_severity.html", {"value": "critical"})
