"""The window tools of a desktop session, on the EWMH window manager of its X display.

- `list_root_windows`: the window manager's managed windows (`_NET_CLIENT_LIST`, oldest first), each
  `{"window_id", "title", "window_title", "absolute_upper_left_x", "absolute_upper_left_y", "width",
  "height", "pid", "pname", "child_windows"}`: the geometry of the app's own window (inside the
  frame) from `xwininfo`, the pid from `_NET_WM_PID` (the app's pid in the session) or, for apps that
  set none (Xaw apps such as xmessage), the one process whose arguments are the window's
  `WM_COMMAND` (else 0), `pname` that process's name in the session (`""` if unknown). The title is under both
  keys: SDK 0.8/0.9 read `title`, 0.22 `window_title`. A dialog (`WM_TRANSIENT_FOR` another window)
  is listed in its owner's `child_windows`, not at the top. One key of ours: `state`, one of
  `normal`, `maximized`, `minimized`, `fullscreen` (the SDKs ignore it).
- `get_active_window`: the same object for `_NET_ACTIVE_WINDOW`; a tool error when no window is
  active (or the active one is minimized), as the cloud replies.
- `activate/maximize/minimize/restore/fullscreen/close_window(window_id)`, `resize_window(window_id,
  width, height)`: EWMH requests to the window manager, and the reply waits (up to `SETTLE_S`) until
  the change shows, so that a `list_root_windows` right after reports it. `restore_window` undoes
  minimize, maximize and fullscreen and activates the window. `close_window` asks the app to close
  (`_NET_CLOSE_WINDOW`, as the close button does); a window still there after `SETTLE_S` is a tool
  error (the app may be asking something). A `window_id` that is not one of the desktop's windows is a
  tool error.
- `focus_mode(on)`: while on, windows do not steal the focus: a window that appears and takes the focus
  gives it back (within `FOCUS_POLL_S`) to the window that had it; activating an existing window
  still works.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..sandbox._args import ToolFailure, get_bool, get_int
from . import _apps, _display
from . import _x as x
from ._display import Display
from ._tools import desktop_tool

__all__ = ["Win", "list_windows"]

#: How long a window request waits for the window manager to show its effect.
SETTLE_S = 2.0
_POLL_S = 0.02
#: The largest window side X allows.
_MAX_SIDE = 32767

#: Text properties, read as bytes (see `_bytes`).
_TEXT_PROPS = ("_NET_WM_NAME", "WM_NAME", "WM_COMMAND")
_PROPS = (
    "_NET_WM_NAME",
    "WM_NAME",
    "_NET_WM_PID",
    "_NET_WM_STATE",
    "WM_TRANSIENT_FOR",
    "WM_STATE",
    "WM_COMMAND",
)
_FORMATS = [option for name in _TEXT_PROPS for option in ("-f", name, "8x")]
_PROP_LINE = re.compile(r"^(\w+)(?:\(([^)]*)\))?(?: = |: +|:\s*)(.*)$")
_GEOMETRY_KEYS = {
    "Absolute upper-left X": "x",
    "Absolute upper-left Y": "y",
    "Width": "width",
    "Height": "height",
}


# ---- reading the desktop --------------------------------------------------------------------------


def _bytes(value: str) -> bytes:
    """An xprop value printed with format `8x` (`0x61, 0x5c`) as its bytes: exact, where xprop's
    quoted strings are not (it leaves quotes and backslashes inside them unescaped)."""
    return bytes(int(byte, 16) & 0xFF for byte in re.findall(r"0x[0-9a-fA-F]+", value))


_CT_UTF8 = re.compile(rb"\x1b%G(.*?)(?:\x1b%@|$)", re.S)
_CT_ESCAPE = re.compile(rb"\x1b[\x20-\x2f]*[\x30-\x7e]")


def _compound_text(data: bytes) -> str:
    """COMPOUND_TEXT (what xterm sets for a title beyond Latin-1): Latin-1, with UTF-8 between
    `ESC % G` and `ESC % @`; other character sets (rare) have their escapes dropped."""
    parts, last = [], 0
    for match in _CT_UTF8.finditer(data):
        parts.append(_CT_ESCAPE.sub(b"", data[last : match.start()]).decode("latin-1"))
        parts.append(match.group(1).decode("utf-8", "replace"))
        last = match.end()
    parts.append(_CT_ESCAPE.sub(b"", data[last:]).decode("latin-1"))
    return "".join(parts)


def _text(prop: tuple[str, str] | None) -> str | None:
    """A text property read as bytes, decoded by its type: UTF-8 for `UTF8_STRING`, Latin-1 for
    `STRING` (ICCCM), `COMPOUND_TEXT` as `_compound_text`; None when not set."""
    if prop is None:
        return None
    kind, value = prop
    data = _bytes(value).rstrip(b"\0")
    if kind == "STRING":
        return data.decode("latin-1")
    if kind == "COMPOUND_TEXT":
        return _compound_text(data)
    return data.decode("utf-8", "replace")


def _command(prop: tuple[str, str] | None) -> str | None:
    """WM_COMMAND (its arguments, each ending in a NUL byte) joined by spaces, as `cmdline` is; None if
    not set."""
    if prop is None:
        return None
    words = _bytes(prop[1]).split(b"\0")
    if words and not words[-1]:
        words.pop()
    return " ".join(word.decode("utf-8", "replace") for word in words) or None


def _window_ids(text: str) -> list[int]:
    """The window ids of an xprop WINDOW value (`window id # 0x60000c, 0x80000c`)."""
    return [int(value, 16) for value in re.findall(r"0x[0-9a-fA-F]+", text.partition("#")[2])]


def parse_props(text: str) -> dict[str, tuple[str, str]]:
    """xprop's output as {property: (type, value as printed)}; properties not set are left out."""
    props: dict[str, tuple[str, str]] = {}
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = _PROP_LINE.match(line)
        if not match or "not found" in match.group(3) or "no such atom" in match.group(3):
            continue
        value = match.group(3)
        if match.group(1) == "WM_STATE":  # its value is on the next lines: "window state: Iconic"
            value = " ".join(lines[index + 1 : index + 2]).strip()
        props[match.group(1)] = (match.group(2) or "", value)
    return props


def parse_geometry(text: str) -> dict[str, int]:
    """xwininfo's output: {x, y, width, height} of the window (absolute position)."""
    geometry: dict[str, int] = {}
    for line in text.splitlines():
        label, _, value = line.strip().partition(":")
        key = _GEOMETRY_KEYS.get(label.strip())
        if key is not None and value.strip().lstrip("-").isdigit():
            geometry[key] = int(value.strip())
    return geometry


@dataclass
class Win:
    """One managed window."""

    window_id: int
    title: str
    x: int
    y: int
    width: int
    height: int
    pid: int | None
    states: frozenset[str]
    iconic: bool
    transient_for: int | None
    command: str | None = None
    """`WM_COMMAND` (the app's arguments joined by spaces), set by apps that set no `_NET_WM_PID`."""
    children: list[Win] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.iconic or "_NET_WM_STATE_HIDDEN" in self.states:
            return "minimized"
        if "_NET_WM_STATE_FULLSCREEN" in self.states:
            return "fullscreen"
        if {"_NET_WM_STATE_MAXIMIZED_VERT", "_NET_WM_STATE_MAXIMIZED_HORZ"} <= self.states:
            return "maximized"
        return "normal"

    def to_wire(self, procs: dict[int, _apps.Proc]) -> dict[str, Any]:
        return {
            "window_id": self.window_id,
            "title": self.title,
            "window_title": self.title,
            "absolute_upper_left_x": self.x,
            "absolute_upper_left_y": self.y,
            "width": self.width,
            "height": self.height,
            "pid": self.pid if self.pid is not None else 0,
            "pname": procs[self.pid].pname if self.pid in procs else "",
            "child_windows": [child.to_wire(procs) for child in self.children],
            "state": self.state,
        }


async def client_ids(display: Display) -> list[int]:
    """The managed windows, by `_NET_CLIENT_LIST`."""
    props = parse_props(await x.run(display, "xprop", "-root", "_NET_CLIENT_LIST"))
    return _window_ids(props.get("_NET_CLIENT_LIST", ("", ""))[1])


async def read_window(display: Display, window_id: int) -> Win | None:
    """One window's title, geometry, pid and state; None if it is gone."""
    wid = hex(window_id)
    try:
        props_text, geometry_text = await asyncio.gather(
            x.run(display, "xprop", "-id", wid, *_FORMATS, *_PROPS), x.run(display, "xwininfo", "-id", wid)
        )
    except ToolFailure:  # destroyed between the list and the read
        return None
    props, geometry = parse_props(props_text), parse_geometry(geometry_text)
    if len(geometry) != 4:
        return None
    title = _text(props.get("_NET_WM_NAME")) or _text(props.get("WM_NAME")) or ""
    pid_text = props.get("_NET_WM_PID", ("", ""))[1].strip()
    transient = _window_ids("# " + props["WM_TRANSIENT_FOR"][1]) if "WM_TRANSIENT_FOR" in props else []
    return Win(
        window_id=window_id,
        title=title,
        pid=int(pid_text) if pid_text.isdigit() else None,
        states=frozenset(
            part.strip() for part in props.get("_NET_WM_STATE", ("", ""))[1].split(",") if part.strip()
        ),
        iconic="Iconic" in props.get("WM_STATE", ("", ""))[1],
        transient_for=transient[0] if transient else None,
        command=_command(props.get("WM_COMMAND")),
        x=geometry["x"],
        y=geometry["y"],
        width=geometry["width"],
        height=geometry["height"],
    )


async def list_windows(display: Display) -> list[Win]:
    """Every managed window, flat, in `_NET_CLIENT_LIST` order."""
    found = await asyncio.gather(*(read_window(display, wid) for wid in await client_ids(display)))
    return [win for win in found if win is not None]


def _tree(windows: list[Win]) -> list[Win]:
    """Top-level windows with their dialogs (`WM_TRANSIENT_FOR`) as children."""
    by_id = {win.window_id: win for win in windows}
    roots = []
    for win in windows:
        win.children = []
    for win in windows:
        owner = by_id.get(win.transient_for) if win.transient_for is not None else None
        if owner is not None and owner is not win:
            owner.children.append(win)
        else:
            roots.append(win)
    return roots


async def _processes(display: Display, windows: list[Win]) -> dict[int, _apps.Proc]:
    """The session's processes by pid; a window without `_NET_WM_PID` (Xaw apps such as xmessage) gets
    the pid of the one process whose arguments are its `WM_COMMAND`, if exactly one matches."""
    if not windows:
        return {}
    procs = {proc.pid: proc for proc in await _apps.session_processes(display)}
    for win in windows:
        if win.pid is None and win.command:
            matches = [proc.pid for proc in procs.values() if proc.cmdline == win.command]
            win.pid = matches[0] if len(matches) == 1 else None
    return procs


async def _active_id(display: Display) -> int | None:
    """`_NET_ACTIVE_WINDOW`, or None when no window is active."""
    props = parse_props(await x.run(display, "xprop", "-root", "_NET_ACTIVE_WINDOW"))
    ids = _window_ids(props.get("_NET_ACTIVE_WINDOW", ("", ""))[1])
    return ids[0] if ids and ids[0] else None


async def active_window(display: Display) -> Win | None:
    """The active window, unless none is or it is minimized."""
    active = await _active_id(display)
    if active is None or active not in await client_ids(display):
        return None
    win = await read_window(display, active)
    return None if win is None or win.state == "minimized" else win


# ---- the tools ------------------------------------------------------------------------------------


@desktop_tool("list_root_windows")
async def list_root_windows(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    get_int(args, "timeout_ms", default=3000)  # checked; reading the desktop takes milliseconds
    windows = await list_windows(display)
    procs = await _processes(display, windows)
    return json.dumps([win.to_wire(procs) for win in _tree(windows)], ensure_ascii=False), False


@desktop_tool("get_active_window")
async def get_active_window(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    get_int(args, "timeout_ms", default=3000)
    win = await active_window(display)
    if win is None:
        raise ToolFailure("No active window")
    return json.dumps(win.to_wire(await _processes(display, [win])), ensure_ascii=False), False


def _window_id(args: dict[str, Any]) -> int:
    if args.get("window_id") is None:
        raise ToolFailure("Missing required argument 'window_id'")
    window_id = get_int(args, "window_id", default=0)
    if window_id <= 0:
        raise ToolFailure("Argument 'window_id' must be a positive integer")
    return window_id


async def _existing(display: Display, args: dict[str, Any]) -> Win:
    window_id = _window_id(args)
    win = await read_window(display, window_id) if window_id in await client_ids(display) else None
    if win is None:
        raise ToolFailure(f"No window with id {window_id} on this desktop")
    return win


async def _settle(display: Display, window_id: int, done: Callable[[Win | None], bool]) -> bool:
    """Poll the window until `done(window)` (None: it is gone), up to `SETTLE_S`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_S
    while True:
        ids = await client_ids(display)
        win = await read_window(display, window_id) if window_id in ids else None
        if done(win):
            return True
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(_POLL_S)


async def _wmctrl_state(display: Display, window_id: int, action: str, *states: str) -> None:
    await x.run(display, "wmctrl", "-i", "-r", hex(window_id), "-b", ",".join((action, *states)))


_MAXIMIZED = ("maximized_vert", "maximized_horz")


async def _activate(display: Display, window_id: int) -> None:
    await x.run(display, "wmctrl", "-i", "-a", hex(window_id))


@desktop_tool("activate_window")
async def activate_window(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    win = await _existing(display, args)
    await _activate(display, win.window_id)

    async def is_active() -> bool:
        active = await active_window(display)
        return active is not None and active.window_id == win.window_id

    await _until(is_active)
    return "ok", False


async def _until(check: Callable[[], Awaitable[bool]]) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_S
    while not await check():
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(_POLL_S)
    return True


@desktop_tool("maximize_window")
async def maximize_window(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    win = await _existing(display, args)
    if win.state == "minimized":
        await _activate(display, win.window_id)
    await _wmctrl_state(display, win.window_id, "remove", "fullscreen")
    await _wmctrl_state(display, win.window_id, "add", *_MAXIMIZED)
    await _settle(display, win.window_id, lambda w: w is None or w.state == "maximized")
    return "ok", False


@desktop_tool("minimize_window")
async def minimize_window(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    win = await _existing(display, args)
    await x.run(display, "xdotool", "windowminimize", str(win.window_id))
    await _settle(display, win.window_id, lambda w: w is None or w.state == "minimized")
    return "ok", False


@desktop_tool("restore_window")
async def restore_window(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    win = await _existing(display, args)
    await _wmctrl_state(display, win.window_id, "remove", "fullscreen")
    await _wmctrl_state(display, win.window_id, "remove", *_MAXIMIZED)
    await _activate(display, win.window_id)
    await _settle(display, win.window_id, lambda w: w is None or w.state == "normal")
    return "ok", False


@desktop_tool("fullscreen_window")
async def fullscreen_window(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    win = await _existing(display, args)
    if win.state == "minimized":
        await _activate(display, win.window_id)
    await _wmctrl_state(display, win.window_id, "add", "fullscreen")
    await _settle(display, win.window_id, lambda w: w is None or w.state == "fullscreen")
    return "ok", False


@desktop_tool("close_window")
async def close_window(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    win = await _existing(display, args)
    await x.run(display, "wmctrl", "-i", "-c", hex(win.window_id))
    if not await _settle(display, win.window_id, lambda w: w is None):
        raise ToolFailure(
            f"Window {win.window_id} was asked to close but is still open after {SETTLE_S:.0f} s "
            "(the app may be asking something)"
        )
    return "ok", False


def _side(args: dict[str, Any], key: str) -> int:
    if args.get(key) is None:
        raise ToolFailure(f"Missing required argument '{key}'")
    value = get_int(args, key, default=0)
    if not 0 < value <= _MAX_SIDE:
        raise ToolFailure(f"Argument '{key}' must be an integer from 1 to {_MAX_SIDE}")
    return value


@desktop_tool("resize_window")
async def resize_window(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    width, height = _side(args, "width"), _side(args, "height")
    win = await _existing(display, args)
    if win.state in ("maximized", "fullscreen"):  # a maximized window keeps its size otherwise
        await _wmctrl_state(display, win.window_id, "remove", "fullscreen")
        await _wmctrl_state(display, win.window_id, "remove", *_MAXIMIZED)
        # Its normal size first, so that the wait below is for the resize and not for this.
        await _settle(display, win.window_id, lambda w: w is None or w.state == "normal")
        win = await _existing(display, args)
    await x.run(display, "wmctrl", "-i", "-r", hex(win.window_id), "-e", f"0,-1,-1,{width},{height}")
    # An app may round the size (xterm: whole characters): done when the size has changed at all.
    await _settle(
        display,
        win.window_id,
        lambda w: (
            w is None
            or (w.width, w.height) == (width, height)
            or (w.width, w.height) != (win.width, win.height)
        ),
    )
    return "ok", False


#: How often focus mode checks which window is active.
FOCUS_POLL_S = 0.05
#: The running focus guards, by session directory (focus mode is on for these desktops).
_focus_guards: dict[Path, asyncio.Task[None]] = {}


async def _guard_focus(display: Display) -> None:
    """Focus mode: a window that appears and takes the focus gives it back to the window that had it.
    Activating a window that was already there (a click, `activate_window`) is not undone. Runs until
    focus mode is switched off or the desktop stops."""
    known, active = set(await client_ids(display)), await _active_id(display)
    while _display.get(display.session_root) is display:
        await asyncio.sleep(FOCUS_POLL_S)
        try:
            ids, now = await client_ids(display), await _active_id(display)
            if now != active and now not in known and active in ids and now is not None:
                await _activate(display, active)  # a new window stole the focus: give it back
                now = active
        except ToolFailure:  # the display is stopping, or a window went away meanwhile
            continue
        known, active = set(ids), now


@desktop_tool("focus_mode")
async def focus_mode(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    if args.get("on") is None:
        raise ToolFailure("Missing required argument 'on'")
    on = get_bool(args, "on", default=False)
    guard = _focus_guards.pop(display.session_root, None)
    if guard is not None and not guard.done():
        if on:  # already on: keep the running guard
            _focus_guards[display.session_root] = guard
            return "ok", False
        guard.cancel()
    if on:
        _focus_guards[display.session_root] = asyncio.get_running_loop().create_task(_guard_focus(display))
    return "ok", False


@desktop_tool("list_visible_apps")
async def list_visible_apps(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    windows = [win for win in await list_windows(display) if win.state != "minimized"]
    procs = await _processes(display, windows)
    visible = {win.pid for win in windows if win.pid is not None}
    return _apps.processes_reply(procs[pid] for pid in visible if pid in procs), False
