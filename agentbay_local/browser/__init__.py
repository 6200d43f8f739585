"""Browser sessions on the local server: `browser_latest` sessions, whose browser is the system's
Chromium, headless, in the session's sandbox, driven over the Chrome DevTools Protocol (CDP).

- `_chromium`: the browser's lifecycle. `await start(session_root, option, persistent_path)`,
  `await running(session_root)`, `await stop(session_root)` (clean: the profile is written), `forget`
  and `forget_all` when sessions end; `chromium_args(option)` maps a BrowserOption to flags;
  `chromium_executable()` / `unavailable_message()` for the refusal when Chromium is missing.
- `_actions`: `BrowserActions(store).routes()` (InitBrowser, GetCdpLink), `BROWSER_TOOLS`
  (`stopChrome`), and `cdp_url`, the DevTools WebSocket URL through the server's link proxy (GetLink
  gives it too for a browser session whose browser runs).

A browser session is otherwise a `linux_latest` session without a desktop: its commands and files
work the same. Deleting it stops the browser cleanly first, so that a browser context uploads a
profile with every cookie written, then kills whatever is left with the session.
"""

from __future__ import annotations

from ._actions import BROWSER_TOOLS, BrowserActions, browser_not_running, cdp_url, not_a_browser_session
from ._chromium import (
    BROWSER_IMAGES,
    PACKAGE,
    Browser,
    chromium_executable,
    forget,
    forget_all,
    running,
    start,
    stop,
    unavailable_message,
)

__all__ = [
    "BROWSER_IMAGES",
    "BROWSER_TOOLS",
    "PACKAGE",
    "Browser",
    "BrowserActions",
    "browser_not_running",
    "cdp_url",
    "chromium_executable",
    "forget",
    "forget_all",
    "not_a_browser_session",
    "running",
    "start",
    "stop",
    "unavailable_message",
]
