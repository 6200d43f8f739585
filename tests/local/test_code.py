"""`run_code` on the local server, on the wire: Python and node programs in the session's sandbox."""

from __future__ import annotations

import json
import os
import random
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentbay_local import LocalServer, _tools
from agentbay_local.code import _run
from agentbay_local.sandbox import bwrap_executable

from ._wire import KEY, Wire

HAVE_BWRAP = bwrap_executable() is not None

REPO = Path(__file__).resolve().parents[2]
WIRE = REPO.parent / "shared" / "wire"
if not WIRE.exists():
    WIRE = Path("/work/shared/wire")


def call(wire: Wire, session_id: str, name: str, **args: Any) -> tuple[str, bool]:
    data = wire.ok("CallMcpTool", SessionId=session_id, Name=name, Args=json.dumps(args))["Data"]
    assert len(data["content"]) == 1 and data["content"][0]["type"] == "text"
    return data["content"][0]["text"], data["isError"]


def run_code(
    wire: Wire, session_id: str, code: str, language: str = "python", **args: Any
) -> tuple[str, bool]:
    return call(wire, session_id, "run_code", code=code, language=language, **{"timeout_s": 30, **args})


def live_processes(marker: str) -> list[int]:
    """Host pids (not zombies) whose command line or name contains `marker`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                names = (
                    Path("/proc", entry, "cmdline").read_bytes() + Path("/proc", entry, "comm").read_bytes()
                )
                status = Path("/proc", entry, "stat").read_text()
            except OSError:
                continue
            if marker.encode() in names and ") Z " not in status:
                found.append(int(entry))
    return found


def wait_for(check: Any, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        time.sleep(0.02)
    return bool(check())


def test_the_captured_requests_run(wire: Wire) -> None:
    session_id = wire.create()
    examples = json.loads((WIRE / "tools" / "run_code.json").read_text())["examples"]
    for example in examples:
        form = example["request"]["form"]
        data = wire.ok("CallMcpTool", SessionId=session_id, Name="run_code", Args=form["Args"])["Data"]
        assert data == {"content": [{"type": "text", "text": "hi\n"}], "isError": False}


def test_python_and_node_output(wire: Wire) -> None:
    session_id = wire.create()
    assert run_code(wire, session_id, "import sys\nprint('out')\nprint('err', file=sys.stderr)") == (
        "out\nerr\n",
        False,
    )
    assert run_code(wire, session_id, "console.log('out'); console.error('err')", "javascript") == (
        "out\nerr\n",
        False,
    )
    # The system's interpreters, in the session: its user, its home, its environment.
    text, _ = run_code(
        wire, session_id, "import os, sys; print(os.getcwd(), os.environ['HOME'], sys.executable)"
    )
    cwd, home, executable = text.split()
    if HAVE_BWRAP:  # else the host fallback: the session's directories by their host paths
        assert (cwd, home) == ("/home/wuying", "/home/wuying")
    assert executable.startswith(("/usr/bin/python3", "/usr/local/bin/python3"))
    text, _ = run_code(wire, session_id, "console.log(process.version)", "javascript")
    assert text.startswith("v")
    # Unicode both ways; an empty program prints nothing.
    assert run_code(wire, session_id, "print('héllo ✓')") == ("héllo ✓\n", False)
    assert run_code(wire, session_id, "") == ("", False)


def test_the_session_files_are_visible_both_ways(wire: Wire) -> None:
    session_id = wire.create()
    call(
        wire,
        session_id,
        "write_file",
        path="/home/wuying/data.txt",
        content="from the file tool",
        mode="overwrite",
    )
    assert run_code(wire, session_id, "print(open('/home/wuying/data.txt').read())") == (
        "from the file tool\n",
        False,
    )
    code = "require('fs').writeFileSync('made-by-node.txt', 'node was here')"
    assert run_code(wire, session_id, code, "javascript") == ("", False)
    assert call(wire, session_id, "read_file", path="/home/wuying/made-by-node.txt") == (
        "node was here",
        False,
    )
    # And the same files as a shell command.
    assert call(wire, session_id, "shell", command="cat made-by-node.txt") == ("node was here", False)


def test_errors_carry_the_traceback(wire: Wire) -> None:
    session_id = wire.create()
    text, is_error = run_code(wire, session_id, "print('before')\nx")
    assert is_error
    assert text.startswith("before\nTraceback (most recent call last):")
    assert text.endswith("NameError: name 'x' is not defined\n")
    text, is_error = run_code(wire, session_id, "def (")
    assert is_error and "SyntaxError" in text
    text, is_error = run_code(wire, session_id, "console.log('before'); x", "javascript")
    assert is_error and text.startswith("before\n") and "ReferenceError: x is not defined" in text
    assert run_code(wire, session_id, "import sys; sys.exit(3)") == ("The program exited with status 3", True)


def test_a_timeout_kills_the_program_and_what_it_started(wire: Wire) -> None:
    session_id = wire.create()
    marker = f"ab{random.randint(10**9, 10**10 - 1)}"  # fits a process name (15 bytes)
    code = (
        "import subprocess, time\n"
        f"open('/proc/self/comm', 'w').write('{marker}')\n"
        f"subprocess.Popen(['sleep', '{random.randint(100, 999)}.{marker[2:]}'])\n"
        "print('started', flush=True)\n"
        "time.sleep(60)\n"
    )
    text, is_error = run_code(wire, session_id, code, timeout_s=1)
    assert (text, is_error) == ("Code execution timed out after 1 s\nstarted\n", True)
    assert wait_for(lambda: live_processes(marker[2:]) == [])  # python3 and its sleep both gone
    node = f"process.title = 'nd{marker[2:]}'; setInterval(() => {{}}, 1000)"
    assert run_code(wire, session_id, node, "javascript", timeout_s=1) == (
        "Code execution timed out after 1 s",
        True,
    )
    assert wait_for(lambda: live_processes(f"nd{marker[2:]}") == [])
    # The session goes on.
    assert run_code(wire, session_id, "print(1)") == ("1\n", False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            {"code": "1", "language": "ruby", "timeout_s": 5},
            "Supported languages are 'python' and 'javascript'",
        ),
        ({"code": "1", "language": "Python", "timeout_s": 5}, "Unsupported language: 'Python'"),
        ({"code": "1", "language": "python", "timeout_s": 0}, "'timeout_s' must be a positive"),
        ({"code": "1", "language": "python", "timeout_s": "5"}, "'timeout_s' must be an integer"),
        ({"language": "python", "timeout_s": 5}, "Missing required argument 'code'"),
        ({"code": "1", "timeout_s": 5}, "Missing required argument 'language'"),
    ],
)
def test_bad_arguments_are_tool_errors(wire: Wire, args: dict[str, Any], message: str) -> None:
    session_id = wire.create()
    text, is_error = call(wire, session_id, "run_code", **args)
    assert is_error and message in text


def test_a_missing_timeout_is_the_default_and_a_huge_one_is_capped(
    wire: Wire, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = wire.create()
    seen: list[float] = []
    original = _run.run_program

    async def spy(*args: Any, **options: Any) -> Any:
        seen.append(options["timeout_s"])
        return await original(*args, **options)

    monkeypatch.setattr(_run, "run_program", spy)
    assert call(wire, session_id, "run_code", code="print(2)", language="python") == ("2\n", False)
    assert run_code(wire, session_id, "print(3)", timeout_s=10**9) == ("3\n", False)
    assert seen == [_run.DEFAULT_TIMEOUT_S, _run.MAX_TIMEOUT_S]


def test_large_programs_and_output(wire: Wire) -> None:
    session_id = wire.create()
    # 300 KiB of source: more than one argument may hold, read from stdin.
    code = "x = 0\n" + "x += 1\n" * 50_000 + "print(x)\n"
    assert len(code) > 300_000
    assert run_code(wire, session_id, code) == ("50000\n", False)
    text, is_error = run_code(wire, session_id, "import sys; sys.stdout.write('a' * 3_000_000)")
    assert (len(text), is_error) == (3_000_000, False)


def test_programs_count_as_commands_in_the_bounds(state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_tools, "MAX_COMMANDS_PER_SESSION", 1)
    with (
        LocalServer(state_dir, api_keys=[KEY]) as server,
        httpx.Client(base_url=server.endpoint, timeout=60) as client,
    ):
        wire = Wire(client, KEY)
        session_id = wire.create()
        started = Path(server.state_dir) / "sessions" / session_id / "tmp" / "started"
        held: list[tuple[str, bool]] = []
        code = "import time; open('/tmp/started', 'w').close(); time.sleep(30)"
        holder = threading.Thread(target=lambda: held.append(run_code(wire, session_id, code)))
        holder.start()
        try:
            assert wait_for(started.exists, 30)
            text, is_error = run_code(wire, session_id, "print(1)")
            assert is_error and "at most 1 at once" in text
            text, is_error = call(wire, session_id, "shell", command="echo 1")
            assert is_error and "at most 1 at once" in text
        finally:
            wire.ok("ReleaseMcpSession", SessionId=session_id)  # kills the program
            holder.join(30)
        assert held and held[0][1] is True
