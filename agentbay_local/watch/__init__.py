"""`get_file_change`: the file system events of a session's directory since the previous poll.

`WATCH_TOOLS` maps the tool's name to its handler (`handler(session_root, args) -> (text, is_error)`,
see `agentbay_local.sandbox`); the server's tool registry includes it.

The first poll of a (session, path) starts a `Watcher` (real inotify, recursive, see `_watcher`) and
replies `[]`; each later poll replies the events since the previous one, as the JSON list
`[{"eventType": "create"|"modify"|"delete", "path": "/home/wuying/...", "pathType": "file"|"directory"}]`.
A watcher nobody polled for `IDLE_S` seconds is closed (checked at each poll), as are a session's
watchers at its release (`end_session`) and every watcher when the server stops (`end_all`). A session
holds at most `MAX_WATCHERS_PER_SESSION` of them: each is an inotify instance, of which the kernel
allows a user 128 by default (`fs.inotify.max_user_instances`).
"""

from __future__ import annotations

import errno
import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from ..sandbox._args import ToolFailure, get_str
from ..sandbox._paths import SessionFS, os_failure, resolve
from ._watcher import MAX_DIRS, MAX_PENDING, Watcher

__all__ = [
    "IDLE_S",
    "MAX_DIRS",
    "MAX_PENDING",
    "MAX_WATCHERS_PER_SESSION",
    "WATCH_TOOLS",
    "end_all",
    "end_session",
    "get_file_change",
    "watchers",
]

logger = logging.getLogger("agentbay_local.watch")

#: A watcher not polled for this long is closed (its next poll starts afresh and replies []).
IDLE_S = 600.0
#: Watched paths per session.
MAX_WATCHERS_PER_SESSION = 16

_lock = threading.Lock()
_watchers: dict[tuple[str, str], Watcher] = {}  # (session root, session path) -> its watcher


def watchers(session_root: Path | str | None = None) -> list[Watcher]:
    """The open watchers (of one session when given), for tests and diagnostics."""
    root = None if session_root is None else os.fspath(session_root)
    with _lock:
        return [w for (r, _), w in _watchers.items() if root is None or r == root]


def _close(predicate: Any) -> None:
    with _lock:
        doomed = [(key, w) for key, w in _watchers.items() if predicate(key, w)]
        for key, _ in doomed:
            del _watchers[key]
    for _, watcher in doomed:
        watcher.close()


def end_session(session_root: Path | str) -> None:
    """Close every watcher of the session at `session_root` (it is being released)."""
    root = os.fspath(session_root)
    _close(lambda key, _w: key[0] == root)


def end_all(sessions_dir: Path | str) -> None:
    """Close the watchers of every session under `sessions_dir` (the server stops)."""
    top = os.path.join(os.fspath(sessions_dir), "")
    _close(lambda key, _w: key[0].startswith(top))


def _close_idle() -> None:
    deadline = time.monotonic() - IDLE_S
    _close(lambda _key, w: w.last_poll < deadline)


def get_file_change(session_root: Path, args: dict[str, Any]) -> str:
    """The events under `args["path"]` since the previous poll, as JSON; `[]` at the first poll."""
    raw = get_str(args, "path")
    location = resolve(SessionFS.open(session_root), raw)
    key = (os.fspath(session_root), location.session_path)
    _close_idle()
    with _lock:
        watcher = _watchers.get(key)
    if watcher is not None:
        events = watcher.poll()
        if watcher.gone:  # its directory went away: these were its last events
            _close(lambda k, w: k == key and w is watcher)
        return json.dumps(events)
    try:
        watcher = Watcher(location)
    except OSError as error:
        if error.errno in (errno.EMFILE, errno.ENFILE, errno.ENOSPC):
            raise ToolFailure(
                f"Cannot watch {location.shown}: the server has too many watches open ({error.strerror})"
            ) from None
        raise os_failure(error, location.shown) from None
    with _lock:
        count = sum(1 for root, _ in _watchers if root == key[0])
        if key in _watchers or count >= MAX_WATCHERS_PER_SESSION:
            existing = key in _watchers
        else:
            _watchers[key] = watcher
            return "[]"
    watcher.close()
    if existing:  # a concurrent first poll won: this one starts nothing more
        return "[]"
    raise ToolFailure(
        f"Cannot watch {location.shown}: this session watches {MAX_WATCHERS_PER_SESSION} directories "
        f"already (a watch not polled for {IDLE_S:.0f} s ends)"
    )


def _handler(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    try:
        if not isinstance(args, dict):
            raise ToolFailure("Args must be a JSON object")
        return get_file_change(session_root, args), False
    except ToolFailure as failure:
        return failure.message, True
    except Exception as error:  # the server must get a reply, never a traceback
        logger.exception("tool get_file_change failed unexpectedly")
        return f"Internal error in get_file_change: {type(error).__name__}: {error}", True


WATCH_TOOLS: dict[str, Any] = {"get_file_change": _handler}
