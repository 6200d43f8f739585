"""`AsyncSessionContext`: a session's context sync tasks (`session.context`)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .. import _context_sync as cs
from .._context_sync import ContextInfoResult, ContextStatusData, ContextSync, ContextSyncResult, WaitOutcome
from .._exceptions import CALL_FAILURES
from .._wire import _request_id

if TYPE_CHECKING:
    from ._session import AsyncSession

__all__ = ["AsyncSessionContext"]


class AsyncSessionContext:
    """The sync tasks of a session's contexts: what they report (`info`), and syncing on demand (`sync`).

    A context is mounted at create (`CreateSessionParams(context_syncs=[...])`); its files are
    downloaded then, and uploaded back by `sync()` or `delete(sync_context=True)`.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_id={self._session.session_id!r})"

    async def info(
        self, context_id: str | None = None, path: str | None = None, task_type: str | None = None
    ) -> ContextInfoResult:
        """The session's sync tasks (GetContextInfo), each filter narrowing them.

        Args:
            context_id: Only this context's tasks.
            path: Only the tasks of this sandbox path (a mount path, or a path given to `sync`).
            task_type: Only ``upload`` or only ``download`` tasks.

        Returns:
            `ContextInfoResult` whose `context_status_data` lists the tasks (`ContextStatusData`).
        """
        self._session._check_open()
        transport = self._session._transport
        body = cs.info_body(transport.auth, self._session.session_id, context_id, path, task_type)
        try:
            return cs.context_info(await transport.send(cs.GET_CONTEXT_INFO, body))
        except CALL_FAILURES as exc:
            return ContextInfoResult.failed(exc)

    async def sync(
        self,
        context_id: str | None = None,
        path: str | None = None,
        mode: str | None = None,
        *,
        wait: bool = True,
        timeout: float = cs.DEFAULT_WAIT_TIMEOUT,
    ) -> ContextSyncResult:
        """Sync the session's contexts now (SyncContext), and wait for the tasks this sync started.

        Args:
            context_id: Only this context (every mounted one when None).
            path: Only this sandbox path: a mount path, or a path under one.
            mode: ``upload`` (session to context; the service's default when None) or ``download``.
            wait: Wait until the tasks this sync started are Success or Failed; False returns once
                the service has accepted the sync (check later with `info`).
            timeout: Seconds to wait at most.

        Returns:
            `ContextSyncResult`; failed (with a `ContextSyncError`) when a task failed or did not
            finish within `timeout`, or with the service's error when it refused the sync. `tasks`
            lists the tasks waited for, as they ended.
        """
        self._session._check_open()
        timeout = cs.check_timeout(timeout)
        transport = self._session._transport
        session_id = self._session.session_id
        body = cs.sync_body(transport.auth, session_id, context_id, path, mode)
        try:
            before: list[ContextStatusData] = []
            since = int(time.time())
            if wait:
                # The tasks already there: those that appear or change after the sync are its own.
                before = await self._tasks(context_id, path)
            reply = await transport.send(cs.SYNC_CONTEXT, body)
            if not wait:
                return ContextSyncResult(request_id=_request_id(reply))
            watch = cs.SyncWait(before, since, mode, session_id)
            outcome = await self._wait(watch, context_id, path, timeout)
        except CALL_FAILURES as exc:
            return ContextSyncResult.failed(exc)
        if outcome.error is not None:
            return ContextSyncResult(
                success=False,
                request_id=_request_id(reply),
                error_message=str(outcome.error),
                error=outcome.error,
                tasks=outcome.tasks,
            )
        return ContextSyncResult(request_id=_request_id(reply), tasks=outcome.tasks)

    async def _tasks(self, context_id: str | None, path: str | None) -> list[ContextStatusData]:
        """The session's tasks, filtered; raises what `send` raises."""
        transport = self._session._transport
        body = cs.info_body(transport.auth, self._session.session_id, context_id, path, None)
        return cs.context_info(await transport.send(cs.GET_CONTEXT_INFO, body)).context_status_data

    async def _wait(
        self,
        watch: cs.SyncWait | cs.DownloadWait,
        context_id: str | None,
        path: str | None,
        timeout: float,
    ) -> WaitOutcome:
        """Poll GetContextInfo until `watch` says its tasks are done, or `timeout` seconds passed.

        Raises:
            AgentBayError: A poll failed (after the transport's retries).
        """
        backoff = cs.Backoff(timeout)
        while True:
            outcome = watch.check(await self._tasks(context_id, path), backoff.elapsed())
            if outcome is not None:
                return outcome
            pause = backoff.pause()
            if pause is None:
                return watch.timed_out(timeout)
            await self._session._transport.sleep(pause)

    async def _wait_for_downloads(self, syncs: Sequence[ContextSync], timeout: float) -> WaitOutcome:
        """What `create` waits for: the downloads of the contexts it mounted (see `DownloadWait`)."""
        watch = cs.DownloadWait(syncs, self._session.session_id)
        if not watch.context_ids:
            return WaitOutcome([])
        return await self._wait(watch, None, None, timeout)
