"""The browser actions (InitBrowser, GetCdpLink), the `stopChrome` tool, and the CDP link.

- `InitBrowser(SessionId, PersistentPath, BrowserOption)`: starts the session's Chromium (`_chromium`)
  and replies `Data.Port`, its DevTools port; again while it runs, the same port (the SDKs send it
  once). A session of another image is refused (`InvalidMcpSession.NotBrowser`), a bad option or
  path is `InvalidParameter.<field>`, a browser that cannot start `InternalError.Browser` (500)
  with the reason.
- `GetCdpLink(SessionId)`: `Data.Url`, the browser's DevTools WebSocket through this server's link
  proxy, `ws://<server>/sessions/<id>/ports/<port>/devtools/browser/<id>` (wss behind TLS); before
  InitBrowser (or once the browser has stopped) `InvalidMcpSession.BrowserNotRunning`. GetLink
  without a port gives the same URL for a browser session whose browser runs (0.8/0.9's
  `get_endpoint_url()` asks GetLink).
- `stopChrome`: stops the browser cleanly (its profile written to disk); "ok" also when none runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import _params as p
from .._call import Call, Handler, Reply
from .._errors import ApiError, invalid_parameter, session_not_found
from .._store import SessionRow, Store
from . import _chromium
from ._chromium import BROWSER_IMAGES, BadOption, Browser, BrowserFailed

__all__ = ["BROWSER_TOOLS", "BrowserActions", "cdp_url"]

#: The profile directory when InitBrowser names none (the constant the SDKs send).
DEFAULT_PERSISTENT_PATH = "/tmp/agentbay_browser"


def not_a_browser_session(image_id: str) -> ApiError:
    return ApiError(
        400,
        "InvalidMcpSession.NotBrowser",
        f"The session runs image {image_id}, which has no browser: create it with image browser_latest.",
    )


def browser_not_running() -> ApiError:
    return ApiError(
        400,
        "InvalidMcpSession.BrowserNotRunning",
        "The session's browser is not running: initialize it first (InitBrowser).",
    )


def cdp_url(base_url: str, session_id: str, browser: Browser) -> str:
    """The browser's DevTools WebSocket URL through the link proxy (`ws`, or `wss` behind TLS)."""
    return f"ws{base_url[4:]}/sessions/{session_id}/ports/{browser.port}{browser.path}"


def _option(params: p.Params) -> dict[str, Any]:
    text = p.optional(params, "BrowserOption")
    if text is None:
        return {}
    try:
        option = json.loads(text)
    except ValueError:
        raise invalid_parameter("BrowserOption", "BrowserOption must be a JSON object.") from None
    if not isinstance(option, dict):
        raise invalid_parameter("BrowserOption", "BrowserOption must be a JSON object.")
    return option


class BrowserActions:
    """The browser actions over one session store; `routes()` names them for the app."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def routes(self) -> dict[str, Handler]:
        return {"InitBrowser": self.init_browser, "GetCdpLink": self.get_cdp_link}

    def _browser_session(self, call: Call) -> SessionRow:
        row = self.store.get_running(call.owner, p.required(call.params, "SessionId"))
        if row is None:
            raise session_not_found()
        if row.image_id not in BROWSER_IMAGES:
            raise not_a_browser_session(row.image_id)
        return row

    async def init_browser(self, call: Call) -> Reply:
        """InitBrowser: the browser's DevTools port, the browser started if it is not running."""
        option = _option(call.params)
        persistent_path = p.optional(call.params, "PersistentPath") or DEFAULT_PERSISTENT_PATH
        row = self._browser_session(call)
        try:
            browser = await _chromium.start(self.store.session_dir(row.id), option, persistent_path)
        except BadOption as error:
            field = "PersistentPath" if str(error).startswith("PersistentPath") else "BrowserOption"
            raise invalid_parameter(field, str(error)) from None
        except BrowserFailed as error:
            raise ApiError(
                500, "InternalError.Browser", f"The session's browser could not start: {error}"
            ) from None
        return {"Data": {"Port": browser.port}}

    async def get_cdp_link(self, call: Call) -> Reply:
        """GetCdpLink: the CDP WebSocket URL of the session's running browser."""
        row = self._browser_session(call)
        browser = await _chromium.running(self.store.session_dir(row.id))
        if browser is None:
            raise browser_not_running()
        return {"Data": {"Url": cdp_url(call.base_url, row.id, browser)}}


async def stop_chrome(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    """The `stopChrome` tool: stop the session's browser; "ok" whether or not one was running."""
    await _chromium.stop(session_root)
    return "ok", False


#: The browser's tools, as server tool handlers.
BROWSER_TOOLS = {"stopChrome": stop_chrome}
