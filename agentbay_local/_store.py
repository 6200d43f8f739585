"""The server's state: SQLite in `<state_dir>/agentbay.db`, session files under `<state_dir>/sessions`.

A session's files live in `sessions/<id>/` while it runs, and go with it: ReleaseMcpSession removes
them once the session's processes are dead, and a store opened on the directory removes any folder
that is not a running session's (deleted while the server was down, or left by a crash mid-delete).
The row of a deleted session stays (status FINISH), so its id is never reused and GetSessionDetail
can still say FINISH.

Capability packages keep their own tables in the same database through `locked()` and
`transaction()` (contexts: `agentbay_local/contexts/_store.py`).

One connection guarded by a lock: every statement is a few microseconds, so a pool would only add
overhead, and one writer is what SQLite wants anyway. The connection is in autocommit mode and every
action writes with a single statement or one transaction, so a reply is only sent after its change is
committed; in WAL mode with `synchronous=NORMAL` a committed change survives a crash or restart of the
process (only a power loss can drop the last few).

API keys are stored as SHA-256 digests: the database never holds a usable key.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import shutil
import sqlite3
import stat
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger("agentbay_local")

RUNNING = "RUNNING"
FINISH = "FINISH"

KEY_FILE = "api_key"
#: A folder under `sessions/` without a running session is only removed at start-up once it is this
#: old (seconds): another server on the same state directory makes a session's folder just before its
#: row, and a folder that young may be such a session being created.
ORPHAN_MIN_AGE_S = 60.0
_KEY_PREFIX = "akm-local-"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_hash   TEXT PRIMARY KEY,         -- sha256 hex of the key
    generated  INTEGER NOT NULL,         -- 1 for the key the server made itself
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,  -- creation order, for ListSession
    id              TEXT NOT NULL UNIQUE,
    api_key         TEXT NOT NULL,       -- key_hash of the owner
    image_id        TEXT NOT NULL,
    labels          TEXT NOT NULL,       -- JSON object, exactly as GetLabel returns it
    status          TEXT NOT NULL,       -- RUNNING or FINISH
    created_at      REAL NOT NULL,
    deleted_at      REAL,
    app_instance_id TEXT NOT NULL,
    resource_id     TEXT NOT NULL,
    persistence     TEXT,                -- PersistenceDataList as sent (contexts/)
    mcp_policy_id   TEXT
);
CREATE INDEX IF NOT EXISTS sessions_by_owner ON sessions (api_key, status, seq);
"""


def hash_key(key: str) -> str:
    """The digest under which a key and its sessions are stored."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def load_or_create_key(state_dir: Path) -> str:
    """The server's own key from `<state_dir>/api_key`, made (mode 0600) on the first start."""
    path = state_dir / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="utf-8").strip()
        if not key:
            raise RuntimeError(f"{path} is empty; delete it to have a new key generated") from None
        return key
    key = _KEY_PREFIX + secrets.token_hex(16)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(key + "\n")
    return key


@dataclass(frozen=True, slots=True)
class SessionRow:
    """One session as stored."""

    id: str
    image_id: str
    labels: str
    status: str
    app_instance_id: str
    resource_id: str


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """What ListSession needs of a session; `seq` is its place in creation order (the page key)."""

    seq: int
    id: str
    image_id: str
    app_instance_id: str


def open_database(path: Path, schema: str) -> sqlite3.Connection:
    """A server database: shared by threads (each use under its owner's lock), autocommit
    (`isolation_level=None`: each write is committed when execute() returns), WAL, `schema` applied."""
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=5.0)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(schema)
    except BaseException:
        db.close()
        raise
    return db


class Store:
    """Sessions and API keys of one state directory; safe to share between threads."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.sessions_dir = state_dir / "sessions"
        self.sessions_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = open_database(state_dir / "agentbay.db", _SCHEMA)
        try:
            self.remove_orphans()
        except BaseException:
            self._db.close()
            raise
        self._closed = False

    def close(self) -> None:
        """Close the database; idempotent."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._db.close()

    @contextmanager
    def locked(self) -> Iterator[sqlite3.Connection]:
        """The database, held under the store's lock for one or more statements (each committed as it
        runs): for capability packages that keep their own tables here."""
        with self._lock:
            yield self._db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The database under the lock, in one transaction, rolled back if the block raises."""
        with self._lock, self._transaction():
            yield self._db

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One transaction of several statements, rolled back if any fails; the caller holds the lock."""
        self._db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # ---- keys ------------------------------------------------------------------------------------

    def register_keys(self, key_hashes: dict[str, bool]) -> None:
        """Record the digests of the accepted keys (digest -> generated by the server)."""
        now = time.time()
        with self._lock:
            self._db.executemany(
                "INSERT OR IGNORE INTO api_keys (key_hash, generated, created_at) VALUES (?, ?, ?)",
                [(digest, int(generated), now) for digest, generated in key_hashes.items()],
            )

    # ---- sessions --------------------------------------------------------------------------------

    def session_dir(self, session_id: str) -> Path:
        """The session's own directory; its `home/wuying` and `tmp` are the session's files."""
        return self.sessions_dir / session_id

    def create_session(
        self,
        owner: str,
        image_id: str,
        labels: str,
        persistence: str | None = None,
        mcp_policy_id: str | None = None,
    ) -> SessionRow:
        """Make a RUNNING session with its directories, committed before it returns."""
        for _ in range(3):  # 80 random bits: a clash is practically impossible, but cheap to survive
            session_id = "session-" + secrets.token_hex(10)
            row = SessionRow(
                id=session_id,
                image_id=image_id,
                labels=labels,
                status=RUNNING,
                app_instance_id="ai-" + session_id[-8:],
                resource_id="p-" + session_id[-8:],
            )
            base = self.session_dir(session_id)
            # Directories first: a session that exists in the database always has its files.
            (base / "home" / "wuying").mkdir(parents=True, exist_ok=True)
            (base / "tmp").mkdir(exist_ok=True)
            try:
                with self._lock:
                    self._db.execute(
                        "INSERT INTO sessions (id, api_key, image_id, labels, status, created_at,"
                        " app_instance_id, resource_id, persistence, mcp_policy_id)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            session_id,
                            owner,
                            image_id,
                            labels,
                            RUNNING,
                            time.time(),
                            row.app_instance_id,
                            row.resource_id,
                            persistence,
                            mcp_policy_id,
                        ),
                    )
            except sqlite3.IntegrityError:
                continue
            return row
        raise RuntimeError("could not allocate a session id")

    def get_session(self, owner: str, session_id: str) -> SessionRow | None:
        """The owner's session in any status, or None."""
        with self._lock:
            found = self._db.execute(
                "SELECT id, image_id, labels, status, app_instance_id, resource_id FROM sessions"
                " WHERE id = ? AND api_key = ?",
                (session_id, owner),
            ).fetchone()
        return SessionRow(*found) if found else None

    def get_running(self, owner: str, session_id: str) -> SessionRow | None:
        """The owner's session if it is not deleted, or None."""
        row = self.get_session(owner, session_id)
        return row if row is not None and row.status == RUNNING else None

    def is_running(self, owner: str, session_id: str) -> bool:
        """Whether the owner has this session, not deleted (one indexed lookup)."""
        with self._lock:
            found = self._db.execute(
                "SELECT 1 FROM sessions WHERE id = ? AND api_key = ? AND status = 'RUNNING'",
                (session_id, owner),
            ).fetchone()
        return found is not None

    def exists_running(self, session_id: str) -> bool:
        """Whether a session with this id exists and is not deleted, whoever owns it (GetLink's URLs
        carry no key: the id is the capability)."""
        with self._lock:
            found = self._db.execute(
                "SELECT 1 FROM sessions WHERE id = ? AND status = 'RUNNING'", (session_id,)
            ).fetchone()
        return found is not None

    def get_labels(self, owner: str, session_id: str) -> str | None:
        """The labels JSON of the owner's running session, or None."""
        with self._lock:
            found = self._db.execute(
                "SELECT labels FROM sessions WHERE id = ? AND api_key = ? AND status = 'RUNNING'",
                (session_id, owner),
            ).fetchone()
        return str(found[0]) if found else None

    def set_labels(self, owner: str, session_id: str, labels: str) -> bool:
        """Replace the labels of the owner's running session; False if there is none."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE sessions SET labels = ? WHERE id = ? AND api_key = ? AND status = 'RUNNING'",
                (labels, session_id, owner),
            )
        return cursor.rowcount > 0

    def finish_session(self, owner: str, session_id: str) -> bool:
        """Mark the owner's running session deleted (FINISH); False if there is none.

        The row stays, keeping the id taken; the caller removes the files (`remove_session_files`)
        once the session's processes are gone.
        """
        with self._lock:
            cursor = self._db.execute(
                "UPDATE sessions SET status = 'FINISH', deleted_at = ?"
                " WHERE id = ? AND api_key = ? AND status = 'RUNNING'",
                (time.time(), session_id, owner),
            )
        return cursor.rowcount > 0

    def list_running(
        self,
        owner: str,
        labels: Mapping[str, str],
        image_id: str | None,
        after_seq: int,
        limit: int,
    ) -> tuple[list[SessionSummary], bool, int]:
        """A page of the owner's running sessions carrying every given label (and of one image, if
        given) in creation order, starting after the session numbered `after_seq`; whether more
        follow; and how many match in all.

        Keyset paging: a page starts after the last session the previous page showed, so deleting
        or creating sessions between pages never shifts a session past the reader or shows it twice.
        """
        where = "api_key = ? AND status = 'RUNNING'"
        args: list[str | int] = [owner]
        if image_id is not None:
            where += " AND image_id = ?"
            args.append(image_id)
        for key, value in labels.items():
            # json_each compares decoded keys and values, so any key works, quotes and dots included.
            where += (
                " AND EXISTS (SELECT 1 FROM json_each(sessions.labels) AS l WHERE l.key = ? AND l.value = ?)"
            )
            args += [key, value]
        with self._lock:
            total = self._db.execute(f"SELECT count(*) FROM sessions WHERE {where}", args).fetchone()[0]
            # One row more than the page: whether it exists says whether a next page does.
            rows = self._db.execute(
                f"SELECT seq, id, image_id, app_instance_id FROM sessions WHERE {where} AND seq > ?"
                " ORDER BY seq LIMIT ?",
                [*args, after_seq, limit + 1],
            ).fetchall()
        return [SessionSummary(*row) for row in rows[:limit]], len(rows) > limit, int(total)

    # ---- session files ---------------------------------------------------------------------------

    def remove_session_files(self, session_id: str) -> None:
        """Remove the session's folder and everything in it (its processes must be dead); no error if
        it is already gone. Blocks: call it off the event loop."""
        remove_tree(self.session_dir(session_id))

    def remove_orphans(self, min_age_s: float = ORPHAN_MIN_AGE_S) -> list[str]:
        """Remove the folders under `sessions/` that are not a running session's: deleted sessions
        (the server stopped before removing them) and unknown names older than `min_age_s`.
        Returns the names removed."""
        with self._lock:
            running = {
                str(row[0]) for row in self._db.execute("SELECT id FROM sessions WHERE status = 'RUNNING'")
            }
            known = {str(row[0]) for row in self._db.execute("SELECT id FROM sessions")}
        removed: list[str] = []
        now = time.time()
        for entry in os.scandir(self.sessions_dir):
            if entry.name in running:
                continue
            if entry.name not in known:
                try:
                    if now - entry.stat(follow_symlinks=False).st_mtime < min_age_s:
                        continue
                except FileNotFoundError:
                    continue
            try:
                remove_tree(Path(entry.path))
            except OSError as error:
                logger.warning("could not remove %s: %s", entry.path, error)
                continue
            removed.append(entry.name)
        if removed:
            logger.info("removed the files of %d deleted or unknown session(s)", len(removed))
        return removed


def remove_tree(path: Path) -> None:
    """`shutil.rmtree` without following symlinks, also through folders a session's command made
    unwritable or unreadable (chmod 0); a path already gone is fine."""
    if not os.path.lexists(path):
        return
    if os.path.islink(path) or not os.path.isdir(path):
        os.unlink(path)
        return
    _rmtree(str(path))


def _rmtree(path: str, retried: set[str] | None = None) -> None:
    retried = set() if retried is None else retried

    def retry(function: object, failed: str, error: object) -> None:
        if not os.path.lexists(failed):
            return
        if failed in retried:  # made writable once already: something else is in the way
            raise error if isinstance(error, BaseException) else OSError(f"cannot remove {failed}")
        retried.add(failed)
        # The entry could not be listed or removed: give its folder (and itself, if a folder) the
        # owner's rights back, then remove it again.
        for folder in (os.path.dirname(failed), failed):
            try:
                mode = os.lstat(folder).st_mode
                if stat.S_ISDIR(mode):
                    os.chmod(folder, stat.S_IMODE(mode) | stat.S_IRWXU)
            except OSError:
                pass
        if os.path.isdir(failed) and not os.path.islink(failed):
            _rmtree(failed, retried)
        else:
            os.unlink(failed)

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=retry)
    else:  # onerror, deprecated since 3.12, is 3.11's only hook
        shutil.rmtree(path, onerror=retry)
