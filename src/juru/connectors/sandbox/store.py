"""The sandbox network's storage: one SQLite file (WAL) shared safely by web and worker processes.

Every write runs in ``BEGIN IMMEDIATE`` so concurrent processes serialise instead of failing, and
``post.idempotency_key`` is UNIQUE: a publish retried with the same key returns the post that is
already there instead of creating a second one.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HANDLE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
MENTION = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9_.-]{0,63})", re.IGNORECASE)
FAULT_KINDS = ("rate_limited", "server_error", "timeout", "lost_response", "auth_expired", "rejected")

SCHEMA = """
CREATE TABLE IF NOT EXISTS account (
    handle TEXT PRIMARY KEY,
    display_name TEXT NOT NULL DEFAULT '',
    secret TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS post (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    author TEXT NOT NULL,
    author_name TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    reply_to TEXT,
    root TEXT,
    idempotency_key TEXT UNIQUE,
    media TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    hidden INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT
);
CREATE INDEX IF NOT EXISTS post_author ON post (author, seq);
CREATE INDEX IF NOT EXISTS post_root ON post (root, seq);
CREATE TABLE IF NOT EXISTS mention (
    post_id TEXT NOT NULL,
    handle TEXT NOT NULL,
    PRIMARY KEY (handle, post_id)
);
CREATE TABLE IF NOT EXISTS block (
    account TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (account, author)
);
CREATE TABLE IF NOT EXISTS fault (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    operation TEXT NOT NULL,
    kind TEXT NOT NULL,
    remaining INTEGER NOT NULL,
    retry_after REAL
);
"""


class SandboxError(ValueError):
    """A request the sandbox refuses; ``status`` is the HTTP status a real network would answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class SandboxPost:
    """A post, reply or comment as the sandbox stores it."""

    id: str
    seq: int
    author: str
    author_name: str
    text: str
    reply_to: str | None
    root: str | None
    idempotency_key: str | None
    created_at: datetime
    hidden: bool
    deleted: bool
    media: tuple[dict[str, object], ...] = ()
    comment_count: int = 0

    @property
    def is_top_level(self) -> bool:
        """True for a post that answers nothing."""
        return self.reply_to is None


@dataclass(frozen=True, slots=True)
class Fault:
    """A failure the sandbox will simulate on the next matching operation."""

    kind: str
    retry_after: float | None = None


def default_path() -> Path:
    """``$JURU_DATA_DIR/sandbox.sqlite3`` (the data directory defaults to ``./var``, as in the settings)."""
    return Path(os.environ.get("JURU_DATA_DIR") or Path.cwd() / "var") / "sandbox.sqlite3"


def _now() -> datetime:
    return datetime.now(UTC)


def check_handle(handle: str) -> str:
    """The handle in canonical (lowercase) form; ``SandboxError`` when it is not a valid handle."""
    canonical = handle.strip().lstrip("@").lower()
    if not HANDLE.match(canonical):
        raise SandboxError(f"invalid handle {handle!r}: use letters, digits, '.', '_' or '-' (at most 64)")
    return canonical


class SandboxStore:
    """Reads and writes of the sandbox network, one short connection per call (safe across fork)."""

    def __init__(self, path: str | Path | None = None, *, clock: Callable[[], datetime] = _now) -> None:
        self.path = Path(path) if path else default_path()
        self.clock = clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    # -- plumbing -----------------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection (one per thread and process: a forked worker opens its own).

        Keeping it open matters: closing the last connection checkpoints the WAL, which costs
        a disk sync on every call.
        """
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None or self._local.pid != os.getpid():
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA busy_timeout=30000")
            # WAL with NORMAL sync stays consistent after a crash; a practice network can lose the
            # very last write on power loss, and in exchange commits do not wait for the disk.
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db, self._local.pid = db, os.getpid()
        yield db

    def close(self) -> None:
        """Close this thread's connection (it reopens on the next call)."""
        db = getattr(self._local, "db", None)
        if db is not None and self._local.pid == os.getpid():
            db.close()
        self._local.db = None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the lock up front, so concurrent writers queue."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _stamp(self) -> str:
        return self.clock().astimezone(UTC).isoformat(timespec="microseconds")

    # -- accounts -----------------------------------------------------------------------------

    def register(self, handle: str, display_name: str = "", secret: str = "") -> str:
        """Create the account if it is new (its first secret sticks); return the canonical handle."""
        handle = check_handle(handle)
        with self._write() as db:
            db.execute(
                "INSERT INTO account (handle, display_name, secret, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (handle) DO UPDATE SET display_name = excluded.display_name"
                " WHERE excluded.display_name != ''",
                (handle, display_name.strip(), secret, self._stamp()),
            )
        return handle

    def authenticate(self, handle: str, secret: str) -> bool:
        """True when ``secret`` opens the account (an account without a secret accepts any)."""
        with self._connect() as db:
            row = db.execute("SELECT secret FROM account WHERE handle = ?", (check_handle(handle),)).fetchone()
        return row is None or not row["secret"] or secrets.compare_digest(row["secret"], secret)

    def accounts(self) -> list[dict[str, object]]:
        """Every account with its number of top-level posts, most active first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT a.handle, a.display_name, COUNT(p.seq) AS posts FROM account a"
                " LEFT JOIN post p ON p.author = a.handle AND p.reply_to IS NULL AND p.deleted_at IS NULL"
                " GROUP BY a.handle ORDER BY posts DESC, a.handle"
            ).fetchall()
        return [dict(row) for row in rows]

    def display_name(self, handle: str) -> str:
        """The account's display name, or '' when unknown."""
        with self._connect() as db:
            row = db.execute("SELECT display_name FROM account WHERE handle = ?", (handle,)).fetchone()
        return str(row["display_name"]) if row else ""

    # -- faults (tests and demos) -------------------------------------------------------------

    def inject_fault(
        self, kind: str, *, count: int = 1, retry_after: float | None = None, operation: str = "publish"
    ) -> None:
        """Make the next ``count`` calls of ``operation`` ("publish", "delete", "fetch" or "*") fail as ``kind``."""
        if kind not in FAULT_KINDS:
            raise SandboxError(f"unknown fault {kind!r}; choose one of {', '.join(FAULT_KINDS)}")
        if count < 1:
            raise SandboxError("count must be at least 1")
        with self._write() as db:
            db.execute(
                "INSERT INTO fault (operation, kind, remaining, retry_after) VALUES (?, ?, ?, ?)",
                (operation, kind, count, retry_after),
            )

    def clear_faults(self) -> None:
        """Forget every pending fault."""
        with self._write() as db:
            db.execute("DELETE FROM fault")

    def _take_fault(self, db: sqlite3.Connection, operation: str) -> Fault | None:
        row = db.execute(
            "SELECT seq, kind, retry_after FROM fault"
            " WHERE remaining > 0 AND operation IN (?, '*') ORDER BY seq LIMIT 1",
            (operation,),
        ).fetchone()
        if row is None:
            return None
        db.execute("UPDATE fault SET remaining = remaining - 1 WHERE seq = ?", (row["seq"],))
        db.execute("DELETE FROM fault WHERE remaining <= 0")
        return Fault(kind=row["kind"], retry_after=row["retry_after"])

    def take_fault(self, operation: str) -> Fault | None:
        """Consume the next fault planned for ``operation``, if any."""
        with self._write() as db:
            return self._take_fault(db, operation)

    # -- writes -------------------------------------------------------------------------------

    def publish(
        self,
        author: str,
        text: str,
        *,
        idempotency_key: str | None = None,
        reply_to: str | None = None,
        author_name: str = "",
        media: Sequence[dict[str, object]] = (),
        operation: str | None = None,
    ) -> tuple[SandboxPost | None, Fault | None]:
        """Store a post (or a reply when ``reply_to``); idempotent per key. Returns (post, fault).

        With ``operation``, a planned fault is consumed in the same transaction: a "lost_response"
        fault stores the post and returns it with the fault; every other fault stores nothing.
        """
        author = check_handle(author)
        if not text.strip():
            raise SandboxError("a post needs some text")
        with self._write() as db:
            fault = self._take_fault(db, operation) if operation else None
            if fault is not None and fault.kind != "lost_response":
                return None, fault
            if idempotency_key:
                existing = self._row(db, "idempotency_key = ?", idempotency_key)
                if existing is not None:
                    return self._post(existing), fault
            root = self._thread_root(db, author, reply_to) if reply_to else None
            name = author_name or self._name(db, author)
            post_id = secrets.token_hex(6)
            db.execute(
                "INSERT INTO post (id, author, author_name, text, reply_to, root, idempotency_key, media, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (post_id, author, name, text, reply_to, root, idempotency_key, json.dumps(list(media)), self._stamp()),
            )
            mentioned = {m.lower() for m in MENTION.findall(text)} - {author}
            db.executemany(
                "INSERT OR IGNORE INTO mention (post_id, handle) VALUES (?, ?)", [(post_id, h) for h in mentioned]
            )
            row = self._row(db, "id = ?", post_id)
        assert row is not None
        return self._post(row), fault

    def _thread_root(self, db: sqlite3.Connection, author: str, reply_to: str) -> str:
        parent = self._row(db, "id = ?", reply_to)
        if parent is None or parent["deleted_at"]:
            raise SandboxError(f"there is no post {reply_to!r} to answer", status=404)
        root = parent["root"] or parent["id"]
        owner = db.execute("SELECT author FROM post WHERE id = ?", (root,)).fetchone()["author"]
        blocked = db.execute("SELECT 1 FROM block WHERE account = ? AND author = ?", (owner, author)).fetchone()
        if blocked:
            raise SandboxError(f"@{owner} has blocked @{author}", status=403)
        return str(root)

    def _name(self, db: sqlite3.Connection, handle: str) -> str:
        row = db.execute("SELECT display_name FROM account WHERE handle = ?", (handle,)).fetchone()
        return str(row["display_name"]) if row else ""

    def comment(self, author: str, post_id: str, text: str, *, author_name: str = "") -> SandboxPost:
        """A member of the public answers a post (or another comment)."""
        post, _ = self.publish(author, text, reply_to=post_id, author_name=author_name)
        assert post is not None
        return post

    def delete(self, post_id: str, *, by: str) -> SandboxPost:
        """Delete ``by``'s own post; deleting twice is harmless."""
        by = check_handle(by)
        with self._write() as db:
            row = self._row(db, "id = ?", post_id)
            if row is None:
                raise SandboxError(f"there is no post {post_id!r}", status=404)
            if row["author"] != by:
                raise SandboxError(f"@{by} may not delete a post by @{row['author']}", status=403)
            db.execute("UPDATE post SET deleted_at = COALESCE(deleted_at, ?) WHERE id = ?", (self._stamp(), post_id))
            row = self._row(db, "id = ?", post_id)
        assert row is not None
        return self._post(row)

    def hide(self, post_id: str, *, by: str, hidden: bool = True) -> SandboxPost:
        """Hide (or show) a comment in a thread that ``by`` started."""
        by = check_handle(by)
        with self._write() as db:
            row = self._row(db, "id = ?", post_id)
            if row is None or row["root"] is None:
                raise SandboxError(f"there is no comment {post_id!r}", status=404)
            owner = db.execute("SELECT author FROM post WHERE id = ?", (row["root"],)).fetchone()["author"]
            if owner != by:
                raise SandboxError(f"only @{owner} may hide comments in this thread", status=403)
            db.execute("UPDATE post SET hidden = ? WHERE id = ?", (int(hidden), post_id))
            row = self._row(db, "id = ?", post_id)
        assert row is not None
        return self._post(row)

    def block(self, account: str, author: str, *, blocked: bool = True) -> None:
        """Stop (or allow again) ``author`` commenting on ``account``'s posts."""
        account, author = check_handle(account), check_handle(author)
        if account == author:
            raise SandboxError("an account cannot block itself")
        with self._write() as db:
            if blocked:
                db.execute(
                    "INSERT OR IGNORE INTO block (account, author, created_at) VALUES (?, ?, ?)",
                    (account, author, self._stamp()),
                )
            else:
                db.execute("DELETE FROM block WHERE account = ? AND author = ?", (account, author))

    def is_blocked(self, account: str, author: str) -> bool:
        """True when ``account`` has blocked ``author``."""
        with self._connect() as db:
            row = db.execute(
                "SELECT 1 FROM block WHERE account = ? AND author = ?", (check_handle(account), check_handle(author))
            ).fetchone()
        return row is not None

    # -- reads --------------------------------------------------------------------------------

    @staticmethod
    def _row(db: sqlite3.Connection, where: str, *args: object) -> sqlite3.Row | None:
        row: sqlite3.Row | None = db.execute(f"SELECT * FROM post WHERE {where}", args).fetchone()
        return row

    @staticmethod
    def _post(row: sqlite3.Row) -> SandboxPost:
        keys = row.keys()
        return SandboxPost(
            id=row["id"],
            seq=row["seq"],
            author=row["author"],
            author_name=row["author_name"],
            text=row["text"],
            reply_to=row["reply_to"],
            root=row["root"],
            idempotency_key=row["idempotency_key"],
            created_at=datetime.fromisoformat(row["created_at"]),
            hidden=bool(row["hidden"]),
            deleted=row["deleted_at"] is not None,
            media=tuple(json.loads(row["media"] or "[]")),
            comment_count=int(row["comment_count"]) if "comment_count" in keys else 0,
        )

    def get(self, post_id: str) -> SandboxPost | None:
        """One post by id (deleted ones included, marked)."""
        with self._connect() as db:
            row = self._row(db, "id = ?", post_id)
        return self._post(row) if row else None

    def by_key(self, idempotency_key: str) -> SandboxPost | None:
        """The post a publish with this idempotency key created, if any."""
        with self._connect() as db:
            row = self._row(db, "idempotency_key = ?", idempotency_key)
        return self._post(row) if row else None

    def timeline(self, handle: str | None = None, *, limit: int = 50, before: int | None = None) -> list[SandboxPost]:
        """Top-level posts, newest first: one account's, or everyone's when ``handle`` is None."""
        where = ["p.reply_to IS NULL", "p.deleted_at IS NULL"]
        args: list[object] = []
        if handle is not None:
            where.append("p.author = ?")
            args.append(check_handle(handle))
        if before is not None:
            where.append("p.seq < ?")
            args.append(before)
        sql = (
            "SELECT p.*, (SELECT COUNT(*) FROM post c WHERE c.root = p.id AND c.deleted_at IS NULL"
            " AND c.hidden = 0) AS comment_count FROM post p"
            f" WHERE {' AND '.join(where)} ORDER BY p.seq DESC LIMIT ?"
        )
        with self._connect() as db:
            rows = db.execute(sql, (*args, max(1, min(limit, 200)))).fetchall()
        return [self._post(row) for row in rows]

    def comments(self, post_id: str, *, include_hidden: bool = False) -> list[SandboxPost]:
        """Every comment and reply in the thread under ``post_id``, oldest first (deleted left out)."""
        hidden = "" if include_hidden else " AND hidden = 0"
        with self._connect() as db:
            rows = db.execute(
                f"SELECT * FROM post WHERE root = ? AND deleted_at IS NULL{hidden} ORDER BY seq", (post_id,)
            ).fetchall()
        return [self._post(row) for row in rows]

    def received_since(self, handle: str, since: datetime) -> int:
        """How many comments and mentions others addressed to ``handle`` since ``since``."""
        handle = check_handle(handle)
        sql = (
            "SELECT COUNT(*) FROM post p LEFT JOIN post r ON r.id = p.root"
            " WHERE p.created_at >= :since AND p.author != :h AND p.deleted_at IS NULL"
            " AND (r.author = :h OR EXISTS (SELECT 1 FROM mention m WHERE m.post_id = p.id AND m.handle = :h))"
        )
        stamp = since.astimezone(UTC).isoformat(timespec="microseconds")
        with self._connect() as db:
            return int(db.execute(sql, {"h": handle, "since": stamp}).fetchone()[0])

    def inbox(self, handle: str, *, after: int = 0, limit: int = 200) -> list[tuple[str, SandboxPost]]:
        """What others said to ``handle`` after sequence ``after``: (kind, post) pairs, oldest first.

        kind is "reply" for an answer to one of the account's own replies, "comment" for any other
        answer in a thread the account started, and "mention" for an @handle elsewhere.
        """
        handle = check_handle(handle)
        sql = (
            "SELECT p.*, par.author AS parent_author, r.author AS root_author,"
            " EXISTS (SELECT 1 FROM mention m WHERE m.post_id = p.id AND m.handle = :h) AS mentions"
            " FROM post p LEFT JOIN post par ON par.id = p.reply_to LEFT JOIN post r ON r.id = p.root"
            " WHERE p.seq > :after AND p.author != :h AND p.deleted_at IS NULL"
            " AND (r.author = :h OR par.author = :h"
            "      OR EXISTS (SELECT 1 FROM mention m WHERE m.post_id = p.id AND m.handle = :h))"
            " ORDER BY p.seq LIMIT :limit"
        )
        with self._connect() as db:
            rows = db.execute(sql, {"h": handle, "after": after, "limit": limit}).fetchall()
        found = []
        for row in rows:
            if row["parent_author"] == handle and row["reply_to"] != row["root"]:
                kind = "reply"
            elif row["root_author"] == handle:
                kind = "comment"
            else:
                kind = "mention"
            found.append((kind, self._post(row)))
        return found
