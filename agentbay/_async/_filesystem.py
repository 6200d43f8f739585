"""`AsyncFileSystem`: files in a session (`session.file_system`)."""

from __future__ import annotations

import base64
import codecs
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .. import _files as files
from .._exceptions import CALL_FAILURES, AgentBayError, InvalidInputError, ToolError
from .._files import (
    BoolResult,
    DirectoryListResult,
    FileContentResult,
    FileInfoResult,
    FileSearchResult,
    FileTransferResult,
    MultipleFileContentResult,
    ProgressCallback,
)
from .._types import ApiResult
from .._validate import check_non_empty
from .._wire import ToolOutput

if TYPE_CHECKING:
    from ._session import AsyncSession

__all__ = ["AsyncFileSystem"]

R = TypeVar("R", bound=ApiResult)


def _is_utf8(path: Path, chunk: int) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as f:
            while block := f.read(chunk):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


class AsyncFileSystem:
    """Reads and writes files in the session, with the seed-era method names.

    Paths are session paths such as ``/home/wuying/notes.txt``. Content of any size travels in chunks of
    about 50 KiB a call, as the official SDK sends it.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_id={self._session.session_id!r})"

    async def _query(
        self, name: str, args: Mapping[str, Any], parse: Callable[[ToolOutput], R], result: type[R]
    ) -> R:
        """One tool call whose reply `parse` turns into a result; a failure of the call is a failed `result`.

        A deleted session raises `SessionClosedError` from `_call_tool`: it is not a call failure.
        """
        try:
            return parse(await self._session._call_tool(name, args))
        except CALL_FAILURES as exc:
            return result.failed(exc)

    async def _changed(self, name: str, args: Mapping[str, Any]) -> BoolResult:
        return await self._query(name, args, files.changed, BoolResult)

    async def create_directory(self, path: str) -> BoolResult:
        """Create a directory (and its parents)."""
        return await self._changed("create_directory", files.path_args(path))

    async def write_file(self, path: str, content: str, mode: str = "overwrite") -> BoolResult:
        """Write `content` to `path`, replacing it (``overwrite``) or adding to its end (``append``)."""
        args = files.path_args(path)
        mode = files.check_mode(mode)
        files.check_content(content)
        result = BoolResult(data=True)
        # The first chunk carries the caller's mode, the rest append; an empty content still writes once.
        for index, chunk in enumerate(files.text_chunks(content) if content else iter([""])):
            wire_mode = mode if index == 0 else "append"
            result = await self._changed("write_file", {**args, "content": chunk, "mode": wire_mode})
            if not result.success:
                return result
        return result

    async def read_file(self, path: str) -> FileContentResult:
        """The text of `path` (``get_file_info`` for its size, then 50 KiB ``read_file`` ranges)."""
        args = files.path_args(path)
        try:
            output = await self._session._call_tool("get_file_info", args)
            info = files.file_info(output.text)
            if info.is_directory:
                raise ToolError("read_file", f"{path} is a directory", request_id=output.request_id)
            parts = []
            for offset, length in files.read_ranges(info.size):
                output = await self._session._call_tool(
                    "read_file", {**args, "offset": offset, "length": length}
                )
                parts.append(output.text)
        except CALL_FAILURES as exc:
            return FileContentResult.failed(exc)
        return FileContentResult(request_id=output.request_id, content="".join(parts))

    async def get_file_info(self, path: str) -> FileInfoResult:
        """Size, type, permissions and times of `path`."""
        return await self._query("get_file_info", files.path_args(path), files.info_result, FileInfoResult)

    async def list_directory(self, path: str) -> DirectoryListResult:
        """The entries of directory `path`."""
        return await self._query(
            "list_directory", files.path_args(path), files.listing_result, DirectoryListResult
        )

    async def edit_file(self, path: str, edits: Sequence[Any], dry_run: bool = False) -> BoolResult:
        """Replace ``oldText`` with ``newText`` for each edit, in order; `dry_run` only reports the change."""
        return await self._changed("edit_file", files.edit_args(path, edits, dry_run))

    async def move_file(self, source: str, destination: str) -> BoolResult:
        """Move or rename `source` to `destination`."""
        args = {
            "source": check_non_empty(source, "source"),
            "destination": check_non_empty(destination, "destination"),
        }
        return await self._changed("move_file", args)

    async def search_files(
        self, path: str, pattern: str, exclude_patterns: Sequence[str] | None = None
    ) -> FileSearchResult:
        """Paths under `path` whose names match `pattern`; an empty list when none do."""
        args = files.search_args(path, pattern, exclude_patterns)
        return await self._query("search_files", args, files.search_result, FileSearchResult)

    async def read_multiple_files(self, paths: Sequence[str]) -> MultipleFileContentResult:
        """The text of several files in one call, by path."""
        args = files.paths_args(paths)
        parse = files.contents_result(args["paths"])
        return await self._query("read_multiple_files", args, parse, MultipleFileContentResult)

    async def delete_file(self, path: str) -> BoolResult:
        """Delete the file `path`."""
        return await self._changed("delete_file", files.path_args(path))

    async def upload_file(
        self,
        local_path: str | os.PathLike[str],
        remote_path: str,
        *,
        progress: ProgressCallback | None = None,
        chunk_size: int = files.CHUNK_SIZE,
    ) -> FileTransferResult:
        """Copy a local file to `remote_path`, streaming it in chunks (never whole in memory).

        UTF-8 text travels as text, as `write_file` sends it; other bytes as base64 chunks
        (``format: binary``). `progress(done, total)` is called after each chunk. A failure part-way
        leaves a partial remote file and returns the bytes sent so far with the error.
        """
        source = Path(local_path)
        check_non_empty(remote_path, "remote_path")
        chunk_size = files.check_chunk_size(chunk_size)
        if not source.is_file():
            raise InvalidInputError(f"Not a readable file: {source}")
        self._session._check_open()
        total = source.stat().st_size
        text = _is_utf8(source, chunk_size)
        decoder = codecs.getincrementaldecoder("utf-8")()
        # base64 grows data by 4/3: binary chunks carry 3/4 as many bytes to keep each call's size.
        read_size = chunk_size if text else chunk_size // 4 * 3
        done = 0
        mode = "overwrite"
        request_id = ""
        try:
            with source.open("rb") as f:
                while True:
                    block = f.read(read_size)
                    if text:
                        args = {
                            "path": remote_path,
                            "content": decoder.decode(block, final=not block),
                            "mode": mode,
                        }
                    else:
                        content = base64.b64encode(block).decode("ascii")
                        args = {"path": remote_path, "content": content, "mode": mode, "format": "binary"}
                    if block or mode == "overwrite":  # an empty file is still created
                        request_id = (await self._session._call_tool("write_file", args)).request_id
                    done += len(block)
                    mode = "append"
                    if progress is not None and block:
                        progress(done, total)
                    if not block:
                        break
        except CALL_FAILURES as exc:
            return FileTransferResult.failed_after(exc, done)
        return FileTransferResult(request_id=request_id, size=done)

    async def download_file(
        self,
        remote_path: str,
        local_path: str | os.PathLike[str],
        *,
        progress: ProgressCallback | None = None,
        chunk_size: int = files.CHUNK_SIZE,
    ) -> FileTransferResult:
        """Copy `remote_path` to a local file, streaming it in chunks (``read_file`` with ``format: binary``).

        The file appears at `local_path` only when complete: it is written beside it first, so a failure
        leaves any earlier file there untouched.
        """
        args = files.path_args(remote_path, "remote_path")
        chunk_size = files.check_chunk_size(chunk_size)
        target = Path(local_path)
        if target.is_dir():
            raise InvalidInputError(f"A directory is in the way: {target}")
        self._session._check_open()
        partial = target.with_name(f".{target.name}.part")
        done = 0
        try:
            output = await self._session._call_tool("get_file_info", args)
            info = files.file_info(output.text)
            if info.is_directory:
                raise ToolError("read_file", f"{remote_path} is a directory", request_id=output.request_id)
            with partial.open("wb") as f:
                for offset, length in files.read_ranges(info.size, chunk_size):
                    chunk = {**args, "offset": offset, "length": length, "format": "binary"}
                    output = await self._session._call_tool("read_file", chunk)
                    block = files.decode_binary(output.text)
                    f.write(block)
                    done += len(block)
                    if progress is not None:
                        progress(done, info.size)
            os.replace(partial, target)
        except (*CALL_FAILURES, OSError) as exc:
            partial.unlink(missing_ok=True)
            error = (
                exc if isinstance(exc, AgentBayError) else InvalidInputError(f"Cannot write {target}: {exc}")
            )
            return FileTransferResult.failed_after(error, done)
        return FileTransferResult(request_id=output.request_id, size=done)
