"""Browser sessions end to end against the local server, in both flavours: `browser_latest`, the
system Chromium started by `session.browser.initialize`, Playwright connected over CDP through the
endpoint URL (the server's link proxy forwards the WebSocket), pages served in the session and on
the host's loopback, a screenshot, and a cookie kept from one session to the next by a browser
context. Playwright's Python package needs no downloaded browser for `connect_over_cdp`."""

from __future__ import annotations

import asyncio
import inspect
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.async_api import async_playwright
from playwright.sync_api import sync_playwright

from agentbay import (
    AsyncAgentBay,
    BrowserContext,
    BrowserError,
    BrowserOption,
    BrowserViewport,
    Context,
    CreateSessionParams,
)
from agentbay_local import LocalServer

from .conftest import KEY

SITE = "/home/wuying/site"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Looped:
    """Playwright's async API run to completion on the async client's loop, so that one test body
    drives both: the async flavour is what an asyncio program does, Playwright and AsyncAgentBay on
    one loop (Playwright's sync API keeps a loop of its own running in the thread)."""

    def __init__(self, obj: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._obj, self._loop = obj, loop

    def _wrap(self, value: Any) -> Any:
        if inspect.isawaitable(value):
            value = self._loop.run_until_complete(value)
        if isinstance(value, list):
            return [self._wrap(item) for item in value]
        return Looped(value, self._loop) if type(value).__module__.startswith("playwright.") else value

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._obj, name)
        if callable(attr):
            return lambda *a, **k: self._wrap(attr(*a, **k))
        return self._wrap(attr)


Connect = Callable[[Any], Any]


@pytest.fixture
def connect(flavour: str, live: Any) -> Iterator[Connect]:
    """connect(session): a Playwright Browser connected over CDP to the session's browser, through
    the endpoint URL; Playwright's sync API with the sync client, its async API with the async one."""

    def endpoint(session: Any) -> str:
        url = session.browser.get_endpoint_url()
        assert url.startswith("ws://127.0.0.1:") and f"/sessions/{session.session_id}/" in url
        return str(url)

    if flavour == "sync":
        with sync_playwright() as pw:
            yield lambda session: pw.chromium.connect_over_cdp(endpoint(session), timeout=30000)
        return
    loop = live._loop
    pw = loop.run_until_complete(async_playwright().start())
    try:
        yield lambda session: Looped(pw, loop).chromium.connect_over_cdp(endpoint(session), timeout=30000)
    finally:
        loop.run_until_complete(pw.stop())


@pytest.fixture
def context(live: Any) -> Iterator[Context]:
    made = live.context.create(f"browser-{uuid.uuid4().hex[:12]}").unwrap()
    yield made
    live.context.delete(made)


def browser_session(live: Any, option: Any = None, **params: Any) -> Any:
    """A browser_latest session with its browser started."""
    session = live.create(CreateSessionParams(image_id="browser_latest", **params)).unwrap()
    assert session.browser.initialize(option or BrowserOption()) is True
    return session


def serve(session: Any, title: str) -> str:
    """A page titled `title` served by python3's http.server inside the session; its URL once it
    answers (the browser in the session reaches the session's loopback)."""
    port = free_port()
    assert session.file_system.create_directory(SITE).success
    page = session.file_system.write_file(f"{SITE}/index.html", f"<title>{title}</title><h1>{title}</h1>")
    assert page.success, page.error_message
    started = session.command.execute_command(
        f"nohup python3 -m http.server {port} --bind 127.0.0.1 >/tmp/http.log 2>&1 &", cwd=SITE
    )
    assert started.success, started.error_message
    url = f"http://127.0.0.1:{port}/index.html"
    waited = session.command.execute_command(
        "python3 -c 'import time, urllib.request as u\n"
        "for _ in range(100):\n"
        "    try:\n"
        f'        u.urlopen("{url}"); break\n'
        "    except OSError: time.sleep(0.1)'",
        timeout_ms=20000,
    )
    assert waited.success, waited.error_message
    return url


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


class HostPage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<title>from the host</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def host_page() -> Iterator[str]:
    """The URL of a page served on the host's loopback by the test itself."""
    host = ThreadingHTTPServer(("127.0.0.1", 0), HostPage)
    thread = threading.Thread(target=host.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{host.server_address[1]}/"
    host.shutdown()
    host.server_close()
    thread.join()


def test_playwright_opens_pages_served_in_the_session_and_on_the_host(
    live: Any, connect: Connect, host_page: str
) -> None:
    with browser_session(live) as session:
        assert session.browser.is_initialized()
        # Once initialized, initialize again is a no-op that succeeds (as the official SDK's).
        assert session.browser.initialize(BrowserOption()) is True
        url = serve(session, "served from the session")
        browser = connect(session)
        try:
            page = browser.contexts[0].new_page()
            page.goto(url)
            assert page.title() == "served from the session"
            assert page.inner_text("h1") == "served from the session"
            shot = page.screenshot()
            width, height = png_size(shot)
            assert (width, height) == tuple(page.evaluate("[innerWidth, innerHeight]"))
            page.goto(host_page)
            assert page.title() == "from the host"
            # The session's other tools work as on linux_latest.
            assert session.command.execute_command("echo ok").stdout == "ok\n"
        finally:
            browser.close()


def test_the_options_reach_chromium(live: Any, connect: Connect) -> None:
    option = BrowserOption(user_agent="agentbay-test-agent/1.0", viewport=BrowserViewport(1280, 720))
    with browser_session(live, option) as session:
        browser = connect(session)
        try:
            page = browser.contexts[0].new_page()
            page.set_content("<title>x</title>")
            assert page.evaluate("navigator.userAgent") == "agentbay-test-agent/1.0"
            # The viewport sizes Chromium's window (--window-size); the page gets its width.
            assert page.evaluate("[outerWidth, outerHeight, innerWidth]") == [1280, 720, 1280]
        finally:
            browser.close()


def test_a_cookie_outlives_its_session_in_a_browser_context(
    live: Any, context: Context, connect: Connect
) -> None:
    browser_context = BrowserContext(context.id, auto_upload=True)
    first = browser_session(live, browser_context=browser_context)
    url = serve(first, "cookies")
    browser = connect(first)
    try:
        page = browser.contexts[0].new_page()
        page.goto(url)
        # Only cookies with an expiry are written to the profile (session cookies die with Chromium).
        page.evaluate("document.cookie = 'kept=from-the-first-session; max-age=86400; path=/'")
        page.evaluate("localStorage.setItem('kept', 'local storage too')")
        assert "kept=from-the-first-session" in page.evaluate("document.cookie")
    finally:
        browser.close()
    assert first.delete(sync_context=True).success

    with browser_session(live, browser_context=browser_context) as second:
        url = serve(second, "cookies again")  # another port: another origin for local storage
        browser = connect(second)
        try:
            cookies = browser.contexts[0].cookies()
            assert [(c["name"], c["value"], c["domain"]) for c in cookies if c["name"] == "kept"] == [
                ("kept", "from-the-first-session", "127.0.0.1")
            ]
        finally:
            browser.close()


def disconnected(browser: Any, page: Any) -> bool:
    """Whether the client sees its connection end within 15 s (Playwright handles the close while
    it runs: a short wait on the page lets it)."""
    deadline = time.monotonic() + 15
    while browser.is_connected() and time.monotonic() < deadline:
        try:
            page.wait_for_timeout(100)
        except Exception:  # playwright's Error once the target is gone
            time.sleep(0.05)
    return not browser.is_connected()


def test_stopping_the_browser_and_deleting_the_session(live: Any, connect: Connect) -> None:
    session = browser_session(live)
    browser = connect(session)
    page = browser.contexts[0].new_page()
    assert browser.is_connected()
    session.browser.destroy()
    assert not session.browser.is_initialized()
    assert disconnected(browser, page)
    # Started again, then the session deleted: the client's connection ends with it.
    assert session.browser.initialize(BrowserOption()) is True
    browser = connect(session)
    page = browser.contexts[0].new_page()
    assert session.delete().success
    assert disconnected(browser, page)


def test_a_session_without_a_browser_refuses(session: Any) -> None:
    with pytest.raises(BrowserError, match="browser"):
        session.browser.initialize(BrowserOption())
    assert not session.browser.is_initialized()
    with pytest.raises(BrowserError):
        session.browser.get_endpoint_url()


def test_async_playwright_on_the_async_clients_loop(server: LocalServer) -> None:
    """What an asyncio program writes: AsyncAgentBay and Playwright's async API on one loop."""

    async def main() -> str:
        async with AsyncAgentBay(api_key=KEY, endpoint=server.endpoint) as bay:
            created = await bay.create(CreateSessionParams(image_id="browser_latest"))
            async with created.unwrap() as session:
                assert await session.browser.initialize(BrowserOption())
                url = await session.browser.get_endpoint_url()
                async with async_playwright() as pw:
                    browser = await pw.chromium.connect_over_cdp(url, timeout=30000)
                    page = await browser.contexts[0].new_page()
                    await page.set_content("<title>async</title>")
                    title = await page.title()
                    await browser.close()
                    return title

    assert asyncio.run(main()) == "async"
