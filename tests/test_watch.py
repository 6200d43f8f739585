"""file_system.watch_directory and get_file_change against the fake service (both flavours): the reply
parser, the thread (returned not started, stopped and joined by its event), the async iterator and
task, callbacks only for polls with events, the first poll arming the watch, failed polls logged and
retried, and a deleted session ending the watcher."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from agentbay import (
    AsyncDirectoryWatcher,
    DirectoryWatcher,
    FileChangeEvent,
    FileChangeResult,
    FileChangeType,
    InvalidInputError,
    NoSuchFileError,
    SessionClosedError,
)
from agentbay._watch import parse_events

from ._fake import API_KEY, FakeService, envelope

PATH = "/home/wuying/watch"
CREATED = [{"eventType": "create", "path": f"{PATH}/new.txt", "pathType": "file"}]
MODIFIED = [
    {"eventType": "modify", "path": f"{PATH}/notes.md", "pathType": "file"},
    {"eventType": "delete", "path": f"{PATH}/old", "pathType": "directory"},
]
# Long enough that a test never sees a poll it did not script; `stop()` wakes the watcher anyway.
LONG = 3600.0
JOIN_S = 30


def events_of(items: list[dict[str, str]]) -> list[FileChangeEvent]:
    return [FileChangeEvent.from_dict(item) for item in items]


def script(fake: FakeService, *replies: list[dict[str, str]] | str) -> None:
    for reply in replies:
        fake.tool("get_file_change", reply if isinstance(reply, str) else json.dumps(reply))


def polls(fake: FakeService) -> list[dict[str, Any]]:
    return [args for name, args in fake.tools() if name == "get_file_change"]


def session_of(bay: Any) -> Any:
    return bay.create().unwrap()


def collect(flavour: str, session: Any, wanted: int, **kwargs: Any) -> list[list[FileChangeEvent]]:
    """The first `wanted` event lists a watcher of PATH hands out: by callback from the thread (sync),
    or by iterating the async watcher; the watcher is stopped afterwards."""
    got: list[list[FileChangeEvent]] = []
    if flavour == "sync":
        done = threading.Event()

        def on_changes(events: list[FileChangeEvent]) -> None:
            got.append(events)
            if len(got) == wanted:
                done.set()

        watcher = session.file_system.watch_directory(PATH, on_changes, interval=0.001, **kwargs)
        watcher.start()
        deadline = time.monotonic() + JOIN_S
        while watcher.is_alive() and not done.wait(0.01):  # until enough, or the watcher ends by itself
            assert time.monotonic() < deadline
        watcher.stop(JOIN_S)
        assert not watcher.is_alive()
        return got

    async def run() -> None:
        watcher = session.wrapped.file_system.watch_directory(PATH, interval=0.001, **kwargs)
        async for events in watcher:
            got.append(events)
            if len(got) == wanted:
                break

    asyncio.run(run())
    return got


# Tests of one flavour's watcher pin the `flavour` fixture.
SYNC_ONLY = pytest.mark.parametrize("flavour", ["sync"])
ASYNC_ONLY = pytest.mark.parametrize("flavour", ["async"])


@pytest.fixture
def sync_bay(make_bay: Callable[..., Any]) -> Any:
    return make_bay()


@pytest.fixture
def async_bay(make_bay: Callable[..., Any]) -> Any:
    return make_bay()


# ---- the reply ---------------------------------------------------------------------------------


def test_events_are_parsed_from_the_json_list_with_typed_kinds() -> None:
    events = parse_events(json.dumps(CREATED + MODIFIED))
    assert [e.event_type for e in events] == [
        FileChangeType.CREATE,
        FileChangeType.MODIFY,
        FileChangeType.DELETE,
    ]
    assert events[0] == FileChangeEvent(event_type="create", path=f"{PATH}/new.txt", path_type="file")
    assert events[0].event_type == "create" and isinstance(events[0].event_type, FileChangeType)
    assert events[2].is_directory and not events[0].is_directory
    assert [e.to_dict() for e in events] == CREATED + MODIFIED
    odd = parse_events('[{"eventType": "rename", "path": "/tmp/x"}, 3, "text"]')
    assert odd == [FileChangeEvent(event_type="rename", path="/tmp/x", path_type="")]


@pytest.mark.parametrize("text", ["ok", "", '{"eventType": "create"}', "null", "[1, 2"])
def test_a_reply_that_is_not_a_list_is_no_events_and_logged(
    text: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="agentbay"):
        assert parse_events(text) == []
    assert "get_file_change" in caplog.text


def test_the_result_sorts_files_by_kind() -> None:
    result = FileChangeResult(events=events_of(CREATED + MODIFIED), raw_data="x")
    assert result.has_changes() and not FileChangeResult().has_changes()
    assert result.get_created_files() == [f"{PATH}/new.txt"]
    assert result.get_modified_files() == [f"{PATH}/notes.md"]
    assert result.get_deleted_files() == []  # a directory is not a file


def test_get_file_change_sends_the_path_and_parses_the_reply(bay: Any, fake: FakeService) -> None:
    fs = session_of(bay).file_system
    script(fake, CREATED)
    result = fs._get_file_change(PATH)
    assert result.success and result.events == events_of(CREATED) and result.raw_data == json.dumps(CREATED)
    assert polls(fake) == [{"path": PATH}]
    fake.tool("get_file_change", f"No such file or directory: {PATH}", is_error=True)
    failed = fs._get_file_change(PATH)
    assert not failed.success and isinstance(failed.error, NoSuchFileError) and failed.events == []


# ---- the watcher -------------------------------------------------------------------------------


@SYNC_ONLY
def test_the_sync_watcher_is_a_daemon_thread_returned_not_started(sync_bay: Any) -> None:
    bay = sync_bay
    fs = session_of(bay).file_system
    own = threading.Event()
    watcher = fs.watch_directory(PATH, print, stop_event=own)
    assert isinstance(watcher, threading.Thread) and isinstance(watcher, DirectoryWatcher)
    assert watcher.daemon and not watcher.is_alive() and watcher.stop_event is own
    assert watcher.name == "DirectoryWatcher-_home_wuying_watch"  # as the official SDK names it
    assert watcher.interval == 0.5
    assert isinstance(fs.watch_directory(PATH, print).stop_event, threading.Event)


def test_callbacks_get_only_polls_with_events_and_not_the_first(
    flavour: str, bay: Any, fake: FakeService
) -> None:
    session = session_of(bay)
    # The first poll arms the watch: what it returns happened before the watcher started.
    script(fake, CREATED, "[]", CREATED, "[]", "[]", MODIFIED)
    got = collect(flavour, session, 2)
    assert got == [events_of(CREATED), events_of(MODIFIED)]
    assert len(polls(fake)) == 6 and all(p == {"path": PATH} for p in polls(fake))


@SYNC_ONLY
def test_stop_ends_the_thread_at_once_and_joins(sync_bay: Any, fake: FakeService) -> None:
    bay = sync_bay
    watcher = session_of(bay).file_system.watch_directory(PATH, print, interval=LONG)
    watcher.start()
    assert watcher.ready_event.wait(JOIN_S)
    watcher.stop(JOIN_S)  # wakes the wait of `interval`
    assert not watcher.is_alive() and watcher.stop_event.is_set()
    assert len(polls(fake)) == 1  # the first poll only: the interval is waited between polls


@SYNC_ONLY
def test_setting_the_stop_event_ends_the_thread(sync_bay: Any, fake: FakeService) -> None:
    bay = sync_bay
    stop = threading.Event()
    watcher = session_of(bay).file_system.watch_directory(PATH, print, interval=LONG, stop_event=stop)
    watcher.start()
    assert watcher.ready_event.wait(JOIN_S)
    stop.set()
    watcher.join(JOIN_S)
    assert not watcher.is_alive()


@SYNC_ONLY
def test_a_with_block_starts_the_thread_armed_and_stops_it(sync_bay: Any, fake: FakeService) -> None:
    bay = sync_bay
    with session_of(bay).file_system.watch_directory(PATH, print, interval=LONG) as watcher:
        assert watcher.is_alive() and watcher.ready_event.is_set() and len(polls(fake)) == 1
    assert not watcher.is_alive()


@SYNC_ONLY
def test_the_sync_watcher_iterates_without_a_callback(sync_bay: Any, fake: FakeService) -> None:
    bay = sync_bay
    script(fake, "[]", CREATED)
    watcher = session_of(bay).file_system.watch_directory(PATH, interval=0.001)
    with pytest.raises(InvalidInputError, match="no callback"):
        watcher.start()
    with watcher:  # arms the watch in this thread: the body's changes are seen
        assert watcher.ready_event.is_set() and len(polls(fake)) == 1 and not watcher.is_alive()
        for events in watcher:
            assert events == events_of(CREATED)
            break
    assert watcher.stop_event.is_set() and len(polls(fake)) == 2


@ASYNC_ONLY
def test_the_async_watcher_runs_a_callback_task_sync_or_async(async_bay: Any, fake: FakeService) -> None:
    session = session_of(async_bay).wrapped  # the AsyncSession
    script(fake, "[]", CREATED, "[]", MODIFIED)

    async def run() -> list[Any]:
        got: list[Any] = []
        done = asyncio.Event()

        async def on_async(events: list[FileChangeEvent]) -> None:
            got.append(events)
            if len(got) == 2:
                done.set()

        watcher = session.file_system.watch_directory(PATH, on_async, interval=0.001)
        assert isinstance(watcher, AsyncDirectoryWatcher) and not watcher.is_alive()
        await watcher.start()
        assert watcher.ready_event.is_set() and watcher.is_alive()
        await asyncio.wait_for(done.wait(), JOIN_S)
        await watcher.stop()
        assert not watcher.is_alive()
        plain: list[Any] = []
        async with session.file_system.watch_directory(PATH, plain.append, interval=LONG) as second:
            assert second.is_alive()
        assert not second.is_alive() and plain == []
        return got

    assert asyncio.run(run()) == [events_of(CREATED), events_of(MODIFIED)]


@ASYNC_ONLY
def test_the_async_iterator_ends_when_stopped(async_bay: Any, fake: FakeService) -> None:
    session = session_of(async_bay).wrapped

    async def run() -> int:
        watcher = session.file_system.watch_directory(PATH, interval=LONG)
        count = 0

        async def stopper() -> None:
            await asyncio.to_thread(watcher.ready_event.wait, JOIN_S)
            await watcher.stop()

        task = asyncio.create_task(stopper())
        async for _ in watcher:
            count += 1
        await task
        return count

    assert asyncio.run(run()) == 0 and len(polls(fake)) == 1


@ASYNC_ONLY
def test_an_async_with_block_arms_the_watch_before_its_body(async_bay: Any, fake: FakeService) -> None:
    session = session_of(async_bay).wrapped
    script(fake, CREATED, "[]", MODIFIED)

    async def run() -> list[Any]:
        got = []
        async with session.file_system.watch_directory(PATH, interval=0.001) as watcher:
            assert watcher.ready_event.is_set() and len(polls(fake)) == 1 and not watcher.is_alive()
            async for events in watcher:
                got.append(events)
                break
        assert watcher.stop_event.is_set()
        with pytest.raises(InvalidInputError, match="started already"):
            await watcher.start()
        return got

    assert asyncio.run(run()) == [events_of(MODIFIED)]  # not the arming poll's


# ---- failures ----------------------------------------------------------------------------------


def test_a_failed_poll_is_logged_without_the_key_and_polling_goes_on(
    flavour: str, bay: Any, fake: FakeService, caplog: pytest.LogCaptureFixture
) -> None:
    session = session_of(bay)
    fake.tool("get_file_change", "[]")
    fake.tool("get_file_change", f"watcher broke (key {API_KEY})", is_error=True)
    fake.reply("CallMcpTool:get_file_change", {"Code": "InternalError", "Message": "boom"}, status=500)
    script(fake, CREATED)
    with caplog.at_level(logging.WARNING, logger="agentbay"):
        got = collect(flavour, session, 1)
    assert got == [events_of(CREATED)]
    warnings = [
        r for r in caplog.records if r.levelno == logging.WARNING and "watch_directory" in r.getMessage()
    ]
    assert len(warnings) == 2 and "watcher broke" in warnings[0].getMessage()
    assert API_KEY not in caplog.text


def test_a_session_the_service_no_longer_knows_ends_the_watcher(
    flavour: str, bay: Any, fake: FakeService
) -> None:
    session = session_of(bay)
    script(fake, "[]", "[]")
    gone = envelope(None, Success=False, Code="InvalidMcpSession.NotFound", Message="gone")
    fake.reply("CallMcpTool:get_file_change", gone)
    assert collect(flavour, session, 1) == []  # returns: the watcher ended by itself
    assert len(polls(fake)) == 3


@SYNC_ONLY
def test_deleting_the_session_ends_the_thread(sync_bay: Any, fake: FakeService) -> None:
    session = session_of(sync_bay)
    watcher = session.file_system.watch_directory(PATH, print, interval=0.001)
    watcher.start()
    assert watcher.ready_event.wait(JOIN_S)
    session.delete()
    watcher.join(JOIN_S)
    assert not watcher.is_alive() and not watcher.stop_event.is_set()
    with pytest.raises(SessionClosedError):
        session.file_system.watch_directory(PATH, print)


@SYNC_ONLY
def test_a_callback_that_raises_is_logged_and_the_watcher_goes_on(
    sync_bay: Any, fake: FakeService, caplog: pytest.LogCaptureFixture
) -> None:
    session = session_of(sync_bay)
    script(fake, "[]", CREATED, MODIFIED)
    got: list[Any] = []
    done = threading.Event()

    def on_changes(events: list[FileChangeEvent]) -> None:
        got.append(events)
        if len(got) == 1:
            raise RuntimeError("callback bug")
        done.set()

    with caplog.at_level(logging.WARNING, logger="agentbay"):
        watcher = session.file_system.watch_directory(PATH, on_changes, interval=0.001)
        watcher.start()
        assert done.wait(JOIN_S)
        watcher.stop(JOIN_S)
    assert got == [events_of(CREATED), events_of(MODIFIED)]
    assert "callback bug" in caplog.text


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"path": ""}, "path"),
        ({"interval": 0}, "interval"),
        ({"interval": -1.0}, "interval"),
        ({"interval": True}, "interval"),
        ({"interval": "1"}, "interval"),
        ({"callback": "not callable"}, "callable"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_sent(
    bay: Any, fake: FakeService, kwargs: dict[str, Any], match: str
) -> None:
    fs = session_of(bay).file_system
    args = {"path": PATH, "callback": print, **kwargs}
    with pytest.raises(InvalidInputError, match=match):
        fs.watch_directory(**args)
    assert polls(fake) == []
