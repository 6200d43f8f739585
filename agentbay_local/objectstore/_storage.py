"""Buckets and objects on disk: metadata in SQLite (`<root>/objects.db`), data in files.

- An object's data is a file `<root>/data/<bucket id>/<random name>`: keys may hold any character, so
  no file is ever named after one. A new version is written to `<root>/tmp/`, renamed into the
  bucket's folder once complete, and only then does the database point at it (the old file is
  removed after): a reader sees the old object or the new one, never part of one.
- A reader looks the object up and opens its file under the same lock as the writers' switch, so the
  file it opens is the one the row names; it then reads from that open file whatever replaces it.
- Parts of multipart uploads are files in the bucket's folder too, rows in `parts`.
- Removing a bucket removes its folder. At start-up, what a crash left is removed: temp files, and
  files no row names (a crash between the rename and the row), once a minute old.

One connection under one lock, as the server's own store (`agentbay_local/_store.py`). Every function
here blocks on the disk: the app runs them in worker threads.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._bodies import CHUNK_BYTES
from .._store import ORPHAN_MIN_AGE_S, open_database, remove_tree
from ._crc import Crc, new_crc64
from ._errors import OssError, no_such_bucket, no_such_key, no_such_upload

_SCHEMA = """
CREATE TABLE IF NOT EXISTS buckets (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: names the bucket's folder
    owner      TEXT NOT NULL,                      -- digest of the API key
    name       TEXT NOT NULL,
    created_at REAL NOT NULL,
    UNIQUE (owner, name)
);
CREATE TABLE IF NOT EXISTS objects (
    bucket_id    INTEGER NOT NULL,
    key          TEXT NOT NULL,                    -- BINARY collation: UTF-8 byte order, as OSS lists
    file         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    etag         TEXT NOT NULL,                    -- without quotes
    crc64        TEXT,                             -- decimal (a uint64 overflows SQLite's integer)
    content_type TEXT NOT NULL,
    meta         TEXT NOT NULL,                    -- JSON {name: value} of x-oss-meta-* (lower-case)
    mtime        REAL NOT NULL,
    object_type  TEXT NOT NULL,                    -- Normal or Multipart
    PRIMARY KEY (bucket_id, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS uploads (
    id           TEXT PRIMARY KEY,
    bucket_id    INTEGER NOT NULL,
    key          TEXT NOT NULL,
    content_type TEXT NOT NULL,
    meta         TEXT NOT NULL,
    created_at   REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS parts (
    upload_id TEXT NOT NULL,
    number    INTEGER NOT NULL,
    file      TEXT NOT NULL,
    size      INTEGER NOT NULL,
    etag      TEXT NOT NULL,
    crc64     TEXT,
    mtime     REAL NOT NULL,
    PRIMARY KEY (upload_id, number)
) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class Bucket:
    id: int
    name: str
    created_at: float


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    key: str
    file: str
    size: int
    etag: str
    crc64: str | None
    content_type: str
    meta: dict[str, str]
    mtime: float
    object_type: str


@dataclass(frozen=True, slots=True)
class Part:
    number: int
    file: str
    size: int
    etag: str
    crc64: str | None
    mtime: float


@dataclass(frozen=True, slots=True)
class Upload:
    id: str
    key: str
    content_type: str
    meta: dict[str, str]


@dataclass(slots=True)
class Listing:
    objects: list[ObjectInfo] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    truncated: bool = False
    last: str = ""  # the last key or prefix returned: where the next page starts


_OBJECT_COLUMNS = "key, file, size, etag, crc64, content_type, meta, mtime, object_type"


def _object(row: tuple[Any, ...]) -> ObjectInfo:
    key, file, size, etag, crc64, content_type, meta, mtime, object_type = row
    return ObjectInfo(
        str(key),
        str(file),
        int(size),
        str(etag),
        None if crc64 is None else str(crc64),
        str(content_type),
        json.loads(str(meta)),
        float(mtime),
        str(object_type),
    )


class TempFile:
    """Data being received: a new file in `tmp/`, with its size, MD5 and CRC-64 as it is written."""

    def __init__(self, tmp_dir: Path) -> None:
        self.path = tmp_dir / f"{secrets.token_hex(16)}.part"
        self._fd: int | None = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.crc: Crc | None = new_crc64()
        self.size = 0

    def write(self, data: bytes) -> None:
        assert self._fd is not None, "the file is closed"
        self.md5.update(data)
        if self.crc is not None:
            self.crc.update(data)
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]
        self.size += len(data)

    @property
    def crc64(self) -> str | None:
        return None if self.crc is None else str(self.crc.value)

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def discard(self) -> None:
        """Remove what was written; idempotent (also after it was moved into place)."""
        self.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)


class Storage:
    """The object store's state under `root`; safe to share between threads."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data_dir = root / "data"
        self.tmp_dir = root / "tmp"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = open_database(root / "objects.db", _SCHEMA)
        try:
            self._remove_strays()
        except BaseException:
            self._db.close()
            raise
        self._closed = False

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._db.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """The database under the lock, in one transaction."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _remove_strays(self) -> None:
        """Remove temp files (uploads cut short by a crash or a stop), bucket folders without a bucket
        and files no object or part names. Only those older than ORPHAN_MIN_AGE_S: another server on
        the same state directory may be writing a younger one (a write refreshes its mtime)."""
        for item in os.scandir(self.tmp_dir):
            if _old(item):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(item.path)
        buckets = {str(row[0]) for row in self._db.execute("SELECT id FROM buckets")}
        known = {
            str(row[0])
            for row in self._db.execute("SELECT file FROM objects UNION ALL SELECT file FROM parts")
        }
        for folder in os.scandir(self.data_dir):
            if folder.name not in buckets:
                if _old(folder):
                    remove_tree(Path(folder.path))
                continue
            for item in os.scandir(folder.path):
                if item.name not in known and _old(item):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(item.path)

    def new_temp(self) -> TempFile:
        return TempFile(self.tmp_dir)

    def _bucket_dir(self, bucket_id: int) -> Path:
        return self.data_dir / str(bucket_id)

    # ---- buckets ---------------------------------------------------------------------------------

    def list_buckets(self, owner: str) -> list[Bucket]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, name, created_at FROM buckets WHERE owner = ? ORDER BY name", (owner,)
            ).fetchall()
        return [Bucket(*row) for row in rows]

    def bucket(self, owner: str, name: str) -> Bucket:
        """The owner's bucket; NoSuchBucket if there is none (another key's bucket is none)."""
        with self._lock:
            row = self._db.execute(
                "SELECT id, name, created_at FROM buckets WHERE owner = ? AND name = ?", (owner, name)
            ).fetchone()
        if row is None:
            raise no_such_bucket(name)
        return Bucket(*row)

    def create_bucket(self, owner: str, name: str) -> None:
        """Make the bucket; one that exists already stays as it is (OSS answers its owner 200)."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO buckets (owner, name, created_at) VALUES (?, ?, ?)",
                (owner, name, time.time()),
            )
            bucket_id = db.execute(
                "SELECT id FROM buckets WHERE owner = ? AND name = ?", (owner, name)
            ).fetchone()[0]
        self._bucket_dir(bucket_id).mkdir(exist_ok=True)

    def delete_bucket(self, owner: str, name: str) -> None:
        """Remove an empty bucket, with the parts of uploads never completed; BucketNotEmpty if it
        holds objects."""
        with self._transaction() as db:
            row = db.execute("SELECT id FROM buckets WHERE owner = ? AND name = ?", (owner, name)).fetchone()
            if row is None:
                raise no_such_bucket(name)
            bucket_id = row[0]
            if db.execute("SELECT 1 FROM objects WHERE bucket_id = ? LIMIT 1", (bucket_id,)).fetchone():
                raise OssError(
                    409,
                    "BucketNotEmpty",
                    "The bucket you tried to delete is not empty.",
                    {"BucketName": name},
                )
            db.execute(
                "DELETE FROM parts WHERE upload_id IN (SELECT id FROM uploads WHERE bucket_id = ?)",
                (bucket_id,),
            )
            db.execute("DELETE FROM uploads WHERE bucket_id = ?", (bucket_id,))
            db.execute("DELETE FROM buckets WHERE id = ?", (bucket_id,))
        remove_tree(self._bucket_dir(bucket_id))

    def usage(self, bucket_id: int) -> tuple[int, int]:
        """(bytes, objects) of a bucket."""
        with self._lock:
            size, count = self._db.execute(
                "SELECT COALESCE(SUM(size), 0), COUNT(*) FROM objects WHERE bucket_id = ?", (bucket_id,)
            ).fetchone()
        return int(size), int(count)

    # ---- objects ---------------------------------------------------------------------------------

    def put_object(
        self,
        bucket: Bucket,
        key: str,
        temp: TempFile,
        *,
        content_type: str,
        meta: dict[str, str],
        etag: str | None = None,
        object_type: str = "Normal",
    ) -> ObjectInfo:
        """Move the written file into place as the object `key` (replacing any), and return it."""
        temp.close()
        name = secrets.token_hex(16)
        info = ObjectInfo(
            key=key,
            file=name,
            size=temp.size,
            etag=etag or temp.md5.hexdigest().upper(),
            crc64=temp.crc64,
            content_type=content_type,
            meta=meta,
            mtime=time.time(),
            object_type=object_type,
        )
        old = self._install(bucket, temp, name, self._upsert_object(bucket.id, info))
        if old is not None:
            self._unlink(bucket.id, old)
        return info

    @staticmethod
    def _upsert_object(bucket_id: int, info: ObjectInfo) -> tuple[str, str, tuple[object, ...]]:
        return (
            "SELECT file FROM objects WHERE bucket_id = ? AND key = ?",
            "INSERT OR REPLACE INTO objects (bucket_id, key, file, size, etag, crc64, content_type, meta,"
            " mtime, object_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                bucket_id,
                info.key,
                info.file,
                info.size,
                info.etag,
                info.crc64,
                info.content_type,
                json.dumps(info.meta),
                info.mtime,
                info.object_type,
            ),
        )

    def _install(
        self,
        bucket: Bucket,
        temp: TempFile,
        name: str,
        upsert: tuple[str, str, tuple[object, ...]],
    ) -> str | None:
        """Rename the temp file into the bucket's folder and write its row, in one step under the lock
        (a bucket deleted meanwhile: NoSuchBucket, nothing kept). Returns the file the row named before."""
        select, insert, values = upsert
        target = self._bucket_dir(bucket.id) / name
        try:
            with self._transaction() as db:
                if db.execute("SELECT 1 FROM buckets WHERE id = ?", (bucket.id,)).fetchone() is None:
                    raise no_such_bucket(bucket.name)
                found = db.execute(select, values[:2]).fetchone()
                target.parent.mkdir(exist_ok=True)
                os.rename(temp.path, target)
                try:
                    db.execute(insert, values)
                except BaseException:
                    os.unlink(target)
                    raise
        except BaseException:
            temp.discard()
            raise
        return None if found is None else str(found[0])

    def _unlink(self, bucket_id: int, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._bucket_dir(bucket_id) / name)

    def open(self, bucket: Bucket, key: str) -> tuple[int, ObjectInfo]:
        """The object and its file, open for reading (the caller closes it)."""
        with self._lock:
            row = self._db.execute(
                f"SELECT {_OBJECT_COLUMNS} FROM objects WHERE bucket_id = ? AND key = ?", (bucket.id, key)
            ).fetchone()
            if row is None:
                raise no_such_key(key)
            info = _object(row)
            fd = os.open(self._bucket_dir(bucket.id) / info.file, os.O_RDONLY | os.O_CLOEXEC)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise no_such_key(key)
        return fd, info

    def delete(self, bucket: Bucket, key: str) -> None:
        """Remove the object; nothing to remove is no error (OSS answers 204 either way)."""
        with self._transaction() as db:
            row = db.execute(
                "SELECT file FROM objects WHERE bucket_id = ? AND key = ?", (bucket.id, key)
            ).fetchone()
            if row is not None:
                db.execute("DELETE FROM objects WHERE bucket_id = ? AND key = ?", (bucket.id, key))
        if row is not None:
            self._unlink(bucket.id, str(row[0]))

    def copy_to_temp(self, fd: int, size: int) -> TempFile:
        """A temp file with the first `size` bytes of the open file (CopyObject)."""
        temp = self.new_temp()
        try:
            offset = 0
            while offset < size:
                chunk = os.pread(fd, min(CHUNK_BYTES, size - offset), offset)
                if not chunk:
                    break
                temp.write(chunk)
                offset += len(chunk)
        except BaseException:
            temp.discard()
            raise
        return temp

    def list_objects(self, bucket: Bucket, prefix: str, after: str, delimiter: str, limit: int) -> Listing:
        """Up to `limit` keys and common prefixes after `after`, in key order (OSS's ListObjects)."""
        listing = Listing()
        start = max(after, prefix) if prefix else after
        inclusive = bool(prefix) and prefix > after  # the prefix itself may be a key
        with self._lock:
            while True:
                op = ">=" if inclusive else ">"
                rows = self._db.execute(
                    f"SELECT {_OBJECT_COLUMNS} FROM objects WHERE bucket_id = ? AND key {op} ? ORDER BY key LIMIT ?",
                    (bucket.id, start, limit + 1),
                ).fetchall()
                if not rows:
                    return listing
                for row in rows:
                    key = str(row[0])
                    if not key.startswith(prefix):
                        return listing
                    cut = key.find(delimiter, len(prefix)) if delimiter else -1
                    if cut < 0:
                        if len(listing.objects) + len(listing.prefixes) == limit:
                            listing.truncated = True
                            return listing
                        listing.objects.append(_object(row))
                        listing.last, start, inclusive = key, key, False
                        continue
                    common = key[: cut + len(delimiter)]
                    # Skip past every key under this prefix: a group at or before `after` was given
                    # on an earlier page.
                    start, inclusive = _after_all(common), True
                    if common <= after:
                        break
                    if len(listing.objects) + len(listing.prefixes) == limit:
                        listing.truncated = True
                        return listing
                    listing.prefixes.append(common)
                    listing.last = common
                    break  # query again from past the group
                else:
                    if len(rows) <= limit:
                        return listing

    # ---- multipart -------------------------------------------------------------------------------

    def create_upload(self, bucket: Bucket, key: str, content_type: str, meta: dict[str, str]) -> str:
        upload_id = secrets.token_hex(16).upper()
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM buckets WHERE id = ?", (bucket.id,)).fetchone() is None:
                raise no_such_bucket(bucket.name)
            db.execute(
                "INSERT INTO uploads (id, bucket_id, key, content_type, meta, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (upload_id, bucket.id, key, content_type, json.dumps(meta), time.time()),
            )
        return upload_id

    def upload(self, bucket: Bucket, key: str, upload_id: str) -> Upload:
        with self._lock:
            row = self._db.execute(
                "SELECT id, key, content_type, meta FROM uploads WHERE id = ? AND bucket_id = ? AND key = ?",
                (upload_id, bucket.id, key),
            ).fetchone()
        if row is None:
            raise no_such_upload(upload_id)
        return Upload(str(row[0]), str(row[1]), str(row[2]), json.loads(str(row[3])))

    def put_part(self, bucket: Bucket, upload: Upload, number: int, temp: TempFile) -> Part:
        temp.close()
        part = Part(
            number, secrets.token_hex(16), temp.size, temp.md5.hexdigest().upper(), temp.crc64, time.time()
        )
        upsert = (
            "SELECT file FROM parts WHERE upload_id = ? AND number = ?",
            "INSERT OR REPLACE INTO parts (upload_id, number, file, size, etag, crc64, mtime) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (upload.id, number, part.file, part.size, part.etag, part.crc64, part.mtime),
        )
        with self._lock:  # aborted or completed meanwhile: nothing kept
            exists = self._db.execute("SELECT 1 FROM uploads WHERE id = ?", (upload.id,)).fetchone()
        if exists is None:
            temp.discard()
            raise no_such_upload(upload.id)
        old = self._install(bucket, temp, part.file, upsert)
        if old is not None:
            self._unlink(bucket.id, old)
        return part

    def parts(self, upload_id: str, after: int = 0, limit: int = 10_000) -> list[Part]:
        with self._lock:
            rows = self._db.execute(
                "SELECT number, file, size, etag, crc64, mtime FROM parts WHERE upload_id = ? AND number > ?"
                " ORDER BY number LIMIT ?",
                (upload_id, after, limit),
            ).fetchall()
        return [Part(*row) for row in rows]

    def assemble(self, bucket: Bucket, parts: list[Part]) -> TempFile:
        """A temp file with the parts' data one after the other (they stay until the upload ends)."""
        temp = self.new_temp()
        try:
            for part in parts:
                fd = os.open(self._bucket_dir(bucket.id) / part.file, os.O_RDONLY | os.O_CLOEXEC)
                try:
                    while chunk := os.read(fd, CHUNK_BYTES):
                        temp.write(chunk)
                finally:
                    os.close(fd)
        except BaseException:
            temp.discard()
            raise
        return temp

    def end_upload(self, bucket: Bucket, upload_id: str) -> None:
        """Forget the upload and remove its parts (aborted, or completed into an object)."""
        with self._transaction() as db:
            files = [
                str(row[0]) for row in db.execute("SELECT file FROM parts WHERE upload_id = ?", (upload_id,))
            ]
            db.execute("DELETE FROM parts WHERE upload_id = ?", (upload_id,))
            deleted = db.execute("DELETE FROM uploads WHERE id = ?", (upload_id,)).rowcount
        if not deleted:
            raise no_such_upload(upload_id)
        for name in files:
            self._unlink(bucket.id, name)


def _old(entry: os.DirEntry[str]) -> bool:
    try:
        return time.time() - entry.stat(follow_symlinks=False).st_mtime > ORPHAN_MIN_AGE_S
    except FileNotFoundError:
        return False


def _after_all(common: str) -> str:
    """The least string above every string that starts with `common`: its last character plus one
    (in code-point order, which is UTF-8 byte order, SQLite's)."""
    last = ord(common[-1])
    if last >= 0x10FFFF or 0xD7FF <= last < 0xE000:  # no next character that UTF-8 can carry
        return common + "\U0010ffff" * 4  # practically above them all
    return common[:-1] + chr(last + 1)
