"""`agentbay fs ls|cat|put|get|rm|mkdir`: files in a session, with pipes and progress bars.

`put` and `get` stream through `upload_file` / `download_file` (files of 1 MiB or more with an
absolute remote path by presigned URL, smaller ones by tool calls), never holding a whole file in
memory. What Ctrl-C leaves behind:

- `get`: no partial local file (the SDK writes beside the target and renames when complete, and
  removes its partial file when interrupted); an earlier file at LOCAL is untouched.
- `put`: the remote path is untouched or complete. By URL the session's file changes only in the
  final sync, which the service does whole (a file renamed into place); by tool calls, which write a
  file piece by piece, the bytes go to a hidden file beside REMOTE that is renamed over it when
  complete. Ctrl-C there stops between two calls and removes the hidden file (a second Ctrl-C stops
  at once, and may leave it: the next `put` to REMOTE overwrites it).

The session itself is left as it was: these commands never delete it.
"""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from .. import AgentBayError, InvalidInputError, NoSuchFileError
from ._app import State, common_options, pass_state
from ._output import error_line, exit_code_for, write_all
from ._progress import transfer_progress

if TYPE_CHECKING:
    from .. import FileInfo, FileSystem

__all__ = ["fs"]

#: The SDK's `URL_THRESHOLD` (README: "the URL path for files of 1 MiB or more with an absolute remote
#: path"). The CLI picks the path itself, rather than `via="auto"`, because what Ctrl-C may leave
#: depends on it (see the module docstring).
URL_MIN_BYTES = 1024 * 1024
#: How much of stdin `put -` holds in memory; a longer stream is spooled to a temporary file, so that
#: its size is known (and it can take the URL path) without holding it.
STDIN_IN_MEMORY = URL_MIN_BYTES
COPY_CHUNK = 1024 * 1024
#: `ls -l` asks for each entry's size and time; this many at once.
INFO_IN_FLIGHT = 4
#: The hidden name beside REMOTE that a tool-path `put` writes to first.
PART_SUFFIX = ".agentbay-part"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def fs() -> None:
    """Files in a session: list, print, copy in and out, delete, make directories.

    \b
        agentbay fs ls ID /home/wuying -l
        agentbay fs put ID model.bin /home/wuying/model.bin
        tar c . | agentbay fs put ID - /tmp/src.tar
        agentbay fs get ID /tmp/out.csv .
        agentbay fs cat ID /tmp/out.csv | head
    """


# ---- ls ------------------------------------------------------------------------------------------


def js_date_to_iso(value: str) -> str | None:
    """The service's JavaScript date (``Tue Dec 01 2026 10:01:03 GMT+0000``) as ISO 8601; None when
    absent. A form not recognised is kept as it is rather than lost."""
    value = value.strip()
    if not value:
        return None
    # Node may add the zone's name: "GMT+0800 (China Standard Time)".
    core = value.split(" (", 1)[0]
    try:
        return datetime.strptime(core, "%a %b %d %Y %H:%M:%S GMT%z").isoformat()
    except ValueError:
        return value


def _row(name: str, is_directory: bool, info: FileInfo | None) -> dict[str, Any]:
    return {
        "name": name,
        "type": "dir" if is_directory else "file",
        "size": info.size if info is not None else None,
        "modified": js_date_to_iso(info.modified) if info is not None else None,
    }


def _infos(files: FileSystem, paths: Sequence[str]) -> list[FileInfo | None]:
    """Each path's info (None where it failed, say a file deleted since the listing), a few at a time."""

    def one(path: str) -> FileInfo | None:
        return files.get_file_info(path).file_info

    if len(paths) <= 1:
        return [one(p) for p in paths]
    with ThreadPoolExecutor(INFO_IN_FLIGHT, thread_name_prefix="agentbay-ls") as pool:
        return list(pool.map(one, paths))


@fs.command("ls")
@click.argument("session_id", metavar="ID")
@click.argument("path")
@click.option(
    "-l", "--long", "long_", is_flag=True, help="Also each entry's size and time (a call per entry)."
)
@common_options
@pass_state
def ls(state: State, session_id: str, path: str, long_: bool) -> None:
    """List the directory PATH in session ID (or show the file PATH).

    Columns: name, type (file or dir), and with -l size in bytes and modification time. With
    -o json, a list of {name, type, size, modified} (size and modified are null without -l).

    \b
        agentbay fs ls ID /home/wuying -l
    """
    files = state.session(session_id).file_system
    listed = files.list_directory(path)
    if listed.error is None:
        entries = listed.entries
        infos: list[FileInfo | None] = [None] * len(entries)
        if long_:
            infos = _infos(files, [posixpath.join(path, e.name) for e in entries])
        rows = [_row(e.name, e.is_directory, i) for e, i in zip(entries, infos, strict=True)]
    else:
        # `ls FILE` shows the file, as ls(1) does; anything else is the listing's own error.
        info = None if isinstance(listed.error, NoSuchFileError) else files.get_file_info(path).file_info
        if info is None or info.is_directory:
            raise listed.error
        rows = [_row(posixpath.basename(path.rstrip("/")) or path, False, info)]
        long_ = True  # its size and time came with it
    state.emit(rows, rows=rows, columns=["name", "type", "size", "modified"] if long_ else ["name", "type"])


# ---- cat, rm, mkdir: one call per path, going on past a failure as cat(1) and rm(1) do ---------------


def _each(paths: Sequence[str], call: Callable[[str], dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """`call` on each path: the records of those that worked, and the exit code of the first failure.

    Each failure is one line on stderr, as `run()` would print it.
    """
    records: list[dict[str, Any]] = []
    code = 0
    for path in paths:
        try:
            records.append(call(path))
        except AgentBayError as exc:
            print(error_line(exc), file=sys.stderr)
            code = code or exit_code_for(exc)
    return records, code


@fs.command("cat")
@click.argument("session_id", metavar="ID")
@click.argument("paths", metavar="PATH...", nargs=-1, required=True)
@common_options
@pass_state
def cat(state: State, session_id: str, paths: tuple[str, ...]) -> int:
    """Print the files PATH... of session ID to stdout, byte for byte.

    Made for pipes: `agentbay fs cat ID /tmp/x.bin | sha256sum` is the file's own checksum. Each file
    is read whole into memory first; for a large one, `agentbay fs get ID PATH -` streams it. With
    -o json, a list of {path, size, encoding, content}: the text when it is UTF-8 (encoding
    "utf-8"), else base64 (encoding "base64").
    """
    files = state.session(session_id).file_system
    out = _binary_stdout()

    def read(path: str) -> dict[str, Any]:
        result = files.read_file(path, format="bytes")
        result.raise_for_error()
        if not state.json:
            write_all(out, result.content)
        return _content_record(path, result.content)

    records, code = _each(paths, read)
    if state.json:
        state.emit(records)
    return code


def _content_record(path: str, data: bytes) -> dict[str, Any]:
    import base64

    try:
        content, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        content, encoding = base64.b64encode(data).decode("ascii"), "base64"
    return {"path": path, "size": len(data), "encoding": encoding, "content": content}


@fs.command("rm")
@click.argument("session_id", metavar="ID")
@click.argument("paths", metavar="PATH...", nargs=-1, required=True)
@common_options
@pass_state
def rm(state: State, session_id: str, paths: tuple[str, ...]) -> int:
    """Delete the files PATH... in session ID (not directories).

    Goes on past a path that fails (one line on stderr each) and exits with the first failure's
    code: 4 for a file that does not exist. With -o json, a list of {path, request_id} deleted.
    """
    files = state.session(session_id).file_system

    def delete(path: str) -> dict[str, Any]:
        result = files.delete_file(path)
        result.raise_for_error()
        return {"path": path, "request_id": result.request_id}

    records, code = _each(paths, delete)
    if state.json:
        state.emit(records)
    return code


@fs.command("mkdir")
@click.argument("session_id", metavar="ID")
@click.argument("paths", metavar="PATH...", nargs=-1, required=True)
@common_options
@pass_state
def mkdir(state: State, session_id: str, paths: tuple[str, ...]) -> int:
    """Make the directories PATH... in session ID, with their parents (an existing one is fine).

    With -o json, a list of {path, request_id} made.
    """
    files = state.session(session_id).file_system

    def make(path: str) -> dict[str, Any]:
        result = files.create_directory(path)
        result.raise_for_error()
        return {"path": path, "request_id": result.request_id}

    records, code = _each(paths, make)
    if state.json:
        state.emit(records)
    return code


# ---- put -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def _held_interrupt(*, again_stops: bool) -> Iterator[Callable[[], None]]:
    """Ctrl-C is held until the block calls the `check()` it is given, or ends; then it raises
    KeyboardInterrupt. With `again_stops`, a second Ctrl-C raises at once (a call that hangs).

    Why: Ctrl-C raised in the middle of an HTTP call abandons a request that the service may still
    carry out after the command has cleaned up, such as a piece of file written after its removal.
    """
    if threading.current_thread() is not threading.main_thread():  # only it gets signals
        yield lambda: None
        return
    held: list[int] = []

    def hold(signum: int, _frame: object) -> None:
        if held and again_stops:
            raise KeyboardInterrupt
        held.append(signum)

    def check() -> None:
        if held:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, previous)
    check()


@contextlib.contextmanager
def _stdin_source() -> Iterator[tuple[IO[bytes], int]]:
    """stdin as `(a seekable binary file, its size)`: in memory when short, else spooled to a
    temporary file (removed at the end), so a pipe of any length takes the path its size calls for."""
    stdin = sys.stdin.buffer
    head = stdin.read(STDIN_IN_MEMORY)
    if len(head) < STDIN_IN_MEMORY:
        yield io.BytesIO(head), len(head)
        return
    with tempfile.TemporaryFile(prefix="agentbay-put-") as spool:
        spool.write(head)
        shutil.copyfileobj(stdin, spool, COPY_CHUNK)
        size = spool.tell()
        spool.seek(0)
        yield spool, size


@contextlib.contextmanager
def _local_source(local: str) -> Iterator[tuple[IO[bytes], int]]:
    if local == "-":
        with _stdin_source() as source:
            yield source
        return
    path = Path(local)
    _check_local_file(path)
    try:
        f = path.open("rb")
    except OSError as exc:
        raise InvalidInputError(f"Cannot read {local}: {exc.strerror or exc}") from None
    with f:
        yield f, os.fstat(f.fileno()).st_size


def _check_local_file(path: Path) -> None:
    if path.is_dir():
        raise InvalidInputError(f"{path} is a directory (put copies one file)")
    if not path.exists():
        raise InvalidInputError(f"No such local file: {path}")


def _remote_target(files: FileSystem, local: str, remote: str) -> str:
    """REMOTE, or REMOTE/<local name> when REMOTE is a directory (ends in / or is one), as cp(1) does."""
    is_dir = remote.endswith("/")
    if not is_dir:
        info = files.get_file_info(remote).file_info
        is_dir = info is not None and info.is_directory
    if not is_dir:
        return remote
    if local == "-":
        raise click.UsageError(f"REMOTE {remote} is a directory: give the file's name for stdin")
    return posixpath.join(remote, Path(local).name)


def _part_name(remote: str) -> str:
    head, name = posixpath.split(remote)
    return posixpath.join(head, f".{name}{PART_SUFFIX}")


def _forget(files: FileSystem, path: str) -> None:
    """Remove `path` if it is there, best effort (cleaning up after a failure is not worth another)."""
    with contextlib.suppress(AgentBayError):
        files.delete_file(path)


def _upload_by_tools(
    files: FileSystem, source: IO[bytes], remote: str, progress: Callable[[int, int], None]
) -> tuple[int, str]:
    """Tool calls write a file piece by piece: write a hidden file beside `remote`, then rename it over
    `remote` when complete, so an interruption never leaves a truncated `remote`."""
    part = _part_name(remote)
    parent = posixpath.dirname(remote)
    if parent not in ("", "/"):
        # write_file wants the folder to exist; the URL path makes it: make it here too, so that `put`
        # does the same whatever the file's size.
        files.create_directory(parent).raise_for_error()
    try:
        # Ctrl-C stops the upload between two write_file calls, none in flight: the part file removed
        # then stays removed.
        with _held_interrupt(again_stops=True) as check:

            def progress_then_check(done: int, total: int) -> None:
                progress(done, total)
                check()

            result = files.upload_file(source, part, progress=progress_then_check, via="tool")
        result.raise_for_error()
    except BaseException:
        _forget(files, part)
        raise
    # move_file refuses an existing destination: delete it first. Ctrl-C waits for the pair, so
    # `remote` is not left missing between them.
    with _held_interrupt(again_stops=False):
        gone = files.delete_file(remote)
        if gone.error is not None and not isinstance(gone.error, NoSuchFileError):
            _forget(files, part)
            raise gone.error
        moved = files.move_file(part, remote)
        if moved.error is not None:
            _forget(files, part)
            raise moved.error
    return result.size, moved.request_id


@fs.command("put")
@click.argument("session_id", metavar="ID")
@click.argument("local", metavar="LOCAL")
@click.argument("remote", metavar="REMOTE")
@common_options
@pass_state
def put(state: State, session_id: str, local: str, remote: str) -> None:
    """Copy the local file LOCAL (- for stdin) to REMOTE in session ID.

    A REMOTE that is a directory (or ends in /) gets LOCAL's name; missing parent directories are
    made. The file streams (1 MiB and more
    to an absolute REMOTE by presigned URL, less by tool calls), with a progress bar when stderr is
    a terminal. Ctrl-C leaves REMOTE as it was (or complete), never cut short.

    \b
        agentbay fs put ID model.bin /home/wuying/
        tar c . | agentbay fs put ID - /tmp/src.tar

    With -o json: {local, remote, size, request_id}.
    """
    if local != "-":
        _check_local_file(Path(local))  # before any call: a typo costs nothing
    files = state.session(session_id).file_system
    with _local_source(local) as (source, size):
        target = _remote_target(files, local, remote)
        with transfer_progress(f"put {posixpath.basename(target)}") as progress:
            if size >= URL_MIN_BYTES and target.startswith("/"):
                # The service writes the session's file only in the final sync, whole: nothing to tidy.
                result = files.upload_file(source, target, progress=progress, via="url")
                result.raise_for_error()
                done, request_id = result.size, result.request_id
            else:
                done, request_id = _upload_by_tools(files, source, target, progress)
    if state.json:
        state.emit({"local": local, "remote": target, "size": done, "request_id": request_id})


# ---- get -----------------------------------------------------------------------------------------


def _binary_stdout() -> IO[bytes]:
    buffer: IO[bytes] | None = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # pragma: no cover - sys.stdout replaced by a text-only stream
        raise click.UsageError("stdout takes no bytes here")
    sys.stdout.flush()
    return buffer


@fs.command("get")
@click.argument("session_id", metavar="ID")
@click.argument("remote", metavar="REMOTE")
@click.argument("local", metavar="LOCAL")
@common_options
@pass_state
def get(state: State, session_id: str, remote: str, local: str) -> None:
    """Copy the file REMOTE of session ID to LOCAL (- for stdout).

    A LOCAL that is a directory gets REMOTE's name. The file streams (1 MiB and more by presigned
    URL, less by tool calls), with a progress bar when stderr is a terminal, and appears at LOCAL
    only when complete: Ctrl-C leaves no partial file. For stdout it goes through a temporary file.

    \b
        agentbay fs get ID /tmp/report.pdf .
        agentbay fs get ID /tmp/data.tar - | tar x

    With -o json: {remote, local, size, request_id} (not with LOCAL -, where stdout is the data).
    """
    if local == "-" and state.json:
        raise click.UsageError("-o json prints to stdout: give LOCAL a file name rather than -")
    files = state.session(session_id).file_system
    name = posixpath.basename(remote.rstrip("/"))
    with transfer_progress(f"get {name}") as progress:
        if local == "-":
            # download_file wants a path (it renames its partial file into place): stream through a
            # temporary directory, removed whatever happens.
            with tempfile.TemporaryDirectory(prefix="agentbay-get-") as spool:
                result = files.download_file(remote, Path(spool) / (name or "file"), progress=progress)
                result.raise_for_error()
                out = _binary_stdout()
                with open(Path(spool) / (name or "file"), "rb") as f:
                    while chunk := f.read(COPY_CHUNK):
                        write_all(out, chunk)
            return
        target = Path(local)
        if target.is_dir():
            target = target / name
        result = files.download_file(remote, target, progress=progress)
        result.raise_for_error()
    if state.json:
        state.emit(
            {"remote": remote, "local": str(target), "size": result.size, "request_id": result.request_id}
        )
