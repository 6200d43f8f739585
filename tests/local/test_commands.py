"""Commands on the local server: the reply format each client gets, capacity, and the bounds."""

from __future__ import annotations

import asyncio
import json
import os
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agentbay import AsyncAgentBay, AsyncSession
from agentbay_local import LocalServer, _tools
from agentbay_local.sandbox import TOOLS, SandboxWarning, _shell, end_session

from ._wire import KEY, OTHER_KEY, Wire

SPLIT = '{"command": "echo out; echo err >&2", "timeout_ms": 10000}'


def shell(wire: Wire, session_id: str, args: str, **form: str) -> dict[str, Any]:
    data: dict[str, Any] = wire.ok("CallMcpTool", SessionId=session_id, Name="shell", Args=args, **form)[
        "Data"
    ]
    return data


# ---- the reply format ----------------------------------------------------------------------------


def test_old_clients_get_raw_text_on_success(wire: Wire) -> None:
    session_id = wire.create()
    data = shell(wire, session_id, SPLIT)  # 0.8/0.9 send no AutoGenSession: they show the text as is
    assert data == {"content": [{"type": "text", "text": "out\nerr\n"}], "isError": False}


def test_clients_that_parse_json_get_stdout_and_stderr_apart(wire: Wire) -> None:
    session_id = wire.create()
    data = shell(wire, session_id, SPLIT, AutoGenSession="False", Server="")  # as 0.22.3 and we send
    assert data["isError"] is False
    assert json.loads(data["content"][0]["text"]) == {
        "stdout": "out\n",
        "stderr": "err\n",
        "exit_code": 0,
        "truncated": False,
        "stdout_bytes": 4,
        "stderr_bytes": 4,
    }
    failed = shell(wire, session_id, '{"command": "echo out; exit 4"}', AutoGenSession="False")
    assert failed["isError"] is True and json.loads(failed["content"][0]["text"])["exit_code"] == 4


# ---- capacity ------------------------------------------------------------------------------------


def _started(server: LocalServer, session_id: str) -> bool:
    return (Path(server.state_dir) / "sessions" / session_id / "tmp" / "started").exists()


async def _wait_started(server: LocalServer, sessions: list[AsyncSession], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not all(_started(server, s.session_id) for s in sessions):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def test_a_file_read_is_not_held_up_by_50_running_commands(server: LocalServer) -> None:
    """Before commands were awaited on the event loop, each held one of the server's 40 threads for its
    whole run: the 41st command, and a read_file in another session, waited for a `sleep` to end."""

    async def scenario() -> None:
        async with AsyncAgentBay(api_key=KEY, endpoint=server.endpoint, timeout=60) as bay:
            reader, *busy = [(await bay.create()).unwrap() for _ in range(51)]
            await reader.file_system.write_file("/tmp/small.txt", "still here")
            ended: list[str] = []

            async def sleep(session: AsyncSession) -> None:
                result = await session.command.execute_command("touch /tmp/started; sleep 5", 60_000)
                assert result.success, result.error_message
                ended.append(session.session_id)

            sleeps = [asyncio.ensure_future(sleep(s)) for s in busy]
            # All 50 run at once (each has started) before the first one ends...
            assert await _wait_started(server, busy, timeout=30)
            read = await reader.file_system.read_file("/tmp/small.txt")
            # ...and the read is answered while they all still run.
            assert read.content == "still here"
            assert ended == []
            await asyncio.gather(*sleeps)
            assert len(ended) == 50
            await asyncio.gather(*(s.delete() for s in [reader, *busy]))

    asyncio.run(scenario())


# ---- bounds --------------------------------------------------------------------------------------


@pytest.fixture
def small_bounds(state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    """A server of its own that runs at most 2 commands per session and 3 per key."""
    monkeypatch.setattr(_tools, "MAX_COMMANDS_PER_SESSION", 2)
    monkeypatch.setattr(_tools, "MAX_COMMANDS_PER_KEY", 3)
    with LocalServer(state_dir, api_keys=[KEY, OTHER_KEY]) as running:
        yield running


def test_commands_are_bounded_per_session_and_per_key(small_bounds: LocalServer) -> None:
    server = small_bounds

    async def scenario() -> None:
        async with (
            AsyncAgentBay(api_key=KEY, endpoint=server.endpoint) as bay,
            AsyncAgentBay(api_key=OTHER_KEY, endpoint=server.endpoint) as other_bay,
        ):
            first, second, third = [(await bay.create()).unwrap() for _ in range(3)]
            mine = (await other_bay.create()).unwrap()
            hold = "touch /tmp/started; sleep 30"
            running = [asyncio.ensure_future(s.command.execute_command(hold)) for s in (first, first, second)]
            assert await _wait_started(server, [first, second], timeout=30)
            await asyncio.sleep(0.2)  # the second command of `first` is running too (its marker is shared)

            refused = await first.command.execute_command("echo third")
            assert not refused.success and refused.exit_code == 1
            assert "at most 2 at once" in refused.error_message and "session" in refused.error_message
            refused = await third.command.execute_command("echo fourth")  # 3 run for this key
            assert not refused.success and "for this API key: at most 3" in refused.error_message
            # Another key is not bounded by this one's commands; file tools are not bounded at all.
            assert (await mine.command.execute_command("echo other key")).stdout == "other key\n"
            assert (await first.file_system.write_file("/tmp/f", "x")).success

            await asyncio.gather(first.delete(), second.delete())  # ends their commands, freeing places
            await asyncio.gather(*running)
            assert (await third.command.execute_command("echo again")).stdout == "again\n"
            await asyncio.gather(third.delete(), mine.delete())

    asyncio.run(scenario())


def test_a_timeout_still_kills_the_command_group(server: LocalServer) -> None:
    marker = f"30.{os.getpid()}{time.monotonic_ns() % 10_000}"  # a `sleep` no other test runs

    async def scenario() -> None:
        async with AsyncAgentBay(api_key=KEY, endpoint=server.endpoint) as bay:
            session = (await bay.create()).unwrap()
            async with session:
                command = f"sleep {marker} & sleep {marker}; echo never"
                result = await session.command.execute_command(command, 500)
                assert result.error is not None and "timed out after 500 ms" in result.error_message
                # The background `sleep` of the command's group went with it.
                left = await session.command.execute_command(f"ps -eo args | grep -c '^sleep {marker}'")
                assert left.stdout == "0\n"

    asyncio.run(scenario())


# ---- the sandbox warning -------------------------------------------------------------------------


def test_no_sandbox_is_said_once_at_start_up(state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_shell, "bwrap_executable", lambda: None)
    monkeypatch.setattr(_shell, "_fallback_warned", False)
    with pytest.warns(SandboxWarning, match="NOT isolated"), LocalServer(state_dir, api_keys=[KEY]) as server:
        pass  # said at start-up, before any command
    with warnings.catch_warnings(record=True) as later, LocalServer(state_dir, api_keys=[KEY]) as server:
        warnings.simplefilter("always")

        async def command() -> str:
            async with AsyncAgentBay(api_key=KEY, endpoint=server.endpoint) as bay:
                session = (await bay.create()).unwrap()
                async with session:
                    return (await session.command.execute_command("echo ran")).stdout

        assert asyncio.run(command()) == "ran\n"
    assert not [w for w in later if issubclass(w.category, SandboxWarning)]


def test_exits_are_polled_where_there_is_no_pidfd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pidfd(pid: int, flags: int = 0) -> int:
        raise OSError(38, "Function not implemented")  # Linux < 5.3

    monkeypatch.setattr(os, "pidfd_open", no_pidfd)
    run = TOOLS["shell"]
    try:
        assert run(tmp_path, {"command": "sleep 0.2; echo done", "timeout_ms": 10_000}) == ("done\n", False)
        timed_out = run(tmp_path, {"command": "sleep 10", "timeout_ms": 300})
        assert timed_out == ("Command timed out after 300 ms", True)
    finally:
        end_session(tmp_path)
