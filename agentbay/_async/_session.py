"""`AsyncSession`: one cloud session (sandbox) and the calls made on it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from .. import _wire as wire
from .._constants import DEFAULT_IMAGE_ID
from .._exceptions import CALL_FAILURES, NotFoundError, SessionClosedError
from .._types import ApiResult, DeleteResult, McpToolsResult, OperationResult, SessionInfo
from .._validate import check_labels, check_non_empty, check_port
from ._command import AsyncCommand
from ._filesystem import AsyncFileSystem

if TYPE_CHECKING:
    from ._application import AsyncApplicationManager
    from ._browser import AsyncBrowser
    from ._client import AsyncAgentBay
    from ._code import AsyncCode
    from ._computer import AsyncComputer
    from ._oss import AsyncOss
    from ._session_context import AsyncSessionContext
    from ._ui import AsyncUI
    from ._window import AsyncWindowManager

__all__ = ["AsyncSession"]

logger = logging.getLogger("agentbay")


R = TypeVar("R", bound=ApiResult)


class AsyncSession:
    """A cloud session. Get one from `AsyncAgentBay.create` or `AsyncAgentBay.get`.

    Used as ``async with session:``, it is deleted on exit, whatever happened inside. Once deleted, every
    call but `delete` (which succeeds again) raises `SessionClosedError` without sending anything.
    """

    def __init__(
        self,
        agent_bay: AsyncAgentBay,
        session_id: str,
        *,
        resource_url: str = "",
        image_id: str | None = None,
    ) -> None:
        self._agent_bay = agent_bay
        self._transport = agent_bay._transport
        self._session_id = check_non_empty(session_id, "session_id")
        self._resource_url = resource_url
        self._image_id = image_id
        self._deleted = False
        self._command: AsyncCommand | None = None
        self._file_system: AsyncFileSystem | None = None
        self._context: AsyncSessionContext | None = None
        self._ui: AsyncUI | None = None
        self._computer: AsyncComputer | None = None
        self._application: AsyncApplicationManager | None = None
        self._window: AsyncWindowManager | None = None
        self._oss: AsyncOss | None = None
        self._code: AsyncCode | None = None
        self._browser: AsyncBrowser | None = None

    def __repr__(self) -> str:
        state = ", deleted" if self._deleted else ""
        return f"{type(self).__name__}(session_id={self._session_id!r}, image_id={self._image_id!r}{state})"

    @property
    def session_id(self) -> str:
        """The session's id."""
        return self._session_id

    @property
    def resource_url(self) -> str:
        """The URL of the session's resource, as the service gave it ("" when it gave none)."""
        return self._resource_url

    @property
    def image_id(self) -> str | None:
        """The image the session runs: the one `create` asked for, else the service's default
        (``linux_latest``). After `AsyncAgentBay.get` it is what the service said: the local server
        says, the cloud's GetSession does not (None then)."""
        return self._image_id

    @property
    def agent_bay(self) -> AsyncAgentBay:
        """The client this session belongs to."""
        return self._agent_bay

    @property
    def command(self) -> AsyncCommand:
        """Shell commands in the session."""
        if self._command is None:
            self._command = AsyncCommand(self)
        return self._command

    @property
    def file_system(self) -> AsyncFileSystem:
        """Files in the session."""
        if self._file_system is None:
            self._file_system = AsyncFileSystem(self)
        return self._file_system

    @property
    def application(self) -> AsyncApplicationManager:
        """The applications of a desktop session (image ``linux_latest``): installed, started, stopped."""
        if self._application is None:
            from ._application import AsyncApplicationManager  # on first use, as `context`

            self._application = AsyncApplicationManager(self)
        return self._application

    @property
    def window(self) -> AsyncWindowManager:
        """The windows of a desktop session (image ``linux_latest``): listed, focused, resized, closed."""
        if self._window is None:
            from ._window import AsyncWindowManager  # on first use, as `context`

            self._window = AsyncWindowManager(self)
        return self._window

    @property
    def context(self) -> AsyncSessionContext:
        """The sync tasks of the contexts mounted in the session: `info()`, `sync()`."""
        if self._context is None:
            # Imported on first use: contexts are a third of `import agentbay` and most programs
            # never touch them.
            from ._session_context import AsyncSessionContext

            self._context = AsyncSessionContext(self)
        return self._context

    @property
    def ui(self) -> AsyncUI:
        """The UI of the session's desktop (the official SDK 0.8's `ui`): elements, keys, clicks,
        screenshots."""
        if self._ui is None:
            from ._ui import AsyncUI  # on first use: most programs never drive a desktop

            self._ui = AsyncUI(self)
        return self._ui

    @property
    def computer(self) -> AsyncComputer:
        """The mouse, keyboard and screen of the session's desktop (the official SDK 0.9's `computer`)."""
        if self._computer is None:
            from ._computer import AsyncComputer

            self._computer = AsyncComputer(self)
        return self._computer

    @property
    def oss(self) -> AsyncOss:
        """Object storage from inside the session: `env_init` with credentials, then `upload` /
        `download` of session files; `upload_anonymous` / `download_anonymous` to a signed URL."""
        if self._oss is None:
            from ._oss import AsyncOss  # on first use: most programs never touch object storage

            self._oss = AsyncOss(self)
        return self._oss

    @property
    def code(self) -> AsyncCode:
        """Python and JavaScript programs run in the session: `run_code(code, language, timeout_s=60)`."""
        if self._code is None:
            from ._code import AsyncCode  # on first use: most programs never run code this way

            self._code = AsyncCode(self)
        return self._code

    @property
    def browser(self) -> AsyncBrowser:
        """The browser of a ``browser_latest`` session: `initialize(BrowserOption())`, then
        `get_endpoint_url()` for a CDP client such as Playwright's `connect_over_cdp`."""
        if self._browser is None:
            from ._browser import AsyncBrowser  # on first use: most programs drive no browser

            self._browser = AsyncBrowser(self)
        return self._browser

    @property
    def deleted(self) -> bool:
        """Whether `delete` removed the session (or found it already gone)."""
        return self._deleted

    def _check_open(self) -> None:
        if self._deleted:
            raise SessionClosedError(self._session_id)

    async def delete(self, sync_context: bool = False) -> DeleteResult:
        """Delete the session (ReleaseMcpSession). Idempotent: once the session is gone, whether this
        object, another one or anyone else deleted it, `delete` succeeds (sending nothing if this
        object already deleted it).

        Args:
            sync_context: First upload the mounted contexts (`context.sync()`) and wait for the
                uploads (up to 300 s; call `context.sync(timeout=...)` first for another bound). If
                an upload fails or does not finish, the session is NOT deleted, so that its files are
                not lost: the result fails with the `ContextSyncError`; retry, or delete without sync.

        Returns:
            A successful result, or on failure (the session may still exist) `success` False with the
            typed error; the session stays usable then.
        """
        if self._deleted:
            return DeleteResult()
        if sync_context:
            synced = await self.context.sync()
            # A session already gone has nothing to upload: deleting it below succeeds.
            if synced.error is not None and not isinstance(synced.error, NotFoundError):
                return DeleteResult.failed(synced.error)
        transport = self._transport
        try:
            reply = await transport.send(
                wire.RELEASE_SESSION, wire.session_body(transport.auth, self._session_id)
            )
        except NotFoundError as exc:
            # Already gone: what delete was asked to achieve.
            self._deleted = True
            return DeleteResult(request_id=exc.request_id or "")
        except CALL_FAILURES as exc:
            return DeleteResult.failed(exc)
        self._deleted = True
        return DeleteResult(request_id=wire._request_id(reply))

    async def set_labels(self, labels: Mapping[str, str]) -> OperationResult:
        """Replace the session's labels with `labels` (str to str, non-empty keys)."""
        self._check_open()
        labels = check_labels(labels)
        transport = self._transport
        try:
            reply = await transport.send(
                wire.SET_LABELS, wire.set_labels_body(transport.auth, self._session_id, labels)
            )
        except CALL_FAILURES as exc:
            return OperationResult.failed(exc)
        return OperationResult(request_id=wire._request_id(reply))

    async def get_labels(self) -> dict[str, str]:
        """The session's labels.

        Raises:
            AgentBayError: The labels could not be read (e.g. `NotFoundError`).
        """
        self._check_open()
        transport = self._transport
        reply = await transport.send(wire.GET_LABELS, wire.get_labels_body(transport.auth, self._session_id))
        return wire.labels_of(reply)

    async def info(self) -> SessionInfo:
        """The session's resource URL and desktop connection details (GetMcpResource).

        Raises:
            AgentBayError: The details could not be read.
        """
        self._check_open()
        transport = self._transport
        reply = await transport.send(wire.GET_RESOURCE, wire.session_body(transport.auth, self._session_id))
        return wire.session_info(reply, self._session_id)

    async def get_link(
        self, protocol_type: str | None = None, port: int | None = None, options: str | None = None
    ) -> str:
        """A URL that reaches the session, or `port` inside it. For a ``browser_latest`` session
        without a port, the local server gives the browser's DevTools WebSocket URL (what 0.8/0.9's
        `browser.get_endpoint_url` asked for); `session.browser.get_endpoint_url()` is the way to it.

        Args:
            protocol_type: E.g. ``https`` or ``wss``; the service's default when None.
            port: A port inside the session, 1..65535.
            options: (0.22.3) A JSON object text sent verbatim as ``Option``.

        Raises:
            InvalidInputError: `port` is not an int in range, `protocol_type` or `options` is empty.
            AgentBayError: The service refused.
        """
        self._check_open()
        if protocol_type is not None:
            check_non_empty(protocol_type, "protocol_type")
        if port is not None:
            check_port(port)
        if options is not None:
            check_non_empty(options, "options")
        transport = self._transport
        reply = await transport.send(
            wire.GET_LINK, wire.link_body(transport.auth, self._session_id, protocol_type, port, options)
        )
        return wire.link_url(reply)

    async def list_mcp_tools(self) -> McpToolsResult:
        """The MCP tools the session's image offers (ListMcpTools)."""
        self._check_open()
        transport = self._transport
        body = wire.list_tools_body(transport.auth, self._image_id or DEFAULT_IMAGE_ID)
        try:
            reply = await transport.send(wire.LIST_TOOLS, body)
            tools = wire.tools_of(reply)
        except CALL_FAILURES as exc:
            return McpToolsResult.failed(exc)
        return McpToolsResult(request_id=wire._request_id(reply), tools=tools)

    async def _call_tool(
        self, name: str, args: Mapping[str, Any], *, timeout: float | None = None, check: bool = True
    ) -> wire.ToolOutput:
        """Call MCP tool `name`: the one path every sub-manager's call takes.

        Args:
            timeout: Read timeout of this call in seconds, for tools that run long; the client's when None.
            check: Raise `ToolError` when the tool reports failure; False returns the output to inspect.

        Raises:
            ToolError: The tool reported failure (with `check`).
            AgentBayError: Any other failure.
        """
        self._check_open()
        transport = self._transport
        body = wire.tool_body(transport.auth, self._session_id, name, args)
        output = wire.tool_output(await transport.send(wire.CALL_TOOL, body, timeout=timeout), name)
        if output.is_error:  # an error text, scrubbed of the API key like every error; data stays as sent
            output = attrs.evolve(output, text=transport.redact(output.text))
        if check and output.is_error:
            raise output.error()
        return output

    async def _query(
        self,
        name: str,
        args: Mapping[str, Any],
        parse: Callable[[wire.ToolOutput], R],
        result: type[R],
        *,
        timeout: float | None = None,
        status_text: bool = False,
    ) -> R:
        """One tool call whose reply `parse` turns into a result: the path of the sub-managers' calls
        that return results. A failure of the call is a failed `result` (a deleted session raises
        `SessionClosedError`: it is not a call failure).

        Args:
            timeout: As `_call_tool`'s.
            status_text: The reply is a status message, not the user's data, and may quote the
                credentials a call sent (oss): scrubbed as errors are.
        """
        try:
            output = await self._call_tool(name, args, timeout=timeout)
            if status_text:
                output = attrs.evolve(output, text=self._transport.redact(output.text))
            return parse(output)
        except CALL_FAILURES as exc:
            return result.failed(exc)

    async def __aenter__(self) -> AsyncSession:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        result = await self.delete()
        if result.success:
            return
        if exc is None:
            result.raise_for_error()
        # Do not hide the error that ended the block; say what was left behind.
        logger.warning("could not delete session %s on exit: %s", self._session_id, result.error_message)
