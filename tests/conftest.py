"""Suite-wide fixtures and the CI guard: in CI, PostgreSQL, Redis and browser tests must run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
GUARDED_MARKERS = ("postgres", "redis", "browser", "bluesky")
IN_CI = os.environ.get("CI", "").lower() == "true"


def on_postgres() -> bool:
    """True when this run's Django database is PostgreSQL."""
    return os.environ.get("JURU_DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_configure(config: pytest.Config) -> None:
    if IN_CI and not os.environ.get("JURU_TEST_DATABASE_URL"):
        raise pytest.UsageError("CI=true needs JURU_TEST_DATABASE_URL: PostgreSQL tests may not be skipped")
    if IN_CI and not os.environ.get("JURU_TEST_REDIS_URL"):
        raise pytest.UsageError("CI=true needs JURU_TEST_REDIS_URL: Redis tests may not be skipped")
    config._juru_guard_skips = []  # type: ignore[attr-defined]
    from django.conf import settings

    # The demo's gentle background stream on the sandbox is the scheduler's job, never a test's.
    settings.SANDBOX_BACKGROUND_TRAFFIC = False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL-only tests belong to the PostgreSQL pass; leave them out of the SQLite pass."""
    if on_postgres():
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    dropped = [item for item in items if item.get_closest_marker("postgres") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
        config._juru_postgres_only = len(dropped)  # type: ignore[attr-defined]  # reported at the end


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and any(marker in report.keywords for marker in GUARDED_MARKERS):
        report.longrepr = report.longrepr  # keep the reason for the summary
        _SKIPPED_GUARDED.append(report.nodeid)


_SKIPPED_GUARDED: list[str] = []


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Say why tests were left out, so a missing PostgreSQL never looks like a pass."""
    count = getattr(config, "_juru_postgres_only", 0)
    if count:
        terminalreporter.write_line(
            f"{count} PostgreSQL-only test(s) left out of this SQLite run: they run in the PostgreSQL pass "
            "(set JURU_TEST_DATABASE_URL, as .ci/run does)."
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if IN_CI and _SKIPPED_GUARDED:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                "CI: these PostgreSQL/Redis/browser tests were skipped, which CI does not allow:",
                red=True,
            )
            for nodeid in _SKIPPED_GUARDED:
                reporter.write_line(f"  {nodeid}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis server tests may use; skipped (a CI failure) when none is configured."""
    url = os.environ.get("JURU_TEST_REDIS_URL", "")
    if not url:
        pytest.skip("set JURU_TEST_REDIS_URL to run Redis tests")
    return url


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM guard would
    # otherwise refuse the live server's database calls made from fixtures.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh browser context and page per test (own cookies, Indonesian by default)."""
    context = chromium.new_context(locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """A test that switches to English must not leave English on for the tests after it."""
    yield
    from django.conf import settings
    from django.utils import translation

    if settings.configured:
        translation.activate(settings.LANGUAGE_CODE)
