"""The file tools: `create_directory`, `write_file`, `read_file`, `get_file_info`, `list_directory`,
`edit_file`, `move_file`, `search_files`, `read_multiple_files`, `delete_file`.

Reply texts follow what the official SDKs parse (wire/protocol.md section 6, captures in
wire/tools/*.json), which is the shape of the MCP reference filesystem server the cloud's tools derive
from: `Successfully wrote to <path>`, `key: value` lines for file info, `[DIR] name` / `[FILE] name`
lines, `path:\\ncontent\\n` sections joined by `\\n---\\n`, `No matches found`. Failures are free text
(the SDKs only pass it on): `No such file or directory: /home/wuying/x`, `Is a directory: ...`.

Every path goes through `_paths.resolve`, and every host access through directory fds opened with
`O_NOFOLLOW` (see `_paths`), so no tool reads, creates or changes anything outside the session.
Files are opened with `O_NONBLOCK` and checked to be regular files before use: a FIFO planted by a
session process would otherwise hang a worker thread forever.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import difflib
import errno
import fnmatch
import os
import posixpath
import re
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from . import _utf8
from ._args import ToolFailure, get_bool, get_int, get_str, get_str_list
from ._paths import Location, SessionFS, display, open_dir, os_failure, parent_dir, resolve

__all__ = ["FILE_TOOLS", "MAX_READ_BYTES"]

#: The most one call reads into memory (a whole-file read, or one range). The SDKs read in 50 KiB
#: ranges, so this only stops a single `read_file` of a huge file from eating the server's memory.
MAX_READ_BYTES = 64 * 1024 * 1024
#: The most `read_multiple_files` puts in one reply, across all its files.
MAX_MULTI_READ_BYTES = 64 * 1024 * 1024

_FILE_FLAGS = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
#: A `search_files` pattern with one of these is a glob (the official SDK 0.22.3 documents `*` and
#: `?`); any other pattern is a part of the name, as in the reference filesystem server.
_GLOB_CHARS = frozenset("*?")


# ---- helpers ------------------------------------------------------------------------------------


@contextmanager
def _open_file(location: Location, flags: int, *, create: bool = False) -> Iterator[int]:
    """An fd of the regular file at `location`, opened below its parent's fd with `O_NOFOLLOW`."""
    if location.is_root:
        raise os_failure(OSError(errno.EISDIR, ""), location.shown)
    with parent_dir(location) as (dir_fd, name):
        # Look before opening: opening a FIFO for writing without a reader fails with a confusing
        # ENXIO, and a device should not be opened at all. fstat below re-checks what was opened.
        try:
            before = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            if not create:
                raise os_failure(OSError(errno.ENOENT, ""), location.shown) from None
        except OSError as error:
            raise os_failure(error, location.shown) from None
        else:
            _check_regular(before, location)
        mode_flags = flags | _FILE_FLAGS | (os.O_CREAT if create else 0)
        try:
            fd = os.open(name, mode_flags, 0o644, dir_fd=dir_fd)
        except OSError as error:
            if error.errno == errno.ELOOP:  # turned into a symlink since resolve(): never follow it
                raise ToolFailure(
                    f"Access denied: {display(location.shown)} is outside the session"
                ) from None
            raise os_failure(error, location.shown) from None
    try:
        _check_regular(os.fstat(fd), location)
        yield fd
    finally:
        os.close(fd)


def _check_regular(info: os.stat_result, location: Location) -> None:
    if stat.S_ISLNK(info.st_mode):  # turned into a symlink since resolve(): never follow it
        raise ToolFailure(f"Access denied: {display(location.shown)} is outside the session")
    if stat.S_ISDIR(info.st_mode):
        raise os_failure(OSError(errno.EISDIR, ""), location.shown)
    if not stat.S_ISREG(info.st_mode):
        raise ToolFailure(f"Not a regular file: {display(location.shown)}")


def _pread_all(fd: int, size: int, offset: int) -> bytes:
    chunks: list[bytes] = []
    while size > 0:
        chunk = os.pread(fd, min(size, 1 << 20), offset)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _aligned(fd: int, pos: int, size: int) -> int:
    """`pos` moved forward to the next UTF-8 character boundary of the file (see `_utf8`)."""
    if pos <= 0 or pos >= size:
        return max(0, min(pos, size))
    low = max(0, pos - 4)
    window = os.pread(fd, pos - low + 4, low)
    return low + _utf8.next_boundary(window, pos - low)


def _check_size(length: int, shown: str, limit: int = MAX_READ_BYTES) -> None:
    if length > limit:
        raise ToolFailure(
            f"File too large to read in one call: {display(shown)} ({length} bytes; the limit is "
            f"{limit} bytes, read it in parts with 'offset' and 'length')"
        )


def _read_whole(location: Location, limit: int = MAX_READ_BYTES) -> bytes:
    with _open_file(location, os.O_RDONLY) as fd:
        try:
            size = os.fstat(fd).st_size
            _check_size(size, location.shown, limit)
            return _pread_all(fd, size, 0)
        except OSError as error:
            raise os_failure(error, location.shown) from None


def _format_mode(args: dict[str, Any]) -> str:
    fmt = get_str(args, "format", default="text")
    if fmt not in ("text", "binary"):
        raise ToolFailure(f"Argument 'format' must be 'text' or 'binary', not {fmt!r}")
    return fmt


def _js_date(timestamp: float) -> str:
    """A time as JavaScript's `Date.toString()` prints it, which is what the captures show.

    e.g. `Thu Sep 11 2025 10:00:00 GMT+0800` (server local time; the zone name in parentheses that
    JavaScript appends is left out, as in the captures).
    """
    return time.strftime("%a %b %d %Y %H:%M:%S GMT%z", time.localtime(timestamp))


# ---- the tools ----------------------------------------------------------------------------------


def create_directory(fs: SessionFS, args: dict[str, Any]) -> str:
    """Make a directory and any missing parents (`mkdir -p`); an existing directory is fine."""
    raw = get_str(args, "path")
    location = resolve(fs, raw)
    fd = open_dir(location, ())
    try:
        for part in location.parts:
            try:
                child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
            except FileNotFoundError:
                # Made concurrently (FileExistsError)? Then open it below like any existing directory.
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o755, dir_fd=fd)
                child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
            os.close(fd)
            fd = child
    except OSError as error:
        if error.errno in (errno.ENOTDIR, errno.ELOOP):
            raise ToolFailure(f"Not a directory (a file is in the way): {display(location.shown)}") from None
        raise os_failure(error, location.shown) from None
    finally:
        os.close(fd)
    return f"Successfully created directory {raw}"


def write_file(fs: SessionFS, args: dict[str, Any]) -> str:
    """Write (`overwrite`) or append text; the parent directory must exist, as with `fs.writeFile`.

    The official flows create the directory first (captures: `create_directory d1`, then
    `write_file d1/a.txt`), so parents are not made implicitly.
    """
    raw = get_str(args, "path")
    content = get_str(args, "content")
    mode = get_str(args, "mode", default="overwrite")
    if mode not in ("overwrite", "append"):
        raise ToolFailure(f"Argument 'mode' must be 'overwrite' or 'append', not {mode!r}")
    if _format_mode(args) == "binary":
        try:
            data = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise ToolFailure("Argument 'content' is not valid base64 (format is 'binary')") from None
    else:
        try:
            data = content.encode("utf-8")
        except UnicodeEncodeError:
            raise ToolFailure("Argument 'content' is not valid Unicode text") from None
    location = resolve(fs, raw)
    flags = os.O_WRONLY | (os.O_APPEND if mode == "append" else 0)
    with _open_file(location, flags, create=True) as fd:
        try:
            if mode == "overwrite":
                # Truncate only now, after checking it is a regular file (O_TRUNC would act first).
                os.ftruncate(fd, 0)
            _write_all(fd, data)
        except OSError as error:
            raise os_failure(error, location.shown) from None
    return f"Successfully wrote to {raw}"


def read_file(fs: SessionFS, args: dict[str, Any]) -> str:
    """The file's text, or the byte range `[offset, offset + length)` of it (`length` 0: to the end).

    Offsets are bytes, as `get_file_info`'s `size` is. In text mode the range edges are moved to the
    next UTF-8 character boundary (see `_utf8`), so the SDK's 50 KiB pieces join up exactly; invalid
    UTF-8 is replaced with U+FFFD (use `format: binary` for exact bytes, as base64).
    """
    raw = get_str(args, "path")
    offset = get_int(args, "offset", default=0)
    length = get_int(args, "length", default=0)
    if offset < 0:
        raise ToolFailure("Argument 'offset' must not be negative")
    if length < 0:
        raise ToolFailure("Argument 'length' must not be negative")
    binary = _format_mode(args) == "binary"
    location = resolve(fs, raw)
    with _open_file(location, os.O_RDONLY) as fd:
        try:
            size = os.fstat(fd).st_size
            end = size if length == 0 else min(size, offset + length)
            start = min(offset, size)
            if not binary:
                start, end = _aligned(fd, start, size), _aligned(fd, end, size)
            _check_size(end - start, location.shown)
            data = _pread_all(fd, max(0, end - start), start)
        except OSError as error:
            raise os_failure(error, location.shown) from None
    if binary:
        return base64.b64encode(data).decode("ascii")
    return data.decode("utf-8", errors="replace")


def get_file_info(fs: SessionFS, args: dict[str, Any]) -> str:
    """`key: value` lines in the order and spelling of the captures (sizes in bytes).

    `created` is the inode change time: Linux's birth time is not available through Python 3.11.
    """
    raw = get_str(args, "path")
    location = resolve(fs, raw)
    try:
        if location.is_root:
            fd = open_dir(location)
            try:
                info = os.fstat(fd)
            finally:
                os.close(fd)
        else:
            with parent_dir(location) as (dir_fd, name):
                info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError as error:
        raise os_failure(error, location.shown) from None
    if stat.S_ISLNK(info.st_mode):  # swapped for a link since resolve(): do not follow it
        raise ToolFailure(f"Access denied: {display(location.shown)} is outside the session")
    is_dir = stat.S_ISDIR(info.st_mode)
    lines = {
        "size": str(info.st_size),
        "created": _js_date(info.st_ctime),
        "modified": _js_date(info.st_mtime),
        "accessed": _js_date(info.st_atime),
        "isDirectory": "true" if is_dir else "false",
        "isFile": "true" if stat.S_ISREG(info.st_mode) else "false",
        # Node's `mode.toString(8).slice(-3)`: the permission bits only.
        "permissions": format(info.st_mode & 0o777, "03o"),
    }
    return "\n".join(f"{key}: {value}" for key, value in lines.items())


def list_directory(fs: SessionFS, args: dict[str, Any]) -> str:
    """One line per entry, sorted by name: `[DIR] name` or `[FILE] name`.

    Entries are classified without following symlinks (a link is `[FILE]`, like Node's `Dirent`), so
    listing never looks at anything a link points to.
    """
    raw = get_str(args, "path")
    location = resolve(fs, raw)
    try:
        fd = open_dir(location)
    except OSError as error:
        raise os_failure(error, location.shown) from None
    try:
        with os.scandir(fd) as entries:
            listed = sorted((entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries)
    except OSError as error:
        raise os_failure(error, location.shown) from None
    finally:
        os.close(fd)
    return "\n".join(f"[DIR] {name}" if is_dir else f"[FILE] {name}" for name, is_dir in listed)


def _parse_edits(args: dict[str, Any]) -> list[tuple[str, str]]:
    if "edits" not in args or args["edits"] is None:
        raise ToolFailure("Missing required argument 'edits'")
    edits = args["edits"]
    if not isinstance(edits, list) or not edits:
        raise ToolFailure("Argument 'edits' must be a non-empty array of {oldText, newText} objects")
    parsed: list[tuple[str, str]] = []
    for index, edit in enumerate(edits):
        if not isinstance(edit, dict):
            raise ToolFailure(f"Argument 'edits[{index}]' must be an object with 'oldText' and 'newText'")
        old = get_str(edit, "oldText") if "oldText" in edit else None
        new = get_str(edit, "newText") if "newText" in edit else None
        if old is None or new is None:
            missing = "oldText" if old is None else "newText"
            raise ToolFailure(f"Missing required argument 'edits[{index}].{missing}'")
        if old == "":
            raise ToolFailure(f"Argument 'edits[{index}].oldText' must not be empty")
        parsed.append((old, new))
    return parsed


def _fenced_diff(before: str, after: str, shown: str) -> str:
    """A unified diff in a ```diff fence, as the reference filesystem server replies to edits."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"{shown}\toriginal",
        tofile=f"{shown}\tmodified",
    )
    # A last line without a newline gets the marker `diff -u` prints, instead of gluing onto the next.
    diff = "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
    fence = "`" * 3
    while fence in diff:  # a fence longer than any backtick run inside
        fence += "`"
    return f"{fence}diff\n{diff}{fence}\n"


def edit_file(fs: SessionFS, args: dict[str, Any]) -> str:
    """Apply the edits in order, each replacing the first occurrence of its `oldText`.

    Every `oldText` must be found (in the text as left by the edits before it), else nothing is
    written. Replies with the diff; with `dryRun` that is all it does.
    """
    raw = get_str(args, "path")
    edits = _parse_edits(args)
    dry_run = get_bool(args, "dryRun", default=False)
    location = resolve(fs, raw)
    with _open_file(location, os.O_RDWR) as fd:
        try:
            size = os.fstat(fd).st_size
            _check_size(size, location.shown)
            original_bytes = _pread_all(fd, size, 0)
        except OSError as error:
            raise os_failure(error, location.shown) from None
        try:
            original = original_bytes.decode("utf-8")
        except UnicodeDecodeError:
            raise ToolFailure(f"Cannot edit {display(location.shown)}: it is not UTF-8 text") from None
        text = original
        for index, (old, new) in enumerate(edits):
            if old not in text:
                raise ToolFailure(f"Could not find exact match for edit {index}:\n{old}")
            text = text.replace(old, new, 1)
        if not dry_run:
            try:
                encoded = text.encode("utf-8")
            except UnicodeEncodeError:
                raise ToolFailure("Argument 'edits' holds text that is not valid Unicode") from None
            try:
                os.ftruncate(fd, 0)
                os.lseek(fd, 0, os.SEEK_SET)
                _write_all(fd, encoded)
            except OSError as error:
                raise os_failure(error, location.shown) from None
    return _fenced_diff(original, text, location.shown)


def move_file(fs: SessionFS, args: dict[str, Any]) -> str:
    """Rename a file or directory (a symlink is moved as the link). The destination must not exist."""
    raw_source = get_str(args, "source")
    raw_destination = get_str(args, "destination")
    source = resolve(fs, raw_source, follow_final=False)
    destination = resolve(fs, raw_destination, follow_final=False)
    if source.is_root or destination.is_root:
        root = source if source.is_root else destination
        raise ToolFailure(f"Cannot move the session directory {display(root.shown)}")
    with (
        parent_dir(source) as (source_dir, source_name),
        parent_dir(destination) as (target_dir, target_name),
    ):
        try:
            os.stat(source_name, dir_fd=source_dir, follow_symlinks=False)
        except OSError as error:
            raise os_failure(error, source.shown) from None
        try:
            os.stat(target_name, dir_fd=target_dir, follow_symlinks=False)
        except FileNotFoundError:
            pass
        except OSError as error:
            raise os_failure(error, destination.shown) from None
        else:
            raise ToolFailure(f"Destination already exists: {display(destination.shown)}")
        # Check-then-rename leaves a window in which a session process could create the destination;
        # the rename would then replace it. That only touches the session's own files (both parents
        # are fds reached without following links), so it is accepted rather than needing renameat2.
        try:
            os.rename(source_name, target_name, src_dir_fd=source_dir, dst_dir_fd=target_dir)
        except OSError as error:
            if error.errno == errno.EINVAL:
                raise ToolFailure(
                    f"Cannot move {display(source.shown)} into itself ({display(destination.shown)})"
                ) from None
            raise os_failure(error, source.shown) from None
    return f"Successfully moved {raw_source} to {raw_destination}"


def delete_file(fs: SessionFS, args: dict[str, Any]) -> str:
    """Remove a file (or a symlink, not what it points to). Directories are refused."""
    raw = get_str(args, "path")
    location = resolve(fs, raw, follow_final=False)
    if location.is_root:
        raise os_failure(OSError(errno.EISDIR, ""), location.shown)
    with parent_dir(location) as (dir_fd, name):
        try:
            info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                raise ToolFailure(
                    f"Is a directory: {display(location.shown)} (delete_file removes files only)"
                )
            os.unlink(name, dir_fd=dir_fd)
        except OSError as error:
            raise os_failure(error, location.shown) from None
    return f"Successfully deleted {raw}"


def _exclude_patterns(args: dict[str, Any]) -> list[str]:
    """`excludePatterns`: a list in SDK 0.8, a comma-joined string from 0.9 on; absent means none."""
    value = args.get("excludePatterns")
    if value is None:
        return []
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list):
        items = get_str_list(args, "excludePatterns")
    else:
        raise ToolFailure("Argument 'excludePatterns' must be a string or an array of strings")
    return [item.strip() for item in items if item.strip()]


def _name_matcher(pattern: str) -> Callable[[str, str], bool]:
    """Case-insensitive: a glob when `pattern` has `*` or `?`, else a substring of the name.

    The substring rule is the reference server's (`b.txt` finds `/home/wuying/d1/b.txt` in the
    captures, and "" is in every name); globs are tried on the name and on the path relative to the
    search root, and a leading `**/` is dropped for the name test so `**/*.py` means what it looks like.
    """
    folded = pattern.lower()
    if not _GLOB_CHARS & set(pattern):
        return lambda name, _rel: folded in name.lower()
    name_glob = folded.removeprefix("**/")
    return lambda name, rel: (
        fnmatch.fnmatchcase(name.lower(), name_glob) or fnmatch.fnmatchcase(rel.lower(), folded)
    )


def _exclude_matcher(patterns: list[str]) -> Callable[[str], bool]:
    """Whether a path relative to the search root is excluded, as the reference server decides.

    It tests `minimatch(relative, glob, {dot: true})` with `glob` the pattern itself when it has a
    `*`, else `**/<pattern>/**`. So a plain name (`node_modules`) leaves out what is below such a
    directory but not the directory, and `*.log` only applies at the top (`**/*.log` at any depth).
    Matching is case-sensitive; braces and negation are not supported (the wire splits on commas).
    """
    globs = [_Glob(p if "*" in p else f"**/{p}/**") for p in patterns]
    return lambda rel: any(glob.matches(rel.split("/")) for glob in globs)


class _Glob:
    """A glob with minimatch's rules, for `/`-separated paths: `**` is any number of whole segments
    (at least one when it ends the glob), any other part an fnmatch pattern within one segment.

    A path's segments run through the parts as through an NFA (a set of positions), so matching
    takes time linear in the path, however many `**` the glob has.
    """

    def __init__(self, glob: str) -> None:
        # None stands for `**`.
        self._parts = [None if p == "**" else re.compile(fnmatch.translate(p)) for p in glob.split("/")]

    def _with_skips(self, states: set[int]) -> set[int]:
        # A `**` that is not the last part may match no segment: the part after it is reachable too.
        todo = list(states)
        while todo:
            at = todo.pop()
            if at < len(self._parts) - 1 and self._parts[at] is None and at + 1 not in states:
                states.add(at + 1)
                todo.append(at + 1)
        return states

    def matches(self, segments: list[str]) -> bool:
        end = len(self._parts)  # every part matched (or the last `**` took at least one segment)
        states = self._with_skips({0})
        for segment in segments:
            after: set[int] = set()
            for at in states:
                if at == end:
                    continue  # nothing is left to match a further segment
                part = self._parts[at]
                if part is None:
                    after.add(at)
                    if at == end - 1:
                        after.add(end)
                elif part.match(segment):
                    after.add(at + 1)
            if not after:
                return False
            states = self._with_skips(after)
        return end in states


def search_files(fs: SessionFS, args: dict[str, Any]) -> str:
    """Paths (canonical session paths) under `path` whose names match `pattern`, one a line.

    Symlinks are listed when their names match but never descended into. Excluded entries (see
    `_exclude_matcher`) are skipped with everything below them. An empty pattern matches every name.
    Replies exactly `No matches found` when nothing matches, which SDK 0.8/0.9 turn into a failed
    result and 0.22.3 (and ours) into an empty list.
    """
    raw = get_str(args, "path")
    pattern = get_str(args, "pattern")
    excluded = _exclude_matcher(_exclude_patterns(args))
    matches = _name_matcher(pattern)
    location = resolve(fs, raw)
    try:
        top = open_dir(location)
    except OSError as error:
        raise os_failure(error, location.shown) from None
    base = location.session_path
    found: list[str] = []
    # Depth-first with only the chain of ancestors open, so a wide tree never runs out of fds.
    stack: list[tuple[int, str, Iterator[tuple[str, bool]]]] = []
    try:
        stack.append((top, "", iter(_sorted_entries(top))))
        while stack:
            dir_fd, prefix, entries = stack[-1]
            entry = next(entries, None)
            if entry is None:
                os.close(dir_fd)
                stack.pop()
                continue
            name, is_dir = entry
            rel = prefix + name
            if excluded(rel):
                continue
            if matches(name, rel):
                found.append(posixpath.join(base, rel))
            if is_dir:
                try:
                    child = os.open(
                        name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd
                    )
                    children = _sorted_entries(child)
                except OSError:
                    continue  # unreadable, or replaced by a link meanwhile: skip, as `find` would warn
                stack.append((child, rel + "/", iter(children)))
    except OSError as error:
        raise os_failure(error, location.shown) from None
    finally:
        for dir_fd, _prefix, _entries in stack:
            os.close(dir_fd)
    return "\n".join(found) if found else "No matches found"


def _sorted_entries(dir_fd: int) -> list[tuple[str, bool]]:
    with os.scandir(dir_fd) as entries:
        return sorted((entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries)


def read_multiple_files(fs: SessionFS, args: dict[str, Any]) -> str:
    """`path:\\ncontent\\n` per file, joined by `\\n---\\n`; a file that fails gives `path: Error - why`.

    One bad path does not fail the call (the reference server's behaviour): the SDK maps each path
    to its text, and an error text is as informative there as anywhere.
    """
    paths = get_str_list(args, "paths")
    if not paths:
        raise ToolFailure("Argument 'paths' must not be empty")
    budget = MAX_MULTI_READ_BYTES
    sections: list[str] = []
    for raw in paths:
        try:
            if budget <= 0:
                raise ToolFailure("skipped, the reply is already at its size limit")
            data = _read_whole(resolve(fs, raw), limit=budget)
            budget -= len(data)
            sections.append(f"{raw}:\n{data.decode('utf-8', errors='replace')}\n")
        except ToolFailure as failure:
            sections.append(f"{raw}: Error - {failure.message}")
    return "\n---\n".join(sections)


FILE_TOOLS: dict[str, Callable[[SessionFS, dict[str, Any]], str]] = {
    "create_directory": create_directory,
    "write_file": write_file,
    "read_file": read_file,
    "get_file_info": get_file_info,
    "list_directory": list_directory,
    "edit_file": edit_file,
    "move_file": move_file,
    "search_files": search_files,
    "read_multiple_files": read_multiple_files,
    "delete_file": delete_file,
}
