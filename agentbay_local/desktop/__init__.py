"""Desktop sessions on the local server: a real X display per `linux_latest` session, and the tools
that act on it (application, window, ui, computer).

- `_display`: the display's lifecycle. `start(session_root)` (Xvfb 1024x768x24 + the jwm window
  manager; blocks, call it in a thread) at create, `stop(session_root)` at release, `stop_all` when
  the server stops, `restore` at start-up for the running desktop sessions. `get(session_root)` is the
  session's `Display` (None: no desktop). `missing_packages()` names what to install.
- `x`: X access for tools, async (asyncio subprocesses of xdotool, wmctrl, xprop, xwininfo, xwd):
  `await x.run(display, "xdotool", "getactivewindow")`, `x.window_property`, `x.root_property`,
  `x.geometry`, `x.pointer`.
- `_screens`: `await capture(display) -> url`, the PNG served by `ScreenUrls` (route `URL_PATH`).
- `_tools`: the registration point. `@desktop_tool("name")` on `async def f(display, args) -> (text,
  is_error)` adds it to `DESKTOP_TOOLS`, which the server's tool registry includes. The wrapper
  replies for sessions without a desktop and turns `ToolFailure` into the reply.

The tool modules (`_apps`, `_windows`, `_input`, `_elements`) register themselves on import; this
package imports every one of them that exists.
"""

from __future__ import annotations

import importlib

from . import _x as x
from ._display import (
    DESKTOP_IMAGES,
    DesktopUnavailable,
    Display,
    get,
    missing_packages,
    restore,
    start,
    stop,
    stop_all,
    unavailable_message,
)
from ._screens import URL_PATH, ScreenUrls, capture
from ._tools import DESKTOP_TOOLS, NO_DESKTOP, desktop_tool

__all__ = [
    "DESKTOP_IMAGES",
    "DESKTOP_TOOLS",
    "NO_DESKTOP",
    "URL_PATH",
    "DesktopUnavailable",
    "Display",
    "ScreenUrls",
    "capture",
    "desktop_tool",
    "get",
    "missing_packages",
    "restore",
    "start",
    "stop",
    "stop_all",
    "unavailable_message",
    "x",
]

#: The modules that implement desktop tools; each registers its tools with `desktop_tool` on import.
_TOOL_MODULES = ("_apps", "_windows", "_input", "_elements")

for _name in _TOOL_MODULES:
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _error:  # not written yet: its tools answer "not implemented"
        if _error.name != f"{__name__}.{_name}":
            raise
