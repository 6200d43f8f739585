"""A context's objects on disk: streamed uploads that land whole, reads, folder listings, deletes.

Every function here blocks on the disk: the async callers run them in a worker thread
(`run_in_threadpool`), a megabyte or so at a time, so the event loop never waits on a disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import stat
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from .._bodies import CHUNK_BYTES
from .._store import remove_tree


class Conflict(Exception):
    """The key cannot be stored: a folder has its name, or a file has the name of one of its folders."""


class Upload:
    """One object being written: a new file in the context's `tmp/`, renamed to `files/<key>` by
    `commit()` (so readers see the old object or the new one, never part of one) or removed by
    `discard()`. Its MD5 (the ETag) is computed as it is written."""

    def __init__(self, tmp_dir: Path, files_dir: Path, key: str) -> None:
        self.files_dir = files_dir
        self.key = key
        tmp_dir.mkdir(parents=True, exist_ok=True)
        self.path = tmp_dir / f"{secrets.token_hex(8)}.part"
        self._fd: int | None = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        self._md5 = hashlib.md5(usedforsecurity=False)
        self.size = 0

    def write(self, data: bytes) -> None:
        """Append `data` (OSError ENOSPC when the disk is full: `discard()` then)."""
        assert self._fd is not None, "the upload is closed"
        self._md5.update(data)
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]
        self.size += len(data)

    def commit(self) -> str:
        """Put the object in place and return its ETag (the MD5 hex).

        Raises:
            Conflict: A folder has the key's name, or a file the name of one of its folders.
        """
        self._close()
        target = self.files_dir / self.key
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(self.path, target)  # IsADirectoryError over a folder
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            self.discard()
            raise Conflict(self.key) from None
        except BaseException:
            self.discard()
            raise
        etag = self._md5.hexdigest()
        ETAGS.remember(os.stat(target, follow_symlinks=False), etag)
        return etag

    def discard(self) -> None:
        """Remove what was written; idempotent."""
        self._close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)

    def _close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


class Etags:
    """MD5s of objects already hashed, by file identity and version (device, inode, size, mtime): an
    object written by an upload is known at once; one the sync engine copied is hashed by its first
    download, once. Bounded, least recently used first out."""

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._known: OrderedDict[tuple[int, int, int, int], str] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
        return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)

    def remember(self, info: os.stat_result, etag: str) -> None:
        with self._lock:
            self._known[self._identity(info)] = etag
            self._known.move_to_end(self._identity(info))
            while len(self._known) > self._size:
                self._known.popitem(last=False)

    def of(self, fd: int, info: os.stat_result) -> str:
        """The MD5 hex of the open file `fd` whose `fstat` is `info`."""
        with self._lock:
            known = self._known.get(self._identity(info))
        if known is not None:
            return known
        md5 = hashlib.md5(usedforsecurity=False)
        offset = 0
        while chunk := os.pread(fd, CHUNK_BYTES, offset):
            md5.update(chunk)
            offset += len(chunk)
        etag = md5.hexdigest()
        self.remember(info, etag)
        return etag


ETAGS = Etags()


def open_object(files_dir: Path, key: str) -> tuple[int, os.stat_result] | None:
    """The object's file, open for reading, and its `fstat`; None if there is no such object.

    The open file is what is served: an upload that replaces the object meanwhile does not change it.
    """
    path = files_dir / key
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    except OSError:  # ELOOP: a symlink, which no upload or sync makes
        return None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or not _inside(files_dir, path):
        os.close(fd)
        return None
    return fd, info


def _inside(files_dir: Path, path: Path) -> bool:
    """Whether the real path is below `files_dir` (no symlinked folder on the way)."""
    return os.path.realpath(path).startswith(os.path.realpath(files_dir) + os.sep)


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a folder listing; `key` is its full key, `mtime` Unix seconds."""

    name: str
    key: str
    is_folder: bool
    size: int
    mtime: float


def list_folder(files_dir: Path, folder: str) -> list[Entry]:
    """The files and folders directly in `folder` ("" for the root), sorted by name; empty when the
    folder does not exist (as a listing of an absent prefix in object storage)."""
    base = files_dir / folder if folder else files_dir
    if folder and not _inside(files_dir, base):
        return []
    entries: list[Entry] = []
    try:
        scanned = list(os.scandir(base))
    except (FileNotFoundError, NotADirectoryError):
        return []
    for item in scanned:
        try:
            info = item.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue
        is_folder = stat.S_ISDIR(info.st_mode)
        if not is_folder and not stat.S_ISREG(info.st_mode):
            continue
        key = f"{folder}/{item.name}" if folder else item.name
        entries.append(Entry(item.name, key, is_folder, 0 if is_folder else info.st_size, info.st_mtime))
    entries.sort(key=lambda entry: entry.name)
    return entries


def delete_object(files_dir: Path, key: str) -> bool:
    """Remove the object, or the folder and everything in it; then the folders it leaves empty.
    False if there was nothing of that name."""
    path = files_dir / key
    if not _inside(files_dir, path) or not os.path.lexists(path):
        return False
    remove_tree(path)
    parent = path.parent
    while parent != files_dir:
        try:
            parent.rmdir()
        except OSError:  # not empty (or gone): the folders above stay too
            break
        parent = parent.parent
    return True
