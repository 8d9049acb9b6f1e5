"""Reads of the sandbox network for the public pages (the data lives in its own SQLite file)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

from juru.connectors.sandbox import SandboxPost, SandboxStore

PAGE_SIZE = 30


def store() -> SandboxStore:
    """The sandbox store: ``settings.SANDBOX_PATH`` when set, else ``sandbox.sqlite3`` in the data directory."""
    path = getattr(settings, "SANDBOX_PATH", None) or Path(settings.DATA_DIR) / "sandbox.sqlite3"
    return _open(str(path))


@cache
def _open(path: str) -> SandboxStore:
    # One store per file and process: it keeps a connection per thread open between requests.
    return SandboxStore(path)


def timeline_page(handle: str | None, before: int | None) -> tuple[list[SandboxPost], int | None]:
    """One page of top-level posts and the cursor of the next (older) page, if there is one."""
    posts = store().timeline(handle, limit=PAGE_SIZE + 1, before=before)
    older = posts[PAGE_SIZE - 1].seq if len(posts) > PAGE_SIZE else None
    return posts[:PAGE_SIZE], older


def is_registered(handle: str) -> bool:
    """True for an account registered on the sandbox (connected to Juru or set up by hand), not a visitor's."""
    return any(account["handle"] == handle for account in store().accounts())
