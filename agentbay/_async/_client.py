"""`AsyncAgentBay`: the client. Creates, finds, lists and deletes sessions."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING

import attrs
import httpx

from .. import _wire as wire
from .._config import check_max_retries, check_timeout, resolve_config
from .._constants import DEFAULT_IMAGE_ID, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from .._exceptions import CALL_FAILURES, AgentBayError, InvalidInputError
from .._types import CreateSessionParams, DeleteResult, SessionListResult, SessionResult, SessionSummary
from .._validate import check_labels, check_non_empty
from ._session import AsyncSession
from ._transport import AsyncTransport

if TYPE_CHECKING:
    from ._contexts import AsyncContextService

__all__ = ["AsyncAgentBay"]


def _page_size(limit: object) -> int:
    if limit is None:
        return DEFAULT_PAGE_SIZE
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInputError(f"Expected an int in 1..{MAX_PAGE_SIZE} for `limit`, got {limit!r}")
    return limit


class AsyncAgentBay:
    """The AgentBay client.

    Args:
        api_key: Your API key; else ``AGENTBAY_API_KEY``. Never logged nor shown in reprs and errors.
        endpoint: A full URL such as ``http://127.0.0.1:9000``; else the region's endpoint, else
            ``AGENTBAY_ENDPOINT``, else ``https://agentbay.cn-hangzhou.aliyuncs.com``.
        region_id: A region such as ``cn-hangzhou``, giving ``https://agentbay.{region}.aliyuncs.com``;
            else ``AGENTBAY_REGION_ID``.
        timeout: Seconds to wait for the service; else ``AGENTBAY_TIMEOUT``, else 60.
        max_retries: Retries of failures that are safe to retry; else ``AGENTBAY_MAX_RETRIES``, else 2.
        http_client: An httpx client of your own (proxies, a mock transport); you close it. It keeps its
            own timeouts unless `timeout` is given too.

    Raises:
        InvalidInputError: No API key was given or found, or a setting is malformed.

    Use ``async with AsyncAgentBay() as agent_bay:`` (or call `aclose`) to close its connection pool.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        endpoint: str | None = None,
        region_id: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._config = resolve_config(
            api_key=api_key, endpoint=endpoint, region_id=region_id, timeout=timeout, max_retries=max_retries
        )
        self._transport = AsyncTransport(self._config, http_client)
        if http_client is not None and timeout is not None:
            # A client passed in keeps its own timeouts, unless `timeout` is given here too.
            self._transport = self._transport.with_options(timeout=self._config.timeout, max_retries=None)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(endpoint={self._config.endpoint!r}, region_id={self._config.region_id!r})"
        )

    def with_options(self, *, timeout: float | None = None, max_retries: int | None = None) -> AsyncAgentBay:
        """A client with other defaults for `timeout` (seconds) and `max_retries`, sharing this one's
        connection pool; sessions it creates or gets use them. Closing it leaves the pool open: close the
        original client.

        ```python
        slow = agent_bay.with_options(timeout=300, max_retries=0)
        ```
        """
        timeout = check_timeout(timeout) if timeout is not None else None
        max_retries = check_max_retries(max_retries) if max_retries is not None else None
        clone = copy.copy(self)
        clone._config = attrs.evolve(
            self._config,
            timeout=self._config.timeout if timeout is None else timeout,
            max_retries=self._config.max_retries if max_retries is None else max_retries,
        )
        clone._transport = self._transport.with_options(timeout=timeout, max_retries=max_retries)
        return clone

    @property
    def endpoint(self) -> str:
        """The URL requests go to."""
        return self._config.endpoint

    @property
    def region_id(self) -> str:
        """The region the client is configured for."""
        return self._config.region_id

    @property
    def context(self) -> AsyncContextService:
        """The caller's contexts: named stores of files that outlive sessions."""
        # Made on each access (it holds nothing but the transport), so a `with_options` clone's
        # service uses the clone's timeout and retries. Imported on first use, as the session's.
        from ._contexts import AsyncContextService

        return AsyncContextService(self._transport)

    async def create(self, params: CreateSessionParams | None = None) -> SessionResult[AsyncSession]:
        """Create a session. Never retried after the request may have reached the service.

        With `params.context_syncs` or a `params.browser_context`, it then waits (up to
        `params.context_sync_timeout`) until each context is downloaded into the session. A download that fails or does not finish makes the
        result fail with a `ContextSyncError`; the session exists all the same and is on
        `result.session`: delete it (or use it) yourself, since `unwrap()` raises.

        Returns:
            A result whose `session` is the new session; on failure, `success` is False and `error`
            holds the typed error (`result.unwrap()` returns the session or raises it).
        """
        if params is None:
            params = CreateSessionParams()
        elif not isinstance(params, CreateSessionParams):
            raise InvalidInputError(f"Expected CreateSessionParams or None for `params`, got {params!r}")
        transport = self._transport
        try:
            reply = await transport.send(wire.CREATE_SESSION, wire.create_body(transport.auth, params))
            fields = wire.created_session(reply)
        except CALL_FAILURES as exc:
            return SessionResult.failed(exc)
        # The reply does not name the image: it is the one asked for, else the service's default
        # (linux_latest, in the cloud as on the local server; the official SDK assumes it too).
        session = AsyncSession(
            self,
            fields.session_id,
            resource_url=fields.resource_url,
            image_id=params.image_id or DEFAULT_IMAGE_ID,
        )
        mounts = params.mounts()
        if mounts:
            # The session is there: whatever happens to the downloads, the result carries it, so
            # that the caller can look at it, or delete it.
            try:
                outcome = await session.context._wait_for_downloads(mounts, params.context_sync_timeout)
                error: AgentBayError | None = outcome.error
            except CALL_FAILURES as exc:
                error = exc
            if error is not None:
                return SessionResult(
                    success=False,
                    request_id=fields.request_id,
                    error_message=str(error),
                    error=error,
                    session=session,
                )
        return SessionResult(request_id=fields.request_id, session=session)

    async def get(self, session_id: str) -> SessionResult[AsyncSession]:
        """Get an existing session by id (GetSession)."""
        check_non_empty(session_id, "session_id")
        transport = self._transport
        try:
            reply = await transport.send(wire.GET_SESSION, wire.session_body(transport.auth, session_id))
            fields = wire.got_session(reply, session_id)
        except CALL_FAILURES as exc:
            return SessionResult.failed(exc)
        session = AsyncSession(
            self, fields.session_id, resource_url=fields.resource_url, image_id=fields.image_id
        )
        return SessionResult(request_id=fields.request_id, session=session)

    async def list(
        self, labels: Mapping[str, str] | None = None, page: int | None = None, limit: int | None = None
    ) -> SessionListResult:
        """One page of the sessions whose labels include `labels` (every session when None).

        Args:
            labels: Labels every listed session must carry.
            page: The 1-based page; page N follows the service's NextToken N-1 times.
            limit: Sessions per page, 1..100 (10 by default).
        """
        wanted = check_labels(labels) if labels is not None else None
        size = _page_size(limit)
        if page is not None and (isinstance(page, bool) or not isinstance(page, int) or page < 1):
            raise InvalidInputError(f"Expected an int >= 1 for `page`, got {page!r}")
        transport = self._transport
        token: str | None = None
        try:
            for _ in range((page or 1) - 1):
                reply = await transport.send(
                    wire.LIST_SESSIONS, wire.list_body(transport.auth, wanted, size, token)
                )
                token = wire.session_page(reply).next_token
                if not token:
                    # Past the last page: an empty page, as a paginated list would show it.
                    return SessionListResult(request_id=wire._request_id(reply), max_results=size)
            reply = await transport.send(
                wire.LIST_SESSIONS, wire.list_body(transport.auth, wanted, size, token)
            )
            return wire.session_page(reply)
        except CALL_FAILURES as exc:
            return SessionListResult.failed(exc)

    async def list_all(
        self, labels: Mapping[str, str] | None = None, *, page_size: int = 50
    ) -> AsyncIterator[SessionSummary]:
        """Every session whose labels include `labels`, across all pages, fetched a page at a time.

        Safe to delete (or create) sessions while iterating: each page continues after the last
        session seen, so none is skipped, and none is yielded twice. Sessions created meanwhile may
        or may not appear.

        Raises:
            AgentBayError: A page could not be fetched.
        """
        wanted = check_labels(labels) if labels is not None else None
        size = _page_size(page_size)
        transport = self._transport
        token: str | None = None
        # A service whose tokens are offsets may show a session again when others were created
        # meanwhile: never yield one twice.
        seen: set[str] = set()
        while True:
            reply = await transport.send(
                wire.LIST_SESSIONS, wire.list_body(transport.auth, wanted, size, token)
            )
            page = wire.session_page(reply)
            for summary in page.sessions:
                if summary.session_id not in seen:
                    seen.add(summary.session_id)
                    yield summary
            # The same token again would loop forever; an empty page with a token says nothing more.
            if not page.next_token or not page.sessions or page.next_token == token:
                return
            token = page.next_token

    async def delete(self, session: AsyncSession, sync_context: bool = False) -> DeleteResult:
        """Delete `session`; the same as `session.delete(sync_context)`: a session already deleted, or
        gone from the service, counts as deleted (success). With `sync_context`, its contexts are
        uploaded first, and a failed upload keeps the session (see `AsyncSession.delete`)."""
        if not isinstance(session, AsyncSession):
            raise InvalidInputError(f"Expected a session for `session`, got {session!r}")
        return await session.delete(sync_context)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._transport.aclose()

    async def __aenter__(self) -> AsyncAgentBay:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
