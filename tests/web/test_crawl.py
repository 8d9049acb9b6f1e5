"""Every page a demo member can reach, in both languages, as each demo role, in a real browser.

The crawl signs in like a person (password, then the authenticator code), follows every link of the
product from the overview, and fails on a server error, a console error (a CSP refusal shows up as
one), an unstyled page, or text of the other language where the reader's language has its own.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import polib
import pytest
from django.conf import settings
from django_otp.oath import totp

from juru.ops import demo

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROLES = ("owner", "admin", "approver", "spokesperson", "responder", "marketer", "contributor", "viewer")
LANGUAGES = ("id", "en")
MAX_PAGES = 40  # per role and language: enough for every distinct page of the demo
SKIPPED_PATHS = ("/logout/", "/i18n/", "/static/", "/api/", "/admin/", "/favicon.ico")
SKIPPED_SUFFIXES = ("/export/", "/pdf/", ".jsonl", ".pdf", ".csv")
LOCALE = Path(settings.LOCALE_PATHS[0])


def _other_language_phrases(lang: str) -> list[str]:
    """Whole sentences that only the other language's pages may show (catalog entries that differ)."""
    entries = polib.pofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.po"))
    phrases = []
    for entry in entries:
        if entry.msgid_plural or entry.msgstr == entry.msgid or "%" in entry.msgid or "<" in entry.msgid:
            continue
        foreign = entry.msgstr if lang == "en" else entry.msgid
        if len(foreign) >= 24 and " " in foreign:
            phrases.append(foreign)
    return phrases


def _code_for(username: str) -> str:
    key = bytes.fromhex(demo.demo_totp_key(username))
    # The demo confirmed each authenticator with the current code, so the next step's code is the fresh one.
    return f"{totp(key, step=30, t0=0, digits=6, drift=1):06d}"


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", demo.demo_password(username))
    page.click("button[type=submit].btn-primary")
    page.wait_for_load_state()
    if "/login/verify/" in page.url:
        page.fill("input[name=token]", _code_for(username))
        page.click("button[type=submit].btn-primary")
        page.wait_for_load_state()


def _links(page: Any, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))")
    found = []
    for href in hrefs:
        url = urljoin(page.url, href)
        parts = urlsplit(url)
        if parts.netloc != urlsplit(base).netloc or not parts.path.startswith("/o/"):
            continue
        if parts.path.startswith(SKIPPED_PATHS) or parts.path.endswith(SKIPPED_SUFFIXES):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query and "page=" not in parts.query else ""))
    return found


def _styled(page: Any) -> bool:
    script = (
        "() => [...document.styleSheets].some(s => { try { return s.cssRules.length > 0 } catch (e) { return false } })"
    )
    return bool(page.evaluate(script))


def _page_problems(page: Any, path: str, lang: str, phrases: list[str], console: list[str]) -> list[str]:
    """What is wrong with the page on screen: console errors, no style, the wrong language."""
    problems = []
    if console:
        problems.append(f"{path}: console error {console[0][:160]}")
    if not _styled(page):
        problems.append(f"{path}: no stylesheet applied")
    if page.locator("html").get_attribute("lang") != lang:
        problems.append(f"{path}: page language is not {lang}")
    text = page.locator("body").inner_text()
    foreign = next((phrase for phrase in phrases if phrase in text), None)
    if foreign:
        problems.append(f"{path}: shows {foreign!r} in the other language")
    return problems


def _crawl(page: Any, base: str, lang: str, phrases: list[str]) -> tuple[int, list[str]]:
    problems: list[str] = []
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: console.append(str(error)))
    start = urlsplit(page.url).path
    queue, seen = deque([start]), {start}
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.popleft()
        console.clear()
        response = page.goto(base + path)
        visited += 1
        status = response.status if response else 0
        if status >= 500:
            problems.append(f"{path}: HTTP {status}")
            continue
        if status >= 400:
            continue  # a link to something this role may not open answers 403/404, as it should
        if "text/html" not in (response.headers.get("content-type", "") if response else ""):
            continue  # a download (PDF, JSON Lines) is not a page
        problems += _page_problems(page, path, lang, phrases, console)
        for link in _links(page, base):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return visited, problems


def test_every_page_as_every_demo_role_in_both_languages(chromium: Any, live_server: Any) -> None:
    demo.create()
    phrases = {lang: _other_language_phrases(lang) for lang in LANGUAGES}
    report: list[str] = []
    for username in ROLES:
        context = chromium.new_context(locale="id-ID")
        context.set_default_timeout(15_000)
        page = context.new_page()
        _sign_in(page, live_server.url, username)
        assert re.search(r"/o/[\w-]+/", page.url), f"{username} did not reach the product: {page.url}"
        home = page.url
        for lang in LANGUAGES:
            # One sign-in per person (a TOTP code works once); the language cookie switches the interface.
            context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
            page.goto(home)
            visited, problems = _crawl(page, live_server.url, lang, phrases[lang])
            assert visited >= 3, f"{username} ({lang}) reached only {visited} pages"
            report += [f"{username} ({lang}) {problem}" for problem in problems]
        context.close()
    assert not report, f"{len(report)} problem(s):\n" + "\n".join(report[:60])


def test_public_pages_in_both_languages(chromium: Any, live_server: Any, settings: Any, tmp_path: Path) -> None:
    """The pages outside the organisation (the sandbox, the author's appeal page) pass the same checks."""
    from juru.connectors.sandbox import SandboxStore
    from juru.moderation import public_appeals
    from juru.moderation.models import Author, AuthorState

    settings.SANDBOX_PATH = str(tmp_path / "sandbox.sqlite3")
    store = SandboxStore(settings.SANDBOX_PATH)
    store.register("nusantararasa", "Nusantara Rasa")
    post, _fault = store.publish("nusantararasa", "Rendang kemasan baru sudah tersedia!")
    organisation = demo.create()
    author = Author.objects.create(
        organisation=organisation, network="sandbox", handle="promo_gacor88", state=AuthorState.BANNED
    )
    pages = {
        "/sandbox/": 200, "/sandbox/@nusantararasa": 200, f"/sandbox/p/{post.id}": 200,
        public_appeals.appeal_path(author): 200, "/appeal/not-a-token/": 404,
    }  # fmt: skip
    phrases = {lang: _other_language_phrases(lang) for lang in LANGUAGES}
    report: list[str] = []
    console: list[str] = []
    for lang in LANGUAGES:
        context = chromium.new_context(locale="id-ID")
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
        page = context.new_page()
        page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
        for path, expected in pages.items():
            console.clear()
            response = page.goto(live_server.url + path)
            if response is None or response.status != expected:
                report.append(f"{path} ({lang}): HTTP {response.status if response else 0}, expected {expected}")
                continue
            if expected >= 400:
                console.clear()  # the browser logs the 404 of the page itself
            report += [f"({lang}) {problem}" for problem in _page_problems(page, path, lang, phrases[lang], console)]
        context.close()
    assert not report, "\n".join(report)
