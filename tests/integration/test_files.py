"""session.file_system against the local server, sync and async: missing files, bytes in and out,
text that is not UTF-8, read_multiple_files' per-file errors, search_files as the reference server
does it, and uploads from file objects."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

from agentbay import BinaryFileContentResult, NoSuchFileError, ToolError

KiB = 1024


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


def test_a_missing_file_is_a_no_such_file_error_naming_it(session: Any) -> None:
    fs = session.file_system
    for result in (fs.read_file("/home/wuying/nope.txt"), fs.read_file("nope.txt", format="bytes")):
        assert not result.success and isinstance(result.error, NoSuchFileError)
        assert result.error.path in ("/home/wuying/nope.txt", "nope.txt")
        assert result.error.tool == "read_file" and "No such file or directory" in result.error_message
    with pytest.raises(FileNotFoundError):
        fs.get_file_info("/tmp/none").raise_for_error()
    assert isinstance(fs.list_directory("/tmp/none").error, NoSuchFileError)
    assert isinstance(fs.delete_file("/tmp/none").error, NoSuchFileError)
    assert isinstance(fs.search_files("/tmp/none", "x").error, NoSuchFileError)


def test_binary_files_round_trip_exactly(session: Any) -> None:
    fs = session.file_system
    data = os.urandom(130 * KiB)  # several base64 pieces each way
    assert fs.write_file("/tmp/blob.bin", data).success
    assert fs.write_file("/tmp/blob.bin", b"\xff\x00tail", mode="append").success
    result = fs.read_file("/tmp/blob.bin", format="bytes")
    assert isinstance(result, BinaryFileContentResult) and result.content == data + b"\xff\x00tail"
    assert fs.get_file_info("/tmp/blob.bin").file_info.size == len(data) + 6
    assert fs.write_file("/tmp/empty.bin", b"").success
    assert fs.read_file("/tmp/empty.bin", format="bytes").content == b""


def test_a_text_read_of_binary_data_is_an_error_not_lossy_text(session: Any) -> None:
    fs = session.file_system
    fs.write_file("/tmp/img.png", b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    result = fs.read_file("/tmp/img.png")
    assert not result.success and isinstance(result.error, ToolError) and result.content == ""
    assert "not UTF-8 text" in result.error_message and "format='bytes'" in result.error_message


def test_text_with_a_replacement_character_reads_back_exactly(session: Any) -> None:
    fs = session.file_system
    text = "a real \ufffd, then é" * 5000  # ~100 KB: several ranges
    fs.write_file("/tmp/t.txt", text)
    assert fs.read_file("/tmp/t.txt").content == text


def test_read_multiple_files_fails_for_a_missing_file_and_keeps_the_rest(session: Any) -> None:
    fs = session.file_system
    front_matter = "---\ntitle: x\n---\nbody\n"
    fs.write_file("/tmp/post.md", front_matter)
    fs.write_file("/tmp/e.txt", "Error - only text")
    result = fs.read_multiple_files(["/tmp/post.md", "/tmp/none.md", "/tmp/e.txt"])
    assert not result.success
    assert isinstance(result.error, NoSuchFileError) and result.error.path == "/tmp/none.md"
    assert set(result.errors) == {"/tmp/none.md"}
    assert result.contents == {"/tmp/post.md": front_matter, "/tmp/e.txt": "Error - only text"}
    both = fs.read_multiple_files(["/tmp/x", "/tmp/y"])
    assert "2 of 2 files could not be read" in both.error_message
    assert all(isinstance(e, NoSuchFileError) for e in both.errors.values())
    assert fs.read_multiple_files(["/tmp/post.md"]).success


def test_search_files_as_the_reference_server_does(session: Any) -> None:
    fs = session.file_system
    for path in ("/tmp/s/Main.PY", "/tmp/s/lib/util.py", "/tmp/s/node_modules/m/x.py", "/tmp/s/a.log"):
        fs.create_directory(path.rsplit("/", 1)[0])
        fs.write_file(path, "")
    assert fs.search_files("/tmp/s", ".py", ["node_modules"]).matches == [
        "/tmp/s/Main.PY",
        "/tmp/s/lib/util.py",
    ]
    everything = fs.search_files("/tmp/s", "").matches
    assert len(everything) == 7 and "/tmp/s/node_modules/m/x.py" in everything  # 4 files, 3 dirs
    nothing = fs.search_files("/tmp/s", "no-such-name")
    assert nothing.success and nothing.matches == [] and nothing.error is None
    assert fs.search_files("/tmp/s", "", ["*"]).matches == []


def test_upload_from_file_objects_with_progress(session: Any, tmp_path: Path) -> None:
    fs = session.file_system
    data = os.urandom(200 * KiB)
    seen: list[tuple[int, int]] = []
    result = fs.upload_file(io.BytesIO(data), "/tmp/a.bin", progress=lambda d, t: seen.append((d, t)))
    assert result.success and result.size == len(data) and seen[-1] == (len(data), len(data))
    assert fs.read_file("/tmp/a.bin", format="bytes").content == data

    (tmp_path / "notes.txt").write_text("ünïcode\n" * 20_000)
    with (tmp_path / "notes.txt").open("rb") as f:
        assert fs.upload_file(f, "/tmp/notes.txt").success
    assert fs.read_file("/tmp/notes.txt").content == (tmp_path / "notes.txt").read_text()

    piped: list[tuple[int, int]] = []
    result = fs.upload_file(Pipe(data), "/tmp/p.bin", progress=lambda d, t: piped.append((d, t)))
    assert result.success and piped[-1] == (len(data), -1)
    assert fs.download_file("/tmp/p.bin", tmp_path / "p.bin").success
    assert (tmp_path / "p.bin").read_bytes() == data
