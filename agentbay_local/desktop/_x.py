"""X access for the desktop tools: X programs run as host subprocesses against a session's display.

Every call is an asyncio subprocess with `DISPLAY` and `XAUTHORITY` set to the session's display, so a
tool waiting for X holds no server thread. The programs are xdotool, wmctrl, xprop, xwininfo and xwd
(`_display.REQUIRED_PROGRAMS`); a tool module builds what it needs from `run` and the helpers here:

```python
from agentbay_local.desktop import x

out = await x.run(display, "xdotool", "getactivewindow")          # stdout, ToolFailure on failure
pid = await x.window_property(display, 0x400007, "_NET_WM_PID")  # "123" or None
left, top, width, height = await x.geometry(display, 0x400007)
```

A failing program (non-zero status, or no answer within `timeout_s`) raises `ToolFailure` with its
stderr, which the tool's reply then carries (`isError: true`).
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING

from ..sandbox._args import ToolFailure

if TYPE_CHECKING:
    from ._display import Display

__all__ = ["geometry", "pointer", "root_property", "run", "run_status", "window_property"]

#: How long one X program may take before the call fails.
DEFAULT_TIMEOUT_S = 10.0
_MAX_ERROR_CHARS = 500


async def run_status(
    display: Display, program: str, *args: str, timeout_s: float = DEFAULT_TIMEOUT_S, stdin: bytes = b""
) -> tuple[int, bytes, bytes]:
    """Run `program args...` on the display: (exit status, stdout, stderr). ToolFailure on a timeout
    (the program is killed) or when the program cannot be started."""
    try:
        proc = await asyncio.create_subprocess_exec(
            program,
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=display.env(),
            cwd=str(display.directory),
        )
    except OSError as error:
        raise ToolFailure(f"cannot run {program}: {error.strerror or error}") from None
    try:
        out, err = await asyncio.wait_for(proc.communicate(stdin), timeout_s)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise ToolFailure(f"{program} {' '.join(args)[:100]} did not finish within {timeout_s:g} s") from None
    except BaseException:  # cancelled: leave no child behind
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        raise
    return proc.returncode or 0, out, err


async def run(display: Display, program: str, *args: str, timeout_s: float = DEFAULT_TIMEOUT_S) -> str:
    """Run `program args...` on the display and return its stdout as text; ToolFailure (with its
    stderr) if it fails."""
    status, out, err = await run_status(display, program, *args, timeout_s=timeout_s)
    if status != 0:
        detail = err.decode("utf-8", "replace").strip()[:_MAX_ERROR_CHARS] or f"exit status {status}"
        raise ToolFailure(f"{program} {' '.join(args)[:100]} failed: {detail}")
    return out.decode("utf-8", "replace")


_PROPERTY = re.compile(r"^[^\s(=:]+(?:\([^)]*\))?\s*[=:]\s*(.*)$", re.S)


async def _property(display: Display, where: list[str], name: str) -> str | None:
    status, out, _ = await run_status(display, "xprop", *where, "-notype", name)
    text = out.decode("utf-8", "replace").strip()
    if status != 0 or "not found" in text or "no such atom" in text:
        return None
    match = _PROPERTY.match(text)
    return match.group(1).strip() if match else None


async def window_property(display: Display, window: int, name: str) -> str | None:
    """The value of a window's property as xprop prints it after `=` (`123`, `"xterm"`,
    `_NET_WM_STATE_MAXIMIZED_VERT, ...`), or None when the window lacks it or is gone."""
    return await _property(display, ["-id", str(window)], name)


async def root_property(display: Display, name: str) -> str | None:
    """The value of a property of the root window (`_NET_CLIENT_LIST`, `_NET_ACTIVE_WINDOW`), as xprop
    prints it, or None."""
    return await _property(display, ["-root"], name)


_GEOMETRY = {
    "Absolute upper-left X": "x",
    "Absolute upper-left Y": "y",
    "Width": "width",
    "Height": "height",
}


async def geometry(display: Display, window: int) -> tuple[int, int, int, int]:
    """(absolute upper-left x, y, width, height) of a window, from xwininfo; ToolFailure if it is gone."""
    text = await run(display, "xwininfo", "-id", str(window))
    found: dict[str, int] = {}
    for line in text.splitlines():
        key, _, value = line.strip().partition(":")
        if key in _GEOMETRY:
            found[_GEOMETRY[key]] = int(value.strip())
    if len(found) != len(_GEOMETRY):
        raise ToolFailure(f"no geometry for window {window}")
    return found["x"], found["y"], found["width"], found["height"]


async def pointer(display: Display) -> tuple[int, int]:
    """Where the pointer is, (x, y) in screen pixels."""
    text = await run(display, "xdotool", "getmouselocation", "--shell")
    values = dict(line.split("=", 1) for line in text.split() if "=" in line)
    try:
        return int(values["X"]), int(values["Y"])
    except (KeyError, ValueError):
        raise ToolFailure(f"xdotool getmouselocation said {text.strip()[:100]!r}") from None
