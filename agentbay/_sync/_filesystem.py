# Generated from agentbay/_async/_filesystem.py by scripts/unasync.py. Do not edit: edit the async source.
"""`FileSystem`: files in a session (`session.file_system`)."""

from __future__ import annotations

import base64
import codecs
import contextlib
import io
import os
import threading
from collections import abc
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, TypeVar, overload

import httpx

from .. import _files as files
from .. import _transfer as transfer
from .. import _watch as watch
from .._exceptions import CALL_FAILURES, AgentBayError, ContextSyncError, InvalidInputError, ToolError
from .._files import (
    BinaryFileContentResult,
    BoolResult,
    DirectoryListResult,
    FileContentResult,
    FileInfoResult,
    FileSearchResult,
    FileTransferResult,
    MultipleFileContentResult,
    ProgressCallback,
)
from .._pipeline import Pipeline
from .._transfer import TransferContext, Via
from .._types import ApiResult
from .._validate import check_non_empty
from .._watch import FileChangeResult
from .._watchers import DirectoryWatcher, WatchCallback
from .._wire import ToolOutput

if TYPE_CHECKING:
    from ._session import Session

__all__ = ["FileSystem"]

R = TypeVar("R", bound=ApiResult)

# What a URL-path transfer returns as a failed result rather than raising.
_URL_FAILURES = (*CALL_FAILURES, ContextSyncError)


def _open_source(
    source: str | os.PathLike[str] | IO[bytes], stack: contextlib.ExitStack
) -> tuple[IO[bytes], int]:
    """`(binary file object, bytes to send or -1 when unknown)` of an upload's source.

    A path is opened here (and closed by `stack`); a file object is read from where it stands and left
    open. Its size is known when it can seek.
    """
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise InvalidInputError(f"Not a readable file: {path}")
        return stack.enter_context(path.open("rb")), path.stat().st_size
    if not callable(getattr(source, "read", None)) or not isinstance(source.read(0), bytes):
        raise InvalidInputError("Expected a path or a file object open for reading bytes (mode 'rb')")
    if not _seekable(source):
        return source, -1
    start = source.tell()
    end = source.seek(0, io.SEEK_END)
    source.seek(start)
    return source, end - start


def _seekable(f: IO[bytes]) -> bool:
    try:
        return bool(f.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _is_utf8(f: IO[bytes], chunk: int) -> bool:
    """Whether the rest of `f` is UTF-8 text; `f` is back where it was afterwards."""
    start = f.tell()
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while block := f.read(chunk):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        f.seek(start)
    return True


class FileSystem:
    """Reads and writes files in the session, with the seed-era method names.

    Paths are session paths such as ``/home/wuying/notes.txt``. Content of any size travels in chunks of
    about 50 KiB a call, as the official SDK sends it; `upload_file` and `download_file` move big files
    through the session's file-transfer context and a presigned URL instead (see `_transfer`).
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._transfer: TransferContext | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_id={self._session.session_id!r})"

    def _query(
        self, name: str, args: Mapping[str, Any], parse: Callable[[ToolOutput], R], result: type[R]
    ) -> R:
        """One tool call whose reply `parse` turns into a result; a failure of the call is a failed `result`.

        A deleted session raises `SessionClosedError` from `_call_tool`: it is not a call failure.
        """
        try:
            return parse(self._session._call_tool(name, args))
        except CALL_FAILURES as exc:
            return result.failed(files.not_found(exc, args["path"], name) if "path" in args else exc)

    def _changed(self, name: str, args: Mapping[str, Any]) -> BoolResult:
        return self._query(name, args, files.changed, BoolResult)

    def create_directory(self, path: str) -> BoolResult:
        """Create a directory (and its parents)."""
        return self._changed("create_directory", files.path_args(path))

    def write_file(self, path: str, content: str | bytes, mode: str = "overwrite") -> BoolResult:
        """Write `content` to `path`, replacing it (``overwrite``) or adding to its end (``append``).

        `content` is text (sent as text, as the official SDK sends it) or bytes (sent as base64 with
        ``format: binary``), in calls of about 50 KiB.
        """
        path = check_non_empty(path, "path")
        mode = files.check_mode(mode)
        result = BoolResult(data=True)
        # The first piece carries the caller's mode, the rest append; an empty content still writes once.
        for index, (piece, binary) in enumerate(files.write_pieces(content)):
            wire_mode = mode if index == 0 else "append"
            result = self._changed("write_file", files.write_call(path, piece, wire_mode, binary))
            if not result.success:
                return result
        return result

    @overload
    def read_file(self, path: str, *, format: Literal["text"] = "text") -> FileContentResult: ...

    @overload
    def read_file(self, path: str, *, format: Literal["bytes"]) -> BinaryFileContentResult: ...

    def read_file(
        self, path: str, *, format: Literal["text", "bytes"] = "text"
    ) -> FileContentResult | BinaryFileContentResult:
        """The text of `path`, or with ``format="bytes"`` its exact bytes (`BinaryFileContentResult`).

        ``get_file_info`` gives the size, then ``read_file`` reads 50 KiB ranges. Text that is not
        UTF-8 is an error rather than text with replacement characters: read such files as bytes. A
        missing file fails with `NoSuchFileError`.
        """
        args = files.path_args(path)
        binary = files.check_read_format(format)
        try:
            size, request_id = self._size_of_file(args)
            if binary:
                data, request_id = self._read_bytes(args, size, request_id)
                return BinaryFileContentResult(request_id=request_id, content=data)
            parts = []
            for offset, length in files.read_ranges(size):
                output = self._session._call_tool(
                    "read_file", {**args, "offset": offset, "length": length}
                )
                parts.append(output.text)
                request_id = output.request_id
            text = "".join(parts)
            if "\ufffd" in text:
                # U+FFFD is what a text read makes of bytes that are not UTF-8 (or of a character cut at
                # a range's edge): read the bytes themselves, to give the exact text or say it is none.
                data, request_id = self._read_bytes(args, size, request_id)
                text = files.decode_text(data, path, request_id)
        except CALL_FAILURES as exc:
            error = files.not_found(exc, path, "read_file")
            return BinaryFileContentResult.failed(error) if binary else FileContentResult.failed(error)
        return FileContentResult(request_id=request_id, content=text)

    def _size_of_file(self, args: Mapping[str, Any]) -> tuple[int, str]:
        """`(size, request id)` of the file `args["path"]`; a directory is a `ToolError`."""
        output = self._session._call_tool("get_file_info", args)
        info = files.file_info(output.text)
        if info.is_directory:
            raise ToolError("read_file", f"{args['path']} is a directory", request_id=output.request_id)
        return info.size, output.request_id

    def _read_block(self, args: Mapping[str, Any], offset: int, length: int) -> tuple[bytes, str]:
        """`(bytes, request id)` of one range of the file, read as base64 (``format: binary``)."""
        chunk = {**args, "offset": offset, "length": length, "format": "binary"}
        output = self._session._call_tool("read_file", chunk)
        return files.decode_binary(output.text), output.request_id

    def _blocks(
        self, args: Mapping[str, Any], size: int, chunk_size: int = files.CHUNK_SIZE
    ) -> Pipeline[tuple[int, int], tuple[bytes, str]]:
        """`(bytes, request id)` of each range of the file in order, `files.READS_IN_FLIGHT` reads at once."""
        ranges = list(files.read_ranges(size, chunk_size))
        # A file of one range needs no second read in flight (nor, in the sync client, a thread).
        depth = max(1, min(files.READS_IN_FLIGHT, len(ranges)))
        return Pipeline(lambda piece: self._read_block(args, *piece), ranges, depth)

    def _read_bytes(self, args: Mapping[str, Any], size: int, request_id: str) -> tuple[bytes, str]:
        blocks = []
        with self._blocks(args, size) as pieces:
            for block, request_id in pieces:  # noqa: B007  # the last one is returned
                blocks.append(block)
        return b"".join(blocks), request_id

    def get_file_info(self, path: str) -> FileInfoResult:
        """Size, type, permissions and times of `path`."""
        return self._query("get_file_info", files.path_args(path), files.info_result, FileInfoResult)

    def list_directory(self, path: str) -> DirectoryListResult:
        """The entries of directory `path`."""
        return self._query(
            "list_directory", files.path_args(path), files.listing_result, DirectoryListResult
        )

    def edit_file(self, path: str, edits: Sequence[Any], dry_run: bool = False) -> BoolResult:
        """Replace ``oldText`` with ``newText`` for each edit, in order; `dry_run` only reports the change."""
        return self._changed("edit_file", files.edit_args(path, edits, dry_run))

    def move_file(self, source: str, destination: str) -> BoolResult:
        """Move or rename `source` to `destination`."""
        args = {
            "source": check_non_empty(source, "source"),
            "destination": check_non_empty(destination, "destination"),
        }
        return self._changed("move_file", args)

    def search_files(
        self, path: str, pattern: str, exclude_patterns: Sequence[str] | None = None
    ) -> FileSearchResult:
        """Paths under `path` whose names match `pattern`; an empty list when none do.

        `pattern` is a case-insensitive part of the name (the reference filesystem server's rule; ""
        matches every name). `exclude_patterns` are globs matched against each path relative to
        `path` (a plain name, e.g. ``node_modules``, leaves out everything below such a directory).
        """
        args = files.search_args(path, pattern, exclude_patterns)
        return self._query("search_files", args, files.search_result, FileSearchResult)

    def read_multiple_files(self, paths: Sequence[str]) -> MultipleFileContentResult:
        """The text of several files in one call, by path.

        A file that cannot be read fails the result (`error` names it; a missing file is a
        `NoSuchFileError`), and `errors` maps each such path to its error; `contents` still holds the
        files that were read.
        """
        args = files.paths_args(paths)
        parse = files.contents_result(args["paths"])
        return self._query("read_multiple_files", args, parse, MultipleFileContentResult)

    def delete_file(self, path: str) -> BoolResult:
        """Delete the file `path`."""
        return self._changed("delete_file", files.path_args(path))

    def upload_file(
        self,
        local_path: str | os.PathLike[str] | IO[bytes],
        remote_path: str,
        *,
        progress: ProgressCallback | None = None,
        chunk_size: int = files.CHUNK_SIZE,
        via: Via = "auto",
    ) -> FileTransferResult:
        """Copy a local file, or a binary file object, to `remote_path`, streaming it.

        `local_path` is a path, or any object whose ``read`` gives bytes (``open(p, "rb")``,
        `io.BytesIO`, a pipe): that is read from where it stands and left open. `progress(done, total)`
        is called after each piece; `total` is -1 when the object cannot tell its size.

        `via`: ``"url"`` sends the bytes in one streamed HTTP PUT to a presigned URL of the session's
        file-transfer context, then has the service copy them into the session (SyncContext, waited
        for); ``"tool"`` sends them in ``write_file`` calls of `chunk_size` (UTF-8 text as text, other
        bytes as base64, as is all of a file object that cannot seek); ``"auto"`` (the default) takes
        the URL path for `remote_path` absolute and 1 MiB (`URL_THRESHOLD`) or more, the tool path
        otherwise. A failure part-way returns the bytes sent so far with the error; on the tool path
        it leaves a partial remote file, on the URL path the remote file as it was.
        """
        remote_path = check_non_empty(remote_path, "remote_path")
        chunk_size = files.check_chunk_size(chunk_size)
        via = transfer.check_via(via)
        with contextlib.ExitStack() as stack:
            source, total = _open_source(local_path, stack)
            self._session._check_open()
            if transfer.use_url(via, total, remote_path):
                return self._upload_by_url(source, total, remote_path, progress)
            text = total >= 0 and _is_utf8(source, chunk_size)
            return self._upload(source, total, text, remote_path, progress, chunk_size)

    def _upload(
        self,
        source: IO[bytes],
        total: int,
        text: bool,
        remote_path: str,
        progress: ProgressCallback | None,
        chunk_size: int,
    ) -> FileTransferResult:
        decoder = codecs.getincrementaldecoder("utf-8")()
        # base64 grows data by 4/3: binary chunks carry 3/4 as many bytes to keep each call's size.
        read_size = chunk_size if text else chunk_size // 4 * 3
        done = 0
        mode = "overwrite"
        request_id = ""
        try:
            while True:
                block = source.read(read_size)
                if text:
                    content = decoder.decode(block, final=not block)
                else:
                    content = base64.b64encode(block).decode("ascii")
                if block or mode == "overwrite":  # an empty file is still created
                    args = files.write_call(remote_path, content, mode, binary=not text)
                    request_id = (self._session._call_tool("write_file", args)).request_id
                done += len(block)
                mode = "append"
                if progress is not None and block:
                    progress(done, total)
                if not block:
                    break
        except CALL_FAILURES as exc:
            return FileTransferResult.failed_after(files.not_found(exc, remote_path, "write_file"), done)
        return FileTransferResult(request_id=request_id, size=done)

    def download_file(
        self,
        remote_path: str,
        local_path: str | os.PathLike[str],
        *,
        progress: ProgressCallback | None = None,
        chunk_size: int = files.CHUNK_SIZE,
        via: Via = "auto",
    ) -> FileTransferResult:
        """Copy `remote_path` to a local file, streaming it.

        ``get_file_info`` gives the size first. `via`: ``"url"`` has the service copy the file into
        the session's file-transfer context (SyncContext, waited for), then streams it from a presigned
        URL with one HTTP GET; ``"tool"`` reads it in ``read_file`` ranges of `chunk_size` (base64),
        four in flight; ``"auto"`` (the default) takes the URL path for 1 MiB (`URL_THRESHOLD`) or
        more, the tool path below. `progress(done, total)` is called as pieces arrive. The file
        appears at `local_path` only when complete: it is written beside it first, so a failure
        leaves any earlier file there untouched.
        """
        args = files.path_args(remote_path, "remote_path")
        chunk_size = files.check_chunk_size(chunk_size)
        via = transfer.check_via(via)
        target = Path(local_path)
        if target.is_dir():
            raise InvalidInputError(f"A directory is in the way: {target}")
        self._session._check_open()
        transfer.use_url(via, 0, remote_path)  # refuses a relative path with via="url" before sending
        partial = target.with_name(f".{target.name}.part")
        counter = transfer.Progress(progress, -1)
        try:
            size, request_id = self._size_of_file(args)
            counter.total = size
            with partial.open("wb") as f:
                if transfer.use_url(via, size, remote_path):
                    request_id = self._download_by_url(remote_path, f, counter)
                else:
                    # Several ranges in flight, written in order as they come: memory stays at a few chunks.
                    with self._blocks(args, size, chunk_size) as blocks:
                        for block, request_id in blocks:  # noqa: B007  # the last one is returned
                            f.write(block)
                            counter.add(len(block))
            os.replace(partial, target)
        except (*_URL_FAILURES, OSError) as exc:
            partial.unlink(missing_ok=True)
            error = (
                files.not_found(exc, remote_path, "read_file")
                if isinstance(exc, AgentBayError)
                else InvalidInputError(f"Cannot write {target}: {exc}")
            )
            return FileTransferResult.failed_after(error, counter.done)
        except BaseException:  # the caller's progress callback failed, or the call was cancelled
            partial.unlink(missing_ok=True)
            raise
        return FileTransferResult(request_id=request_id, size=counter.done)

    # ---- directory watching (see `_watchers`) ---------------------------------------------------

    def _get_file_change(self, path: str) -> FileChangeResult:
        """One poll of ``get_file_change``: the changes under the directory `path` since the previous
        poll of the same path in this session (the first poll starts the watch and has none). Private,
        as in the official SDK: `watch_directory` is the way to watch."""
        return self._query(watch.TOOL, files.path_args(path), watch.change_result, FileChangeResult)

    def watch_directory(
        self,
        path: str,
        callback: WatchCallback | None = None,
        interval: float = watch.DEFAULT_INTERVAL,
        stop_event: threading.Event | None = None,
    ) -> DirectoryWatcher:
        """A watcher of the directory `path` and everything below it, polling every `interval` seconds.

        Returned not started. It reports `FileChangeEvent`s (``create``, ``modify``: one per completed
        write, ``delete``) as lists, one per poll that has any: to `callback`, once started, or to the
        caller that iterates it. The changes reported are those after the first poll (which arms the
        watch). A failed poll is logged and retried; the end of the session ends the watcher. One
        watcher per path and session: two would share the service's per-path cursor and split the events.

        How to run the `DirectoryWatcher` returned: see its class docstring. In the sync client
        it is a daemon `threading.Thread` with `stop_event` and `ready_event`, as the official SDK's:
        ``start()``, then ``stop_event.set()`` or ``stop()``. In the async client it is an async
        iterator of event lists, or a task started and stopped with ``await``. Both are also (async)
        context managers: the watch is armed before the block runs, and stopped at its end.

        Raises:
            InvalidInputError: `path` is empty, `interval` is not a positive number, or `callback` is
                not callable.
            SessionClosedError: The session was deleted.
        """
        path = check_non_empty(path, "path")
        interval = watch.check_interval(interval)
        if callback is not None and not callable(callback):
            raise InvalidInputError(f"Expected a callable for `callback`, got {type(callback).__name__}")
        self._session._check_open()
        return DirectoryWatcher(self, path, callback, interval, stop_event)

    # ---- the URL path (see `_transfer`) ----------------------------------------------------------

    def _transfer_context(self) -> TransferContext:
        """The session's file-transfer context, asked for once (GetAndLoadInternalContext)."""
        if self._transfer is None:
            transport = self._session._transport
            body = transfer.internal_context_body(transport.auth, self._session.session_id)
            reply = transport.send(transfer.GET_INTERNAL_CONTEXT, body)
            self._transfer = transfer.transfer_context(reply)
        return self._transfer

    def _upload_by_url(
        self, source: IO[bytes], total: int, remote_path: str, progress: ProgressCallback | None
    ) -> FileTransferResult:
        """PUT the bytes to the context's URL of `remote_path`, then sync them into the session."""
        counter = transfer.Progress(progress, total)
        try:
            context = self._transfer_context()
            contexts = self._session.agent_bay.context
            granted = contexts.get_file_upload_url(context.context_id, remote_path)
            if granted.error is not None:
                raise granted.error
            transport = self._session._transport
            # A known length goes as Content-Length (object storage wants it); else the body is chunked.
            headers = {"Content-Length": str(total)} if total >= 0 else {}
            try:
                response = transport.http_client.put(
                    granted.url,
                    content=_pieces(source, counter),
                    headers=headers,
                    timeout=transport.url_timeout,
                )
            except httpx.TransportError as exc:
                raise transfer.transport_error(exc, "PUT", remote_path, granted.url) from None
            if response.status_code not in transfer.OK_PUT:
                raise transfer.url_error("PUT", response.status_code, response.content, remote_path)
            synced = self._session.context.sync(context.context_id, remote_path, "download")
            if synced.error is not None:
                raise synced.error
        except _URL_FAILURES as exc:
            return FileTransferResult.failed_after(exc, counter.done)
        return FileTransferResult(request_id=synced.request_id, size=counter.done)

    def _download_by_url(self, remote_path: str, f: IO[bytes], counter: transfer.Progress) -> str:
        """Sync `remote_path` into the context, then GET it from its URL into `f`; the request id.

        Raises:
            AgentBayError: A step failed (`ContextSyncError` for the sync task).
        """
        context = self._transfer_context()
        synced = self._session.context.sync(context.context_id, remote_path, "upload")
        if synced.error is not None:
            raise synced.error
        granted = self._session.agent_bay.context.get_file_download_url(context.context_id, remote_path)
        if granted.error is not None:
            raise granted.error
        transport = self._session._transport
        try:
            with transport.http_client.stream(
                "GET", granted.url, timeout=transport.url_timeout
            ) as response:
                if response.status_code != 200:
                    body = _excerpt(response.iter_bytes())
                    raise transfer.url_error("GET", response.status_code, body, remote_path)
                # The size the object has now (the file may have changed since get_file_info); h11
                # fails a body that ends before its Content-Length.
                counter.total = int(response.headers.get("Content-Length", counter.total))
                for piece in response.iter_bytes():
                    f.write(piece)
                    counter.add(len(piece))
        except httpx.TransportError as exc:
            raise transfer.transport_error(exc, "GET", remote_path, granted.url) from None
        return granted.request_id


def _pieces(source: IO[bytes], counter: transfer.Progress) -> abc.Iterator[bytes]:
    """The body of a PUT: `source` a piece at a time (never whole in memory), counted as sent."""
    while block := source.read(transfer.STREAM_CHUNK):
        yield block
        counter.add(len(block))


def _excerpt(pieces: abc.Iterator[bytes], limit: int = 4096) -> bytes:
    """The start of an error reply's body (object storage's XML), read no further than `limit`."""
    body = b""
    for piece in pieces:
        body += piece
        if len(body) >= limit:
            break
    return body[:limit]
