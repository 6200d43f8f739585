"""The file tools without I/O: result types, arguments, reply parsers and chunking."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from ._exceptions import AgentBayError, InvalidInputError, ServerError
from ._types import ApiResult
from ._validate import check_non_empty
from ._wire import ToolOutput

__all__ = [
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
WRITE_MODES = ("overwrite", "append")
NO_MATCHES = "No matches found"

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
    """Several files' text, by path."""

    contents: dict[str, str] = attrs.field(factory=dict)


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


def check_content(content: object) -> str:
    if not isinstance(content, str):
        raise InvalidInputError(f"Expected a str for `content`, got {type(content).__name__}")
    return content


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
    """`search_files` Args; exclusions travel comma-joined, as 0.9+ sends them."""
    args = {**path_args(path), "pattern": check_non_empty(pattern, "pattern")}
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


def multiple_contents(text: str, paths: Sequence[str]) -> dict[str, str]:
    """Split `path:\\ncontent` sections joined by `\\n---\\n`, matching each to a requested path."""
    contents: dict[str, str] = {}
    by_length = sorted(set(paths), key=len, reverse=True)  # "/a/b" before "/a"
    for section in text.split("\n---\n"):
        path = next((p for p in by_length if section.startswith(p + ":")), None)
        if path is None:
            if section.strip():
                raise ServerError(
                    f"malformed reply: read_multiple_files section {section[:100]!r}", http_status=200
                )
            continue
        body = section[len(path) + 1 :]
        body = body[1:] if body[:1] in ("\n", " ") else body
        contents[path] = body[:-1] if body.endswith("\n") else body
    return contents


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
    return lambda output: MultipleFileContentResult(
        request_id=output.request_id, contents=multiple_contents(output.text, paths)
    )
