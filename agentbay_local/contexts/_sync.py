"""The sync engine: copies between a context's files and a session's, as tasks GetContextInfo reports.

A session mounts contexts through its `PersistenceDataList`: item `{ContextId, Path: M, Policy}` maps
the context's key `k` to the sandbox path `M/k`. Transfers:

- At CreateMcpSession, each mount whose policy has `autoDownload` (the default) is downloaded into the
  session: a `download` task per mount, which also makes the mount's folder (even for an empty
  context). An unknown or another key's context is a `Failed` task, not a failed create (the cloud's
  DownloadAsync reports through GetContextInfo, never through the create). The mount path must be
  absolute, without `.` or `..`; a bad item or Policy JSON fails the create (InvalidParameter).
- SyncContext (`Mode` upload, the default, or download) by context and/or path: a task per mount it
  names. An explicit `Path` P under a mount M of the context syncs the keys under `relpath(P, M)`; a P
  under no mount names the key P without its leading `/` (0.9.0's file transfer: it PUTs
  `FilePath=/tmp/x/f.txt`, then asks for a download of `Path=/tmp/x/f.txt`, and the reverse).
- At ReleaseMcpSession (the session already FINISH and its processes ended), tasks still running are
  waited for, then each mount whose policy has `autoUpload` (the default; `UploadBeforeResourceRelease`)
  is uploaded before the session's files go; after `release_timeout_s` (60 s, the cloud's documented
  limit) what still runs is cancelled and its partial copies removed.

Policies: `bwList.whiteLists` select keys by path relative to the mount (`""` is everything; a plain
path selects that file or folder; `isPathRegex` / `isExcludeRegex` match a regex against `/<key>` or
any of its folders), minus their `excludePaths`. An upload with `deletePolicy.syncLocalFile` (the
default) also deletes the selected context files that are no longer in the session; it never does so
when the mount's folder is missing from the session, or after the session's download of that mount
failed (the session then never held the whole context, and deleting what it lacks would lose data).
`extractPolicy`, `recyclePolicy`, `period` and the strategies are accepted and have no effect.

Only files travel, not empty folders (a context holds objects, as object storage does); symbolic links
and special files in the session are skipped on upload, and a download replaces a link at its target
rather than writing through it (a link out of the session fails that file). A task holds the
context's lock (`ContextStore.lock`) while it copies, so no PUT, delete or other session's sync lands
half-way through it. Every write lands in a temporary file beside its
target and is renamed into place when complete, so neither side ever shows a half-copied file; a file
whose size and modification time already match is not copied again. Session paths are reached through
`sandbox._paths` (directory fds, `O_NOFOLLOW`), so a sync can no more leave the session's `/home/wuying`
and `/tmp` than a tool can: a mount elsewhere (0.9.0 mounts its file-transfer context at
`/temp/file-transfer`) holds nothing, so downloading an empty context there and uploading from it
succeed and do nothing, and downloading files there fails with the reason.

One task at a time per session and context: a SyncContext while one of its contexts still has a task
pending or running in that session is refused (409 `SyncInProgress`), never queued, so what a poll
reports is always the sync the caller asked for last. Replies come when the tasks they started are
done, or after `grace_s` (0.5 s) if they take longer: small transfers are already `Success` at the
SDKs' first poll (their polls are 1.5 to 2 s apart), big ones go on in a worker thread. Tasks are
kept in memory (`_tasks.py`): after a restart the contexts and their files are all there, but
GetContextInfo reports no tasks of the sessions that were running.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
import os
import posixpath
import re
import secrets
import stat
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool

from .. import _params as p
from .._call import Call, Handler, Reply
from .._errors import ApiError, context_not_found, invalid_parameter, session_not_found
from .._store import Store
from ..sandbox._args import AccessDenied, ToolFailure
from ..sandbox._paths import Location, SessionFS, open_dir, parent_dir, resolve
from ._files import delete_object
from ._keys import BadKey, folder_key
from ._store import ContextStore
from ._tasks import DOWNLOAD, FAILED, UPLOAD, Task, TaskTable, context_status

logger = logging.getLogger("agentbay_local")

#: How long a reply waits for the tasks it started before answering with them still running.
GRACE_S = 0.5
#: How long a release waits for running tasks and the uploads before the session's files go (the
#: cloud documents one minute for UploadBeforeResourceRelease).
RELEASE_TIMEOUT_S = 60.0
#: Copy unit: the cancel flag is checked between chunks.
_CHUNK = 8 << 20
#: The prefix of the temporary files a download writes beside their target; uploads skip them.
_TEMP_PREFIX = ".agentbay-sync-"
#: At most this many per-file errors are quoted in a failed task's message.
_MAX_ERRORS_SHOWN = 3
_FIELD = "PersistenceDataList"
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class Cancelled(Exception):
    """The task was asked to stop (its session is being released, or the server stops)."""


# ---- policies and mounts -------------------------------------------------------------------------


@dataclass(frozen=True)
class WhiteList:
    """One `bwList.whiteLists` entry, paths relative to the mount as keys (`""`: everything)."""

    path: str = ""
    excludes: tuple[str, ...] = ()
    path_regex: re.Pattern[str] | None = None
    exclude_regexes: tuple[re.Pattern[str], ...] = ()

    def selects(self, key: str) -> bool:
        """Whether the key (relative to the mount) is in this list and not excluded from it."""
        if self.path_regex is not None:
            if not any(self.path_regex.fullmatch(part) for part in _lineage(key)):
                return False
        elif not _under(key, self.path):
            return False
        if any(_under(key, excluded) for excluded in self.excludes):
            return False
        return not any(rx.fullmatch(part) for rx in self.exclude_regexes for part in _lineage(key))


@dataclass(frozen=True)
class Policy:
    """What this server honours of a sync policy; the defaults are `SyncPolicy.default()`'s."""

    auto_upload: bool = True
    auto_download: bool = True
    sync_local_file: bool = True
    white_lists: tuple[WhiteList, ...] = (WhiteList(),)

    def selects(self, key: str) -> bool:
        return any(white.selects(key) for white in self.white_lists)


#: The policy of a sync by a path under no mount: that path, nothing deleted.
_UNMOUNTED = Policy(auto_upload=False, auto_download=False, sync_local_file=False)


@dataclass(frozen=True)
class Mount:
    """A `PersistenceDataList` item: the context `context_id` at the sandbox path `path`."""

    context_id: str
    path: str
    policy: Policy = field(default_factory=Policy)


def parse_mounts(value: str | None) -> list[Mount]:
    """The mounts of a `PersistenceDataList` JSON text (None: none), checked.

    Raises:
        ApiError: InvalidParameter.PersistenceDataList, saying which item is wrong and why.
    """
    if value is None:
        return []
    try:
        items = json.loads(value)
    except (ValueError, RecursionError):
        raise invalid_parameter(_FIELD, f"{_FIELD} must be a JSON list; it is not valid JSON.") from None
    if not isinstance(items, list):
        raise invalid_parameter(_FIELD, f"{_FIELD} must be a JSON list, not {type(items).__name__}.")
    if len(items) > p.MAX_PERSISTENCE_ITEMS:
        raise invalid_parameter(_FIELD, f"{_FIELD} must have at most {p.MAX_PERSISTENCE_ITEMS} items.")
    mounts: dict[tuple[str, str], Mount] = {}
    for index, item in enumerate(items):
        where = f"{_FIELD} item {index}"
        if not isinstance(item, dict):
            raise invalid_parameter(_FIELD, f"{where} must be a JSON object, not {type(item).__name__}.")
        context_id, path, policy = item.get("ContextId"), item.get("Path"), item.get("Policy")
        if not isinstance(context_id, str) or not context_id:
            raise invalid_parameter(_FIELD, f"{where} must have a ContextId that is a non-empty string.")
        if not isinstance(path, str) or not path:
            raise invalid_parameter(_FIELD, f"{where} must have a Path that is a non-empty string.")
        mount_path = sandbox_path(path, _FIELD, where + ": Path")
        if policy is not None and not isinstance(policy, str):
            raise invalid_parameter(_FIELD, f"{where}: Policy must be a string (the policy as JSON).")
        parsed = Policy() if not policy else parse_policy(policy, where)
        mounts.setdefault((context_id, mount_path), Mount(context_id, mount_path, parsed))
    return list(mounts.values())


def parse_policy(text: str, where: str) -> Policy:
    """A sync policy's JSON (the SDKs' camelCase form); unknown fields are ignored."""
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        raise invalid_parameter(_FIELD, f"{where}: Policy is not valid JSON.") from None
    if not isinstance(doc, dict):
        raise invalid_parameter(_FIELD, f"{where}: Policy must be a JSON object.")

    def flag(section: str, name: str) -> bool:
        part = doc.get(section) or {}
        if not isinstance(part, dict):
            raise invalid_parameter(_FIELD, f"{where}: Policy.{section} must be a JSON object.")
        value = part.get(name, True)
        if not isinstance(value, bool):
            raise invalid_parameter(_FIELD, f"{where}: Policy.{section}.{name} must be true or false.")
        return value

    bw_list = doc.get("bwList") or {}
    raw_lists = bw_list.get("whiteLists") if isinstance(bw_list, dict) else None
    if raw_lists is None:
        raw_lists = [{}]
    if not isinstance(raw_lists, list):
        raise invalid_parameter(_FIELD, f"{where}: Policy.bwList.whiteLists must be a JSON list.")
    white_lists = tuple(
        _white_list(entry, f"{where}: Policy.bwList.whiteLists[{i}]") for i, entry in enumerate(raw_lists)
    )
    return Policy(
        auto_upload=flag("uploadPolicy", "autoUpload"),
        auto_download=flag("downloadPolicy", "autoDownload"),
        sync_local_file=flag("deletePolicy", "syncLocalFile"),
        # No white list at all selects nothing: an empty list is what the caller sent.
        white_lists=white_lists,
    )


def _white_list(entry: Any, where: str) -> WhiteList:
    if not isinstance(entry, dict):
        raise invalid_parameter(_FIELD, f"{where} must be a JSON object.")
    path, excludes = entry.get("path", ""), entry.get("excludePaths") or []
    path_is_regex, exclude_is_regex = entry.get("isPathRegex", False), entry.get("isExcludeRegex", False)
    if (
        not isinstance(path, str)
        or not isinstance(excludes, list)
        or not all(isinstance(e, str) for e in excludes)
    ):
        raise invalid_parameter(_FIELD, f"{where}: path must be a string and excludePaths a list of strings.")
    try:
        if path_is_regex is True:
            path_regex, prefix = re.compile(path), ""
        else:
            path_regex, prefix = None, folder_key(path)
        if exclude_is_regex is True:
            return WhiteList(prefix, (), path_regex, tuple(re.compile(e) for e in excludes))
        return WhiteList(prefix, tuple(folder_key(e) for e in excludes if folder_key(e)), path_regex)
    except re.error as error:
        raise invalid_parameter(_FIELD, f"{where}: not a valid regular expression ({error}).") from None
    except BadKey as error:
        raise invalid_parameter(_FIELD, f"{where}: a path relative to the mount {error}.") from None


def sandbox_path(raw: str, field_name: str, what: str) -> str:
    """An absolute sandbox path without `.`, `..` or repeated slashes: `/home/wuying/d/` -> `/home/wuying/d`.

    Raises:
        ApiError: InvalidParameter.<field_name> for a relative path, `..`, NUL or a bad component.
    """
    if not raw.startswith("/"):
        raise invalid_parameter(field_name, f"{what} must be an absolute path (it starts with '/').")
    try:
        key = folder_key(raw)
    except BadKey as error:
        raise invalid_parameter(field_name, f"{what} {error}.") from None
    return "/" + key


def _under(key: str, prefix: str) -> bool:
    """Whether `key` is `prefix` or below it; every key is under `""`."""
    return not prefix or key == prefix or key.startswith(prefix + "/")


def _lineage(key: str) -> Iterator[str]:
    """`/a`, `/a/b`, `/a/b/c` for `a/b/c`: what a regex white list is matched against."""
    parts = key.split("/")
    for end in range(1, len(parts) + 1):
        yield "/" + "/".join(parts[:end])


# ---- what one task does --------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One transfer: the context's keys under `prefix`, at the session path `root`/key."""

    context_id: str
    root: str  # the mount path, or "/" for a path under no mount
    prefix: str  # "" for the whole mount
    policy: Policy
    explicit: bool  # a Path was given: nothing to transfer is a failure

    @property
    def shown(self) -> str:
        """The session path this job covers, for messages."""
        return posixpath.join(self.root, self.prefix) if self.prefix else self.root


@dataclass
class _Outcome:
    errors: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        self.errors.append(message)

    def message(self) -> str:
        if not self.errors:
            return ""
        shown = "; ".join(self.errors[:_MAX_ERRORS_SHOWN])
        more = len(self.errors) - _MAX_ERRORS_SHOWN
        return shown + (f" (and {more} more)" if more > 0 else "")


def context_keys(files_dir: Path, prefix: str) -> dict[str, os.stat_result]:
    """The context's keys under `prefix` ("" for all), with their files' status."""
    start = files_dir / prefix if prefix else files_dir
    try:
        info = start.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return {}
    if stat.S_ISREG(info.st_mode):
        return {prefix: info}
    found: dict[str, os.stat_result] = {}
    for folder, _dirs, names in os.walk(start):
        relative = Path(folder).relative_to(files_dir).as_posix()
        for name in names:
            key = name if relative == "." else f"{relative}/{name}"
            with contextlib.suppress(FileNotFoundError):  # deleted meanwhile
                info = os.lstat(os.path.join(folder, name))
                if stat.S_ISREG(info.st_mode):
                    found[key] = info
    return found


def put_object(
    files_dir: Path,
    tmp_dir: Path,
    key: str,
    source_fd: int,
    info: os.stat_result,
    cancel: threading.Event,
    share: bool = False,
) -> None:
    """Store the open file as `key` with its modification time: written to `tmp_dir`, then renamed
    into place, so the object is the old one or the new one, never part of one."""
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp = tmp_dir / f"sync-{secrets.token_hex(8)}.part"
    try:
        if not (share and _link_open_file(source_fd, tmp)):
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            try:
                _copy(source_fd, fd, cancel)
                os.utime(fd, ns=(info.st_atime_ns, info.st_mtime_ns))
            finally:
                os.close(fd)
        target = files_dir / key
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(tmp, target)
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            raise ToolFailure(
                "the context has a folder of that name, or a file named like one of its folders"
            ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _link_open_file(source_fd: int, path: Path) -> bool:
    """Give the open file a second name (no copy), as `linkat(/proc/self/fd/N, AT_SYMLINK_FOLLOW)`
    does for O_TMPFILE files; False where that cannot be done (another filesystem, no /proc)."""
    # A dir_fd makes CPython call linkat() (plain link() does not follow the /proc magic link).
    dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.link(f"/proc/self/fd/{source_fd}", path.name, dst_dir_fd=dir_fd, follow_symlinks=True)
    except OSError:
        return False
    finally:
        os.close(dir_fd)
    return True


def _link_into(source: Path, name: str, dir_fd: int) -> bool:
    """Link the context file `source` (never through a symlink) as `name` in `dir_fd`, mode 0644 as a
    copy gets; False where a link cannot be made (another filesystem)."""
    try:
        os.link(source, name, dst_dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return False
    os.chmod(source, 0o644)  # one inode: the session sees the mode a copy would have
    return True


def _copy(source: int, target: int, cancel: threading.Event) -> None:
    """Copy the rest of `source` into `target`, a chunk at a time (in the kernel when it can)."""
    in_kernel = True
    while True:
        if cancel.is_set():
            raise Cancelled
        if in_kernel:
            try:
                copied = os.copy_file_range(source, target, _CHUNK)
            except OSError as error:
                if error.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                    raise
                in_kernel = False
                continue
            if not copied:
                return
        else:
            chunk = os.read(source, _CHUNK)
            if not chunk:
                return
            view = memoryview(chunk)
            while view:
                view = view[os.write(target, view) :]


def _session_stat(location: Location) -> os.stat_result | None:
    """The status of a session path (not following a final link), or None if it does not exist."""
    try:
        if location.is_root:
            fd = open_dir(location)
            try:
                return os.fstat(fd)
            finally:
                os.close(fd)
        with parent_dir(location) as (dir_fd, name):
            return os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None
    except ToolFailure as failure:
        if failure.message.startswith("No such file or directory"):
            return None
        raise


def _session_files(location: Location) -> Iterator[tuple[str, int, str]]:
    """`(key relative to location, dir fd, name)` of every regular file below a session folder, never
    through a symlink; the fd is valid until the next item. One folder is open at a time (a wide tree
    cannot run the server out of fds): each is reached again from the tree's root with `O_NOFOLLOW`,
    so one swapped for a link meanwhile is skipped, not followed."""
    stack: list[tuple[str, ...]] = [()]
    while stack:
        below = stack.pop()
        try:
            dir_fd = open_dir(location, location.parts + below)
        except OSError:
            if not below:
                raise
            continue  # gone, or swapped for a link or a file meanwhile
        try:
            with os.scandir(dir_fd) as entries:
                listed = sorted(
                    (e.name, e.is_dir(follow_symlinks=False), e.is_file(follow_symlinks=False))
                    for e in entries
                )
            for name, is_dir, _is_file in reversed(listed):
                if is_dir:
                    stack.append((*below, name))
            for name, _is_dir, is_file in listed:
                if is_file and not name.startswith(_TEMP_PREFIX):
                    yield "/".join((*below, name)), dir_fd, name
        finally:
            os.close(dir_fd)


def _open_session_file(dir_fd: int, name: str) -> int:
    """An fd of a regular file below `dir_fd`; a link or special file (swapped in meanwhile) fails."""
    fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file")
    return fd


def _make_dirs(location: Location, parts: tuple[str, ...]) -> int:
    """An fd of the folder `parts` below the location's tree, made (like `mkdir -p`) where missing,
    never through a link."""
    fd = open_dir(location, ())
    try:
        for part in parts:
            try:
                child = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o755, dir_fd=fd)
                child = os.open(part, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = child
    except OSError as error:
        os.close(fd)
        if error.errno in (errno.ENOTDIR, errno.ELOOP):
            raise ToolFailure(f"Not a directory (a file is in the way): {location.shown}") from None
        raise
    return fd


def _write_session_file(
    fs: SessionFS,
    path: str,
    source: Path,
    info: os.stat_result,
    cancel: threading.Event,
    share: bool = False,
) -> None:
    """Copy the context file `source` to the session path `path`, renamed into place when complete.
    With `share` (a staging context) the session's file is a link to the context's, made readable as
    a copy would be: no bytes are copied."""
    # A link at the target is replaced, not written through (one pointing out of the session is refused).
    location = resolve(fs, path, follow_final=False)
    if location.is_root:
        raise ToolFailure(f"Is a directory: {path}")
    dir_fd = _make_dirs(location, location.parts[:-1])
    try:
        name = location.parts[-1]
        try:
            existing = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            existing = None
        if existing is not None:
            if stat.S_ISDIR(existing.st_mode):
                raise ToolFailure(f"Is a directory: {path}")
            if _same(existing, info):
                return
        tmp = _TEMP_PREFIX + secrets.token_hex(8)
        if share and _link_into(source, tmp, dir_fd):
            fd = None
        else:
            fd = os.open(
                tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=dir_fd
            )
        try:
            if fd is not None:
                try:
                    with open(source, "rb") as src:
                        _copy(src.fileno(), fd, cancel)
                    os.utime(fd, ns=(info.st_atime_ns, info.st_mtime_ns))
                finally:
                    os.close(fd)
            # rename() replaces a symlink at `name` itself, never what it points to.
            os.rename(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=dir_fd)
            raise
    finally:
        os.close(dir_fd)


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return stat.S_ISREG(a.st_mode) and a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


def _reason(error: BaseException) -> str:
    if isinstance(error, ToolFailure):
        return error.message
    if isinstance(error, OSError) and error.errno is not None:
        return os.strerror(error.errno)
    return f"{type(error).__name__}: {error}"


@dataclass(frozen=True)
class Places:
    """Where one task copies: the context's `files/` and `tmp/`, and the session's folder."""

    files_dir: Path
    tmp_dir: Path
    session_dir: Path
    share: bool = False
    """A staging context (a session's file transfers): link files rather than copy them."""


def run_download(places: Places, job: Job, cancel: threading.Event) -> str:
    """Copy the job's keys into the session; the error message ("" on success). Blocks."""
    keys = {k: v for k, v in context_keys(places.files_dir, job.prefix).items() if job.policy.selects(k)}
    if not keys and job.explicit:
        return f"Context {job.context_id} has no file at {job.shown}"
    try:
        fs = SessionFS.open(places.session_dir)
        if not job.explicit:  # the mount's folder is there even when the context is empty
            mount = resolve(fs, job.root)
            os.close(_make_dirs(mount, mount.parts))
    except AccessDenied:
        pass  # a mount outside the session: each file says so below
    except (OSError, ToolFailure) as error:
        return f"{job.root}: {_reason(error)}"
    outcome = _Outcome()
    for key, info in keys.items():
        target = posixpath.join(job.root, key)
        try:
            _write_session_file(fs, target, places.files_dir / key, info, cancel, places.share)
        except AccessDenied:
            outcome.add(f"{target} is outside the session (a local session has /home/wuying and /tmp)")
        except FileNotFoundError as error:
            if str(error.filename or "").startswith(str(places.files_dir)):
                continue  # deleted from the context meanwhile: nothing to copy
            outcome.add(f"{target}: {_reason(error)}")
        except (OSError, ToolFailure) as error:
            reason = _reason(error)
            outcome.add(reason if target in reason else f"{target}: {reason}")
    return outcome.message()


def run_upload(places: Places, job: Job, cancel: threading.Event, may_delete: bool) -> str:
    """Copy the session's files under the job's path into the context, then delete what the policy
    says to; the error message ("" on success). Blocks."""
    try:
        fs = SessionFS.open(places.session_dir)
        location = resolve(fs, job.shown)
        found = _session_stat(location)
    except AccessDenied:
        if job.explicit:
            return f"{job.shown} is outside the session (a local session has /home/wuying and /tmp)"
        return ""  # a mount outside the session holds nothing, and is no reason to delete anything
    except ToolFailure as failure:
        return failure.message
    if found is None:
        if not job.explicit:
            return ""  # the mount never appeared in the session: nothing to upload, nothing to delete
        if not (job.policy.sync_local_file and may_delete):
            return f"No such file or directory: {job.shown}"
    elif not (stat.S_ISREG(found.st_mode) or stat.S_ISDIR(found.st_mode)):
        return f"Not a regular file or folder: {job.shown}"
    existing = context_keys(places.files_dir, job.prefix)
    upload = _Upload(places, job, existing, cancel)
    if found is not None and stat.S_ISREG(found.st_mode):
        with parent_dir(location) as (dir_fd, name):
            upload.one(job.prefix, dir_fd, name)
    elif found is not None:
        for relative, dir_fd, name in _session_files(location):
            upload.one(f"{job.prefix}/{relative}" if job.prefix else relative, dir_fd, name)
    outcome = upload.outcome
    if job.policy.sync_local_file and may_delete and not outcome.errors:
        for key in existing:
            if key not in upload.seen and job.policy.selects(key):
                try:
                    delete_object(places.files_dir, key)
                except OSError as error:
                    outcome.add(f"could not delete {key} from the context: {_reason(error)}")
    return outcome.message()


class _Upload:
    """The files one upload has copied (or found unchanged) and the errors it met."""

    def __init__(
        self, places: Places, job: Job, existing: Mapping[str, os.stat_result], cancel: threading.Event
    ) -> None:
        self.places = places
        self.job = job
        self.existing = existing
        self.cancel = cancel
        self.seen: set[str] = set()
        self.outcome = _Outcome()

    def one(self, key: str, dir_fd: int, name: str) -> None:
        """Copy the session file `name` in `dir_fd` to `key`, if the policy selects it."""
        if not self.job.policy.selects(key):
            return
        shown = posixpath.join(self.job.root, key)
        try:
            fd = _open_session_file(dir_fd, name)
        except FileNotFoundError:
            return  # removed meanwhile: as if it had never been there
        except OSError as error:
            self.seen.add(key)  # there, but unreadable: not a reason to delete the context's copy
            self.outcome.add(f"{shown}: {_reason(error)}")
            return
        self.seen.add(key)
        try:
            info = os.fstat(fd)
            if key in self.existing and _same(self.existing[key], info):
                return
            put_object(
                self.places.files_dir, self.places.tmp_dir, key, fd, info, self.cancel, self.places.share
            )
        except (OSError, ToolFailure) as error:
            self.outcome.add(f"{shown}: {_reason(error)}")
        finally:
            os.close(fd)


# ---- the engine ----------------------------------------------------------------------------------


class SyncEngine:
    """Starts, runs and reports the sync tasks of every session (one per server)."""

    def __init__(
        self,
        store: Store,
        contexts: ContextStore,
        *,
        grace_s: float = GRACE_S,
        release_timeout_s: float = RELEASE_TIMEOUT_S,
    ) -> None:
        self.store = store
        self.contexts = contexts
        self.grace_s = grace_s
        self.release_timeout_s = release_timeout_s
        self.tasks = TaskTable()
        self._running: dict[Task, asyncio.Task[None]] = {}

    def mounts(self, owner: str, session_id: str) -> list[Mount]:
        """The mounts of the owner's session, from its stored PersistenceDataList."""
        with self.store.locked() as db:
            found = db.execute(
                "SELECT persistence FROM sessions WHERE id = ? AND api_key = ?", (session_id, owner)
            ).fetchone()
        try:
            return parse_mounts(found[0] if found else None)
        except ApiError:  # checked at create; a row from before these checks has no usable mounts
            return []

    # ---- the actions' hooks ------------------------------------------------------------------------

    async def on_create(self, owner: str, session_id: str, mounts: list[Mount]) -> None:
        """Start the download of every auto-download mount into the new session; a context that is
        not the owner's is a Failed task. Returns when they are done, or after the grace time."""
        owned = self.contexts.owned(owner, {m.context_id for m in mounts})
        self.contexts.touch(owner, owned)
        started: list[asyncio.Task[None]] = []
        for mount in mounts:
            if not mount.policy.auto_download:
                continue
            task = Task(session_id, mount.context_id, mount.path, DOWNLOAD)
            self.tasks.add(task)
            if mount.context_id not in owned:
                self.tasks.finish(task, _not_found(mount.context_id))
                continue
            job = Job(mount.context_id, mount.path, "", mount.policy, explicit=False)
            started.append(self._launch(task, job, may_delete=False))
        await self._settle(started, self.grace_s)

    async def sync(
        self, owner: str, session_id: str, context_id: str | None, path: str | None, mode: str | None
    ) -> None:
        """SyncContext: start a task per job the request names. Raises ApiError for a bad request,
        a foreign context or a sync while another of the same context runs in the session."""
        task_type = (mode or UPLOAD).lower()
        if task_type not in (UPLOAD, DOWNLOAD):
            raise invalid_parameter("Mode", "Mode must be upload or download.")
        wanted = sandbox_path(path, "Path", "Path") if path is not None else None
        if context_id is not None and not self.contexts.owned(owner, [context_id]):
            raise context_not_found()
        jobs = _jobs(self.mounts(owner, session_id), context_id, wanted)
        if not jobs and wanted is not None:
            raise invalid_parameter(
                "Path", f"Path {wanted} is under no context mounted in this session; give its ContextId."
            )
        if not jobs and context_id is not None:
            raise invalid_parameter(
                "ContextId", f"Context {context_id} is not mounted in this session; give the Path to sync."
            )
        for busy_context in dict.fromkeys(job.context_id for job, _ in jobs):
            running = self.tasks.active(session_id, busy_context)
            if running:
                raise ApiError(
                    409,
                    "SyncInProgress",
                    f"{'An' if running[0].task_type == UPLOAD else 'A'} {running[0].task_type} of context "
                    f"{busy_context} at {running[0].path} is still "
                    "running in this session; wait until GetContextInfo reports it finished, then retry.",
                )
        owned = self.contexts.owned(owner, {job.context_id for job, _ in jobs})
        started: list[asyncio.Task[None]] = []
        for job, shown in jobs:
            task = Task(session_id, job.context_id, path if path is not None else shown, task_type)
            self.tasks.add(task)
            if job.context_id not in owned:
                self.tasks.finish(task, _not_found(job.context_id))
                continue
            may_delete = task_type == UPLOAD and not self._download_failed(
                session_id, job.context_id, job.root
            )
            started.append(self._launch(task, job, may_delete=may_delete))
        await self._settle(started, self.grace_s)

    def info(self, session_id: str, context_id: str | None, path: str | None, task_type: str | None) -> str:
        """GetContextInfo's `ContextStatus` for the session's tasks, filtered."""
        return context_status(self.tasks.select(session_id, context_id, path, task_type))

    async def before_release(self, owner: str, session_id: str) -> None:
        """Upload every auto-upload mount before the session's files go. Bounded by the release
        timeout, after which what still runs is cancelled. The session must be marked deleted
        already, so that no new sync starts meanwhile."""
        deadline = time.monotonic() + self.release_timeout_s
        try:
            await self._settle(self._handles(session_id), self.release_timeout_s)
            mounts = self.mounts(owner, session_id)
            owned = self.contexts.owned(owner, {m.context_id for m in mounts})
            started: list[asyncio.Task[None]] = []
            for mount in mounts:
                if not mount.policy.auto_upload or mount.context_id not in owned:
                    continue
                task = Task(session_id, mount.context_id, mount.path, UPLOAD)
                may_delete = not self._download_failed(session_id, mount.context_id, mount.path)
                self.tasks.add(task)
                job = Job(mount.context_id, mount.path, "", mount.policy, explicit=False)
                started.append(self._launch(task, job, may_delete=may_delete))
            await self._settle(started, deadline - time.monotonic())
            if self._handles(session_id):
                logger.warning(
                    "session %s: sync still running after %.0f s at release; cancelled",
                    session_id,
                    self.release_timeout_s,
                )
                await self.cancel(session_id)
        finally:
            self.tasks.drop(session_id)

    async def cancel(self, session_id: str | None = None) -> None:
        """Stop the running tasks (of one session, or all) and wait until their threads have."""
        handles = []
        for task, handle in list(self._running.items()):
            if session_id is None or task.session_id == session_id:
                task.cancel.set()
                handles.append(handle)
        if handles:
            await asyncio.wait(handles)

    # ---- running tasks -----------------------------------------------------------------------------

    def _launch(self, task: Task, job: Job, *, may_delete: bool) -> asyncio.Task[None]:
        handle = asyncio.create_task(self._run(task, job, may_delete))
        self._running[task] = handle
        handle.add_done_callback(lambda _: self._running.pop(task, None))
        return handle

    async def _run(self, task: Task, job: Job, may_delete: bool) -> None:
        places = Places(
            self.contexts.files_dir(job.context_id),
            self.contexts.tmp_dir(job.context_id),
            self.store.session_dir(task.session_id),
            share=self.contexts.is_staging(job.context_id),
        )
        try:
            # The context's lock: no PUT, delete or other session's sync lands half-way through.
            async with self.contexts.lock(job.context_id):
                if task.cancel.is_set():
                    raise Cancelled
                error = await run_in_threadpool(self._work, task, places, job, may_delete)
        except Cancelled:
            error = _CANCELLED
        except Exception as exc:
            logger.exception("sync task of context %s failed", task.context_id)
            error = f"internal error: {type(exc).__name__}"
        self.tasks.finish(task, error)

    def _work(self, task: Task, places: Places, job: Job, may_delete: bool) -> str:
        self.tasks.start(task)
        try:
            if task.task_type == DOWNLOAD:
                return run_download(places, job, task.cancel)
            return run_upload(places, job, task.cancel, may_delete)
        except Cancelled:
            return _CANCELLED

    def _handles(self, session_id: str) -> list[asyncio.Task[None]]:
        return [handle for task, handle in self._running.items() if task.session_id == session_id]

    def _download_failed(self, session_id: str, context_id: str, root: str) -> bool:
        """Whether the session's download of the mount at `root` failed (it may lack files)."""
        return any(t.status == FAILED for t in self.tasks.select(session_id, context_id, root, DOWNLOAD))

    @staticmethod
    async def _settle(handles: list[asyncio.Task[None]], timeout: float) -> None:
        if handles and timeout > 0:
            await asyncio.wait(handles, timeout=timeout)


_CANCELLED = "cancelled: the session was released before the transfer finished"


def _jobs(mounts: list[Mount], context_id: str | None, wanted: str | None) -> list[tuple[Job, str]]:
    """The jobs of a SyncContext, each with the path its task reports when no Path was given."""
    if wanted is None:
        return [
            (Job(m.context_id, m.path, "", m.policy, explicit=False), m.path)
            for m in mounts
            if context_id is None or m.context_id == context_id
        ]
    # The deepest mount of each context that holds the path: one file has one key in a context.
    deepest: dict[str, Mount] = {}
    for mount in mounts:
        if context_id is not None and mount.context_id != context_id:
            continue
        if mount.path == "/" or _under(wanted, mount.path):
            known = deepest.get(mount.context_id)
            if known is None or len(mount.path) > len(known.path):
                deepest[mount.context_id] = mount
    jobs = [
        (
            Job(
                m.context_id,
                m.path,
                posixpath.relpath(wanted, m.path) if wanted != m.path else "",
                m.policy,
                True,
            ),
            wanted,
        )
        for m in deepest.values()
    ]
    if not jobs and context_id is not None:
        # A path under no mount of the context: the key is the path itself (0.9.0's file transfer).
        jobs.append((Job(context_id, "/", wanted.lstrip("/"), _UNMOUNTED, explicit=True), wanted))
    return jobs


def _not_found(context_id: str) -> str:
    return f"Context {context_id} is not found (it does not exist, or belongs to another API key)"


class SyncActions:
    """SyncContext and GetContextInfo over one engine; `routes()` names them for the app."""

    def __init__(self, engine: SyncEngine) -> None:
        self.engine = engine

    def routes(self) -> dict[str, Handler]:
        return {"SyncContext": self.sync_context, "GetContextInfo": self.get_context_info}

    def _session(self, call: Call) -> str:
        session_id = p.required(call.params, "SessionId")
        if not self.engine.store.is_running(call.owner, session_id):
            raise session_not_found()
        return session_id

    async def sync_context(self, call: Call) -> Reply:
        """SyncContext: start the transfers the request names (see the module's description); the
        reply comes when they are done or after the grace time, GetContextInfo reports them."""
        params = call.params
        session_id = self._session(call)
        await self.engine.sync(
            call.owner,
            session_id,
            p.given(params, "ContextId"),
            p.given(params, "Path"),
            p.optional(params, "Mode"),
        )
        return {}

    async def get_context_info(self, call: Call) -> Reply:
        """GetContextInfo: the session's latest task of each context, path and type, filtered by
        `ContextId`, `Path` and `TaskType` when given."""
        params = call.params
        session_id = self._session(call)
        status = self.engine.info(
            session_id,
            p.given(params, "ContextId"),
            p.given(params, "Path"),
            _task_type(p.given(params, "TaskType")),
        )
        return {"Data": {"ContextStatus": status}}


def _task_type(value: str | None) -> str | None:
    if value is not None and value not in (UPLOAD, DOWNLOAD):
        raise invalid_parameter("TaskType", f"TaskType must be {UPLOAD} or {DOWNLOAD}, got {value!r}.")
    return value
