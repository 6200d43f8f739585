"""The keyboard, mouse, screen and UI-element tools of a desktop session, on the wire (CallMcpTool).

Each test gets its own linux_latest session, so its own X display (pointer at the centre). What the
tools do is read back from apps in the session: an xterm running `cat > file` (text and keys arrive
in the file) and xev, which prints every X event its window gets (buttons, wheel, motion, keys).
The pure pieces (key names, text runs, the X tree parser) are tested without a display at the end.
"""

from __future__ import annotations

import json
import re
import struct
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from agentbay_local.desktop import _elements, _input, _keymap, missing_packages

from ._wire import Wire

needs_desktop = pytest.mark.skipif(
    bool(missing_packages()), reason=f"desktop packages missing: {' '.join(missing_packages())}"
)

#: How long an app may take to show its window or its effect.
WAIT_S = 10.0


def call(wire: Wire, session_id: str, name: str, **args: Any) -> tuple[str, bool]:
    """CallMcpTool: (reply text, isError)."""
    data = wire.ok("CallMcpTool", SessionId=session_id, Name=name, Args=json.dumps(args))["Data"]
    return data["content"][0]["text"], data["isError"]


def ok(wire: Wire, session_id: str, name: str, **args: Any) -> str:
    text, is_error = call(wire, session_id, name, **args)
    assert not is_error, f"{name}: {text}"
    return text


def wait_for(what: str, check: Callable[[], Any]) -> Any:
    """`check()`'s first truthy value, polled until WAIT_S."""
    deadline = time.monotonic() + WAIT_S
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last: {value!r}")
        time.sleep(0.05)


def start(wire: Wire, session_id: str, command: str, stdout: str = "/dev/null") -> None:
    """Run an X app in the session, in the background (it stays until the session ends)."""
    ok(wire, session_id, "shell", command=f"(setsid {command} >{stdout} 2>&1 &)", timeout_ms=10000)


def window_of(wire: Wire, session_id: str, title: str) -> dict[str, Any]:
    """The clickable element of the app window with this title, once it shows."""

    def find() -> dict[str, Any] | None:
        elements = json.loads(ok(wire, session_id, "get_clickable_ui_elements", timeout_ms=2000))
        return next((e for e in elements if e["text"] == title), None)

    found: dict[str, Any] = wait_for(f"the window {title!r}", find)
    return found


def centre(element: dict[str, Any]) -> tuple[int, int]:
    left, top, right, bottom = map(int, element["bounds"].split(","))
    return (left + right) // 2, (top + bottom) // 2


def read(wire: Wire, session_id: str, path: str) -> str:
    text, is_error = call(wire, session_id, "read_file", path=path)
    return "" if is_error else text


@pytest.fixture
def desktop(wire: Wire) -> Any:
    """A new linux_latest session's id, released afterwards."""
    session_id = wire.create(ImageId="linux_latest")
    yield session_id
    wire.ok("ReleaseMcpSession", SessionId=session_id)


class Xev:
    """xev in the session, its window at the top left, its events read back from its log."""

    LOG = "/home/wuying/xev.log"

    def __init__(self, wire: Wire, session_id: str) -> None:
        self.wire, self.session_id = wire, session_id
        # Line-buffered: xev leaves its stdout to stdio, which holds 4 KiB back when it is a file.
        start(wire, session_id, "stdbuf -oL xev -geometry 400x300+0+0", stdout=self.LOG)
        self.window = window_of(wire, session_id, "Event Tester")
        self.x, self.y = centre(self.window)

    def events(self) -> list[tuple[str, str]]:
        """(event type, detail) of the button, key and motion events so far: the button number, the
        keysym name, or the motion's state mask."""
        log = read(self.wire, self.session_id, self.LOG)
        found = []
        for block in log.split("\n\n"):
            kind = block.split(" ", 1)[0]
            if kind in ("ButtonPress", "ButtonRelease"):
                found.append((kind, re.search(r"button (\d+)", block)[1]))  # type: ignore[index]
            elif kind in ("KeyPress", "KeyRelease"):
                found.append((kind, re.search(r"keysym 0x[0-9a-f]+, (\w+)\)", block)[1]))  # type: ignore[index]
            elif kind == "MotionNotify":
                found.append((kind, re.search(r"state (0x[0-9a-f]+)", block)[1]))  # type: ignore[index]
        return found

    def typed(self) -> str:
        """The text the window's key presses make (xev's XmbLookupString lines, UTF-8)."""
        log = read(self.wire, self.session_id, self.LOG)
        found = re.findall(r"XmbLookupString gives \d+ bytes: \(([0-9a-f ]*)\)", log)
        return b"".join(bytes.fromhex(hex_bytes) for hex_bytes in found).decode()

    def wait(self, what: str, check: Callable[[list[tuple[str, str]]], bool]) -> list[tuple[str, str]]:
        last: list[list[tuple[str, str]]] = [[]]

        def poll() -> list[tuple[str, str]] | None:
            last[0] = self.events()
            return last[0] if check(last[0]) else None

        try:
            events: list[tuple[str, str]] = wait_for(what, poll)
        except AssertionError as error:
            raise AssertionError(f"{error}; events: {last[0]}") from None
        return events


def buttons(events: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [e for e in events if e[0].startswith("Button")]


def keys(events: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [e for e in events if e[0].startswith("Key")]


# ---- keys and text reach the focused app ------------------------------------------------------------------


@needs_desktop
def test_text_and_keys_reach_the_focused_xterm(wire: Wire, desktop: str) -> None:
    out = "/home/wuying/typed.txt"
    start(wire, desktop, f"xterm -T typing -e sh -c 'cat > {out}'")
    xterm = window_of(wire, desktop, "typing")
    ok(wire, desktop, "click_mouse", x=centre(xterm)[0], y=centre(xterm)[1], button="left")  # focus it
    text = "Hello wörld ✓ $HOME 'q' \"x\" -- \\n\t€\n"
    assert ok(wire, desktop, "input_text", text=text) == "ok"
    # Hundreds of keys the app has yet to read, then characters off the keyboard map: they must not be
    # lost to a map that changed back meanwhile (see agentbay_local.desktop._keymap).
    long = "".join(chr(ord("a") + n % 26) for n in range(450))  # three runs of xdotool
    ok(wire, desktop, "input_text", text=long + "éü\n")
    many = "".join(chr(0x3B1 + n) for n in range(24)) + "".join(chr(0x430 + n) for n in range(32))
    ok(wire, desktop, "input_text", text=many + "\n")  # more distinct characters than spare keycodes
    ok(wire, desktop, "press_keys", keys=["Shift", "a"])  # a chord: "A"
    ok(wire, desktop, "press_keys", keys=["Shift"], hold=True)
    ok(wire, desktop, "press_keys", keys=["b"])  # Shift still down: "B"
    ok(wire, desktop, "release_keys", keys=["Shift"])
    ok(wire, desktop, "press_keys", keys=["c"])
    ok(wire, desktop, "press_keys", keys=["+"])  # a character that is also xdotool's chord separator
    ok(wire, desktop, "send_key", key=62)  # Android SPACE
    ok(wire, desktop, "input_text", text="x")
    ok(wire, desktop, "send_key", key=67)  # Android DEL: Backspace
    ok(wire, desktop, "input_text", text="")  # nothing to type: ok
    ok(wire, desktop, "send_key", key=66)  # Android ENTER
    expected = text + long + "éü\n" + many + "\nABc+ \n"
    deadline = time.monotonic() + WAIT_S
    while read(wire, desktop, out) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert read(wire, desktop, out) == expected


@needs_desktop
def test_key_chords_and_held_keys_as_x_events(wire: Wire, desktop: str) -> None:
    xev = Xev(wire, desktop)
    ok(wire, desktop, "click_mouse", x=xev.x, y=xev.y)  # focus
    ok(wire, desktop, "press_keys", keys=["ctrl", "A"])  # case-insensitive names; "A" is the a key
    ok(wire, desktop, "press_keys", keys=["Alt", "Tab"], hold=True)
    ok(wire, desktop, "release_keys", keys=["Alt", "Tab"])
    ok(wire, desktop, "send_key", key=4)  # Android BACK: Escape
    events = xev.wait("the key events", lambda e: ("KeyRelease", "Escape") in e)
    assert keys(events) == [
        ("KeyPress", "Control_L"),
        ("KeyPress", "a"),
        ("KeyRelease", "a"),
        ("KeyRelease", "Control_L"),
        ("KeyPress", "Alt_L"),
        ("KeyPress", "Tab"),
        ("KeyRelease", "Tab"),
        ("KeyRelease", "Alt_L"),
        ("KeyPress", "Escape"),
        ("KeyRelease", "Escape"),
    ]


# ---- the mouse ----------------------------------------------------------------------------------------------


@needs_desktop
def test_the_pointer_starts_at_the_centre_and_follows_move_mouse(wire: Wire, desktop: str) -> None:
    size = json.loads(ok(wire, desktop, "get_screen_size"))
    assert size == {"width": 1024, "height": 768, "dpiScalingFactor": 1.0}
    assert json.loads(ok(wire, desktop, "get_cursor_position")) == {"x": 512, "y": 384}
    for x, y in ((100, 200), (0, 0), (1023, 767), (100, 200)):  # the last: no move at all
        assert ok(wire, desktop, "move_mouse", x=x, y=y) == "ok"
        assert json.loads(ok(wire, desktop, "get_cursor_position")) == {"x": x, "y": y}


@needs_desktop
def test_clicks_scrolls_and_drags_reach_the_window_under_the_pointer(wire: Wire, desktop: str) -> None:
    xev = Xev(wire, desktop)
    x, y = xev.x, xev.y
    ok(wire, desktop, "click_mouse", x=x, y=y, button="right")
    ok(wire, desktop, "click_mouse", x=x, y=y, button="middle")
    ok(wire, desktop, "click", x=x, y=y, button="left")  # ui.click
    ok(wire, desktop, "click_mouse", x=x, y=y, button="double_left")
    ok(wire, desktop, "scroll", x=x, y=y, direction="down", amount=2)
    ok(wire, desktop, "scroll", x=x, y=y, direction="up", amount=1)
    ok(wire, desktop, "scroll", x=x, y=y, direction="left", amount=1)
    ok(wire, desktop, "scroll", x=x, y=y, direction="right", amount=1)
    press_release = [("ButtonPress", "{}"), ("ButtonRelease", "{}")]
    expected = [
        (kind, detail.format(n)) for n in "3211155467" for kind, detail in press_release
    ]  # right, middle, left, double left, down x2, up, left, right
    events = xev.wait("the clicks", lambda e: len(buttons(e)) >= len(expected))
    assert buttons(events) == expected
    assert json.loads(ok(wire, desktop, "get_cursor_position")) == {"x": x, "y": y}

    ok(wire, desktop, "drag_mouse", from_x=x - 50, from_y=y - 50, to_x=x + 50, to_y=y + 40, button="left")
    events = xev.wait("the drag", lambda e: len(buttons(e)) >= len(expected) + 2)
    button_at = [i for i, (kind, _) in enumerate(events) if kind.startswith("Button")]
    after = events[button_at[len(expected)] :]
    assert after[0] == ("ButtonPress", "1") and after[-1] == ("ButtonRelease", "1")
    moves = [detail for kind, detail in after if kind == "MotionNotify"]
    assert moves and all(int(state, 16) & 0x100 for state in moves)  # moved with Button1 down
    assert json.loads(ok(wire, desktop, "get_cursor_position")) == {"x": x + 50, "y": y + 40}

    ok(wire, desktop, "swipe", start_x=x, start_y=y, end_x=x - 60, end_y=y - 30, duration_ms=100)
    events = xev.wait("the swipe", lambda e: len(buttons(e)) >= len(expected) + 4)
    assert buttons(events)[-2:] == [("ButtonPress", "1"), ("ButtonRelease", "1")]
    assert json.loads(ok(wire, desktop, "get_cursor_position")) == {"x": x - 60, "y": y - 30}


# ---- bad arguments: refused before anything reaches the display ---------------------------------------------


@needs_desktop
@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("move_mouse", {"x": 1024, "y": 0}, "Argument 'x' is 1024: it must be within the screen, 0 to 1023"),
        ("move_mouse", {"x": 0, "y": -1}, "Argument 'y' is -1"),
        ("move_mouse", {"x": 0}, "Missing required argument 'y'"),
        ("move_mouse", {"x": "1", "y": 0}, "Argument 'x' must be an integer"),
        (
            "click_mouse",
            {"x": 1, "y": 1, "button": "side"},
            "it must be one of left, middle, right, double_left",
        ),
        ("click", {"x": 1, "y": 1, "button": "double_left"}, "it must be one of left, middle, right"),
        ("drag_mouse", {"from_x": 1, "from_y": 1, "to_x": 2, "to_y": 800, "button": "left"}, "'to_y' is 800"),
        ("scroll", {"x": 1, "y": 1, "direction": "sideways", "amount": 1}, "'direction' is 'sideways'"),
        ("scroll", {"x": 1, "y": 1, "direction": "up", "amount": 0}, "'amount' is 0: it must be 1 to 100"),
        (
            "swipe",
            {"start_x": 1, "start_y": 1, "end_x": 2, "end_y": 2, "duration_ms": 60001},
            "'duration_ms'",
        ),
        ("press_keys", {"keys": ["Ctrl", "Hyperspace"]}, "Unknown key 'Hyperspace'"),
        ("press_keys", {"keys": []}, "must name at least one key"),
        ("release_keys", {"keys": "Ctrl"}, "must be an array of strings"),
        ("send_key", {"key": 9999}, "Unknown key code 9999"),
        ("send_key", {"key": "4"}, "must be an integer"),
        ("input_text", {}, "Missing required argument 'text'"),
        ("get_all_ui_elements", {"timeout_ms": 2000, "format": "yaml"}, "it must be json or xml"),
    ],
)
def test_bad_arguments_are_tool_errors(
    wire: Wire, desktop: str, name: str, args: dict[str, Any], message: str
) -> None:
    text, is_error = call(wire, desktop, name, **args)
    assert is_error and message in text
    assert json.loads(ok(wire, desktop, "get_cursor_position")) == {"x": 512, "y": 384}  # nothing moved


# ---- screenshots and UI elements ---------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@needs_desktop
def test_system_screenshot_is_the_url_of_a_png_of_the_screen(wire: Wire, desktop: str) -> None:
    url = ok(wire, desktop, "system_screenshot")
    assert url.startswith(str(wire.client.base_url).rstrip("/") + "/") and url.endswith(".png")
    data = httpx.get(url).content  # no API key: the URL is the capability
    assert png_size(data) == (1024, 768)


@needs_desktop
def test_ui_elements_are_the_visible_windows_of_the_x_tree(wire: Wire, desktop: str) -> None:
    assert json.loads(ok(wire, desktop, "get_clickable_ui_elements", timeout_ms=2000)) == []
    start(wire, desktop, "xterm -T 'tïtle ✓' -geometry 80x24+40+50")
    element = window_of(wire, desktop, "tïtle ✓")
    left, top, right, bottom = map(int, element["bounds"].split(","))
    assert 40 <= left < right <= 1024 and 50 <= top < bottom <= 768
    windows = json.loads(ok(wire, desktop, "list_root_windows", timeout_ms=3000))
    (window,) = (w for w in windows if w["title"] == "tïtle ✓")
    assert element == {
        "bounds": f"{window['absolute_upper_left_x']},{window['absolute_upper_left_y']},"
        f"{window['absolute_upper_left_x'] + window['width']},{window['absolute_upper_left_y'] + window['height']}",
        "className": "XTerm",
        "text": "tïtle ✓",
        "type": "clickable",
        "resourceId": str(window["window_id"]),
        "index": 0,
        "isParent": True,  # xterm's text area is a window of its own
    }

    (tree,) = json.loads(ok(wire, desktop, "get_all_ui_elements", timeout_ms=2000))
    assert {k: v for k, v in tree.items() if k not in ("children", "type")} == {
        k: v for k, v in element.items() if k != "type"
    }
    assert tree["type"] == "window" and tree["children"]
    assert all(set(child) == set(tree) for child in tree["children"])
    xml = ok(wire, desktop, "get_all_ui_elements", timeout_ms=2000, format="xml")
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?><hierarchy rotation="0"><node index="0"')
    assert 'text="tïtle ✓"' in xml and 'class="XTerm"' in xml

    ok(wire, desktop, "minimize_window", window_id=window["window_id"])
    assert json.loads(ok(wire, desktop, "get_clickable_ui_elements", timeout_ms=2000)) == []


def test_code_latest_sessions_have_no_desktop_for_these_tools(wire: Wire) -> None:
    session_id = wire.create(ImageId="code_latest")
    try:
        text, is_error = call(wire, session_id, "move_mouse", x=1, y=1)
        assert is_error and "this session has no desktop: create it with image linux_latest" in text
    finally:
        wire.ok("ReleaseMcpSession", SessionId=session_id)


# ---- the pure pieces ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "keysym"),
    [
        ("Ctrl", "Control_L"),
        ("control", "Control_L"),
        ("Command", "Super_L"),
        ("Win", "Super_L"),
        ("Meta", "Super_L"),
        ("Enter", "Return"),
        ("ArrowUp", "Up"),
        ("page_down", "Next"),
        ("F24", "F24"),
        ("A", "a"),
        ("7", "7"),
        ("+", "U002B"),
        ("é", "U00E9"),
        ("KP_Enter", "KP_Enter"),
        ("XF86AudioPlay", "XF86AudioPlay"),
    ],
)
def test_key_names(name: str, keysym: str) -> None:
    assert _input.keysym(name) == keysym


def test_keysyms_of_characters() -> None:
    assert [_keymap.keysym_of(c) for c in "aé✓"] == [0x61, 0xE9, 0x1002713]


def test_next_part_is_what_one_xdotool_run_types_with_no_delay() -> None:
    assert _input.next_part("ab\tc\n" + "x" * 450, set()) == "ab\tc\n" + "x" * 195  # TEXT_CHUNK
    assert _input.next_part("héllo ✓", {"é"}) == "héllo "  # up to the one not on the map
    assert _input.next_part("héllo ✓", {"é", "✓"}) == "héllo ✓"
    assert _input.next_part("✓ x", set()) == ""  # xdotool remaps it itself
    assert _input.next_part("\x1b[A", {"\x1b"}) == "\x1b[A"


def test_parse_tree_nests_by_indent_and_reads_names_classes_and_absolute_positions() -> None:
    text = """
xwininfo: Window id: 0x50d (the root window) (has no name)

  Root window id: 0x50d (the root window) (has no name)
  Parent window id: 0x0 (none)
     2 children:
     0x200046 (has no name): ()  492x347+0+0  +0+0
        1 child:
        0x40000c "a \\"b\\": (c)": ("xterm" "XTerm")  484x316+4+27  +4+27
           1 child:
           0x400018 (has no name): ()  484x316+0+0  +4+27
     0x200001 "JWM": ()  1x1+-5+0  +-5+0
"""
    windows = _elements.parse_tree(text)
    assert sorted(windows) == [0x200001, 0x200046, 0x40000C, 0x400018]
    xterm = windows[0x40000C]
    assert (xterm.name, xterm.class_name, xterm.x, xterm.y, xterm.width, xterm.height) == (
        'a \\"b\\": (c)',
        "XTerm",
        4,
        27,
        484,
        316,
    )
    assert [c.window_id for c in windows[0x200046].children] == [0x40000C]
    assert [c.window_id for c in xterm.children] == [0x400018]
    assert windows[0x200001].x == -5 and not windows[0x200001].children
