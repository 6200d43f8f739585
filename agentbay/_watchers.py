"""The watchers `file_system.watch_directory` returns: `DirectoryWatcher` (a thread, sync client) and
`AsyncDirectoryWatcher` (async client).

Hand-written, both here: `agentbay/_sync/` is generated from `agentbay/_async/` and a thread cannot come
out of a coroutine by substitution. The generated `_sync/_filesystem.py` still gets the right class
for free: unasync turns `AsyncDirectoryWatcher` into `DirectoryWatcher`, and both live in this module.

Both poll `get_file_change` every `interval` seconds. The first poll arms the watch (the service starts
watching the path then) and its events are not reported: a watcher reports the changes from then on,
as the official SDK 0.22.3 does. Entering a watcher's `with` / `async with` block arms it before the
block's body runs, so that changes the body makes are seen. Each later poll with events is handed out (to the callback, or to the
iterating caller); polls without events are not. A failed poll is logged at WARNING and the watcher
polls again; a deleted session (or one the service no longer knows) ends it. What they share without
I/O is in `_watch`.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING

from . import _watch as watch
from ._exceptions import InvalidInputError
from ._watch import FileChangeEvent

if TYPE_CHECKING:
    from ._async._filesystem import AsyncFileSystem
    from ._sync._filesystem import FileSystem

__all__ = ["AsyncDirectoryWatcher", "DirectoryWatcher", "WatchCallback"]

WatchCallback = Callable[[list[FileChangeEvent]], object]
"""Called with the events of each poll that has some; in the async client it may be a coroutine function."""


def _no_callback(path: str) -> InvalidInputError:
    return InvalidInputError(
        f"watch_directory({path!r}) was given no callback: iterate it instead of starting it"
    )


class DirectoryWatcher(threading.Thread):
    """Watches a session directory from a daemon thread, calling `callback(events)` for each poll with
    events. Returned NOT started, as the official SDK's: call `start()`, then set `stop_event` (or call
    `stop()`, which also joins). `ready_event` is set once the first poll has armed the watch: changes
    made after it are reported.

    As a context manager it arms the watch before the block runs: with a callback it starts the thread
    and waits for `ready_event`; without one, iterate it in the block (``for events in watcher:``, in
    the calling thread, until `stop_event` is set or the loop breaks). The block's end stops and joins.
    """

    def __init__(
        self,
        file_system: FileSystem,
        path: str,
        callback: WatchCallback | None,
        interval: float,
        stop_event: threading.Event | None,
    ) -> None:
        super().__init__(name=watch.thread_name(path), daemon=True)
        self.path = path
        self.interval = interval
        self.stop_event = stop_event if stop_event is not None else threading.Event()
        """Set it to stop the watcher (it stops within one `interval`, or after a poll in flight)."""
        self.ready_event = threading.Event()
        """Set once the first poll has armed the watch (or the watcher has ended)."""
        self._file_system = file_system
        self._on_changes = callback
        self._ended = False  # the session is gone

    def start(self) -> None:
        """Start the thread that polls and calls the callback (which `watch_directory` must have had)."""
        if self._on_changes is None:
            raise _no_callback(self.path)
        super().start()

    def run(self) -> None:
        try:
            for events in self:
                try:
                    self._on_changes(events)  # type: ignore[misc]  # start() checked it
                except Exception:
                    watch.log_callback_error(self.path)
        finally:
            self.ready_event.set()

    def stop(self, timeout: float | None = None) -> None:
        """Set `stop_event` and, if the thread runs, wait for it to end (at most `timeout` seconds)."""
        self.stop_event.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)

    def _arm(self) -> None:
        if not self.ready_event.is_set():
            self._ended = self._poll() is None
            self.ready_event.set()

    def __iter__(self) -> Iterator[list[FileChangeEvent]]:
        self._arm()
        while not self._ended and not self.stop_event.wait(self.interval):
            events = self._poll()
            if events is None:
                self._ended = True
            elif events:
                yield events

    def _poll(self) -> list[FileChangeEvent] | None:
        """The events of one poll; [] after a failure (logged); None when the session is gone."""
        try:
            result = self._file_system._get_file_change(self.path)
        except Exception as exc:  # a thread has no caller to raise to
            return watch.poll_failed(self.path, exc)
        return watch.poll_events(self.path, result)

    def __enter__(self) -> DirectoryWatcher:
        if self._on_changes is None:
            self._arm()
        else:
            self.start()
            self.ready_event.wait()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


class AsyncDirectoryWatcher:
    """Watches a session directory from the event loop. Two ways to use it:

    - ``async for events in watcher:`` polls every `interval` seconds and yields each poll with
      events, until `stop()` (or `stop_event.set()`), a ``break``, or the end of the session;
    - with a callback (a function or a coroutine function), the polls run in a task that calls it:
      ``await watcher.start()`` returns once the watch is armed, ``await watcher.stop()`` ends the
      task and waits for it.

    ``async with session.file_system.watch_directory(path[, callback]) as watcher:`` is `start()`
    and `stop()`: the watch is armed before the block runs (without a callback, iterate it in the
    block). `stop_event` is a `threading.Event` as in the sync client: `stop()` wakes the watcher at
    once; a `stop_event.set()` from elsewhere is seen within one `interval`.
    """

    def __init__(
        self,
        file_system: AsyncFileSystem,
        path: str,
        callback: WatchCallback | None,
        interval: float,
        stop_event: threading.Event | None,
    ) -> None:
        self.path = path
        self.interval = interval
        self.stop_event = stop_event if stop_event is not None else threading.Event()
        self.ready_event = threading.Event()
        """Set once the first poll has armed the watch (or the watcher has ended)."""
        self._file_system = file_system
        self._on_changes = callback
        self._ended = False  # the session is gone
        self._started = False
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self.path!r}, interval={self.interval}, alive={self.is_alive()})"

    async def start(self) -> None:
        """Arm the watch (the first poll); with a callback, run the polls in a task that calls it.
        Returns once the watch is armed. Without a callback, iterate the watcher afterwards."""
        if self._started:
            raise InvalidInputError("this watcher was started already")
        self._started = True
        await self._arm()
        if self._on_changes is not None:
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name=watch.thread_name(self.path)
            )

    def is_alive(self) -> bool:
        """Whether the callback's task (see `start`) is running."""
        return self._task is not None and not self._task.done()

    async def join(self) -> None:
        """Wait for the callback's task to end (after `stop_event` is set, or the session ends)."""
        if self._task is not None:
            await self._task

    async def stop(self) -> None:
        """Stop the watcher, and wait for its callback's task (if any) to end."""
        self.stop_event.set()
        self._wake.set()
        await self.join()

    async def _run(self) -> None:
        async for events in self:
            try:
                outcome = self._on_changes(events)  # type: ignore[misc]  # start() checked it
                if inspect.isawaitable(outcome):
                    await outcome
            except Exception:
                watch.log_callback_error(self.path)

    async def _arm(self) -> None:
        if not self.ready_event.is_set():
            self._ended = await self._poll() is None
            self.ready_event.set()

    async def __aiter__(self) -> AsyncIterator[list[FileChangeEvent]]:
        await self._arm()
        while not self._ended and not await self._stopped_after_interval():
            events = await self._poll()
            if events is None:
                self._ended = True
            elif events:
                yield events

    async def _stopped_after_interval(self) -> bool:
        if not self.stop_event.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
        return self.stop_event.is_set()

    async def _poll(self) -> list[FileChangeEvent] | None:
        """The events of one poll; [] after a failure (logged); None when the session is gone."""
        try:
            result = await self._file_system._get_file_change(self.path)
        except Exception as exc:  # as the thread: a task has no caller to raise to
            return watch.poll_failed(self.path, exc)
        return watch.poll_events(self.path, result)

    async def __aenter__(self) -> AsyncDirectoryWatcher:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()
