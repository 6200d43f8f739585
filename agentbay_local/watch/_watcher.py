"""One watched directory of one session: an inotify instance over the directory and every directory
below it, and the events seen since the last poll.

Events are read from the inotify fd at poll time only (non-blocking, until the kernel's queue is
empty), not by a reader thread. That is correct because the kernel keeps every event in order in the
instance's queue until it is read; a thread would only move them into our list sooner. Memory is
bounded twice, and both bounds keep the OLDEST changes since the previous poll and drop the later ones:
the kernel queue (`fs.inotify.max_queued_events`, 16384 by default: past it the kernel drops new events
and queues one IN_Q_OVERFLOW), then our pending list (`MAX_PENDING` events: past it new ones are
dropped). Drops and overflows are counted and logged at the poll. So a poll after a huge burst reports
its first `MAX_PENDING` changes, coherently (no hole in the middle), and the next poll reports what
happened after it. Directories created meanwhile are still watched, even when their events are dropped.
What a thread would narrow: the kernel overflow (it would drain the queue as it fills), the window
between a directory's creation and the watch on it (the scan of a new directory, below, closes it either
way), and the kernel's merging of an event into the previous one when both are identical and unread
(two writes in a row to one file, with no other event between, are one IN_CLOSE_WRITE, so one
`modify`): a thread would merge fewer, but could not promise none either.

A new directory (created or moved in) is watched at once, then listed: what is already inside it is
reported as created (and a non-empty file as modified too: it was written before we could see the
close), so files made right after a `mkdir` are not lost. Events the new watch also queued for those
same entries before the listing are dropped, so each change is reported once.

Directories are opened one component at a time without following links (`open_dir`), and the watch
is added through `/proc/self/fd/N` of that open directory: a session process swapping a component
for a symlink cannot make us watch a directory outside the session.
"""

from __future__ import annotations

import dataclasses
import errno
import logging
import os
import posixpath
import stat
import threading
import time
from collections import deque

from ..sandbox._paths import HOME, TMP, Location, open_dir
from . import _inotify as ino

__all__ = ["MAX_DIRS", "MAX_PENDING", "Watcher"]

logger = logging.getLogger("agentbay_local.watch")

#: Events kept between two polls of one watcher; past it later ones are dropped (and counted, logged).
MAX_PENDING = 10_000
#: Directories one watcher watches (inotify watches); deeper or further ones are left out (and logged).
MAX_DIRS = 10_000
#: At most this many reads of the inotify fd per poll, so that a directory changing faster than we read
#: cannot hold a poll forever; the rest waits in the kernel queue for the next poll.
_MAX_READS = 64

_MASK = (
    ino.IN_CREATE
    | ino.IN_MOVED_TO
    | ino.IN_CLOSE_WRITE
    | ino.IN_DELETE
    | ino.IN_MOVED_FROM
    | ino.IN_DELETE_SELF
    | ino.IN_MOVE_SELF
)

Change = dict[str, str]


class Watcher:
    """The events of `location` (a session directory) and everything below it, since the last poll.

    Raises `OSError` at construction when the directory cannot be opened or watched.
    """

    def __init__(
        self, location: Location, *, max_pending: int | None = None, max_dirs: int | None = None
    ) -> None:
        self.location = location
        self.max_dirs = MAX_DIRS if max_dirs is None else max_dirs
        self.last_poll = time.monotonic()
        #: The watched directory is gone (deleted or moved away): the owner drops the watcher after
        #: handing out its last events.
        self.gone = False
        self._lock = threading.Lock()
        self.max_pending = MAX_PENDING if max_pending is None else max_pending
        self._pending: list[Change] = []
        self._dropped = 0
        self._overflows = 0
        self._capped = False
        self._dirs: dict[int, tuple[str, ...]] = {}  # watch descriptor -> parts below the tree root
        self._scanned: set[tuple[str, str]] = set()  # (eventType, path) reported by a scan this drain
        self._tree_path = HOME if location.tree == "home" else TMP
        self._inotify = ino.Inotify()
        try:
            self._root_wd = self._watch(location.parts)
            if self._root_wd is None:  # pragma: no cover - max_dirs is at least 1
                raise OSError("no watch")
            self._watch_tree(location.parts, report=False)
        except BaseException:
            self._inotify.close()
            raise

    # ---- polling ---------------------------------------------------------------------------------

    def poll(self) -> list[Change]:
        """The events since the previous poll, oldest first."""
        with self._lock:
            self.last_poll = time.monotonic()
            self._drain()
            events, self._pending = self._pending, []
            if self._dropped or self._overflows:
                logger.warning(
                    "watch of %s: %d event(s) dropped since the last poll (more than %d pending), "
                    "%d kernel queue overflow(s)",
                    self.location.session_path,
                    self._dropped,
                    self.max_pending,
                    self._overflows,
                )
                self._dropped = self._overflows = 0
            return events

    def close(self) -> None:
        """Release the inotify instance and its watches; idempotent."""
        with self._lock:
            self._inotify.close()
            self._dirs.clear()

    @property
    def closed(self) -> bool:
        return self._inotify.fd is None

    @property
    def watched_dirs(self) -> int:
        return len(self._dirs)

    def _drain(self) -> None:
        try:
            for _ in range(_MAX_READS):
                events = self._inotify.read()
                if not events:
                    break
                for event in events:
                    self._handle(event)
        finally:
            self._scanned.clear()

    def _handle(self, event: ino.Event) -> None:
        if event.mask & ino.IN_Q_OVERFLOW:
            self._overflows += 1
            return
        if event.mask & ino.IN_IGNORED:  # the watch ended (its directory deleted, or unwatched)
            self._dirs.pop(event.wd, None)
            if event.wd == self._root_wd:
                self.gone = True
            return
        parts = self._dirs.get(event.wd)
        if parts is None:
            return
        if event.mask & (ino.IN_DELETE_SELF | ino.IN_MOVE_SELF):
            # A subdirectory's deletion or move is reported by its parent; the root's ends the watch
            # (after a move its events would carry paths it no longer has).
            if event.wd == self._root_wd:
                self.gone = True
            return
        child = (*parts, os.fsdecode(event.name))
        path = self._session_path(child)
        is_dir = bool(event.mask & ino.IN_ISDIR)
        kind = "directory" if is_dir else "file"
        if event.mask & (ino.IN_CREATE | ino.IN_MOVED_TO):
            self._emit("create", path, kind)
            if is_dir:
                self._watch_tree(child, report=True)
        elif event.mask & ino.IN_CLOSE_WRITE:
            self._emit("modify", path, "file")
        elif event.mask & (ino.IN_DELETE | ino.IN_MOVED_FROM):
            self._emit("delete", path, kind)
            if is_dir and event.mask & ino.IN_MOVED_FROM:
                self._unwatch_tree(child)  # moved out (or renamed: IN_MOVED_TO watches it again)

    def _emit(self, event_type: str, path: str, path_type: str, *, scanned: bool = False) -> None:
        key = (event_type, path)
        if scanned:
            self._scanned.add(key)
        elif key in self._scanned:  # the scan of a new directory reported it already
            self._scanned.discard(key)
            return
        if len(self._pending) >= self.max_pending:
            self._dropped += 1
            return
        self._pending.append({"eventType": event_type, "path": path, "pathType": path_type})

    # ---- watches ---------------------------------------------------------------------------------

    def _session_path(self, parts: tuple[str, ...]) -> str:
        return posixpath.join(self._tree_path, *parts)

    def _cap_reached(self, why: str) -> None:
        if not self._capped:  # once per watcher: the log says it, not every directory
            self._capped = True
            logger.warning(
                "watch of %s: %s, further directories are not watched", self.location.session_path, why
            )

    def _watch(self, parts: tuple[str, ...]) -> int | None:
        """Watch the directory `parts`; its watch descriptor, or None past `max_dirs`. Raises OSError."""
        if len(self._dirs) >= self.max_dirs:
            self._cap_reached(f"more than {self.max_dirs} directories")
            return None
        fd = open_dir(dataclasses.replace(self.location, parts=parts))
        try:
            wd = self._inotify.add(f"/proc/self/fd/{fd}", _MASK)
        finally:
            os.close(fd)
        self._dirs[wd] = parts
        return wd

    def _watch_tree(self, top: tuple[str, ...], *, report: bool) -> None:
        """Watch every directory below `top` (itself watched already unless `report`); with `report`,
        `top` is new: watch it, and report what it holds as created."""
        queue: deque[tuple[str, ...]] = deque([top])
        first = True
        while queue:
            parts = queue.popleft()
            try:
                if (report or not first) and self._watch(parts) is None:
                    return
                entries = self._list(parts)
            except OSError as error:
                if error.errno == errno.ENOSPC:  # the kernel's limit of watches for this user
                    self._cap_reached(f"the kernel's limit of inotify watches ({error.strerror})")
                    return
                continue  # gone already, or replaced by a file or a link: its parent reports that
            finally:
                first = False
            for name, mode, size in entries:
                child = (*parts, name)
                is_dir = stat.S_ISDIR(mode)
                if report:
                    path = self._session_path(child)
                    self._emit("create", path, "directory" if is_dir else "file", scanned=True)
                    if stat.S_ISREG(mode) and size > 0:
                        self._emit("modify", path, "file", scanned=True)
                if is_dir:
                    queue.append(child)

    def _list(self, parts: tuple[str, ...]) -> list[tuple[str, int, int]]:
        """`(name, mode, size)` of each entry of the directory `parts`, links not followed."""
        fd = open_dir(dataclasses.replace(self.location, parts=parts))
        try:
            out = []
            with os.scandir(fd) as it:
                for entry in it:
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    out.append((entry.name, info.st_mode, info.st_size))
            return out
        finally:
            os.close(fd)

    def _unwatch_tree(self, top: tuple[str, ...]) -> None:
        n = len(top)
        for wd, parts in list(self._dirs.items()):
            if parts[:n] == top:
                self._inotify.remove(wd)
                del self._dirs[wd]
