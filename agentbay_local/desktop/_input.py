"""The keyboard, mouse and screen tools of a desktop session (`ui` and `computer`), driven by xdotool.

Each tool is one xdotool run (`input_text`: one per 200 characters), chained commands where it needs more than one
step, so a click costs one process start (a few ms) and the events reach the X server in order. The
replies are what the official SDKs read: "ok" for actions (the text is not read), JSON for
`get_screen_size` (`{"width", "height", "dpiScalingFactor"}`) and `get_cursor_position` (`{"x", "y"}`).

Arguments are checked before anything reaches the display, because xdotool forgives too much: it
ignores a key name it does not know (and exits 0), and clamps a point outside the screen to its edge.
So unknown keys, buttons and directions, and points off the screen, are tool errors that say what is
allowed. No `mousemove --sync`: this xdotool (2016) then waits forever when the pointer is already
there, and the X server handles one client's events in order anyway, so a click after a move lands at
the new point.

Keys: `press_keys`/`release_keys` take names, case-insensitively: the usual ones (`Ctrl`/`Control`,
`Shift`, `Alt`, `Meta`/`Super`/`Win`/`Cmd`/`Command`, `Enter`/`Return`, `Tab`, `Escape`/`Esc`,
`Backspace`, `Delete`/`Del`, `Insert`, `Space`, `Up`/`ArrowUp` and the other arrows,
`Home`/`End`/`PageUp`/`PageDown`, `F1`-`F24`, ...), any single character, or an X keysym name.
`send_key` takes an Android key code (the official SDK's `KeyCode`: HOME 3, BACK 4, VOLUME_UP 24,
VOLUME_DOWN 25, POWER 26, MENU 82, and the keyboard's codes such as ENTER 66, DEL 67, the letters,
digits, arrows and F-keys), mapped to the X key a desktop has for it (HOME is Super, BACK is Escape).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..sandbox._args import ToolFailure, get_bool, get_int, get_str, get_str_list
from . import _keymap, _screens, _x
from ._display import Display
from ._tools import desktop_tool

__all__ = ["keysym", "next_part", "on_us_map"]

OK = "ok"

# ---- keys -------------------------------------------------------------------------------------------

# Key names (lower case, without "_", "-" or spaces) -> X keysyms. Letters, digits and other single
# characters are handled apart (see `keysym`).
_NAMED_KEYS: dict[str, str] = {
    "ctrl": "Control_L",
    "control": "Control_L",
    "lctrl": "Control_L",
    "controlleft": "Control_L",
    "ctrlleft": "Control_L",
    "rctrl": "Control_R",
    "controlright": "Control_R",
    "ctrlright": "Control_R",
    "shift": "Shift_L",
    "lshift": "Shift_L",
    "shiftleft": "Shift_L",
    "rshift": "Shift_R",
    "shiftright": "Shift_R",
    "alt": "Alt_L",
    "lalt": "Alt_L",
    "altleft": "Alt_L",
    "option": "Alt_L",
    "ralt": "Alt_R",
    "altright": "Alt_R",
    "altgr": "ISO_Level3_Shift",
    "meta": "Super_L",
    "super": "Super_L",
    "win": "Super_L",
    "windows": "Super_L",
    "cmd": "Super_L",
    "command": "Super_L",
    "os": "Super_L",
    "enter": "Return",
    "return": "Return",
    "tab": "Tab",
    "escape": "Escape",
    "esc": "Escape",
    "backspace": "BackSpace",
    "delete": "Delete",
    "del": "Delete",
    "insert": "Insert",
    "ins": "Insert",
    "space": "space",
    "spacebar": "space",
    "up": "Up",
    "arrowup": "Up",
    "down": "Down",
    "arrowdown": "Down",
    "left": "Left",
    "arrowleft": "Left",
    "right": "Right",
    "arrowright": "Right",
    "home": "Home",
    "end": "End",
    "pageup": "Prior",
    "pgup": "Prior",
    "prior": "Prior",
    "pagedown": "Next",
    "pgdn": "Next",
    "next": "Next",
    "capslock": "Caps_Lock",
    "numlock": "Num_Lock",
    "scrolllock": "Scroll_Lock",
    "printscreen": "Print",
    "print": "Print",
    "prtsc": "Print",
    "pause": "Pause",
    "break": "Break",
    "menu": "Menu",
    "contextmenu": "Menu",
    "apps": "Menu",
    "volumeup": "XF86AudioRaiseVolume",
    "volumedown": "XF86AudioLowerVolume",
    "volumemute": "XF86AudioMute",
    "mute": "XF86AudioMute",
    **{f"f{n}": f"F{n}" for n in range(1, 25)},
}

# Android key codes (the official SDK's `KeyCode` and the rest of a keyboard's) -> X keysyms.
_ANDROID_KEYS: dict[int, str] = {
    3: "Super_L",  # HOME: the desktop's "home" key
    4: "Escape",  # BACK: what backs out of a dialog or menu on a desktop
    19: "Up",
    20: "Down",
    21: "Left",
    22: "Right",
    23: "Return",  # DPAD_CENTER
    24: "XF86AudioRaiseVolume",
    25: "XF86AudioLowerVolume",
    26: "XF86PowerOff",
    55: "comma",
    56: "period",
    61: "Tab",
    62: "space",
    66: "Return",
    67: "BackSpace",  # DEL deletes backwards
    68: "grave",
    69: "minus",
    70: "equal",
    71: "bracketleft",
    72: "bracketright",
    73: "backslash",
    74: "semicolon",
    75: "apostrophe",
    76: "slash",
    81: "plus",
    82: "Menu",
    92: "Prior",  # PAGE_UP
    93: "Next",  # PAGE_DOWN
    111: "Escape",
    112: "Delete",  # FORWARD_DEL
    113: "Control_L",
    114: "Control_R",
    115: "Caps_Lock",
    120: "Print",  # SYSRQ
    122: "Home",  # MOVE_HOME
    123: "End",  # MOVE_END
    124: "Insert",
    164: "XF86AudioMute",
    **{7 + n: str(n) for n in range(10)},  # 0-9
    **{29 + n: chr(ord("a") + n) for n in range(26)},  # A-Z
    **{131 + n: f"F{n + 1}" for n in range(12)},  # F1-F12
}


def keysym(name: str) -> str:
    """The X keysym of a key name (see the module docstring); ToolFailure if it names no key."""
    if len(name) == 1:
        if name.isascii() and name.isalnum():
            # A letter is its lower-case key: "A" in a chord must not add a Shift of its own.
            return name.lower()
        return f"U{ord(name):04X}"  # any other character, by its code point (X's Unicode keysyms)
    folded = name.lower().replace("_", "").replace("-", "").replace(" ", "")
    found = _NAMED_KEYS.get(folded)
    if found is not None:
        return found
    if _keymap.is_keysym(name):  # an X keysym name such as "KP_Enter" or "XF86AudioPlay"
        return name
    raise ToolFailure(
        f"Unknown key {name!r}: use a key name such as Ctrl, Shift, Alt, Meta, Enter, Tab, Escape, "
        "Backspace, Delete, Space, ArrowUp, Home, PageUp, F1, a single character, or an X keysym name"
    )


def _keysyms(args: Mapping[str, Any]) -> list[str]:
    names = get_str_list(args, "keys")
    if not names:
        raise ToolFailure("Argument 'keys' must name at least one key")
    return [keysym(name) for name in names]


# ---- points and buttons -------------------------------------------------------------------------------

_BUTTONS = {"left": 1, "middle": 2, "right": 3}
_SCROLL_BUTTONS = {"up": 4, "down": 5, "left": 6, "right": 7}
#: How far apart the clicks of a double click are (s): well inside any toolkit's double-click time.
_DOUBLE_CLICK_PAUSE = "0.05"
#: Upper bounds that keep one call short: a swipe's duration, a scroll's notches.
MAX_SWIPE_MS = 10_000
MAX_SCROLL_AMOUNT = 100


def _coordinate(args: Mapping[str, Any], key: str, limit: int) -> int:
    if args.get(key) is None:
        raise ToolFailure(f"Missing required argument '{key}'")
    value = get_int(args, key, default=0)
    if not 0 <= value < limit:
        raise ToolFailure(f"Argument '{key}' is {value}: it must be within the screen, 0 to {limit - 1}")
    return value


def _point(display: Display, args: Mapping[str, Any], x: str = "x", y: str = "y") -> tuple[str, str]:
    return str(_coordinate(args, x, display.width)), str(_coordinate(args, y, display.height))


def _presses(button: str, count: int, pause: str) -> list[str]:
    """xdotool commands that press and release `button` `count` times, `pause` seconds apart. Not
    xdotool's `click`: it sleeps 100 ms after every click, which would be most of a click's time."""
    press = ["mousedown", button, "mouseup", button]
    commands = list(press)
    for _ in range(count - 1):
        commands += ["sleep", pause, *press]
    return commands


def _choice(args: Mapping[str, Any], key: str, choices: Mapping[str, int], default: str | None = None) -> int:
    value = get_str(args, key, default=default)
    if value not in choices:
        allowed = ", ".join(choices)
        raise ToolFailure(f"Argument '{key}' is {value!r}: it must be one of {allowed}")
    return choices[value]


# ---- the tools ------------------------------------------------------------------------------------------


@desktop_tool("move_mouse")
async def move_mouse(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    await _x.run(display, "xdotool", "mousemove", *_point(display, args))
    return OK, False


async def _click(display: Display, args: dict[str, Any], buttons: Mapping[str, int]) -> tuple[str, bool]:
    point = _point(display, args)
    button = str(_choice(args, "button", buttons, default="left"))
    clicks = _presses(button, 2 if args.get("button") == "double_left" else 1, _DOUBLE_CLICK_PAUSE)
    await _x.run(display, "xdotool", "mousemove", *point, *clicks)
    return OK, False


@desktop_tool("click")
async def click(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    """`click` (ui): left, middle or right."""
    return await _click(display, args, _BUTTONS)


@desktop_tool("click_mouse")
async def click_mouse(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    """`click_mouse` (computer): left, middle, right or double_left."""
    return await _click(display, args, {**_BUTTONS, "double_left": 1})


def _path(start: tuple[str, str], end: tuple[str, str], steps: int, pause: str) -> list[str]:
    """xdotool commands that move the pointer from `start` to `end` in `steps` even steps, `pause`
    seconds apart (the pointer is at `start`)."""
    (sx, sy), (ex, ey) = (int(v) for v in start), (int(v) for v in end)
    moves: list[str] = []
    for step in range(1, steps + 1):
        x, y = sx + (ex - sx) * step // steps, sy + (ey - sy) * step // steps
        moves += ["sleep", pause, "mousemove", str(x), str(y)]
    return moves


@desktop_tool("drag_mouse")
async def drag_mouse(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    start = _point(display, args, "from_x", "from_y")
    end = _point(display, args, "to_x", "to_y")
    button = str(_choice(args, "button", _BUTTONS, default="left"))
    # Moves in steps and short pauses: toolkits start a drag on motion with the button down, and some
    # ignore a press and a release that come in the same instant.
    path = _path(start, end, 4, "0.02")
    await _x.run(
        display,
        "xdotool",
        "mousemove",
        *start,
        "mousedown",
        button,
        *path,
        "sleep",
        "0.02",
        "mouseup",
        button,
    )
    return OK, False


@desktop_tool("swipe")
async def swipe(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    """A left-button press moved from start to end in steps over `duration_ms`, then released."""
    start = _point(display, args, "start_x", "start_y")
    end = _point(display, args, "end_x", "end_y")
    duration = get_int(args, "duration_ms", default=300)
    if not 0 <= duration <= MAX_SWIPE_MS:
        raise ToolFailure(f"Argument 'duration_ms' is {duration}: it must be 0 to {MAX_SWIPE_MS}")
    steps = max(1, min(duration // 20, 50))  # about 50 moves a second, at most 50
    path = _path(start, end, steps, f"{duration / steps / 1000:.3f}")
    await _x.run(
        display,
        "xdotool",
        *("mousemove", *start, "mousedown", "1", *path, "mouseup", "1"),
        timeout_s=_x.DEFAULT_TIMEOUT_S + duration / 1000,
    )
    return OK, False


@desktop_tool("scroll")
async def scroll(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    """`amount` wheel notches at a point: X buttons 4 (up), 5 (down), 6 (left), 7 (right)."""
    point = _point(display, args)
    button = _choice(args, "direction", _SCROLL_BUTTONS)
    amount = get_int(args, "amount", default=1)
    if not 1 <= amount <= MAX_SCROLL_AMOUNT:
        raise ToolFailure(f"Argument 'amount' is {amount}: it must be 1 to {MAX_SCROLL_AMOUNT}")
    await _x.run(display, "xdotool", "mousemove", *point, *_presses(str(button), amount, "0.005"))
    return OK, False


@desktop_tool("get_cursor_position")
async def get_cursor_position(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    x, y = await _x.pointer(display)
    return json.dumps({"x": x, "y": y}), False


@desktop_tool("get_screen_size")
async def get_screen_size(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    return json.dumps({"width": display.width, "height": display.height, "dpiScalingFactor": 1.0}), False


@desktop_tool("press_keys")
async def press_keys(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    """The keys pressed in order (a chord: `["Ctrl", "a"]`), released in reverse unless `hold`."""
    keys = _keysyms(args)
    release = [] if get_bool(args, "hold", default=False) else ["keyup", *reversed(keys)]
    await _x.run(display, "xdotool", "keydown", *keys, *release)
    return OK, False


@desktop_tool("release_keys")
async def release_keys(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    await _x.run(display, "xdotool", "keyup", *reversed(_keysyms(args)))
    return OK, False


@desktop_tool("send_key")
async def send_key(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    if args.get("key") is None:
        raise ToolFailure("Missing required argument 'key'")
    code = get_int(args, "key", default=0)
    found = _ANDROID_KEYS.get(code)
    if found is None:
        raise ToolFailure(
            f"Unknown key code {code}: use an Android key code such as HOME 3, BACK 4, VOLUME_UP 24, "
            "VOLUME_DOWN 25, POWER 26, MENU 82, ENTER 66, DEL 67, TAB 61, SPACE 62, ESCAPE 111"
        )
    await _x.run(display, "xdotool", "key", found)
    return OK, False


#: Characters per xdotool run, so that no command line grows with the text.
TEXT_CHUNK = 200
#: Delay between keystrokes (ms) for characters xdotool has to remap itself (see `_keymap`: more
#: different ones in a text than there are spare keycodes, or control characters): it maps each onto a
#: spare keycode, presses it and maps it back after the delay, and an app that reads the event later
#: gets nothing (with no delay "wörld" was typed "wrld"). Characters on the map need no delay.
_REMAP_DELAY_MS = "40"


def on_us_map(char: str) -> bool:
    """Whether Xvfb's US keyboard map has the character: printable ASCII, tab and newline."""
    return char.isascii() and (char.isprintable() or char in "\t\n")


def next_part(text: str, on_map: set[str]) -> str:
    """The start of `text` that one xdotool run types with no delay (its characters are on the map),
    at most TEXT_CHUNK long; "" when the first character is not on the map."""
    for index, char in enumerate(text[:TEXT_CHUNK]):
        if not on_us_map(char) and char not in on_map:
            return text[:index]
    return text[:TEXT_CHUNK]


@desktop_tool("input_text")
async def input_text(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    """Types `text` into the focused window, any characters, in runs of xdotool: the characters off
    the keyboard map are put on it first (`_keymap`), so a run is typed with no delay between keys."""
    text = get_str(args, "text")
    while text:
        others = "".join(c for c in text[:TEXT_CHUNK] if not on_us_map(c))
        on_map = await _keymap.map_characters(display, others) if others else set()
        part = next_part(text, on_map)
        delay = "0" if part else _REMAP_DELAY_MS
        part = part or text[:1]  # one that xdotool remaps itself, slowly
        await _x.run(display, "xdotool", "type", "--delay", delay, "--", part)
        _keymap.typed(display, part)
        text = text[len(part) :]
    return OK, False


@desktop_tool("system_screenshot")
async def system_screenshot(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    """A PNG of the screen with the cursor drawn in, stored for the session; replies with its URL."""
    return await _screens.capture(display), False
