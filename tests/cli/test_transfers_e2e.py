"""The installed `agentbay` program: `exec` and `fs` through real pipes, exit codes, `-o json`, Ctrl-C
(SIGINT) in the middle of a transfer, and the progress bar on a pseudo-terminal but not in a pipe."""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import pty
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from agentbay import AgentBay, FileSystem

from .conftest import agentbay_program

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="pipes, /proc and signals as on Linux")

Cmd = Callable[..., "subprocess.CompletedProcess[bytes]"]
MiB = 1024 * 1024
#: Big enough that a transfer is still running when the test, having seen it start, signals it.
BIG = 128 * MiB


@pytest.fixture
def files(bay: AgentBay, session_id: str) -> FileSystem:
    return bay.get(session_id).unwrap().file_system


@pytest.fixture
def shell(cli_env: dict[str, str], session_id: str) -> Callable[[str], subprocess.CompletedProcess[bytes]]:
    """Run a bash line with $AGENTBAY (the installed program) and $ID (the session) set."""
    env = {**os.environ, **cli_env, "AGENTBAY": agentbay_program()[0], "ID": session_id}

    def run(line: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["bash", "-c", line], env=env, capture_output=True, timeout=120, check=False)

    return run


@pytest.fixture
def start(cli_env: dict[str, str]) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start the installed program (not waited for), stdout and stderr piped."""
    started: list[subprocess.Popen[bytes]] = []

    def popen(*args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
        kwargs.setdefault("stdout", subprocess.PIPE)
        kwargs.setdefault("stderr", subprocess.PIPE)
        env = {**os.environ, **cli_env, **kwargs.pop("env", {})}
        process = subprocess.Popen([*agentbay_program(), *args], env=env, stdin=subprocess.DEVNULL, **kwargs)
        started.append(process)
        return process

    yield popen
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate()


def wait_until(process: subprocess.Popen[bytes], ready: Callable[[], bool], timeout: float = 60) -> None:
    """Poll `ready()` until true; fail if the process ends first (the transfer was not caught)."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, f"it ended first: {process.communicate()}"
        assert time.monotonic() < deadline, "never ready"
        time.sleep(0.002)


def file_position(pid: int, path: Path) -> int:
    """How far process `pid` has read the open file `path` (/proc's fdinfo); -1 when it is not open."""
    fds = Path(f"/proc/{pid}/fd")
    with_errors = (FileNotFoundError, ProcessLookupError, PermissionError)
    try:
        for fd in fds.iterdir():
            try:
                if os.readlink(fd) == str(path):
                    for line in Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text().splitlines():
                        if line.startswith("pos:"):
                            return int(line.split()[1])
            except with_errors:
                continue
    except with_errors:
        pass
    return -1


def assert_interrupted(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert out == b""
    assert err.decode().strip() == "agentbay: interrupted"  # one line, no traceback


def upload(files: FileSystem, data: bytes, path: str) -> None:
    files.create_directory(posixpath.dirname(path)).raise_for_error()
    files.upload_file(io.BytesIO(data), path).raise_for_error()


def size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return -1


# ---- pipes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [200_000, 3 * MiB])
def test_cat_into_a_pipe_is_the_files_bytes(
    shell: Callable[[str], Any], files: FileSystem, size: int
) -> None:
    data = os.urandom(size)
    upload(files, data, "/tmp/f.bin")
    ran = shell('"$AGENTBAY" fs cat "$ID" /tmp/f.bin | sha256sum')
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split()[0].decode() == hashlib.sha256(data).hexdigest()
    assert ran.stderr == b""


@pytest.mark.parametrize("size", [200_000, 3 * MiB])  # the tool path, the URL path
def test_get_to_stdout_into_a_pipe(shell: Callable[[str], Any], files: FileSystem, size: int) -> None:
    data = os.urandom(size)
    upload(files, data, "/tmp/f.bin")
    ran = shell('"$AGENTBAY" fs get "$ID" /tmp/f.bin - | sha256sum')
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split()[0].decode() == hashlib.sha256(data).hexdigest()
    assert ran.stderr == b""  # no progress bar in a pipe


@pytest.mark.parametrize("size", [200_000, 3 * MiB])
def test_put_from_a_pipe(shell: Callable[[str], Any], files: FileSystem, tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    (tmp_path / "src.bin").write_bytes(data)
    ran = shell(f'cat "{tmp_path / "src.bin"}" | "$AGENTBAY" fs put "$ID" - /tmp/in.bin')
    assert ran.returncode == 0, ran.stderr
    assert (ran.stdout, ran.stderr) == (b"", b"")
    assert files.read_file("/tmp/in.bin", format="bytes").content == data


def test_put_a_tar_stream_and_unpack_it_remotely(
    shell: Callable[[str], Any], tmp_path: Path, agentbay_cmd: Cmd, session_id: str
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("alpha\n")
    (tmp_path / "src" / "b.bin").write_bytes(os.urandom(50_000))
    ran = shell(f'tar -C "{tmp_path / "src"}" -c . | "$AGENTBAY" fs put "$ID" - /tmp/src.tar')
    assert ran.returncode == 0, ran.stderr
    unpacked = agentbay_cmd(
        "exec", session_id, "--", "mkdir -p /tmp/u && tar -C /tmp/u -xf /tmp/src.tar && cat /tmp/u/a.txt"
    )
    assert (unpacked.returncode, unpacked.stdout) == (0, b"alpha\n")


@pytest.mark.parametrize(
    "command",
    [
        '"$AGENTBAY" fs cat "$ID" /tmp/f.bin',
        '"$AGENTBAY" fs get "$ID" /tmp/f.bin -',
        '"$AGENTBAY" exec "$ID" -- cat /tmp/f.bin',
    ],
    ids=["cat", "get", "exec"],
)
def test_a_reader_that_goes_away_is_a_quiet_141(
    shell: Callable[[str], Any], files: FileSystem, command: str
) -> None:
    # 3 MiB: far more than a pipe holds, so the write meets the closed pipe (a buffered write that
    # did so part-way used to return quietly: exit 0 with the output cut short).
    upload(files, os.urandom(3 * MiB), "/tmp/f.bin")
    ran = shell(f'{command} | head -c 10 >/dev/null; echo "${{PIPESTATUS[0]}}"')
    assert ran.stdout == b"141\n"
    assert ran.stderr == b""


# ---- exec, -o json, exit codes -------------------------------------------------------------------


def test_exec_exits_with_the_remote_code_and_keeps_the_streams_apart(
    agentbay_cmd: Cmd, session_id: str
) -> None:
    ran = agentbay_cmd("exec", session_id, "--", "echo out; echo err >&2; exit 7")
    assert (ran.returncode, ran.stdout, ran.stderr) == (7, b"out\n", b"err\n")


def test_exec_several_words(agentbay_cmd: Cmd, session_id: str) -> None:
    ran = agentbay_cmd("exec", session_id, "--", "ls", "-d", "my dir")
    assert ran.returncode == 2  # ls's own code for a missing file: the one quoted name
    assert b"my dir" in ran.stderr


def test_exec_timeout_exits_124(agentbay_cmd: Cmd, session_id: str) -> None:
    ran = agentbay_cmd("exec", session_id, "--timeout", "0.5", "--", "sleep 30")
    assert ran.returncode == 124
    assert ran.stderr.startswith(b"agentbay: CommandTimeoutError: ")


def test_json_documents_parse(agentbay_cmd: Cmd, session_id: str, files: FileSystem) -> None:
    upload(files, b"12345", "/tmp/j/f")
    ran = agentbay_cmd("exec", session_id, "-o", "json", "--", "printf hi; exit 3")
    assert ran.returncode == 3
    assert json.loads(ran.stdout)["stdout"] == "hi"
    listing = agentbay_cmd("fs", "ls", session_id, "/tmp/j", "-l", "-o", "json")
    assert listing.returncode == 0, listing.stderr
    assert [(e["name"], e["type"], e["size"]) for e in json.loads(listing.stdout)] == [("f", "file", 5)]


def test_exit_codes(agentbay_cmd: Cmd, session_id: str, tmp_path: Path) -> None:
    missing_remote = agentbay_cmd("fs", "get", session_id, "/tmp/nope", str(tmp_path))
    assert missing_remote.returncode == 4
    assert missing_remote.stderr.startswith(b"agentbay: NoSuchFileError: ")
    assert list(tmp_path.iterdir()) == []
    missing_local = agentbay_cmd("fs", "put", session_id, str(tmp_path / "nope"), "/tmp/x")
    assert missing_local.returncode == 2
    assert missing_local.stderr.count(b"\n") == 1
    assert agentbay_cmd("exec", "session-does-not-exist", "--", "true").returncode == 4


# ---- Ctrl-C --------------------------------------------------------------------------------------


def test_ctrl_c_during_a_get_leaves_no_partial_file(
    start: Callable[..., subprocess.Popen[bytes]],
    files: FileSystem,
    session_id: str,
    tmp_path: Path,
    agentbay_cmd: Cmd,
    bay: AgentBay,
) -> None:
    made = bay.get(session_id).unwrap().command.execute_command(f"head -c {BIG} /dev/zero > /tmp/big.bin")
    assert made.exit_code == 0
    process = start("fs", "get", session_id, "/tmp/big.bin", str(tmp_path))
    partial = tmp_path / ".big.bin.part"  # where download_file writes until the file is complete
    # Signalled once bytes are arriving: in the middle of the streamed GET.
    wait_until(process, lambda: size_of(partial) > 0)
    assert_interrupted(process)
    assert list(tmp_path.iterdir()) == []
    # The session is untouched and usable.
    assert files.get_file_info("/tmp/big.bin").file_info.size == BIG  # type: ignore[union-attr]
    assert agentbay_cmd("exec", session_id, "--", "true").returncode == 0


def test_ctrl_c_during_a_put_by_url_leaves_the_remote_file_as_it_was(
    start: Callable[..., subprocess.Popen[bytes]],
    files: FileSystem,
    session_id: str,
    tmp_path: Path,
    agentbay_cmd: Cmd,
) -> None:
    upload(files, b"old\n", "/tmp/up/big.bin")
    source = tmp_path / "big.bin"
    with source.open("wb") as f:
        f.truncate(BIG)  # sparse: quick to make, still BIG bytes to send
    process = start("fs", "put", session_id, str(source), "/tmp/up/big.bin")
    # Signalled once the PUT is reading the file.
    wait_until(process, lambda: file_position(process.pid, source) > 0)
    assert_interrupted(process)
    assert files.read_file("/tmp/up/big.bin").content == "old\n"
    assert [e.name for e in files.list_directory("/tmp/up").entries] == ["big.bin"]
    # The session takes the next URL transfer (no sync of the interrupted one left running).
    small = tmp_path / "next.bin"
    small.write_bytes(os.urandom(2 * MiB))
    again = agentbay_cmd("fs", "put", session_id, str(small), "/tmp/up/big.bin")
    assert again.returncode == 0, again.stderr
    assert files.read_file("/tmp/up/big.bin", format="bytes").content == small.read_bytes()


def test_ctrl_c_during_a_put_by_tools_leaves_the_remote_file_as_it_was(
    start: Callable[..., subprocess.Popen[bytes]],
    files: FileSystem,
    session_id: str,
    tmp_path: Path,
    agentbay_cmd: Cmd,
) -> None:
    # A relative remote path always takes the tool path: ~450 write_file calls for 16 MiB.
    files.write_file("/home/wuying/up.bin", "old\n").raise_for_error()
    source = tmp_path / "up.bin"
    source.write_bytes(os.urandom(16 * MiB))
    process = start("fs", "put", session_id, str(source), "up.bin")
    part = "/home/wuying/.up.bin.agentbay-part"

    def writing() -> bool:
        info = files.get_file_info(part).file_info
        return info is not None and info.size > 0

    wait_until(process, writing)  # some pieces are in the hidden file
    assert_interrupted(process)
    assert files.read_file("/home/wuying/up.bin").content == "old\n"
    assert files.get_file_info(part).file_info is None  # removed, and not written again since
    assert agentbay_cmd("exec", session_id, "--", "true").returncode == 0


# ---- the progress bar ----------------------------------------------------------------------------

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def run_on_a_terminal(start: Callable[..., subprocess.Popen[bytes]], *args: str) -> tuple[int, bytes]:
    """Run with stderr on a pseudo-terminal (stdout piped); the exit code and what the terminal showed."""
    master, slave = pty.openpty()
    try:
        process = start(*args, stderr=slave, env={"TERM": "xterm-256color", "COLUMNS": "120"})
    finally:
        os.close(slave)
    shown: list[bytes] = []

    def read_terminal() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the program closed its end
                return
            if not chunk:
                return
            shown.append(chunk)

    reader = threading.Thread(target=read_terminal)
    reader.start()
    try:
        process.communicate(timeout=120)
    finally:
        reader.join(timeout=30)
        os.close(master)
    return process.returncode, ANSI.sub(b"", b"".join(shown))


@pytest.mark.parametrize(("size", "finished"), [(200_000, b"200.0/200.0 kB"), (3 * MiB, b"3.1/3.1 MB")])
def test_a_terminal_shows_the_progress_bar_and_a_pipe_does_not(
    start: Callable[..., subprocess.Popen[bytes]],
    agentbay_cmd: Cmd,
    session_id: str,
    files: FileSystem,
    tmp_path: Path,
    size: int,
    finished: bytes,
) -> None:
    source = tmp_path / "model.bin"
    source.write_bytes(os.urandom(size))
    code, shown = run_on_a_terminal(start, "fs", "put", session_id, str(source), "/tmp/model.bin")
    assert code == 0, shown
    assert b"put model.bin" in shown
    assert finished in shown  # the finished bar: every byte sent, of a known total
    code, shown = run_on_a_terminal(
        start, "fs", "get", session_id, "/tmp/model.bin", str(tmp_path / "back.bin")
    )
    assert code == 0, shown
    assert b"get model.bin" in shown and finished in shown
    assert (tmp_path / "back.bin").read_bytes() == source.read_bytes()
    # The same in pipes: not a byte on stderr.
    piped = agentbay_cmd("fs", "put", session_id, str(source), "/tmp/model.bin")
    assert (piped.returncode, piped.stderr) == (0, b"")
    piped = agentbay_cmd("fs", "get", session_id, "/tmp/model.bin", str(tmp_path / "again.bin"))
    assert (piped.returncode, piped.stderr) == (0, b"")
