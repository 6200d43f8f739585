"""`agentbay_local.sandbox.run_program`: a program (no shell) run in a session as `shell` runs commands.

Each test runs under bubblewrap and in the host fallback (`mode`), like the `shell` tests.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agentbay_local.sandbox import (
    SandboxWarning,
    ShellResult,
    _shell,
    bwrap_executable,
    end_session,
    run_program,
    set_session_env,
)
from agentbay_local.sandbox._args import ToolFailure

HAVE_BWRAP = bwrap_executable() is not None


@pytest.fixture
def base() -> Iterator[Path]:
    # Not under /tmp: a host path there is also a session path (the session's own /tmp).
    path = Path(tempfile.mkdtemp(dir="/var/tmp", prefix="agentbay-run-program-test-"))
    try:
        yield path
    finally:
        shutil.rmtree(path)


@pytest.fixture
def root(base: Path) -> Iterator[Path]:
    session = base / "sessions" / "s1"
    session.mkdir(parents=True)
    try:
        yield session
    finally:
        end_session(session)


@pytest.fixture(params=["bwrap", "fallback"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "bwrap":
        if not HAVE_BWRAP:
            pytest.skip("bubblewrap does not work on this machine")
        yield "bwrap"
        return
    monkeypatch.setattr(_shell, "bwrap_executable", lambda: None)
    monkeypatch.setattr(_shell, "_fallback_warned", False)
    with pytest.warns(SandboxWarning, match="NOT isolated"):
        yield "fallback"


def run(root: Path, argv: list[str], timeout_s: float = 10, **options: Any) -> ShellResult:
    return asyncio.run(run_program(root, argv, timeout_s=timeout_s, **options))


def marker_processes(marker: str) -> list[int]:
    """Live host pids whose command line contains `marker`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path("/proc", entry, "cmdline").read_bytes()
                status = Path("/proc", entry, "stat").read_text()
            except OSError:
                continue
            if marker.encode() in cmdline and ") Z " not in status:
                found.append(int(entry))
    return found


def unique_marker() -> str:
    return f"{random.randint(100, 999)}.{random.randint(100000, 999999)}"


def wait_for(check: Any, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        time.sleep(0.02)
    return bool(check())


def test_argv_is_not_a_shell_command(root: Path, mode: str) -> None:
    result = run(root, ["/bin/echo", "a  b", "$HOME", "; echo no"])
    assert (result.stdout, result.stderr, result.exit_code, result.timed_out) == (
        "a  b $HOME ; echo no\n",
        "",
        0,
        False,
    )
    failed = run(root, ["/bin/sh", "-c", "echo out; echo err >&2; exit 3"])
    assert (failed.stdout, failed.stderr, failed.exit_code) == ("out\n", "err\n", 3)


def test_stdin_is_fed_then_closed(root: Path, mode: str) -> None:
    assert run(root, ["/bin/cat"], stdin=b"hello\n").stdout == "hello\n"
    # More than a pipe holds: written as the program reads.
    big = os.urandom(3 << 20)
    assert run(root, ["/usr/bin/wc", "-c"], stdin=big).stdout.strip() == str(len(big))
    # A program that reads none of it (or exits at once) neither hangs nor fails the call.
    assert run(root, ["/bin/true"], stdin=big).exit_code == 0
    # No stdin: /dev/null, EOF at once (a `cat` would otherwise wait for the timeout).
    assert run(root, ["/bin/cat"], timeout_s=5) == ShellResult("", "", 0, False)


def test_cwd_env_and_the_session_environment(root: Path, mode: str) -> None:
    set_session_env(root, {"DISPLAY": ":42"})
    try:
        result = run(root, ["/bin/sh", "-c", 'pwd; echo "$A|$DISPLAY|$USER"'], env={"A": "x y"})
    finally:
        set_session_env(root, None)
    home = "/home/wuying" if mode == "bwrap" else os.path.realpath(root / "home" / "wuying")
    assert result.stdout == f"{home}\nx y|:42|wuying\n"
    pwd = run(root, ["/bin/pwd"], cwd="/tmp").stdout.strip()
    assert pwd == ("/tmp" if mode == "bwrap" else os.path.realpath(root / "tmp"))
    # The session's files, as `shell` sees them.
    (root / "home" / "wuying" / "f.txt").write_text("session file")
    assert run(root, ["/bin/cat", "f.txt"]).stdout == "session file"


def test_ro_binds_are_visible_and_read_only(root: Path, base: Path, mode: str) -> None:
    shared = base / "server-lib"
    shared.mkdir()
    (shared / "lib.txt").write_text("library")
    target = str(shared / "lib.txt")
    assert run(root, ["/bin/cat", target], ro_binds=[str(shared)]).stdout == "library"
    if mode == "bwrap":
        written = run(root, ["/bin/sh", "-c", f"echo changed > {target}"], ro_binds=[str(shared)])
        assert written.exit_code != 0 and "Read-only file system" in written.stderr
        assert (shared / "lib.txt").read_text() == "library"
        # Without the bind the sandbox does not see the host path at all.
        assert run(root, ["/bin/cat", target]).exit_code != 0
    with pytest.raises(ToolFailure, match="does not exist"):
        run(root, ["/bin/true"], ro_binds=[str(base / "missing")])


def test_timeout_kills_the_process_group(root: Path, mode: str) -> None:
    marker = unique_marker()
    result = run(root, ["/bin/sh", "-c", f"sleep {marker} & sleep {marker}; echo never"], timeout_s=1)
    assert result.timed_out and result.stdout == ""
    assert wait_for(lambda: marker_processes(marker) == [])


def test_what_it_leaves_running_is_killed_with_the_session(root: Path, mode: str) -> None:
    marker = unique_marker()
    result = run(root, ["/bin/sh", "-c", f"setsid sleep {marker} >/dev/null 2>&1 & echo started"])
    assert result.stdout == "started\n"
    assert wait_for(lambda: marker_processes(marker))
    end_session(root)
    assert wait_for(lambda: marker_processes(marker) == [])
    with pytest.raises(ToolFailure, match="The session has been deleted"):
        run(root, ["/bin/true"])


def test_output_is_capped_as_shell_output(root: Path, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_shell, "MAX_OUTPUT_BYTES", 1000)
    result = run(root, ["/bin/sh", "-c", "head -c 5000 /dev/zero | tr '\\0' a"])
    assert result.truncated and result.stdout_bytes == 5000
    assert result.stdout == "a" * 1000 + _shell.TRUNCATION_MARK


def test_bad_arguments_are_refused(root: Path) -> None:
    for argv in ([], [""], ["/bin/echo", "a\x00b"]):
        with pytest.raises(ValueError):
            run(root, argv)
    with pytest.raises(ValueError):
        run(root, ["/bin/true"], timeout_s=0)
    with pytest.raises(ValueError):
        run(root, ["/bin/true"], ro_binds=["relative/path"])
    with pytest.raises(ValueError):
        run(root, ["/bin/true"], env={"A=B": "x"})


def test_a_missing_program(root: Path, mode: str) -> None:
    if mode == "fallback":
        with pytest.raises(ToolFailure, match="Could not start the command: No such file"):
            run(root, ["/no/such/program"])
    else:  # looked up inside the sandbox: bwrap reports it and exits with status 1
        result = run(root, ["/no/such/program"])
        assert result.exit_code == 1 and "No such file" in result.stderr
