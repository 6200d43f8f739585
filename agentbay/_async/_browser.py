"""`AsyncBrowser`: the browser of a session (`session.browser`), driven over CDP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _browser as browser
from .. import _wire as wire
from .._browser import BrowserOption
from .._exceptions import APIError

if TYPE_CHECKING:
    from ._session import AsyncSession

__all__ = ["AsyncBrowser"]


class AsyncBrowser:
    """The browser of a ``browser_latest`` session: `initialize` starts it, `get_endpoint_url` gives the
    URL a CDP client connects to (Playwright's ``chromium.connect_over_cdp(url)``), `destroy` stops it.
    Deleting the session stops it too.

    ```python
    session.browser.initialize(BrowserOption())
    browser = playwright.chromium.connect_over_cdp(session.browser.get_endpoint_url())
    ```
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._option: BrowserOption | None = None
        self._port: int | None = None

    def __repr__(self) -> str:
        state = "initialized" if self.is_initialized() else "not initialized"
        return f"{type(self).__name__}(session_id={self._session.session_id!r}, {state})"

    async def initialize(self, option: BrowserOption | None = None) -> bool:
        """Start the session's browser (InitBrowser) with `option` (`BrowserOption()` when None).

        Once it is initialized, later calls return True without a request, whatever their option, as
        in the official SDK (`destroy` first to restart it with other options).

        Returns:
            True: the browser runs. (The official SDK returns False on failure; this raises the
            typed error instead.)

        Raises:
            InvalidInputError: `option` is not a `BrowserOption`.
            BrowserError: The session's image has no browser, or the browser failed to start (the
                service's error is the `__cause__`).
            AgentBayError: Any other failure, e.g. `InvalidParameterError` for an option the service
                refused, `NotFoundError` for a session that is gone.
        """
        option = browser.check_option(option)
        self._session._check_open()
        if self.is_initialized():
            return True
        transport = self._session._transport
        session_id = self._session.session_id
        try:
            reply = await transport.send(
                browser.INIT_BROWSER, browser.init_body(transport.auth, session_id, option)
            )
        except APIError as exc:
            error = browser.init_error(exc, session_id)
            if error is None:
                raise
            raise error from exc
        self._port = browser.started_port(reply, session_id)
        self._option = option
        return True

    async def init(self, option: BrowserOption | None = None) -> bool:
        """`initialize` (0.22.3's alias)."""
        return await self.initialize(option)

    def is_initialized(self) -> bool:
        """Whether `initialize` started the browser (and `destroy` has not stopped it), as this object
        knows it: no request is sent."""
        return self._port is not None

    def get_option(self) -> BrowserOption | None:
        """The option the browser was initialized with; None when it is not initialized."""
        return self._option

    @property
    def port(self) -> int | None:
        """The port of the browser's DevTools endpoint inside the session, as InitBrowser replied it;
        None when it is not initialized. Reach it from outside through `get_endpoint_url`."""
        return self._port

    async def get_endpoint_url(self) -> str:
        """The WebSocket URL of the browser's DevTools endpoint (GetCdpLink), asked anew on every call,
        for a CDP client: ``playwright.chromium.connect_over_cdp(url)``.

        Raises:
            BrowserError: The browser is not initialized (nothing is sent).
            AgentBayError: The service refused (e.g. the browser was stopped), or the call failed.
        """
        self._session._check_open()
        if not self.is_initialized():
            raise browser.not_initialized(self._session.session_id, "get_endpoint_url()")
        transport = self._session._transport
        body = wire.session_body(transport.auth, self._session.session_id)
        return browser.cdp_url(await transport.send(browser.GET_CDP_LINK, body))

    async def destroy(self) -> None:
        """Stop the browser (the ``stopChrome`` tool) and every process it started; `initialize` can
        start it again.

        Raises:
            BrowserError: The browser is not initialized (nothing is sent), as in the official SDK.
            AgentBayError: The call failed; the browser may still run.
        """
        self._session._check_open()
        if not self.is_initialized():
            raise browser.not_initialized(self._session.session_id, "destroy()")
        await self._session._call_tool(browser.STOP_TOOL, {})
        self._port = None
        self._option = None
