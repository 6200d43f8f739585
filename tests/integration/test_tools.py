"""session.command and session.file_system, sync and async, against the local server's real sandbox."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from agentbay import CommandTimeoutError, NonZeroExitError, ToolError
from agentbay_local import LocalServer

from .conftest import session_dir

MiB = 1024 * 1024


# ---- command -------------------------------------------------------------------------------------


def test_command_output_exit_code_and_stderr(session: Any) -> None:
    ok = session.command.execute_command("echo hello; echo oops >&2")
    assert ok.success and ok.exit_code == 0
    assert (ok.stdout, ok.stderr, ok.output) == ("hello\n", "oops\n", "hello\noops\n")
    assert (ok.truncated, ok.stdout_bytes, ok.stderr_bytes) == (False, 6, 5)
    failed = session.command.execute_command("echo partial; echo bad >&2; exit 3")
    assert not failed.success and failed.exit_code == 3
    assert failed.stdout == "partial\n" and failed.stderr == "bad\n"
    assert isinstance(failed.error, NonZeroExitError) and failed.error.exit_code == 3


def test_a_40_mib_output_round_trips_intact(session: Any) -> None:
    result = session.command.execute_command("seq 1 5500000; echo done >&2", timeout_ms=60_000)
    expected = "".join(f"{n}\n" for n in range(1, 5_500_001))
    assert len(expected) > 40 * MiB
    assert result.success and result.stdout == expected and result.stderr == "done\n"
    assert (result.truncated, result.stdout_bytes, result.stderr_bytes) == (False, len(expected), 5)


def test_output_over_the_cap_is_truncated_visibly(session: Any) -> None:
    cap = 64 * MiB  # the local server's, per stream
    result = session.command.execute_command(
        f"head -c {cap + 5 * MiB} /dev/zero | tr '\\0' a; printf err >&2", timeout_ms=60_000
    )
    assert result.success and result.truncated
    assert result.stdout_bytes == cap + 5 * MiB and result.stderr_bytes == 3
    assert len(result.stdout) == cap + len("\n[output truncated]")
    assert result.stdout.endswith("a\n[output truncated]") and result.stderr == "err"


def test_command_cwd_envs_and_default_home(session: Any) -> None:
    assert session.command.execute_command("pwd").stdout == "/home/wuying\n"
    result = session.command.execute_command("pwd; echo $GREETING", cwd="/tmp", envs={"GREETING": "héllo"})
    assert result.stdout == "/tmp\nhéllo\n"


def test_command_timeout_is_a_typed_error(session: Any) -> None:
    result = session.command.execute_command("sleep 10", timeout_ms=500)
    assert not result.success and isinstance(result.error, CommandTimeoutError)
    assert result.exit_code is None


def test_shell_and_file_tools_see_the_same_files(session: Any) -> None:
    fs = session.file_system
    assert fs.write_file("/home/wuying/shared.txt", "from the file tool\n").success
    assert session.command.execute_command("cat shared.txt").stdout == "from the file tool\n"
    session.command.execute_command("echo from the shell > /tmp/made.txt")
    assert fs.read_file("/tmp/made.txt").content == "from the shell\n"


# ---- file system ---------------------------------------------------------------------------------


def test_file_round_trip_unicode_append_info_list(session: Any) -> None:
    fs = session.file_system
    assert fs.create_directory("/home/wuying/docs/deep").success
    text = "héllo wörld — 你好 🌍\n"
    assert fs.write_file("/home/wuying/docs/a.txt", text).success
    assert fs.write_file("/home/wuying/docs/a.txt", "more\n", mode="append").success
    assert fs.read_file("/home/wuying/docs/a.txt").content == text + "more\n"
    info = fs.get_file_info("/home/wuying/docs/a.txt").file_info
    assert info.is_file and not info.is_directory and info.size == len((text + "more\n").encode())
    entries = {(e.name, e.is_directory) for e in fs.list_directory("/home/wuying/docs").entries}
    assert entries == {("a.txt", False), ("deep", True)}


def test_empty_file(session: Any) -> None:
    fs = session.file_system
    assert fs.write_file("/tmp/empty", "").success
    assert fs.read_file("/tmp/empty").content == ""
    assert fs.get_file_info("/tmp/empty").file_info.size == 0


def test_large_text_crosses_chunks(session: Any) -> None:
    fs = session.file_system
    text = "".join(f"line {i}: ünïcødé ✓\n" for i in range(12_000))  # ~300 KB, multi-byte at chunk edges
    assert fs.write_file("/tmp/big.txt", text).success
    assert fs.read_file("/tmp/big.txt").content == text


def test_edit_move_search_read_many_delete(session: Any) -> None:
    fs = session.file_system
    fs.create_directory("/home/wuying/p")
    fs.write_file("/home/wuying/p/a.py", "x = 1\ny = 2\n")
    fs.write_file("/home/wuying/p/b.log", "log\n")
    dry = fs.edit_file("/home/wuying/p/a.py", [("x = 1", "x = 10")], dry_run=True)
    assert dry.success and "x = 10" in dry.message
    assert fs.read_file("/home/wuying/p/a.py").content == "x = 1\ny = 2\n"
    assert fs.edit_file("/home/wuying/p/a.py", [("x = 1", "x = 10"), ("y = 2", "y = 20")]).success
    assert fs.read_file("/home/wuying/p/a.py").content == "x = 10\ny = 20\n"
    assert fs.move_file("/home/wuying/p/a.py", "/home/wuying/p/c.py").success
    assert fs.search_files("/home/wuying", "*.py").matches == ["/home/wuying/p/c.py"]
    assert fs.search_files("/home/wuying/p", "*", exclude_patterns=["*.log"]).matches == [
        "/home/wuying/p/c.py"
    ]
    assert fs.search_files("/home/wuying", "*.nothing").matches == []
    many = fs.read_multiple_files(["/home/wuying/p/c.py", "/home/wuying/p/b.log"])
    # Exact contents: unlike the official SDK we do not strip them.
    assert many.contents == {"/home/wuying/p/c.py": "x = 10\ny = 20\n", "/home/wuying/p/b.log": "log\n"}
    assert fs.delete_file("/home/wuying/p/c.py").success
    assert not fs.read_file("/home/wuying/p/c.py").success


def test_missing_files_and_wrong_kinds_are_clear_errors(session: Any) -> None:
    fs = session.file_system
    missing = fs.read_file("/home/wuying/nope.txt")
    assert not missing.success and isinstance(missing.error, ToolError)
    assert "nope.txt" in missing.error_message
    fs.create_directory("/home/wuying/dir")
    assert "directory" in fs.read_file("/home/wuying/dir").error_message.lower()
    assert not fs.list_directory("/home/wuying/nope").success
    assert not fs.move_file("/home/wuying/nope", "/home/wuying/x").success
    assert not fs.delete_file("/home/wuying/nope").success


@pytest.mark.parametrize(
    "path",
    ["/etc/passwd", "/home/wuying/../../etc/passwd", "/root/x", "../../../etc/hostname", "/home/other"],
)
def test_escapes_fail_and_touch_nothing(session: Any, server: LocalServer, tmp_path: Path, path: str) -> None:
    fs = session.file_system
    outside = tmp_path / "outside.txt"
    outside.write_text("untouched")
    before = Path("/etc/hostname").read_bytes() if Path("/etc/hostname").exists() else b""
    assert not fs.read_file(path).success
    assert not fs.write_file(path, "pwned").success
    assert not fs.write_file(str(outside), "pwned").success
    assert not fs.delete_file(path).success
    assert outside.read_text() == "untouched"
    assert (Path("/etc/hostname").read_bytes() if Path("/etc/hostname").exists() else b"") == before
    # A symlink made inside the session that points out is refused by the file tools too.
    session.command.execute_command(f"ln -sf {outside} /home/wuying/link")
    assert not fs.read_file("/home/wuying/link").success
    assert not fs.write_file("/home/wuying/link", "pwned").success
    assert outside.read_text() == "untouched"
    root = session_dir(server, session.session_id)
    assert not (root / "pwned").exists()


# ---- upload / download ---------------------------------------------------------------------------


def test_five_mib_binary_upload_and_download_with_progress(session: Any, tmp_path: Path) -> None:
    data = os.urandom(5 * MiB)
    source, target = tmp_path / "up.bin", tmp_path / "down.bin"
    source.write_bytes(data)
    up: list[tuple[int, int]] = []
    # The tool path (auto would take the URL path for 5 MiB: tests/integration/test_transfer.py).
    result = session.file_system.upload_file(
        source, "/tmp/blob.bin", progress=lambda d, t: up.append((d, t)), via="tool"
    )
    assert result.success and result.size == len(data)
    assert up[-1] == (len(data), len(data)) and len(up) > 50
    assert session.file_system.get_file_info("/tmp/blob.bin").file_info.size == len(data)
    down: list[int] = []
    result = session.file_system.download_file(
        "/tmp/blob.bin", target, progress=lambda d, t: down.append(d), via="tool"
    )
    assert result.success and result.size == len(data)
    assert target.read_bytes() == data
    assert down[-1] == len(data)


def test_text_upload_is_readable_as_text(session: Any, tmp_path: Path) -> None:
    source = tmp_path / "notes.md"
    source.write_text("# Nötes\n" * 10_000)
    assert session.file_system.upload_file(source, "/home/wuying/notes.md").success
    assert session.file_system.read_file("/home/wuying/notes.md").content == source.read_text()
    assert session.command.execute_command("wc -l < notes.md").stdout.strip() == "10000"


def test_download_of_a_missing_file_leaves_nothing(session: Any, tmp_path: Path) -> None:
    result = session.file_system.download_file("/tmp/none.bin", tmp_path / "x.bin")
    assert not result.success and not (tmp_path / "x.bin").exists()
    assert list(tmp_path.iterdir()) == []


def test_get_link_reaches_a_port_the_session_listens_on(session: Any) -> None:
    import socket
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    session.file_system.write_file("/home/wuying/index.html", "<h1>served from the session</h1>")
    started = session.command.execute_command(
        f"nohup python3 -m http.server {port} --bind 127.0.0.1 >/tmp/http.log 2>&1 &", timeout_ms=5000
    )
    assert started.success, started.error_message
    url = session.get_link(port=port)
    # The proxy answers 502 until the session's server is listening.
    deadline = time.monotonic() + 10
    reply = httpx.get(url + "index.html", timeout=2)
    while reply.status_code == 502 and time.monotonic() < deadline:
        time.sleep(0.1)
        reply = httpx.get(url + "index.html", timeout=2)
    assert reply.status_code == 200 and reply.text == "<h1>served from the session</h1>"
    # The server lives until the session is deleted, then the link stops working.
    assert session.delete().success
    assert httpx.get(url + "index.html", timeout=2).status_code == 404
