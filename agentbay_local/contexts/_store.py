"""Contexts as stored: rows in the server's database, files under `<state_dir>/contexts/`.

A context is a named store of files that belongs to one API key (its digest, as sessions do) and
outlives sessions. Its row is in the `contexts` table; its files are on disk:

    <state_dir>/contexts/<context_id>/files/<key>   the objects (keys: `_keys.py`)
    <state_dir>/contexts/<context_id>/tmp/          uploads being written, renamed into files/ when
                                                    complete: nothing half-written is ever visible

The directory is made by the first write; a context without one is empty. Upload and download URLs
are rows of `context_urls`, keyed by the SHA-256 of their token (the database never holds a usable
URL), so they survive a restart until they expire.

For the sync engine (`_sync.py`, `_tasks.py`) and the URL server, which both write objects:
`get(owner, context_id=...)` finds a key's context, `files_dir(context_id)` is where its objects
are, and `lock(context_id)` is held (`async with`) while a sync reads or writes the files and while
an upload or a delete lands, so a sync never sees a PUT or a delete half-way.

Deleting a context commits the row's deletion first, then moves its directory aside (`.trash-*`)
and removes it; a store opened on the directory removes what a crash left: trash, directories of
contexts that no longer exist, and abandoned uploads.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import secrets
import sqlite3
import time
import weakref
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from .._store import ORPHAN_MIN_AGE_S, Store, remove_tree

logger = logging.getLogger("agentbay_local")

AVAILABLE = "available"
UPLOAD = "upload"
DOWNLOAD = "download"

_CONTEXTS_TABLE = """
CREATE TABLE IF NOT EXISTS contexts (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,  -- creation order, for ListContexts' pages
    id           TEXT NOT NULL UNIQUE,   -- SdkCtx-<16 hex>
    api_key      TEXT NOT NULL,          -- key_hash of the owner
    name         TEXT NOT NULL,          -- unique per owner
    state        TEXT NOT NULL,          -- available
    created_at   REAL NOT NULL,
    last_used_at REAL NOT NULL,          -- creation, then each session that names it
    os_type      TEXT NOT NULL,
    UNIQUE (api_key, name)
)"""
_SCHEMA = (
    _CONTEXTS_TABLE
    + """;
CREATE INDEX IF NOT EXISTS contexts_by_owner ON contexts (api_key, seq);
CREATE TABLE IF NOT EXISTS context_urls (
    token_hash TEXT PRIMARY KEY,         -- sha256 hex of the URL's token
    api_key    TEXT NOT NULL,            -- key_hash of the owner
    context_id TEXT NOT NULL,
    key        TEXT NOT NULL,            -- the object
    direction  TEXT NOT NULL,            -- upload (PUT) or download (GET)
    expires_at REAL NOT NULL             -- Unix seconds
);
CREATE INDEX IF NOT EXISTS context_urls_by_expiry ON context_urls (expires_at);
"""
)

_COLUMNS = "id, name, state, created_at, last_used_at, os_type"
_TRASH = ".trash-"


@dataclass(frozen=True, slots=True)
class ContextRow:
    """One context as stored; times are Unix seconds."""

    id: str
    name: str
    state: str
    created_at: float
    last_used_at: float
    os_type: str


@dataclass(frozen=True, slots=True)
class UrlGrant:
    """What an upload or download URL's token allows: one direction on one object of one context."""

    owner: str
    context_id: str
    key: str
    direction: str
    expires_at: float


class NameTaken(Exception):
    """The owner has another context of that name."""


def _now() -> float:
    """The clock of URL expiry (tests replace it)."""
    return time.time()


STAGING_PREFIX = "file-transfer-"
"""Names of the per-session file-transfer contexts (`file-transfer-<session id>`, see `_internal`)."""


class ContextStore:
    """The contexts of one state directory, over the server's `Store` (its database and lock)."""

    def __init__(self, store: Store, min_orphan_age_s: float = ORPHAN_MIN_AGE_S) -> None:
        self.store = store
        self.root = store.state_dir / "contexts"
        self.root.mkdir(exist_ok=True)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        with store.locked() as db:
            _migrate(db)
            db.executescript(_SCHEMA)
        self.remove_orphans(min_orphan_age_s)

    # ---- where the files are ---------------------------------------------------------------------

    def context_dir(self, context_id: str) -> Path:
        """The context's directory (`files/` and `tmp/`); it may not exist yet (an empty context)."""
        return self.root / context_id

    def files_dir(self, context_id: str) -> Path:
        """Where the context's objects are, one file per key; may not exist yet (no objects)."""
        return self.root / context_id / "files"

    def tmp_dir(self, context_id: str) -> Path:
        """Where uploads are written before they are renamed into `files_dir`."""
        return self.root / context_id / "tmp"

    def lock(self, context_id: str) -> asyncio.Lock:
        """The context's lock (`async with store.lock(id):`), on the server's event loop: a sync holds
        it while it copies, an upload while it lands, a delete while it removes."""
        lock = self._locks.get(context_id)
        if lock is None:
            lock = self._locks[context_id] = asyncio.Lock()
        return lock

    # ---- rows ------------------------------------------------------------------------------------

    def get(self, owner: str, *, context_id: str | None = None, name: str | None = None) -> ContextRow | None:
        """The owner's context with this id and/or name (at least one given), or None."""
        where, args = ["api_key = ?"], [owner]
        if context_id is not None:
            where.append("id = ?")
            args.append(context_id)
        if name is not None:
            where.append("name = ?")
            args.append(name)
        if len(args) == 1:
            raise ValueError("get needs a context_id or a name")
        with self.store.locked() as db:
            found = db.execute(
                f"SELECT {_COLUMNS} FROM contexts WHERE {' AND '.join(where)}", args
            ).fetchone()
        return ContextRow(*found) if found else None

    def is_staging(self, context_id: str) -> bool:
        """Whether the context is a session's file-transfer context: a staging area whose objects only
        pass through between a URL and the session, so a sync may share a file's inode with the
        session (a link) instead of copying it."""
        with self.store.locked() as db:
            row = db.execute("SELECT name FROM contexts WHERE id = ?", (context_id,)).fetchone()
        return row is not None and str(row[0]).startswith(STAGING_PREFIX)

    def get_or_create(self, owner: str, name: str) -> ContextRow:
        """The owner's context of this name, made (available, never used by a session) if there is
        none, committed before it returns."""
        with self.store.locked() as db:
            for _ in range(3):  # 64 random bits: an id clash is practically impossible, but cheap to survive
                found = db.execute(
                    f"SELECT {_COLUMNS} FROM contexts WHERE api_key = ? AND name = ?", (owner, name)
                ).fetchone()
                if found:
                    return ContextRow(*found)
                now = time.time()
                row = ContextRow("SdkCtx-" + secrets.token_hex(8), name, AVAILABLE, now, now, "")
                try:
                    db.execute(
                        f"INSERT INTO contexts (api_key, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (owner, row.id, row.name, row.state, row.created_at, row.last_used_at, row.os_type),
                    )
                except sqlite3.IntegrityError:  # an id clash, or the name made meanwhile by another process
                    continue
                return row
        raise RuntimeError("could not allocate a context id")

    def list_page(
        self, owner: str, after_seq: int, limit: int
    ) -> tuple[list[tuple[int, ContextRow]], bool, int]:
        """A page of the owner's contexts in creation order after the one numbered `after_seq`, each
        with its number; whether more follow; how many the owner has (keyset paging, as ListSession)."""
        with self.store.locked() as db:
            total = db.execute("SELECT count(*) FROM contexts WHERE api_key = ?", (owner,)).fetchone()[0]
            rows = db.execute(
                f"SELECT seq, {_COLUMNS} FROM contexts WHERE api_key = ? AND seq > ? ORDER BY seq LIMIT ?",
                (owner, after_seq, limit + 1),
            ).fetchall()
        page = [(int(row[0]), ContextRow(*row[1:])) for row in rows[:limit]]
        return page, len(rows) > limit, int(total)

    def rename(self, owner: str, context_id: str, name: str) -> bool:
        """Give the owner's context a new name; False if there is no such context.

        Raises:
            NameTaken: Another of the owner's contexts has that name.
        """
        with self.store.locked() as db:
            try:
                cursor = db.execute(
                    "UPDATE contexts SET name = ? WHERE id = ? AND api_key = ?", (name, context_id, owner)
                )
            except sqlite3.IntegrityError:
                raise NameTaken(name) from None
        return cursor.rowcount > 0

    def mounted_in(self, owner: str, context_id: str) -> list[str]:
        """The owner's running sessions whose PersistenceDataList names the context."""
        with self.store.locked() as db:
            rows = db.execute(
                "SELECT id FROM sessions WHERE api_key = ? AND status = 'RUNNING' AND persistence IS NOT NULL"
                " AND json_valid(persistence) AND EXISTS (SELECT 1 FROM json_each(sessions.persistence) AS item"
                " WHERE json_extract(item.value, '$.ContextId') = ?) ORDER BY seq",
                (owner, context_id),
            ).fetchall()
        return [str(row[0]) for row in rows]

    def delete(self, owner: str, context_id: str) -> bool:
        """Delete the owner's context, its URLs and its files; False if there is no such context.

        Blocks on the removal of the files: call it off the event loop, holding the context's lock.
        """
        with self.store.transaction() as db:
            cursor = db.execute("DELETE FROM contexts WHERE id = ? AND api_key = ?", (context_id, owner))
            db.execute("DELETE FROM context_urls WHERE context_id = ?", (context_id,))
        if cursor.rowcount == 0:
            return False
        self._discard_dir(context_id)
        return True

    def owned(self, owner: str, context_ids: Collection[str]) -> set[str]:
        """Which of these context ids are the owner's."""
        if not context_ids:
            return set()
        marks = ", ".join("?" * len(context_ids))
        with self.store.locked() as db:
            rows = db.execute(
                f"SELECT id FROM contexts WHERE api_key = ? AND id IN ({marks})", [owner, *context_ids]
            ).fetchall()
        return {str(row[0]) for row in rows}

    def touch(self, owner: str, context_ids: Collection[str]) -> None:
        """Mark the owner's contexts used now (a session named them)."""
        if not context_ids:
            return
        marks = ", ".join("?" * len(context_ids))
        with self.store.locked() as db:
            db.execute(
                f"UPDATE contexts SET last_used_at = ? WHERE api_key = ? AND id IN ({marks})",
                [time.time(), owner, *context_ids],
            )

    # ---- upload and download URLs ----------------------------------------------------------------

    def grant_url(
        self, owner: str, context_id: str, key: str, direction: str, lifetime_s: float
    ) -> tuple[str, float]:
        """A new token for one direction on one object, and when it expires (Unix seconds)."""
        token = secrets.token_urlsafe(32)
        now = _now()
        with self.store.locked() as db:
            db.execute("DELETE FROM context_urls WHERE expires_at <= ?", (now,))
            db.execute(
                "INSERT INTO context_urls (token_hash, api_key, context_id, key, direction, expires_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (_token_hash(token), owner, context_id, key, direction, now + lifetime_s),
            )
        return token, now + lifetime_s

    def url_grant(self, token: str) -> UrlGrant | None:
        """What a token allows, expired or not; None for a token this server never gave."""
        if not token.isascii() or len(token) > 100:
            return None
        with self.store.locked() as db:
            found = db.execute(
                "SELECT api_key, context_id, key, direction, expires_at FROM context_urls WHERE token_hash = ?",
                (_token_hash(token),),
            ).fetchone()
        return UrlGrant(*found) if found else None

    # ---- clean-up --------------------------------------------------------------------------------

    def _discard_dir(self, context_id: str) -> None:
        """Move a deleted context's directory aside at once (its objects are gone from every listing),
        then remove it; what cannot be removed now goes at the next start."""
        source = self.context_dir(context_id)
        trash = self.root / f"{_TRASH}{context_id}-{secrets.token_hex(4)}"
        try:
            os.rename(source, trash)
        except FileNotFoundError:
            return
        try:
            remove_tree(trash)
        except OSError as error:
            logger.warning("could not remove the files of deleted context %s: %s", context_id, error)

    def remove_orphans(self, min_age_s: float = ORPHAN_MIN_AGE_S) -> list[str]:
        """Remove what no context owns: trash, directories of unknown contexts and abandoned uploads
        older than `min_age_s` (another server on this state directory may be writing younger ones).
        Returns the names of the directories removed."""
        with self.store.locked() as db:
            known = {str(row[0]) for row in db.execute("SELECT id FROM contexts")}
        removed: list[str] = []
        cutoff = time.time() - min_age_s
        for entry in os.scandir(self.root):
            try:
                old = entry.stat(follow_symlinks=False).st_mtime < cutoff
            except FileNotFoundError:
                continue
            if entry.name in known:
                self._remove_stale_uploads(Path(entry.path) / "tmp", cutoff)
                continue
            if not (old or entry.name.startswith(_TRASH)):
                continue
            try:
                remove_tree(Path(entry.path))
            except OSError as error:
                logger.warning("could not remove %s: %s", entry.path, error)
                continue
            removed.append(entry.name)
        if removed:
            logger.info("removed the files of %d deleted or unknown context(s)", len(removed))
        return removed

    @staticmethod
    def _remove_stale_uploads(tmp: Path, cutoff: float) -> None:
        try:
            entries = list(os.scandir(tmp))
        except (FileNotFoundError, NotADirectoryError):
            return
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
            except OSError:
                continue


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _migrate(db: sqlite3.Connection) -> None:
    """Give a `contexts` table from before ListContexts (no `seq`) its creation order; the caller holds
    the store's lock."""
    columns = {str(row[1]) for row in db.execute("PRAGMA table_info(contexts)")}
    if not columns or "seq" in columns:
        return
    db.execute("BEGIN")
    try:
        db.execute("ALTER TABLE contexts RENAME TO contexts_before_seq")
        db.execute(_CONTEXTS_TABLE)
        db.execute(
            f"INSERT INTO contexts (api_key, {_COLUMNS}) SELECT api_key, {_COLUMNS} FROM contexts_before_seq"
            " ORDER BY created_at, id"
        )
        db.execute("DROP TABLE contexts_before_seq")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
