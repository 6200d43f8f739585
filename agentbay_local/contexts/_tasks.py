"""The sync tasks of the running sessions, and GetContextInfo's `ContextStatus` text.

A task is one transfer between a context and a session: a `download` (context -> session: at create,
or a SyncContext with Mode=download) or an `upload` (session -> context). It is `Pending` when
registered, `Running` while its thread copies, then `Success` or `Failed` with an error message.

The table keeps, per session, the latest task of each (context, path, type): what the cloud reports
too (a poll after a second sync of the same path sees the second one). Tasks live in memory only: a
task is a thread of this process, so after a restart there is nothing running to report, and the
SDKs' wait loops end at once on an empty list. A session's tasks go when it is released.
"""

from __future__ import annotations

import json
import posixpath
import threading
import time
from dataclasses import dataclass, field

PENDING = "Pending"
RUNNING = "Running"
SUCCESS = "Success"
FAILED = "Failed"

UPLOAD = "upload"
DOWNLOAD = "download"

#: The most tasks a session keeps: beyond it the oldest finished ones are forgotten. A session that
#: syncs a thousand distinct paths has no use for the status of the first.
MAX_TASKS_PER_SESSION = 1000


@dataclass(eq=False)
class Task:
    """One transfer. `path` is reported as the caller gave it (the SDKs match it exactly); times are
    Unix seconds, `finish_time` 0 until it ends. `cancel` asks the copying thread to stop."""

    session_id: str
    context_id: str
    path: str
    task_type: str
    status: str = PENDING
    start_time: int = field(default_factory=lambda: int(time.time()))
    finish_time: int = 0
    error_message: str = ""
    cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def active(self) -> bool:
        return self.status in (PENDING, RUNNING)

    def item(self) -> dict[str, object]:
        """The task as an item of `ContextStatus`, in the captures' key order."""
        return {
            "contextId": self.context_id,
            "path": self.path,
            "status": self.status,
            "taskType": self.task_type,
            "startTime": self.start_time,
            "finishTime": self.finish_time,
            "errorMessage": self.error_message,
        }


class TaskTable:
    """The tasks of every running session; safe to share between the event loop and worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, dict[tuple[str, str, str], Task]] = {}

    def add(self, task: Task) -> None:
        """Register a task, replacing the previous one of the same context, path and type."""
        key = (task.context_id, _norm(task.path), task.task_type)
        with self._lock:
            tasks = self._sessions.setdefault(task.session_id, {})
            tasks.pop(key, None)  # re-inserted last: the dict's order is the order tasks started
            tasks[key] = task
            if len(tasks) > MAX_TASKS_PER_SESSION:
                for old_key, old in list(tasks.items()):
                    if not old.active:
                        del tasks[old_key]
                        break

    def active(self, session_id: str, context_id: str | None = None) -> list[Task]:
        """The session's tasks still pending or running (of one context, if given)."""
        with self._lock:
            tasks = list(self._sessions.get(session_id, {}).values())
        return [t for t in tasks if t.active and (context_id is None or t.context_id == context_id)]

    def select(
        self,
        session_id: str,
        context_id: str | None = None,
        path: str | None = None,
        task_type: str | None = None,
    ) -> list[Task]:
        """The session's tasks, filtered by whichever of context, path and type are given."""
        wanted_path = _norm(path) if path is not None else None
        with self._lock:
            tasks = list(self._sessions.get(session_id, {}).values())
        return [
            t
            for t in tasks
            if (context_id is None or t.context_id == context_id)
            and (wanted_path is None or _norm(t.path) == wanted_path)
            and (task_type is None or t.task_type == task_type)
        ]

    def drop(self, session_id: str) -> None:
        """Forget a released session's tasks."""
        with self._lock:
            self._sessions.pop(session_id, None)

    @staticmethod
    def start(task: Task) -> None:
        """The task's thread has begun copying."""
        task.status = RUNNING

    @staticmethod
    def finish(task: Task, error: str = "") -> None:
        """The task ended: `Success`, or `Failed` with `error`."""
        task.error_message = error
        task.finish_time = int(time.time())
        task.status = FAILED if error else SUCCESS


def context_status(tasks: list[Task]) -> str:
    """GetContextInfo's `Data.ContextStatus`: a JSON string holding `[{"type": "data", "data": "<JSON
    string of the items>"}]`, with json.dumps' default separators as in the captures."""
    return json.dumps([{"type": "data", "data": json.dumps([task.item() for task in tasks])}])


def _norm(path: str) -> str:
    """A path compared without its redundant slashes (`/a//b/` is `/a/b`)."""
    if not path:
        return path
    normal = posixpath.normpath(path)
    return "/" + normal.lstrip("/") if normal.startswith("//") else normal  # POSIX keeps a leading "//"
