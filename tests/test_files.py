"""session.file_system against the fake service, with replies in the cloud's formats (both flavours):
missing files, binary reads and writes, text that is not UTF-8, read_multiple_files' per-file errors,
search_files' "no matches", and uploads from file objects."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest

from agentbay import (
    BinaryFileContentResult,
    CreateSessionParams,
    FileContentResult,
    InvalidInputError,
    NoSuchFileError,
    ServerError,
    ToolError,
)

from ._fake import FakeService

# What the cloud's tools (Node's fs) say about a missing file, as in wire/tools/get_file_info.json.
ENOENT = "Error: ENOENT: no such file or directory, stat '{}'"


def new_fs(bay: Any) -> Any:
    return bay.create(CreateSessionParams()).unwrap().file_system


def tool_calls(fake: FakeService, name: str) -> list[dict[str, Any]]:
    return [args for tool, args in fake.tools() if tool == name]


# ---- missing files -------------------------------------------------------------------------------


def test_read_file_of_a_missing_file_says_so_naming_the_path(bay: Any, fake: FakeService) -> None:
    fake.tool("get_file_info", ENOENT.format("/home/wuying/nope.txt"), is_error=True)
    result = new_fs(bay).read_file("/home/wuying/nope.txt")
    assert not result.success and isinstance(result, FileContentResult)
    error = result.error
    assert isinstance(error, NoSuchFileError) and isinstance(error, FileNotFoundError)
    assert isinstance(error, ToolError) and error.tool == "read_file"
    assert error.path == "/home/wuying/nope.txt" and error.request_id == result.request_id != ""
    assert "No such file or directory: /home/wuying/nope.txt" in result.error_message
    assert "ENOENT" in error.detail and "get_file_info" not in result.error_message
    with pytest.raises(FileNotFoundError):
        result.raise_for_error()


@pytest.mark.parametrize(
    ("call", "tool"),
    [
        ("get_file_info", "get_file_info"),
        ("list_directory", "list_directory"),
        ("delete_file", "delete_file"),
        ("search_files", "search_files"),
    ],
)
def test_single_path_tools_report_a_missing_path_as_no_such_file(
    bay: Any, fake: FakeService, call: str, tool: str
) -> None:
    fake.tool(tool, "No such file or directory: /tmp/gone", is_error=True)
    fs = new_fs(bay)
    result = fs.search_files("/tmp/gone", "x") if call == "search_files" else getattr(fs, call)("/tmp/gone")
    assert isinstance(result.error, NoSuchFileError)
    assert (result.error.path, result.error.tool) == ("/tmp/gone", tool)


def test_other_tool_failures_stay_plain_tool_errors(bay: Any, fake: FakeService) -> None:
    fake.tool("get_file_info", "Error: EACCES: permission denied, stat '/root/x'", is_error=True)
    result = new_fs(bay).read_file("/root/x")
    assert type(result.error) is ToolError and "EACCES" in result.error_message


def test_download_of_a_missing_file_is_no_such_file(bay: Any, fake: FakeService, tmp_path: Any) -> None:
    fake.tool("get_file_info", ENOENT.format("/tmp/none.bin"), is_error=True)
    result = new_fs(bay).download_file("/tmp/none.bin", tmp_path / "x")
    assert isinstance(result.error, NoSuchFileError) and result.error.path == "/tmp/none.bin"


# ---- read_file: bytes, and text that is not UTF-8 ------------------------------------------------


def test_read_file_as_bytes_reads_base64_ranges(bay: Any, fake: FakeService) -> None:
    data = bytes(range(256)) * 300  # 76,800 bytes: two ranges
    fake.tool("get_file_info", f"size: {len(data)}\nisDirectory: false\nisFile: true")
    fake.tool("read_file", base64.b64encode(data[:51200]).decode())
    fake.tool("read_file", base64.b64encode(data[51200:]).decode())
    result = new_fs(bay).read_file("/tmp/blob", format="bytes")
    assert isinstance(result, BinaryFileContentResult) and result.success and result.content == data
    reads = tool_calls(fake, "read_file")
    assert [(r["offset"], r["length"], r["format"]) for r in reads] == [
        (0, 51200, "binary"),
        (51200, 25600, "binary"),
    ]


def test_read_file_as_bytes_of_a_missing_file(bay: Any, fake: FakeService) -> None:
    fake.tool("get_file_info", ENOENT.format("/tmp/x"), is_error=True)
    result = new_fs(bay).read_file("/tmp/x", format="bytes")
    assert isinstance(result, BinaryFileContentResult) and isinstance(result.error, NoSuchFileError)
    assert result.content == b""


def test_text_read_of_bytes_that_are_not_utf8_is_an_error(bay: Any, fake: FakeService) -> None:
    raw = b"PNG\x89\xff\x00data"
    fake.tool("get_file_info", f"size: {len(raw)}\nisDirectory: false\nisFile: true")
    fake.tool("read_file", raw.decode("utf-8", errors="replace"))  # what a text read gives
    fake.tool("read_file", base64.b64encode(raw).decode())
    result = new_fs(bay).read_file("/tmp/img.png")
    assert not result.success and isinstance(result.error, ToolError) and result.content == ""
    assert "/tmp/img.png is not UTF-8 text" in result.error_message
    assert "format='bytes'" in result.error_message
    assert [a.get("format") for a in tool_calls(fake, "read_file")] == [None, "binary"]


def test_text_with_a_real_replacement_character_is_kept(bay: Any, fake: FakeService) -> None:
    text = "a \ufffd in the text"
    fake.tool("get_file_info", f"size: {len(text.encode())}\nisDirectory: false\nisFile: true")
    fake.tool("read_file", text)
    fake.tool("read_file", base64.b64encode(text.encode()).decode())
    assert new_fs(bay).read_file("/tmp/t").content == text


def test_a_character_cut_at_a_range_edge_is_read_whole(bay: Any, fake: FakeService) -> None:
    # A service that decodes each range alone turns a character cut at the edge into U+FFFDs.
    data = b"x" * 51199 + "é".encode() + b"y"
    fake.tool("get_file_info", f"size: {len(data)}\nisDirectory: false\nisFile: true")
    fake.tool("read_file", data[:51200].decode("utf-8", errors="replace"))
    fake.tool("read_file", data[51200:].decode("utf-8", errors="replace"))
    fake.tool("read_file", base64.b64encode(data[:51200]).decode())
    fake.tool("read_file", base64.b64encode(data[51200:]).decode())
    assert new_fs(bay).read_file("/tmp/t").content == data.decode()


def test_unknown_read_format_is_refused_before_sending(bay: Any, fake: FakeService) -> None:
    fs = new_fs(bay)
    sent = len(fake.sent)
    with pytest.raises(InvalidInputError):
        fs.read_file("/tmp/x", format="binary")
    assert len(fake.sent) == sent


# ---- write_file with bytes -----------------------------------------------------------------------


def test_write_file_bytes_goes_as_base64_chunks(bay: Any, fake: FakeService) -> None:
    data = bytes(range(256)) * 600  # 153,600 bytes: four base64 calls
    result = new_fs(bay).write_file("/tmp/b.bin", data)
    assert result.success and result.data is True
    calls = tool_calls(fake, "write_file")
    assert [c["mode"] for c in calls] == ["overwrite", "append", "append", "append"]
    assert all(c["format"] == "binary" and list(c) == ["path", "content", "mode", "format"] for c in calls)
    assert all(len(c["content"]) <= 50 * 1024 for c in calls)
    assert b"".join(base64.b64decode(c["content"]) for c in calls) == data


@pytest.mark.parametrize("content", [bytearray(b"\x00\xff"), memoryview(b"\x00\xff")])
def test_write_file_takes_any_bytes_like_content(bay: Any, fake: FakeService, content: Any) -> None:
    assert new_fs(bay).write_file("/tmp/b", content, mode="append").success
    assert tool_calls(fake, "write_file") == [
        {"path": "/tmp/b", "content": "AP8=", "mode": "append", "format": "binary"}
    ]


def test_write_file_empty_bytes_still_writes_once(bay: Any, fake: FakeService) -> None:
    assert new_fs(bay).write_file("/tmp/e", b"").success
    assert tool_calls(fake, "write_file") == [
        {"path": "/tmp/e", "content": "", "mode": "overwrite", "format": "binary"}
    ]


def test_write_file_text_keeps_the_official_shape(bay: Any, fake: FakeService) -> None:
    new_fs(bay).write_file("/tmp/t", "héllo")
    assert tool_calls(fake, "write_file") == [{"path": "/tmp/t", "content": "héllo", "mode": "overwrite"}]


# ---- read_multiple_files -------------------------------------------------------------------------


def test_a_missing_file_fails_read_multiple_files_and_keeps_the_others(bay: Any, fake: FakeService) -> None:
    # The reference server's reply: one section per path, a failed one as `path: Error - why`.
    fake.tool(
        "read_multiple_files",
        "/tmp/a.txt:\nalpha\n\n---\n/tmp/nope: Error - " + ENOENT.format("/tmp/nope").replace("stat", "open"),
    )
    result = new_fs(bay).read_multiple_files(["/tmp/a.txt", "/tmp/nope"])
    assert not result.success and result.request_id
    assert result.contents == {"/tmp/a.txt": "alpha"}
    assert isinstance(result.error, NoSuchFileError) and result.error.path == "/tmp/nope"
    assert result.errors == {"/tmp/nope": result.error}
    assert "/tmp/nope" in result.error_message and "Error - " not in str(result.contents)
    with pytest.raises(NoSuchFileError):
        result.raise_for_error()


def test_several_failed_files_are_named_in_one_error(bay: Any, fake: FakeService) -> None:
    fake.tool(
        "read_multiple_files",
        "/a: Error - No such file or directory: /a\n---\n/b: Error - Is a directory: /b\n---\n/c:\nok\n",
    )
    result = new_fs(bay).read_multiple_files(["/a", "/b", "/c"])
    assert type(result.error) is ToolError and result.error.tool == "read_multiple_files"
    assert "2 of 3 files could not be read" in result.error_message
    assert "/a" in result.error_message and "/b" in result.error_message
    assert isinstance(result.errors["/a"], NoSuchFileError)
    assert type(result.errors["/b"]) is ToolError and "Is a directory" in result.errors["/b"].message
    assert result.contents == {"/c": "ok"}


def test_text_that_looks_like_an_error_or_a_separator_is_content(bay: Any, fake: FakeService) -> None:
    front_matter = "---\ntitle: x\n---\nbody\n"
    looks_failed = "Error - this is just text"
    fake.tool(
        "read_multiple_files",
        f"/tmp/post.md:\n{front_matter}\n\n---\n/tmp/e.txt:\n{looks_failed}\n\n---\n/tmp/z:\n\n",
    )
    result = new_fs(bay).read_multiple_files(["/tmp/post.md", "/tmp/e.txt", "/tmp/z"])
    assert result.success and result.errors == {}
    assert result.contents == {"/tmp/post.md": front_matter, "/tmp/e.txt": looks_failed, "/tmp/z": ""}


def test_a_reply_that_leaves_out_a_path_is_malformed(bay: Any, fake: FakeService) -> None:
    fake.tool("read_multiple_files", "/a:\nx\n")
    result = new_fs(bay).read_multiple_files(["/a", "/b"])
    assert isinstance(result.error, ServerError) and "/b" in result.error_message


# ---- search_files --------------------------------------------------------------------------------


@pytest.mark.parametrize("reply", ["No matches found", "No matches found\n", ""])
def test_no_matches_is_a_successful_empty_result(bay: Any, fake: FakeService, reply: str) -> None:
    fake.tool("search_files", reply)
    result = new_fs(bay).search_files("/home/wuying", "zzz")
    assert result.success and result.matches == [] and result.error is None


def test_an_empty_pattern_is_sent_as_is(bay: Any, fake: FakeService) -> None:
    fake.tool("search_files", "/tmp/a\n/tmp/b")
    assert new_fs(bay).search_files("/tmp", "").matches == ["/tmp/a", "/tmp/b"]
    assert tool_calls(fake, "search_files") == [{"path": "/tmp", "pattern": ""}]


# ---- upload_file from a file object --------------------------------------------------------------


class Pipe(io.RawIOBase):
    """A binary stream that cannot seek, like a pipe."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_upload_from_bytes_io_streams_binary_with_progress(bay: Any, fake: FakeService) -> None:
    data = bytes(range(256)) * 400  # 102,400 bytes
    source = io.BytesIO(data)
    seen: list[tuple[int, int]] = []
    result = new_fs(bay).upload_file(source, "/tmp/up.bin", progress=lambda d, t: seen.append((d, t)))
    assert result.success and result.size == len(data)
    calls = tool_calls(fake, "write_file")
    assert all(c["format"] == "binary" and len(c["content"]) <= 50 * 1024 for c in calls)
    assert b"".join(base64.b64decode(c["content"]) for c in calls) == data
    assert seen[-1] == (len(data), len(data)) and len(seen) == len(calls)
    assert not source.closed, "a file object is the caller's to close"


def test_upload_from_a_file_object_starts_where_it_stands(bay: Any, fake: FakeService) -> None:
    source = io.BytesIO("header|héllo text".encode())
    source.seek(7)
    seen: list[tuple[int, int]] = []
    result = new_fs(bay).upload_file(source, "/tmp/t", progress=lambda d, t: seen.append((d, t)))
    assert result.size == len("héllo text".encode()) and seen == [(11, 11)]
    assert tool_calls(fake, "write_file") == [
        {"path": "/tmp/t", "content": "héllo text", "mode": "overwrite"}
    ]


def test_upload_from_an_open_file(bay: Any, fake: FakeService, tmp_path: Any) -> None:
    (tmp_path / "f.bin").write_bytes(b"\x00\xff\x02")
    with (tmp_path / "f.bin").open("rb") as f:
        assert new_fs(bay).upload_file(f, "/tmp/f.bin").size == 3
        assert not f.closed
    assert base64.b64decode(tool_calls(fake, "write_file")[0]["content"]) == b"\x00\xff\x02"


def test_upload_from_a_stream_that_cannot_seek(bay: Any, fake: FakeService) -> None:
    data = b"plain text, but it cannot be read twice\n" * 3000  # 120,000 bytes
    seen: list[tuple[int, int]] = []
    result = new_fs(bay).upload_file(Pipe(data), "/tmp/p", progress=lambda d, t: seen.append((d, t)))
    assert result.success and result.size == len(data)
    calls = tool_calls(fake, "write_file")
    assert all(c["format"] == "binary" for c in calls)
    assert b"".join(base64.b64decode(c["content"]) for c in calls) == data
    assert seen[-1] == (len(data), -1)


@pytest.mark.parametrize("source", [io.StringIO("text"), object(), 42])
def test_upload_refuses_what_is_not_a_binary_source(bay: Any, fake: FakeService, source: Any) -> None:
    fs = new_fs(bay)
    sent = len(fake.sent)
    with pytest.raises(InvalidInputError):
        fs.upload_file(source, "/tmp/x")
    assert len(fake.sent) == sent
