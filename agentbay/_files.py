"""The file tools without I/O: result types, arguments, reply parsers and chunking."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from ._exceptions import AgentBayError, InvalidInputError, NoSuchFileError, ServerError, ToolError
from ._types import ApiResult
from ._validate import check_non_empty
from ._wire import ToolOutput

__all__ = [
    "BinaryFileContentResult",
    "BoolResult",
    "DirectoryEntry",
    "DirectoryListResult",
    "FileContentResult",
    "FileInfo",
    "FileInfoResult",
    "FileSearchResult",
    "FileTransferResult",
    "MultipleFileContentResult",
    "ProgressCallback",
]

CHUNK_SIZE = 50 * 1024
"""Bytes per tool call, as the official SDK sends them (the cloud's message size limit is about 63 KB)."""
BINARY_CHUNK_SIZE = CHUNK_SIZE // 4 * 3
"""Bytes per binary `write_file` call: base64 makes 4 characters of 3 bytes, so the call stays as big."""
READS_IN_FLIGHT = 4
"""Ranged ``read_file`` calls a download (or a bytes read) keeps in flight: each waits mostly on the
service, so four overlap that wait (about 2.5x faster on the local server) while memory stays at four
chunks. Writes cannot overlap: each appends to the file the previous one wrote."""
WRITE_MODES = ("overwrite", "append")
READ_FORMATS = ("text", "bytes")
NO_MATCHES = "No matches found"
# How a tool says a path does not exist: Node's `ENOENT: no such file or directory, stat '/x'` (the
# cloud), or the local server's `No such file or directory: /x`.
_NOT_FOUND = re.compile(r"\bENOENT\b|no such file or directory", re.IGNORECASE)
# A read_multiple_files section of a file that could not be read: `path: Error - why`.
_SECTION_ERROR = " Error - "
_SECTION_SEPARATOR = "\n---\n"

ProgressCallback = Callable[[int, int], object]
"""Called as ``progress(bytes_done, bytes_total)`` after each chunk of an upload or download."""


@attrs.frozen(kw_only=True)
class BoolResult(ApiResult):
    """The result of a file operation that changes something."""

    data: bool = False
    """True when the operation was done."""
    message: str = ""
    """What the tool said (for `edit_file(dry_run=True)`, the change it would make)."""


@attrs.frozen(kw_only=True)
class FileContentResult(ApiResult):
    """A file's text."""

    content: str = ""


@attrs.frozen(kw_only=True)
class BinaryFileContentResult(ApiResult):
    """A file's bytes (`read_file(path, format="bytes")`)."""

    content: bytes = b""


@attrs.frozen(kw_only=True)
class FileInfo:
    """A file's metadata, as `get_file_info` reports it."""

    size: int = 0
    is_directory: bool = False
    is_file: bool = False
    permissions: str = ""
    """E.g. ``644``."""
    modified: str = ""
    created: str = ""
    accessed: str = ""
    raw: dict[str, str] = attrs.field(factory=dict)
    """Every ``key: value`` line of the reply, unparsed."""


@attrs.frozen(kw_only=True)
class FileInfoResult(ApiResult):
    """A file's metadata."""

    file_info: FileInfo | None = None


@attrs.frozen(kw_only=True)
class DirectoryEntry:
    """One entry of a directory."""

    name: str
    is_directory: bool


@attrs.frozen(kw_only=True)
class DirectoryListResult(ApiResult):
    """A directory's entries."""

    entries: list[DirectoryEntry] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class FileSearchResult(ApiResult):
    """Paths that matched; an empty list when none did."""

    matches: list[str] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class MultipleFileContentResult(ApiResult):
    """Several files' text, by path.

    When a file cannot be read (it does not exist, say) the result fails: `error` names the path(s),
    `errors` holds each one's typed error, and `contents` still holds the files that were read.
    """

    contents: dict[str, str] = attrs.field(factory=dict)
    """The text of each file that was read, by the path as it was asked for."""
    errors: dict[str, ToolError] = attrs.field(factory=dict, eq=False)
    """Why each file that could not be read was not (`NoSuchFileError` when it does not exist)."""


@attrs.frozen(kw_only=True)
class FileTransferResult(ApiResult):
    """The result of `upload_file` or `download_file`."""

    size: int = 0
    """Bytes transferred (so far, for a failed transfer)."""

    @classmethod
    def failed_after(cls, error: AgentBayError, size: int) -> FileTransferResult:
        """A transfer that failed with `error` after `size` bytes."""
        return attrs.evolve(cls.failed(error), size=size)


# ---- arguments -----------------------------------------------------------------------------------


def path_args(path: object, name: str = "path") -> dict[str, Any]:
    return {"path": check_non_empty(path, name)}


def check_mode(mode: object) -> str:
    if mode not in WRITE_MODES:
        raise InvalidInputError(f"Expected 'overwrite' or 'append' for `mode`, got {mode!r}")
    return str(mode)


def write_pieces(content: object) -> Iterator[tuple[str, bool]]:
    """`(wire content, is base64)` of each `write_file` call that writes `content`.

    Text travels as text in pieces of at most 50 KiB of UTF-8, as the official SDK sends it; bytes as
    base64 of at most `BINARY_CHUNK_SIZE` bytes (``format: binary``). Empty content is one empty piece,
    so that the file is still created or truncated.
    """
    if isinstance(content, str):
        pieces = [(piece, False) for piece in text_chunks(content)]
    elif isinstance(content, bytes | bytearray | memoryview):
        data = bytes(content)
        pieces = [
            (base64.b64encode(data[start : start + BINARY_CHUNK_SIZE]).decode("ascii"), True)
            for start in range(0, len(data), BINARY_CHUNK_SIZE)
        ]
    else:
        raise InvalidInputError(f"Expected a str or bytes for `content`, got {type(content).__name__}")
    return iter(pieces or [("", not isinstance(content, str))])


def write_call(path: str, content: str, mode: str, binary: bool) -> dict[str, Any]:
    """`write_file` Args of one piece; ``format`` only for base64, as text goes in the official SDK's shape."""
    args = {"path": path, "content": content, "mode": mode}
    if binary:
        args["format"] = "binary"
    return args


def check_read_format(fmt: object) -> bool:
    """True for ``bytes``, False for ``text`` (the official SDK 0.22.3's `format` values)."""
    if fmt not in READ_FORMATS:
        raise InvalidInputError(f"Expected 'text' or 'bytes' for `format`, got {fmt!r}")
    return fmt == "bytes"


def edit_args(path: object, edits: object, dry_run: object) -> dict[str, Any]:
    """`edit_file` Args. `edits`: dicts with ``oldText``/``newText`` (or ``old_text``/``new_text``), or pairs."""
    if isinstance(edits, Mapping | str) or not isinstance(edits, Sequence) or not edits:
        raise InvalidInputError("Expected a non-empty list of edits for `edits`")
    wire: list[dict[str, str]] = []
    for edit in edits:
        if isinstance(edit, Mapping):
            old = edit.get("oldText", edit.get("old_text"))
            new = edit.get("newText", edit.get("new_text"))
        elif isinstance(edit, Sequence) and not isinstance(edit, str) and len(edit) == 2:
            old, new = edit
        else:
            old = new = None
        if not isinstance(old, str) or not old or not isinstance(new, str):
            raise InvalidInputError(
                f"Each edit needs a non-empty str oldText and a str newText, got {edit!r}"
            )
        wire.append({"oldText": old, "newText": new})
    if not isinstance(dry_run, bool):
        raise InvalidInputError(f"Expected a bool for `dry_run`, got {dry_run!r}")
    return {**path_args(path), "edits": wire, "dryRun": dry_run}


def search_args(path: object, pattern: object, exclude_patterns: Sequence[str] | None) -> dict[str, Any]:
    """`search_files` Args; exclusions travel comma-joined, as 0.9+ sends them.

    An empty `pattern` is allowed: the reference filesystem server matches it against every name.
    """
    if not isinstance(pattern, str):
        raise InvalidInputError(f"Expected a str for `pattern`, got {type(pattern).__name__}")
    args = {**path_args(path), "pattern": pattern}
    if exclude_patterns:
        if isinstance(exclude_patterns, str) or not all(isinstance(p, str) and p for p in exclude_patterns):
            raise InvalidInputError("Expected a list of non-empty str for `exclude_patterns`")
        if any("," in p for p in exclude_patterns):
            raise InvalidInputError("`exclude_patterns` cannot contain ',' (the wire joins them with commas)")
        args["excludePatterns"] = ",".join(exclude_patterns)
    return args


def paths_args(paths: object) -> dict[str, Any]:
    if isinstance(paths, str) or not isinstance(paths, Sequence) or not paths:
        raise InvalidInputError("Expected a non-empty list of paths for `paths`")
    return {"paths": [check_non_empty(p, "paths[]") for p in paths]}


# ---- chunking ------------------------------------------------------------------------------------


def text_chunks(content: str, size: int = CHUNK_SIZE) -> Iterator[str]:
    """`content` in pieces of at most `size` UTF-8 bytes, never splitting a character."""
    data = content.encode("utf-8")
    start = 0
    while start < len(data):
        end = min(start + size, len(data))
        # Back off over continuation bytes (0b10xxxxxx) so that a piece ends on a character boundary.
        while end < len(data) and end > start and (data[end] & 0xC0) == 0x80:
            end -= 1
        yield data[start:end].decode("utf-8")
        start = end


def read_ranges(size: int, chunk: int = CHUNK_SIZE) -> Iterator[tuple[int, int]]:
    """(offset, length) of each chunked read of a file of `size` bytes."""
    for offset in range(0, size, chunk):
        yield offset, min(chunk, size - offset)


def check_chunk_size(chunk_size: object) -> int:
    if (
        isinstance(chunk_size, bool)
        or not isinstance(chunk_size, int)
        or not 1024 <= chunk_size <= 16 * 1024 * 1024
    ):
        raise InvalidInputError(f"Expected an int in 1024..16777216 for `chunk_size`, got {chunk_size!r}")
    return chunk_size


def decode_binary(text: str, tool: str = "read_file") -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise ServerError(f"malformed reply: {tool} did not return base64", http_status=200) from None


def decode_text(data: bytes, path: str, request_id: str = "") -> str:
    """`data` as UTF-8 text, or a `ToolError` saying that the file is not text (nothing is replaced)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ToolError(
            "read_file",
            f"{path} is not UTF-8 text (byte {exc.start} is invalid); read it with format='bytes'",
            request_id=request_id,
        ) from None


def not_found(error: AgentBayError, path: str, tool: str) -> AgentBayError:
    """`error` as a `NoSuchFileError` naming `path` when a tool said that it does not exist."""
    if type(error) is ToolError and _NOT_FOUND.search(error.message):
        return NoSuchFileError(tool, path, error.message, request_id=error.request_id)
    return error


# ---- reply parsers -------------------------------------------------------------------------------


def _scalar(value: str) -> Any:
    if value in ("true", "false"):
        return value == "true"
    return int(value) if value.lstrip("-").isdigit() else value


def file_info(text: str) -> FileInfo:
    """`FileInfo` from `key: value` lines."""
    raw: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            raw[key.strip()] = value.strip()
    size = _scalar(raw.get("size", "0"))
    if not isinstance(size, int) or isinstance(size, bool) or "size" not in raw:
        raise ServerError(f"malformed reply: get_file_info gave no size in {text[:200]!r}", http_status=200)
    return FileInfo(
        size=size,
        is_directory=raw.get("isDirectory") == "true",
        is_file=raw.get("isFile") == "true",
        permissions=raw.get("permissions", ""),
        modified=raw.get("modified", ""),
        created=raw.get("created", ""),
        accessed=raw.get("accessed", ""),
        raw=raw,
    )


def directory_entries(text: str) -> list[DirectoryEntry]:
    entries = []
    for line in text.splitlines():
        if line.startswith("[DIR] "):
            entries.append(DirectoryEntry(name=line[6:], is_directory=True))
        elif line.startswith("[FILE] "):
            entries.append(DirectoryEntry(name=line[7:], is_directory=False))
        elif line.strip():
            raise ServerError(f"malformed reply: list_directory line {line[:100]!r}", http_status=200)
    return entries


def search_matches(text: str) -> list[str]:
    if text.strip() == NO_MATCHES:
        return []
    return [line for line in text.splitlines() if line.strip()]


def multiple_contents(
    text: str, paths: Sequence[str], request_id: str = ""
) -> tuple[dict[str, str], dict[str, ToolError]]:
    """Each requested path's text, or its error, from a `read_multiple_files` reply.

    The reply (the reference filesystem server's format) has a section per path joined by `\\n---\\n`:
    `path:\\ncontent\\n` for a file that was read, `path: Error - why` for one that was not. A piece
    that does not begin with a requested path and a colon belongs to the section before it: a file's
    own `---` lines (YAML front matter, say) do not cut it. The newline after the colon tells text
    from an error, so a file whose text begins `Error - ` is still text.
    """
    by_length = sorted(set(paths), key=len, reverse=True)  # "/a/b" before "/a"
    sections: list[list[str]] = []
    for piece in text.split(_SECTION_SEPARATOR):
        path = next((p for p in by_length if piece.startswith(p + ":")), None)
        if path is not None:
            sections.append([path, piece[len(path) + 1 :]])
        elif sections:
            sections[-1][1] += _SECTION_SEPARATOR + piece
        elif piece.strip():
            raise ServerError(
                f"malformed reply: read_multiple_files section {piece[:100]!r}", http_status=200
            )
    contents: dict[str, str] = {}
    errors: dict[str, ToolError] = {}
    for path, body in sections:
        if body.startswith(_SECTION_ERROR):
            why = body[len(_SECTION_ERROR) :].strip()
            errors[path] = (
                NoSuchFileError("read_multiple_files", path, why, request_id=request_id)
                if _NOT_FOUND.search(why)
                else ToolError("read_multiple_files", f"{path}: {why}", request_id=request_id)
            )
            continue
        body = body[1:] if body[:1] in ("\n", " ") else body
        contents[path] = body[:-1] if body.endswith("\n") else body
    missing = [p for p in paths if p not in contents and p not in errors]
    if missing:
        raise ServerError(f"malformed reply: read_multiple_files left out {missing[:3]}", http_status=200)
    return contents, errors


# ---- results of one tool call --------------------------------------------------------------------


def changed(output: ToolOutput) -> BoolResult:
    return BoolResult(request_id=output.request_id, data=True, message=output.text)


def info_result(output: ToolOutput) -> FileInfoResult:
    return FileInfoResult(request_id=output.request_id, file_info=file_info(output.text))


def listing_result(output: ToolOutput) -> DirectoryListResult:
    return DirectoryListResult(request_id=output.request_id, entries=directory_entries(output.text))


def search_result(output: ToolOutput) -> FileSearchResult:
    return FileSearchResult(request_id=output.request_id, matches=search_matches(output.text))


def contents_result(paths: Sequence[str]) -> Callable[[ToolOutput], MultipleFileContentResult]:
    def parse(output: ToolOutput) -> MultipleFileContentResult:
        contents, errors = multiple_contents(output.text, paths, output.request_id)
        if not errors:
            return MultipleFileContentResult(request_id=output.request_id, contents=contents)
        # One file: its own error (a NoSuchFileError when missing); several: one error naming each.
        error = next(iter(errors.values()))
        if len(errors) > 1:
            why = "; ".join(e.message for e in errors.values())
            error = ToolError(
                "read_multiple_files",
                f"{len(errors)} of {len(set(paths))} files could not be read: {why}",
                request_id=output.request_id,
            )
        failed = MultipleFileContentResult.failed(error)
        return attrs.evolve(failed, request_id=output.request_id, contents=contents, errors=errors)

    return parse
