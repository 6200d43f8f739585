"""Unit tests of session.command and session.file_system against the fake service (both flavours)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from agentbay import (
    CommandTimeoutError,
    CreateSessionParams,
    InvalidInputError,
    NonZeroExitError,
    NoSuchFileError,
    NotFoundError,
    SessionClosedError,
    ToolError,
)

from ._fake import FakeService, envelope


def new_session(bay: Any) -> Any:
    return bay.create(CreateSessionParams()).unwrap()


# ---- command -------------------------------------------------------------------------------------


def test_execute_command_raw_output(bay: Any, fake: FakeService) -> None:
    fake.tool("shell", "hello\n")
    result = new_session(bay).command.execute_command("echo hello")
    assert result.success and result.error is None
    assert (result.stdout, result.stderr, result.output, result.exit_code) == ("hello\n", "", "hello\n", 0)
    assert fake.tools()[-1] == ("shell", {"command": "echo hello", "timeout_ms": 50000})


def test_execute_command_wrapped_output_with_cwd_and_envs(bay: Any, fake: FakeService) -> None:
    fake.tool("shell", json.dumps({"stdout": "out", "stderr": "err", "exit_code": 0}))
    result = new_session(bay).command.execute_command("x", timeout_ms=1000, cwd="/tmp", envs={"A": "1"})
    assert (result.stdout, result.stderr, result.output) == ("out", "err", "outerr")
    assert fake.tools()[-1][1] == {"command": "x", "timeout_ms": 1000, "cwd": "/tmp", "envs": {"A": "1"}}


def test_json_printed_by_a_command_is_not_taken_for_the_wrapper(bay: Any, fake: FakeService) -> None:
    fake.tool("shell", '{"stdout": "only one key"}')
    result = new_session(bay).command.execute_command("cat x.json")
    assert result.stdout == '{"stdout": "only one key"}'


def test_non_zero_exit_is_a_result(bay: Any, fake: FakeService) -> None:
    fake.tool("shell", json.dumps({"stdout": "", "stderr": "boom\n", "exit_code": 3}))
    result = new_session(bay).command.execute_command("false")
    assert not result.success and result.exit_code == 3 and result.stderr == "boom\n"
    assert isinstance(result.error, NonZeroExitError) and result.error.exit_code == 3
    assert "exit code 3: boom" in result.error_message
    with pytest.raises(NonZeroExitError):
        result.raise_for_error()


def test_a_failed_run_reported_as_tool_error_keeps_its_exit_code(bay: Any, fake: FakeService) -> None:
    fake.tool("shell", json.dumps({"stdout": "o", "stderr": "e", "exit_code": 2}), is_error=True)
    result = new_session(bay).command.execute_command("x")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "o", "e")
    fake.tool("shell", "sh: nope: not found", is_error=True)
    result = new_session(bay).command.execute_command("nope")
    assert result.exit_code == 1 and result.stderr == "sh: nope: not found"


def test_timeout_is_a_typed_error(bay: Any, fake: FakeService) -> None:
    fake.tool("shell", "Command timed out after 1000 ms", is_error=True)
    result = new_session(bay).command.execute_command("sleep 5", timeout_ms=1000)
    assert not result.success and isinstance(result.error, CommandTimeoutError)
    assert result.exit_code is None
    with pytest.raises(CommandTimeoutError):
        result.raise_for_error()


def test_command_http_timeout_outlives_the_command(bay: Any, fake: FakeService) -> None:
    new_session(bay).command.execute_command("sleep 1", timeout_ms=120_000)
    request = fake.sent[-1].request
    assert request.extensions["timeout"]["read"] >= 120


def test_command_transport_failures_are_results(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    fake.reply("CallMcpTool", {"Code": "InvalidMcpSession.NotFound", "Message": "gone"}, status=400)
    assert isinstance(session.command.execute_command("ls").error, NotFoundError)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"command": ""},
        {"command": "ls", "timeout_ms": 0},
        {"command": "ls", "timeout_ms": "5"},
        {"command": "ls", "cwd": ""},
        {"command": "ls", "envs": {"A": 1}},
        {"command": "ls", "envs": {"": "x"}},
    ],
)
def test_bad_command_input_is_refused_before_sending(
    bay: Any, fake: FakeService, kwargs: dict[str, Any]
) -> None:
    session = new_session(bay)
    sent = len(fake.sent)
    with pytest.raises(InvalidInputError):
        session.command.execute_command(**kwargs)
    assert len(fake.sent) == sent


def test_sub_managers_refuse_after_delete(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    command, fs = session.command, session.file_system
    session.delete()
    sent = len(fake.sent)
    with pytest.raises(SessionClosedError):
        command.execute_command("ls")
    with pytest.raises(SessionClosedError):
        fs.read_file("/tmp/x")
    with pytest.raises(SessionClosedError):
        fs.write_file("/tmp/x", "y")
    assert len(fake.sent) == sent


# ---- file system ---------------------------------------------------------------------------------


def test_write_file_sends_big_content_in_chunks_first_with_the_mode(bay: Any, fake: FakeService) -> None:
    content = "é" * 60_000  # 120,000 bytes: three chunks of at most 50 KiB
    result = new_session(bay).file_system.write_file("/tmp/a", content, mode="append")
    assert result.success and result.data is True
    calls = [a for name, a in fake.tools() if name == "write_file"]
    assert [c["mode"] for c in calls] == ["append", "append", "append"]
    assert "".join(c["content"] for c in calls) == content
    assert all(len(c["content"].encode()) <= 50 * 1024 for c in calls)


def test_write_file_overwrite_then_appends_and_empty_content(bay: Any, fake: FakeService) -> None:
    fs = new_session(bay).file_system
    fs.write_file("/tmp/a", "x" * (50 * 1024 + 1))
    assert [a["mode"] for _, a in fake.tools()] == ["overwrite", "append"]
    fs.write_file("/tmp/empty", "")
    assert fake.tools()[-1][1] == {"path": "/tmp/empty", "content": "", "mode": "overwrite"}


def test_write_file_stops_at_the_first_failed_chunk(bay: Any, fake: FakeService) -> None:
    fs = new_session(bay).file_system
    fake.tool("write_file", "ok")
    fake.tool("write_file", "disk full", is_error=True)
    result = fs.write_file("/tmp/a", "x" * (120 * 1024))
    assert not result.success and isinstance(result.error, ToolError) and "disk full" in result.error_message
    assert len([1 for name, _ in fake.tools() if name == "write_file"]) == 2


@pytest.mark.parametrize(
    ("call", "kwargs"),
    [
        ("write_file", {"path": "/tmp/a", "content": 42}),
        ("write_file", {"path": "/tmp/a", "content": "x", "mode": "truncate"}),
        ("write_file", {"path": "", "content": "x"}),
        ("read_file", {"path": None}),
        ("edit_file", {"path": "/a", "edits": []}),
        ("edit_file", {"path": "/a", "edits": [{"oldText": "", "newText": "x"}]}),
        ("edit_file", {"path": "/a", "edits": [("a", "b")], "dry_run": "yes"}),
        ("search_files", {"path": "/a", "pattern": None}),
        ("search_files", {"path": "/a", "pattern": "x", "exclude_patterns": "a,b"}),
        ("search_files", {"path": "/a", "pattern": "x", "exclude_patterns": ["a,b"]}),
        ("read_multiple_files", {"paths": "/a"}),
        ("read_multiple_files", {"paths": []}),
        ("move_file", {"source": "/a", "destination": ""}),
    ],
)
def test_bad_file_input_is_refused_before_sending(
    bay: Any, fake: FakeService, call: str, kwargs: dict[str, Any]
) -> None:
    fs = new_session(bay).file_system
    sent = len(fake.sent)
    with pytest.raises(InvalidInputError):
        getattr(fs, call)(**kwargs)
    assert len(fake.sent) == sent


def test_read_file_reads_size_then_chunks(bay: Any, fake: FakeService) -> None:
    fs = new_session(bay).file_system
    size = 120 * 1024
    fake.tool("get_file_info", f"size: {size}\nisDirectory: false\nisFile: true")
    for _ in range(3):
        fake.tool("read_file", "abc")
    result = fs.read_file("/tmp/big")
    assert result.success and result.content == "abcabcabc"
    reads = [a for name, a in fake.tools() if name == "read_file"]
    assert [(r["offset"], r["length"]) for r in reads] == [(0, 51200), (51200, 51200), (102400, 20480)]


def test_read_empty_file_sends_no_read(bay: Any, fake: FakeService) -> None:
    fs = new_session(bay).file_system
    fake.tool("get_file_info", "size: 0\nisDirectory: false\nisFile: true")
    assert fs.read_file("/tmp/empty").content == ""
    assert [name for name, _ in fake.tools()] == ["get_file_info"]


def test_read_file_of_a_directory_or_missing_file_fails(bay: Any, fake: FakeService) -> None:
    fs = new_session(bay).file_system
    fake.tool("get_file_info", "size: 4096\nisDirectory: true\nisFile: false")
    assert "is a directory" in fs.read_file("/tmp").error_message
    fake.tool("get_file_info", "Error: ENOENT: no such file or directory", is_error=True)
    result = fs.read_file("/nope")
    assert isinstance(result.error, NoSuchFileError) and result.error.tool == "read_file"
    assert result.error.path == "/nope" and "No such file or directory: /nope" in result.error_message


def test_get_file_info_and_list_directory(bay: Any, fake: FakeService) -> None:
    fs = new_session(bay).file_system
    info = fs.get_file_info("/tmp/a").file_info
    assert (info.size, info.is_file, info.is_directory, info.permissions) == (5, True, False, "644")
    entries = fs.list_directory("/tmp").entries
    assert [(e.name, e.is_directory) for e in entries] == [("sub", True), ("a.txt", False)]
    fake.tool("get_file_info", "gibberish")
    assert not fs.get_file_info("/tmp/a").success


def test_edit_move_delete_create(bay: Any, fake: FakeService) -> None:
    fs = new_session(bay).file_system
    fake.tool("edit_file", "--- diff ---")
    result = fs.edit_file("/a", [("old", "new"), {"old_text": "o2", "new_text": "n2"}], dry_run=True)
    assert result.message == "--- diff ---"
    assert fake.tools()[-1][1] == {
        "path": "/a",
        "edits": [{"oldText": "old", "newText": "new"}, {"oldText": "o2", "newText": "n2"}],
        "dryRun": True,
    }
    assert fs.move_file("/a", "/b").success
    assert fs.delete_file("/b").success
    assert fs.create_directory("/d").success
    assert [n for n, _ in fake.tools()][-3:] == ["move_file", "delete_file", "create_directory"]


def test_search_files(bay: Any, fake: FakeService) -> None:
    fs = new_session(bay).file_system
    assert fs.search_files("/home/wuying", "*.py").matches == []
    fake.tool("search_files", "/home/wuying/a.py\n/home/wuying/b/c.py\n")
    assert fs.search_files("/home/wuying", "*.py", ["*.log", "tmp"]).matches == [
        "/home/wuying/a.py",
        "/home/wuying/b/c.py",
    ]
    assert fake.tools()[-1][1]["excludePatterns"] == "*.log,tmp"


def test_read_multiple_files_matches_sections_to_paths(bay: Any, fake: FakeService) -> None:
    fs = new_session(bay).file_system
    fake.tool("read_multiple_files", "/a/b:\nline: with colon\n\n---\n/a: inline\n")
    assert fs.read_multiple_files(["/a", "/a/b"]).contents == {"/a/b": "line: with colon", "/a": "inline"}


# ---- upload / download ---------------------------------------------------------------------------


def test_upload_text_streams_in_chunks_with_progress(bay: Any, fake: FakeService, tmp_path: Path) -> None:
    source = tmp_path / "up.txt"
    text = "ünïcode line\n" * 10_000  # 150,000 bytes
    source.write_text(text)
    seen: list[tuple[int, int]] = []
    result = new_session(bay).file_system.upload_file(
        source, "/tmp/up.txt", progress=lambda d, t: seen.append((d, t))
    )
    assert result.success and result.size == len(text.encode())
    calls = [a for name, a in fake.tools() if name == "write_file"]
    assert "".join(c["content"] for c in calls) == text
    assert [c["mode"] for c in calls] == ["overwrite"] + ["append"] * (len(calls) - 1)
    assert all("format" not in c for c in calls)
    assert seen[-1] == (len(text.encode()), len(text.encode())) and len(seen) == 3


def test_upload_binary_goes_as_base64(bay: Any, fake: FakeService, tmp_path: Path) -> None:
    data = bytes(range(256)) * 500
    source = tmp_path / "up.bin"
    source.write_bytes(data)
    assert new_session(bay).file_system.upload_file(source, "/tmp/up.bin").success
    calls = [a for name, a in fake.tools() if name == "write_file"]
    assert all(c["format"] == "binary" for c in calls)
    assert b"".join(base64.b64decode(c["content"]) for c in calls) == data
    assert all(len(c["content"]) <= 50 * 1024 for c in calls)


def test_upload_empty_file_creates_it(bay: Any, fake: FakeService, tmp_path: Path) -> None:
    (tmp_path / "e").write_bytes(b"")
    assert new_session(bay).file_system.upload_file(tmp_path / "e", "/tmp/e").size == 0
    assert [a for _, a in fake.tools()] == [{"path": "/tmp/e", "content": "", "mode": "overwrite"}]


def test_upload_missing_local_file_is_refused(bay: Any, fake: FakeService, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError):
        new_session(bay).file_system.upload_file(tmp_path / "nope", "/tmp/x")


def test_upload_failure_reports_bytes_sent(bay: Any, fake: FakeService, tmp_path: Path) -> None:
    (tmp_path / "a").write_text("x" * 120_000)
    fake.tool("write_file", "ok")
    fake.tool("write_file", "No space left", is_error=True)
    result = new_session(bay).file_system.upload_file(tmp_path / "a", "/tmp/a")
    assert not result.success and result.size == 51200 and "No space left" in result.error_message


def test_download_streams_binary_chunks_to_the_file(bay: Any, fake: FakeService, tmp_path: Path) -> None:
    data = bytes(range(256)) * 400  # 102,400 bytes: two chunks
    fake.tool("get_file_info", f"size: {len(data)}\nisDirectory: false\nisFile: true")
    fake.tool("read_file", base64.b64encode(data[:51200]).decode())
    fake.tool("read_file", base64.b64encode(data[51200:]).decode())
    seen: list[int] = []
    target = tmp_path / "down.bin"
    result = new_session(bay).file_system.download_file(
        "/tmp/x", target, progress=lambda d, t: seen.append(d)
    )
    assert result.success and result.size == len(data) and target.read_bytes() == data
    assert seen == [51200, 102400]
    assert all(a.get("format") == "binary" for n, a in fake.tools() if n == "read_file")
    assert list(tmp_path.iterdir()) == [target], "no partial file is left behind"


def test_failed_download_leaves_the_old_file_untouched(bay: Any, fake: FakeService, tmp_path: Path) -> None:
    target = tmp_path / "keep.txt"
    target.write_text("precious")
    fake.tool("get_file_info", "size: 102400\nisDirectory: false\nisFile: true")
    fake.tool("read_file", base64.b64encode(b"x" * 51200).decode())
    fake.reply(
        "CallMcpTool:read_file",
        envelope(Code="InvalidMcpSession.NotFound", HttpStatusCode=400, Success=False),
    )
    result = new_session(bay).file_system.download_file("/tmp/x", target)
    assert not result.success and isinstance(result.error, NotFoundError) and result.size == 51200
    assert target.read_text() == "precious"
    assert list(tmp_path.iterdir()) == [target]


def test_download_of_malformed_base64_fails_cleanly(bay: Any, fake: FakeService, tmp_path: Path) -> None:
    fake.tool("get_file_info", "size: 3\nisDirectory: false\nisFile: true")
    fake.tool("read_file", "not base64!!")
    result = new_session(bay).file_system.download_file("/tmp/x", tmp_path / "x")
    assert not result.success and "base64" in result.error_message
    assert not (tmp_path / "x").exists()
