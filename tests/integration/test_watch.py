"""file_system.watch_directory against the local server, sync and async: a command in the session
writes files and the watcher hands out the events; stop and session deletion end it."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from agentbay import FileChangeEvent, FileChangeType, NoSuchFileError

W = "/home/wuying/watched"
DEADLINE_S = 30


def changes(events: list[FileChangeEvent]) -> set[tuple[str, str, str]]:
    return {(str(e.event_type), e.path, e.path_type) for e in events}


EXPECTED = {
    ("create", f"{W}/a.txt", "file"),
    ("modify", f"{W}/a.txt", "file"),
    ("create", f"{W}/sub", "directory"),
    ("create", f"{W}/sub/b.txt", "file"),
    ("modify", f"{W}/sub/b.txt", "file"),
    ("delete", f"{W}/old.txt", "file"),
}
COMMAND = f"echo hi > {W}/a.txt && mkdir {W}/sub && echo there > {W}/sub/b.txt && rm {W}/old.txt"


def prepare(fs: Any) -> None:
    assert fs.create_directory(W).success
    assert fs.write_file(f"{W}/old.txt", "old").success


def test_the_thread_calls_back_with_what_a_command_changed(session: Any, flavour: str) -> None:
    prepare(session.file_system)
    if flavour == "async":
        _async_iteration(session)
        return
    seen: set[tuple[str, str, str]] = set()
    calls: list[list[FileChangeEvent]] = []
    done = threading.Event()

    def on_changes(events: list[FileChangeEvent]) -> None:
        calls.append(events)
        seen.update(changes(events))
        if seen >= EXPECTED:
            done.set()

    watcher = session.file_system.watch_directory(W, on_changes, interval=0.05)
    assert not watcher.is_alive()
    watcher.start()
    assert watcher.ready_event.wait(DEADLINE_S)
    assert session.command.execute_command(COMMAND).success
    assert done.wait(DEADLINE_S), seen
    watcher.stop(DEADLINE_S)
    assert not watcher.is_alive()
    assert seen == EXPECTED and all(calls)  # no callback for a poll without events
    assert all(isinstance(e.event_type, FileChangeType) for events in calls for e in events)


def _async_iteration(session: Any) -> None:
    fs, command = session.wrapped.file_system, session.wrapped.command

    async def run() -> set[tuple[str, str, str]]:
        seen: set[tuple[str, str, str]] = set()
        # The block arms the watch before its body: the command's changes are all seen.
        async with fs.watch_directory(W, interval=0.05) as watcher:
            assert (await command.execute_command(COMMAND)).success
            async with asyncio.timeout(DEADLINE_S):
                async for events in watcher:
                    assert events
                    seen.update(changes(events))
                    if seen >= EXPECTED:
                        break
        return seen

    assert session._loop.run_until_complete(run()) == EXPECTED


def test_an_async_callback_task_sees_a_write_and_stops(session: Any, flavour: str) -> None:
    if flavour == "sync":
        # The sync twin: a with-block starts the thread armed and stops it.
        session.file_system.create_directory(W)
        got: list[FileChangeEvent] = []
        with session.file_system.watch_directory(W, got.extend, interval=0.05) as watcher:
            session.file_system.write_file(f"{W}/c.txt", "c")
            deadline = time.monotonic() + DEADLINE_S
            while len(got) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
        assert not watcher.is_alive()
        assert changes(got) == {("create", f"{W}/c.txt", "file"), ("modify", f"{W}/c.txt", "file")}
        return
    fs = session.wrapped.file_system

    async def run() -> list[FileChangeEvent]:
        await fs.create_directory(W)
        got: list[FileChangeEvent] = []
        enough = asyncio.Event()

        async def on_changes(events: list[FileChangeEvent]) -> None:
            got.extend(events)
            if len(got) >= 2:
                enough.set()

        async with fs.watch_directory(W, on_changes, interval=0.05) as watcher:
            assert watcher.is_alive()
            await fs.write_file(f"{W}/c.txt", "c")
            await asyncio.wait_for(enough.wait(), DEADLINE_S)
        assert not watcher.is_alive()
        return got

    got = session._loop.run_until_complete(run())
    assert changes(got) == {("create", f"{W}/c.txt", "file"), ("modify", f"{W}/c.txt", "file")}


def test_deleting_the_session_ends_the_watcher(live: Any, flavour: str) -> None:
    session = live.create().unwrap()
    session.file_system.create_directory(W)
    if flavour == "sync":
        watcher = session.file_system.watch_directory(W, print, interval=0.05)
        watcher.start()
        assert watcher.ready_event.wait(DEADLINE_S)
        assert session.delete().success
        watcher.join(DEADLINE_S)
        assert not watcher.is_alive()
        return
    asession = session.wrapped

    async def run() -> None:
        watcher = asession.file_system.watch_directory(W, interval=0.05)

        async def deleter() -> None:
            await asyncio.to_thread(watcher.ready_event.wait, DEADLINE_S)
            assert (await asession.delete()).success

        task = asyncio.create_task(deleter())
        async with asyncio.timeout(DEADLINE_S):
            async for _ in watcher:
                pass  # ends when the session is gone
        await task

    session._loop.run_until_complete(run())


def test_a_missing_directory_is_a_no_such_file_error(session: Any) -> None:
    result = session.file_system._get_file_change("/home/wuying/not-there")
    assert not result.success and isinstance(result.error, NoSuchFileError) and result.events == []
