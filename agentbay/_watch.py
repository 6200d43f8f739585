"""Directory watching without I/O: the event and result types, the `get_file_change` call and its
reply parser, and what a watcher does with a poll's outcome (shared by the thread and the async
watcher in `_watchers`)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

import attrs

from ._exceptions import AgentBayError, InvalidInputError, NotFoundError, SessionClosedError
from ._types import ApiResult
from ._wire import ToolOutput

__all__ = ["FileChangeEvent", "FileChangeResult", "FileChangeType"]

logger = logging.getLogger("agentbay")

TOOL = "get_file_change"
DEFAULT_INTERVAL = 0.5
"""Seconds between two polls of a watcher, as the official SDK."""


class FileChangeType(StrEnum):
    """What happened to a path (`FileChangeEvent.event_type`); a str, so ``== "create"`` works too."""

    CREATE = "create"
    """The file or directory appeared (created, or moved in)."""
    MODIFY = "modify"
    """A write to the file completed (one per open-write-close)."""
    DELETE = "delete"
    """The file or directory went away (deleted, or moved out)."""


def _event_type(value: object) -> FileChangeType | str:
    text = "" if value is None else str(value)
    try:
        return FileChangeType(text)
    except ValueError:
        return text  # a kind this SDK does not know yet: passed on as the service said it


@attrs.frozen(kw_only=True)
class FileChangeEvent:
    """One change under a watched directory."""

    event_type: FileChangeType | str
    """``create``, ``modify`` or ``delete`` (a `FileChangeType`); another string only if the service
    reports a kind this SDK does not know."""
    path: str
    """The absolute session path that changed, e.g. ``/home/wuying/watch/a.txt``."""
    path_type: str
    """``file`` or ``directory``."""

    @property
    def is_directory(self) -> bool:
        return self.path_type == "directory"

    def to_dict(self) -> dict[str, str]:
        """The wire form, ``{"eventType", "path", "pathType"}`` (as the official SDK's `to_dict`)."""
        return {"eventType": str(self.event_type), "path": self.path, "pathType": self.path_type}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FileChangeEvent:
        """An event from its wire form; missing keys are ""."""
        return cls(
            event_type=_event_type(data.get("eventType")),
            path=str(data.get("path") or ""),
            path_type=str(data.get("pathType") or ""),
        )


@attrs.frozen(kw_only=True)
class FileChangeResult(ApiResult):
    """The changes one `get_file_change` poll reported."""

    events: list[FileChangeEvent] = attrs.field(factory=list)
    """The changes since the previous poll of the same path, oldest first."""
    raw_data: str = ""
    """The reply's text as the service sent it."""

    def has_changes(self) -> bool:
        return bool(self.events)

    def _paths(self, kind: FileChangeType) -> list[str]:
        return [e.path for e in self.events if e.event_type == kind and e.path_type == "file"]

    def get_created_files(self) -> list[str]:
        return self._paths(FileChangeType.CREATE)

    def get_modified_files(self) -> list[str]:
        return self._paths(FileChangeType.MODIFY)

    def get_deleted_files(self) -> list[str]:
        return self._paths(FileChangeType.DELETE)


def parse_events(text: str) -> list[FileChangeEvent]:
    """The events of a reply: a JSON list of ``{eventType, path, pathType}``. Anything else is no
    events (logged), as the official SDK reads it; items that are not objects are skipped."""
    try:
        data = json.loads(text)
    except ValueError:
        logger.warning("get_file_change: the reply is not JSON (%d characters); no events", len(text))
        return []
    if not isinstance(data, list):
        logger.warning("get_file_change: expected a JSON list, got %s; no events", type(data).__name__)
        return []
    return [FileChangeEvent.from_dict(item) for item in data if isinstance(item, dict)]


def change_result(output: ToolOutput) -> FileChangeResult:
    return FileChangeResult(
        request_id=output.request_id, events=parse_events(output.text), raw_data=output.text
    )


def check_interval(interval: object) -> float:
    """A polling interval: a positive number of seconds."""
    if isinstance(interval, bool) or not isinstance(interval, int | float) or not interval > 0:
        raise InvalidInputError(f"Expected a positive number of seconds for `interval`, got {interval!r}")
    return float(interval)


def thread_name(path: str) -> str:
    """The watcher thread's name, as the official SDK names it."""
    return f"DirectoryWatcher-{path.replace('/', '_')}"


def ends_watch(error: BaseException) -> bool:
    """Whether a poll's error ends the watcher: the session is gone (deleted here or elsewhere).
    Any other failure (a timeout, a tool error) is logged and the watcher polls again."""
    return isinstance(error, SessionClosedError | NotFoundError)


def poll_events(path: str, result: FileChangeResult) -> list[FileChangeEvent] | None:
    """What a watcher makes of a poll: its events; [] after a failure (logged); None when the session
    is gone."""
    if result.error is None:
        return result.events
    return poll_failed(path, result.error)


def poll_failed(path: str, error: BaseException) -> list[FileChangeEvent] | None:
    """A poll that raised `error` or failed with it: None when that ends the watcher, else [] and a
    WARNING (an SDK error's text never holds the API key: the transport scrubs it)."""
    if ends_watch(error):
        return None
    shown = error if isinstance(error, AgentBayError) else repr(error)
    logger.warning("watch_directory(%s): poll failed: %s", path, shown)
    return []


def log_callback_error(path: str) -> None:
    """The caller's callback raised: logged with its traceback, and the watcher goes on."""
    logger.exception("watch_directory(%s): the callback raised", path)
