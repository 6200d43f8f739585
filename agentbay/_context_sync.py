"""Contexts in a session, without I/O: what to mount at create (`ContextSync` and its `SyncPolicy`), the
JSON the official SDK sends for it, the task statuses GetContextInfo reports, and the rules of waiting
for those tasks. `AsyncSessionContext` (and its sync twin) and `create` only send and sleep.

The policy classes keep the official SDK's names and defaults (0.22.3, the newest): the JSON of
`SyncPolicy.default()` is byte for byte what 0.22.3 sends (tests/test_context_sync.py compares it with
the captured requests).
"""

from __future__ import annotations

import enum
import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import attrs

from ._api.api.context import get_context_info, sync_context
from ._api.models import (
    GetContextInfoData,
    GetContextInfoRequest,
    GetContextInfoResponse,
    ResponseEnvelope,
    SyncContextRequest,
)
from ._api.types import UNSET
from ._exceptions import ContextSyncError, InvalidInputError
from ._types import ApiResult
from ._validate import check_non_empty
from ._wire import Operation, QueryAuth, _malformed, _str

__all__ = [
    "BWList",
    "ContextInfoResult",
    "ContextStatusData",
    "ContextSync",
    "ContextSyncResult",
    "DeletePolicy",
    "DownloadPolicy",
    "DownloadStrategy",
    "ExtractPolicy",
    "Lifecycle",
    "MappingPolicy",
    "RecyclePolicy",
    "SyncPolicy",
    "UploadMode",
    "UploadPolicy",
    "UploadStrategy",
    "WhiteList",
]

GET_CONTEXT_INFO = Operation("GetContextInfo", get_context_info, GetContextInfoResponse, retry_safe=True)
# A repeat could start a second sync while the first runs (the local server refuses that).
SYNC_CONTEXT = Operation("SyncContext", sync_context, ResponseEnvelope, retry_safe=False)

TASK_TYPES = ("upload", "download")
DEFAULT_WAIT_TIMEOUT = 300.0
"""Seconds `create`, `sync` and `delete(sync_context=True)` wait for their tasks: the official 0.8
SDK's bound (150 polls, 2 s apart)."""
FIRST_POLL = 0.1
POLL_FACTOR = 1.5
MAX_POLL = 2.0
"""Polls start 0.1 s apart (a small context is there at once) and slow down to one every 2 s."""
UNREPORTED_GRACE = 5.0
"""Seconds `create` keeps polling for a download the service has not reported yet; after that there
is taken to be nothing to download. (0.8 stops at the first empty report; 0.22.3 waits for each
context to appear, as the cloud may register downloads late.)"""
SYNC_GRACE = 1.0
"""Seconds `sync` keeps polling when the service reports no task of it: it had nothing to sync (e.g.
no context mounted). The official SDKs stop at the first poll that shows none."""

_WILDCARD = re.compile(r"[*?\[\]]")


# ---- policies ------------------------------------------------------------------------------------


class UploadStrategy(enum.StrEnum):
    """When a mounted context is uploaded."""

    UPLOAD_BEFORE_RESOURCE_RELEASE = "UploadBeforeResourceRelease"


class DownloadStrategy(enum.StrEnum):
    """How a context is downloaded into a new session."""

    DOWNLOAD_ASYNC = "DownloadAsync"


class UploadMode(enum.StrEnum):
    """Upload file by file, or as one archive."""

    FILE = "File"
    ARCHIVE = "Archive"


class Lifecycle(enum.StrEnum):
    """How long a context's data is kept (`RecyclePolicy`)."""

    LIFECYCLE_1DAY = "Lifecycle_1Day"
    LIFECYCLE_3DAYS = "Lifecycle_3Days"
    LIFECYCLE_5DAYS = "Lifecycle_5Days"
    LIFECYCLE_10DAYS = "Lifecycle_10Days"
    LIFECYCLE_15DAYS = "Lifecycle_15Days"
    LIFECYCLE_30DAYS = "Lifecycle_30Days"
    LIFECYCLE_90DAYS = "Lifecycle_90Days"
    LIFECYCLE_180DAYS = "Lifecycle_180Days"
    LIFECYCLE_360DAYS = "Lifecycle_360Days"
    LIFECYCLE_FOREVER = "Lifecycle_Forever"


E = TypeVar("E", bound=enum.StrEnum)


def _member(kind: type[E], value: object) -> E:
    """`kind`'s member of that value (a member, or its str value); InvalidInputError for anything else."""
    if isinstance(value, str):
        try:
            return kind(value)
        except ValueError:
            pass
    allowed = ", ".join(m.value for m in kind)
    raise InvalidInputError(f"Expected one of {allowed} for {kind.__name__}, got {value!r}")


# Converters: the attrs mypy plugin takes named functions only.
def _upload_strategy(value: UploadStrategy | str) -> UploadStrategy:
    return _member(UploadStrategy, value)


def _download_strategy(value: DownloadStrategy | str) -> DownloadStrategy:
    return _member(DownloadStrategy, value)


def _upload_mode(value: UploadMode | str) -> UploadMode:
    return _member(UploadMode, value)


def _lifecycle(value: Lifecycle | str) -> Lifecycle:
    return _member(Lifecycle, value)


def _bool(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidInputError(f"Expected a bool for `{attribute.name}`, got {value!r}")


def _paths(value: Iterable[str]) -> tuple[str, ...]:
    """A tuple of the str paths of a list (a str alone is refused: it is not a list of paths)."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInputError(f"Expected a list of str paths, got {value!r}")
    paths = tuple(value)
    for path in paths:
        if not isinstance(path, str):
            raise InvalidInputError(f"Expected a list of str paths, got an item {path!r}")
    return paths


def _no_wildcards(what: str, paths: Iterable[str]) -> None:
    for path in paths:
        if _WILDCARD.search(path):
            raise InvalidInputError(
                f"Wildcards (* ? [ ]) are not supported in {what}, got {path!r}: give exact folder paths"
            )


@attrs.frozen
class UploadPolicy:
    """When and how the session's files at the mount go back to the context."""

    auto_upload: bool = attrs.field(default=True, validator=_bool)
    """Upload when the session is released (and on `delete(sync_context=True)`)."""
    upload_strategy: UploadStrategy = attrs.field(
        default=UploadStrategy.UPLOAD_BEFORE_RESOURCE_RELEASE, converter=_upload_strategy
    )
    upload_mode: UploadMode = attrs.field(default=UploadMode.FILE, converter=_upload_mode)
    archive_exclude_paths: tuple[str, ...] = attrs.field(default=(), converter=_paths)
    """With `UploadMode.ARCHIVE`: path prefixes (relative to the mount, no wildcards) kept as files."""

    def __attrs_post_init__(self) -> None:
        _no_wildcards("archive_exclude_paths", self.archive_exclude_paths)

    @classmethod
    def default(cls) -> UploadPolicy:
        """The official defaults: upload before release, file by file."""
        return cls()

    def to_dict(self) -> dict[str, Any]:
        """The policy's JSON object, with the official SDK's keys."""
        out: dict[str, Any] = {
            "autoUpload": self.auto_upload,
            "uploadStrategy": self.upload_strategy.value,
            "uploadMode": self.upload_mode.value,
        }
        if self.archive_exclude_paths and self.upload_mode is UploadMode.ARCHIVE:
            out["archiveExcludePaths"] = list(self.archive_exclude_paths)
        return out


@attrs.frozen
class DownloadPolicy:
    """Whether a new session gets the context's files at its mount."""

    auto_download: bool = attrs.field(default=True, validator=_bool)
    """Download the context into the mount when the session starts (`create` waits for it)."""
    download_strategy: DownloadStrategy = attrs.field(
        default=DownloadStrategy.DOWNLOAD_ASYNC, converter=_download_strategy
    )

    @classmethod
    def default(cls) -> DownloadPolicy:
        return cls()

    def to_dict(self) -> dict[str, Any]:
        return {"autoDownload": self.auto_download, "downloadStrategy": self.download_strategy.value}


@attrs.frozen
class DeletePolicy:
    """What an upload does with files deleted in the session."""

    sync_local_file: bool = attrs.field(default=True, validator=_bool)
    """Delete them from the context too (else the context keeps them)."""

    @classmethod
    def default(cls) -> DeletePolicy:
        return cls()

    def to_dict(self) -> dict[str, Any]:
        return {"syncLocalFile": self.sync_local_file}


@attrs.frozen
class ExtractPolicy:
    """What happens to archives after a download (the cloud's; the local server keeps them as they are)."""

    extract: bool = attrs.field(default=True, validator=_bool)
    delete_src_file: bool = attrs.field(default=True, validator=_bool)
    extract_current_folder: bool = attrs.field(default=False, validator=_bool)
    """Extract into the archive's folder rather than a folder of its name."""

    @classmethod
    def default(cls) -> ExtractPolicy:
        return cls()

    def to_dict(self) -> dict[str, Any]:
        return {
            "extract": self.extract,
            "deleteSrcFile": self.delete_src_file,
            "extractToCurrentFolder": self.extract_current_folder,
        }


@attrs.frozen
class RecyclePolicy:
    """How long the context's data is kept (the cloud's; the local server keeps it until deleted)."""

    lifecycle: Lifecycle = attrs.field(default=Lifecycle.LIFECYCLE_FOREVER, converter=_lifecycle)
    paths: tuple[str, ...] = attrs.field(default=("",), converter=_paths)
    """Exact folders (relative to the mount, no wildcards) it applies to; ``""`` is all of them."""

    def __attrs_post_init__(self) -> None:
        _no_wildcards("recycle policy paths", self.paths)

    @classmethod
    def default(cls) -> RecyclePolicy:
        return cls()

    def to_dict(self) -> dict[str, Any]:
        return {"lifecycle": self.lifecycle.value, "paths": list(self.paths)}


@attrs.frozen
class WhiteList:
    """A folder of the mount that syncs, and folders under it that do not."""

    path: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    """Relative to the mount, e.g. ``/Default/Cookies``; ``""`` is all of it. No wildcards unless
    `is_path_regex`."""
    exclude_paths: tuple[str, ...] = attrs.field(default=(), converter=_paths)
    """Folders under `path` left out. No wildcards unless `is_exclude_regex`."""
    is_path_regex: bool = attrs.field(default=False, validator=_bool)
    is_exclude_regex: bool = attrs.field(default=False, validator=_bool)

    def __attrs_post_init__(self) -> None:
        if not self.is_path_regex:
            _no_wildcards("a white list path (set is_path_regex=True for a regular expression)", [self.path])
        if not self.is_exclude_regex:
            _no_wildcards(
                "exclude_paths (set is_exclude_regex=True for regular expressions)", self.exclude_paths
            )

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "excludePaths": list(self.exclude_paths),
            "isPathRegex": self.is_path_regex,
            "isExcludeRegex": self.is_exclude_regex,
        }


def _white_lists(value: Iterable[WhiteList]) -> tuple[WhiteList, ...]:
    if isinstance(value, WhiteList) or not isinstance(value, Iterable):
        raise InvalidInputError(f"Expected a list of WhiteList for `white_lists`, got {value!r}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, WhiteList):
            raise InvalidInputError(f"Expected a list of WhiteList for `white_lists`, got an item {item!r}")
    return items


@attrs.frozen
class BWList:
    """What syncs: the white lists (no list syncs everything)."""

    white_lists: tuple[WhiteList, ...] = attrs.field(default=(), converter=_white_lists)

    def to_dict(self) -> dict[str, Any]:
        return {"whiteLists": [w.to_dict() for w in self.white_lists]}


@attrs.frozen
class MappingPolicy:
    """(Cross-platform) the path on another OS that maps to this mount."""

    path: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path}


P = TypeVar("P")


def _or_default(kind: type[P], value: object, make: Callable[[], P]) -> P:
    """`value` if it is a `kind`; the default for None (as the official SDK's `__post_init__` makes
    it); InvalidInputError for anything else."""
    if value is None:
        return make()
    if not isinstance(value, kind):
        raise InvalidInputError(f"Expected a {kind.__name__} or None, got {value!r}")
    return value


def _upload_policy(value: UploadPolicy | None) -> UploadPolicy:
    return _or_default(UploadPolicy, value, UploadPolicy)


def _download_policy(value: DownloadPolicy | None) -> DownloadPolicy:
    return _or_default(DownloadPolicy, value, DownloadPolicy)


def _delete_policy(value: DeletePolicy | None) -> DeletePolicy:
    return _or_default(DeletePolicy, value, DeletePolicy)


def _extract_policy(value: ExtractPolicy | None) -> ExtractPolicy:
    return _or_default(ExtractPolicy, value, ExtractPolicy)


def _recycle_policy(value: RecyclePolicy | None) -> RecyclePolicy:
    return _or_default(RecyclePolicy, value, RecyclePolicy)


def _bw_list(value: BWList | None) -> BWList:
    return _or_default(BWList, value, lambda: BWList([WhiteList()]))


def _mapping_policy(value: MappingPolicy | None) -> MappingPolicy | None:
    if value is not None and not isinstance(value, MappingPolicy):
        raise InvalidInputError(f"Expected a MappingPolicy or None, got {value!r}")
    return value


@attrs.frozen
class SyncPolicy:
    """How a mounted context syncs. Every part left out (or None) takes its default, as in the
    official SDK: `SyncPolicy()` is `SyncPolicy.default()`."""

    upload_policy: UploadPolicy = attrs.field(default=None, converter=_upload_policy)
    download_policy: DownloadPolicy = attrs.field(default=None, converter=_download_policy)
    delete_policy: DeletePolicy = attrs.field(default=None, converter=_delete_policy)
    extract_policy: ExtractPolicy = attrs.field(default=None, converter=_extract_policy)
    recycle_policy: RecyclePolicy = attrs.field(default=None, converter=_recycle_policy)
    bw_list: BWList = attrs.field(default=None, converter=_bw_list)
    """Default: one white list with path ``""`` (everything)."""
    mapping_policy: MappingPolicy | None = attrs.field(default=None, converter=_mapping_policy)
    """Sent only when given."""

    @classmethod
    def default(cls) -> SyncPolicy:
        """Every part with its default: upload before release, download at create, deletions synced,
        archives extracted, kept forever, everything synced."""
        return cls()

    def to_dict(self) -> dict[str, Any]:
        """The policy's JSON object, keys in the official SDK's order."""
        out = {
            "uploadPolicy": self.upload_policy.to_dict(),
            "downloadPolicy": self.download_policy.to_dict(),
            "deletePolicy": self.delete_policy.to_dict(),
            "extractPolicy": self.extract_policy.to_dict(),
            "recyclePolicy": self.recycle_policy.to_dict(),
            "bwList": self.bw_list.to_dict(),
        }
        if self.mapping_policy is not None:
            out["mappingPolicy"] = self.mapping_policy.to_dict()
        return out

    def to_json(self) -> str:
        """The ``Policy`` string of a PersistenceDataList item (json.dumps' default separators, as sent)."""
        return json.dumps(self.to_dict(), ensure_ascii=False)


def _sync_policy(value: SyncPolicy | None) -> SyncPolicy | None:
    if value is not None and not isinstance(value, SyncPolicy):
        raise InvalidInputError(f"Expected a SyncPolicy or None for `policy`, got {value!r}")
    return value


def _check_path(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_non_empty(value, attribute.name)
    if "\x00" in str(value):
        raise InvalidInputError(f"`{attribute.name}` must not contain NUL, got {value!r}")


def _optional_bool(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, bool):
        raise InvalidInputError(f"Expected a bool or None for `{attribute.name}`, got {value!r}")


@attrs.frozen
class ContextSync:
    """A context to mount in a new session (`CreateSessionParams(context_syncs=[...])`).

    ```python
    ContextSync.new(context.id, "/home/wuying/data", SyncPolicy.default())
    ```
    """

    context_id: str = attrs.field(validator=_check_path)
    """The context's id (`agent_bay.context.get(name, create=True).context_id`)."""
    path: str = attrs.field(validator=_check_path)
    """Where in the session: an absolute path such as ``/home/wuying/data``."""
    policy: SyncPolicy | None = attrs.field(default=None, converter=_sync_policy)
    """How it syncs; None sends no policy (the service's defaults)."""
    beta_wait_for_completion: bool | None = attrs.field(default=None, validator=_optional_bool)
    """False: `create` does not wait for this context's download (None and True wait)."""

    @classmethod
    def new(
        cls,
        context_id: str,
        path: str,
        policy: SyncPolicy | None = None,
        beta_wait_for_completion: bool | None = None,
    ) -> ContextSync:
        """The official constructor."""
        return cls(context_id, path, policy, beta_wait_for_completion)

    def with_policy(self, policy: SyncPolicy) -> ContextSync:
        """A copy with `policy` (these objects are immutable: use the returned one)."""
        return attrs.evolve(self, policy=policy)

    @property
    def waits(self) -> bool:
        """Whether `create` waits for this context's download."""
        downloads = self.policy is None or self.policy.download_policy.auto_download
        return downloads and self.beta_wait_for_completion is not False

    def to_wire(self) -> dict[str, str]:
        """This item of PersistenceDataList, keys as the official SDK sends them (no Policy when None)."""
        item = {"ContextId": self.context_id, "Path": self.path}
        if self.policy is not None:
            item["Policy"] = self.policy.to_json()
        return item


def check_context_syncs(value: object) -> tuple[ContextSync, ...]:
    """A tuple of the `ContextSync` items of a list, else InvalidInputError."""
    if isinstance(value, ContextSync) or not isinstance(value, Iterable) or isinstance(value, str):
        raise InvalidInputError(f"Expected a list of ContextSync for `context_syncs`, got {value!r}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, ContextSync):
            raise InvalidInputError(
                f"Expected a list of ContextSync for `context_syncs`, got an item {item!r}"
            )
    return items


# ---- GetContextInfo and SyncContext -------------------------------------------------------------


def check_task_type(value: object, name: str) -> str | None:
    """`value` if it is None, ``upload`` or ``download``, else InvalidInputError."""
    if value is not None and value not in TASK_TYPES:
        raise InvalidInputError(f"Expected 'upload', 'download' or None for `{name}`, got {value!r}")
    return value


def _optional(value: object, name: str) -> str | None:
    return None if value is None else check_non_empty(value, name)


def info_body(
    auth: str, session_id: str, context_id: str | None, path: str | None, task_type: str | None
) -> GetContextInfoRequest:
    """The GetContextInfo form; filters that are None are not sent, as the official SDK does."""
    return GetContextInfoRequest(
        authorization=auth,
        session_id=session_id,
        context_id=_optional(context_id, "context_id") or UNSET,
        path=_optional(path, "path") or UNSET,
        task_type=check_task_type(task_type, "task_type") or UNSET,  # type: ignore[arg-type]
    )


def sync_body(
    auth: str, session_id: str, context_id: str | None, path: str | None, mode: str | None
) -> QueryAuth:
    """The SyncContext request: its form, and the API key, which travels in the query."""
    form = SyncContextRequest(
        session_id=session_id,
        context_id=_optional(context_id, "context_id") or UNSET,
        path=_optional(path, "path") or UNSET,
        mode=check_task_type(mode, "mode") or UNSET,  # type: ignore[arg-type]
    )
    return QueryAuth(auth, form)


_DONE = {"success": False, "failed": True}  # terminal statuses (any case) -> failed?


@attrs.frozen(kw_only=True)
class ContextStatusData:
    """One sync task of a session, as GetContextInfo reports it."""

    context_id: str = ""
    path: str = ""
    """The sandbox path the task syncs (a mount path, or the path given to `sync`)."""
    status: str = ""
    """``Pending``, ``Running``, ``Success`` or ``Failed``."""
    task_type: str = ""
    """``download`` (context to session) or ``upload`` (session to context)."""
    start_time: int = 0
    """Unix seconds; 0 when the service did not say."""
    finish_time: int = 0
    """Unix seconds; 0 while the task runs."""
    error_message: str = ""
    """Why the task failed; "" otherwise."""

    @property
    def done(self) -> bool:
        """The task finished, either way."""
        return self.status.lower() in _DONE

    @property
    def failed(self) -> bool:
        return _DONE.get(self.status.lower(), False)


@attrs.frozen(kw_only=True)
class ContextInfoResult(ApiResult):
    """The sync tasks of a session (`session.context.info()`)."""

    context_status_data: list[ContextStatusData] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class ContextSyncResult(ApiResult):
    """The result of `session.context.sync()`: failed when the service refused the sync, or when one of
    the tasks it started failed or did not finish in time (`error` is then a `ContextSyncError`)."""

    tasks: list[ContextStatusData] = attrs.field(factory=list)
    """The tasks this sync started, as they ended; empty with ``wait=False``."""


def _int(value: object) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return 0


def _item(raw: object) -> ContextStatusData:
    if not isinstance(raw, dict):
        raise ValueError("a task that is not an object")
    return ContextStatusData(
        context_id=_str(raw.get("contextId")),
        path=_str(raw.get("path")),
        status=_str(raw.get("status")),
        task_type=_str(raw.get("taskType")),
        start_time=_int(raw.get("startTime")),
        finish_time=_int(raw.get("finishTime")),
        error_message=_str(raw.get("errorMessage")),
    )


def parse_context_status(raw: str) -> list[ContextStatusData]:
    """The tasks of a ``Data.ContextStatus`` string: ``[{"type": "data", "data": "<JSON list>"}]``;
    parts of another type are skipped, as the official SDK does. ValueError when malformed."""
    if not raw:
        return []
    parts = json.loads(raw)
    if not isinstance(parts, list):
        raise ValueError("not a JSON list")
    items: list[ContextStatusData] = []
    for part in parts:
        if not isinstance(part, dict):
            raise ValueError("a part that is not an object")
        if part.get("type") != "data":
            continue
        data = part.get("data", "[]")
        tasks = json.loads(data) if isinstance(data, str) else data
        if not isinstance(tasks, list):
            raise ValueError("a data part that is not a list")
        items.extend(_item(task) for task in tasks)
    return items


def context_info(reply: GetContextInfoResponse) -> ContextInfoResult:
    """The result of a GetContextInfo reply."""
    data = reply.data
    raw = data.context_status if isinstance(data, GetContextInfoData) else None
    try:
        items = parse_context_status(raw if isinstance(raw, str) else "")
    except ValueError as exc:
        raise _malformed(GET_CONTEXT_INFO.action, reply, f"Data.ContextStatus: {exc}") from None
    return ContextInfoResult(request_id=_str(reply.request_id), context_status_data=items)


# ---- waiting for tasks ----------------------------------------------------------------------------


class Backoff:
    """The pauses of a bounded poll: `FIRST_POLL` growing by `POLL_FACTOR` to `MAX_POLL`, none past
    `timeout` seconds.

    Time spent is the larger of the clock's and the sum of the pauses taken, so a wait stays bounded
    (and deterministic in tests) even where the pauses are skipped.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._start = time.monotonic()
        self._slept = 0.0
        self._next = FIRST_POLL

    def elapsed(self) -> float:
        return max(time.monotonic() - self._start, self._slept)

    def pause(self) -> float | None:
        """Seconds to wait before the next poll; None once `timeout` has passed."""
        remaining = self.timeout - self.elapsed()
        if remaining <= 0:
            return None
        delay = min(self._next, remaining)
        self._next = min(self._next * POLL_FACTOR, MAX_POLL)
        self._slept += delay
        return delay


def check_timeout(value: object, name: str = "timeout") -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < float("inf"):
        raise InvalidInputError(f"Expected a number of seconds > 0 for `{name}`, got {value!r}")
    return float(value)


def _describe(task: ContextStatusData) -> str:
    return f"the {task.task_type or 'sync'} of context {task.context_id} at {task.path or '(every path)'}"


def task_error(task: ContextStatusData, session_id: str, others: int = 0) -> ContextSyncError:
    """The error of a failed task; `others` more failed with it."""
    why = task.error_message or "the service gave no reason"
    more = f" ({others} more task(s) failed)" if others else ""
    return ContextSyncError(
        f"{_describe(task)} failed: {why}{more}",
        session_id=session_id,
        context_id=task.context_id,
        path=task.path,
        task_type=task.task_type,
        status=task.status,
        reason=task.error_message,
    )


def timeout_error(task: ContextStatusData, session_id: str, timeout: float) -> ContextSyncError:
    """The error of a task still not done after `timeout` seconds."""
    return ContextSyncError(
        f"{_describe(task)} did not finish within {timeout:g} s (last status: {task.status or 'unknown'})",
        session_id=session_id,
        context_id=task.context_id,
        path=task.path,
        task_type=task.task_type,
        status=task.status,
        timed_out=True,
    )


@attrs.frozen
class WaitOutcome:
    """How a wait ended: the tasks waited for, as last seen, and the error if one failed or timed out."""

    tasks: list[ContextStatusData]
    error: ContextSyncError | None = None


def _outcome(tasks: list[ContextStatusData], session_id: str) -> WaitOutcome:
    failed = [t for t in tasks if t.failed]
    if failed:
        return WaitOutcome(tasks, task_error(failed[0], session_id, len(failed) - 1))
    return WaitOutcome(tasks)


class DownloadWait:
    """What `create` waits for: the download of each context it mounted that waits (see
    `ContextSync.waits`), until each is Success or Failed. A context the service has not reported
    within `UNREPORTED_GRACE` seconds is taken to have nothing to download."""

    def __init__(self, syncs: Sequence[ContextSync], session_id: str) -> None:
        self.session_id = session_id
        self.context_ids = {s.context_id for s in syncs if s.waits}
        self._last: list[ContextStatusData] = []

    def check(self, items: Sequence[ContextStatusData], elapsed: float) -> WaitOutcome | None:
        """The outcome once every awaited download is done; None to poll again."""
        mine = [i for i in items if i.context_id in self.context_ids and i.task_type in ("download", "")]
        self._last = mine
        reported = {i.context_id for i in mine}
        if reported != self.context_ids and elapsed < UNREPORTED_GRACE:
            return None
        if not all(i.done for i in mine):
            return None
        return _outcome(mine, self.session_id)

    def timed_out(self, timeout: float) -> WaitOutcome:
        reported = {t.context_id for t in self._last}
        unreported = [
            ContextStatusData(context_id=c, task_type="download") for c in sorted(self.context_ids - reported)
        ]
        late = [t for t in self._last if not t.done] + unreported
        return WaitOutcome(self._last, timeout_error(late[0], self.session_id, timeout))


def _identity(task: ContextStatusData) -> tuple[object, ...]:
    return attrs.astuple(task)


class SyncWait:
    """What `sync` waits for: the tasks it started. They are the tasks of its context and path (the
    service filters by them) and of its mode (upload or download; either when None) that were not
    there, as they are, before it; or that started in the second it was sent or later: the service
    keeps the latest task of each context, path and type, with times in whole seconds, so a sync of
    the same path within the same second can look exactly like the one before it. (A server clock
    ahead of ours could make a task of those few seconds before look like ours; no more.)
    Done when they are all Success or Failed; a sync the service reports no task for within
    `SYNC_GRACE` seconds had nothing to do."""

    def __init__(
        self, before: Sequence[ContextStatusData], since: int, mode: str | None, session_id: str
    ) -> None:
        self.session_id = session_id
        self._before = {_identity(t) for t in before}
        self._since = since
        self._types = (mode,) if mode else TASK_TYPES
        self._last: list[ContextStatusData] = []

    def _mine(self, task: ContextStatusData) -> bool:
        if task.task_type not in self._types:
            return False
        return _identity(task) not in self._before or task.start_time >= self._since

    def check(self, items: Sequence[ContextStatusData], elapsed: float) -> WaitOutcome | None:
        mine = [i for i in items if self._mine(i)]
        self._last = mine
        if not mine and elapsed < SYNC_GRACE:
            return None
        if not all(i.done for i in mine):
            return None
        return _outcome(mine, self.session_id)

    def timed_out(self, timeout: float) -> WaitOutcome:
        late = [t for t in self._last if not t.done] or [ContextStatusData(task_type="/".join(self._types))]
        return WaitOutcome(self._last, timeout_error(late[0], self.session_id, timeout))
