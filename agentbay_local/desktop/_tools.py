"""The registration point of the desktop tools: a handler gets the session's `Display`.

```python
from agentbay_local.desktop import Display, desktop_tool, x

@desktop_tool("get_cursor_position")
async def get_cursor_position(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    px, py = await x.pointer(display)
    return json.dumps({"x": px, "y": py}), False
```

`desktop_tool(name)` puts into `DESKTOP_TOOLS` a server tool handler `(session_root, args)` that finds
the session's display and calls the function with it; the server's registry (`agentbay_local._tools`)
includes every `DESKTOP_TOOLS` entry. The wrapper answers for the function when:
- the session has no desktop (image code_latest): "this session has no desktop: create it with image
  linux_latest", and when a restart could not bring the desktop back, that reason;
- `args` is not a JSON object;
- the function raises `ToolFailure` (its message) or anything else (logged, reported as an internal
  error): a tool never raises into the server.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from ..sandbox._args import ToolFailure
from . import _display
from ._display import Display

__all__ = ["DESKTOP_TOOLS", "NO_DESKTOP", "DesktopHandler", "desktop_tool"]

logger = logging.getLogger("agentbay_local.desktop")

#: A desktop tool: (the session's display, the parsed Args object) -> (reply text, is_error).
DesktopHandler = Callable[[Display, dict[str, Any]], Awaitable[tuple[str, bool]]]
#: A server tool handler, as `agentbay_local._tools` calls it.
ServerHandler = Callable[[Path, dict[str, Any]], Awaitable[tuple[str, bool]]]

#: The desktop tools by MCP name, as server tool handlers.
DESKTOP_TOOLS: dict[str, ServerHandler] = {}

NO_DESKTOP = "this session has no desktop: create it with image linux_latest"


def desktop_tool(name: str) -> Callable[[DesktopHandler], DesktopHandler]:
    """Register `run` as the tool `name` (see the module docstring); returns `run` unchanged."""

    def register(run: DesktopHandler) -> DesktopHandler:
        async def handler(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
            display = _display.get(session_root)
            if display is None:
                lost = _display.lost_reason(session_root)
                return (f"the desktop of this session is gone: {lost}" if lost else NO_DESKTOP), True
            try:
                if not isinstance(args, dict):
                    raise ToolFailure("Args must be a JSON object")
                return await run(display, args)
            except ToolFailure as failure:
                return failure.message, True
            except Exception as error:  # the server must get a reply, never a traceback
                logger.exception("tool %s failed unexpectedly", name)
                return f"Internal error in {name}: {type(error).__name__}: {error}", True

        handler.__name__ = handler.__qualname__ = name
        handler.__doc__ = run.__doc__
        DESKTOP_TOOLS[name] = handler
        return run

    return register
