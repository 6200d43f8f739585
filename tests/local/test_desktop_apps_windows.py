"""The application and window tools of a desktop session, on the wire, against a real X display.

Most tests use xmessage (x11-utils): small, and it sets no `_NET_WM_PID`, so they also cover finding
a window's pid by its `WM_COMMAND`. xterm (which sets it) has a test of its own.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agentbay_local.desktop import NO_DESKTOP
from agentbay_local.desktop._apps import Proc, installed_apps, strip_field_codes, working_in
from agentbay_local.desktop._windows import _command, _text, parse_geometry, parse_props

from ._wire import Wire

WIRE_TOOLS = Path(__file__).resolve().parents[2] / ".." / "shared" / "wire" / "tools"
WINDOW_KEYS = {
    "window_id",
    "title",
    "window_title",
    "absolute_upper_left_x",
    "absolute_upper_left_y",
    "width",
    "height",
    "pid",
    "pname",
    "child_windows",
}


def call(wire: Wire, session_id: str, name: str, **args: Any) -> tuple[str, bool]:
    data = wire.ok("CallMcpTool", SessionId=session_id, Name=name, Args=json.dumps(args))["Data"]
    return data["content"][0]["text"], data["isError"]


def ok(wire: Wire, session_id: str, name: str, **args: Any) -> str:
    text, is_error = call(wire, session_id, name, **args)
    assert not is_error, text
    return text


def fails(wire: Wire, session_id: str, name: str, **args: Any) -> str:
    text, is_error = call(wire, session_id, name, **args)
    assert is_error, text
    return text


def windows(wire: Wire, session_id: str) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = json.loads(ok(wire, session_id, "list_root_windows", timeout_ms=3000))
    return listed


def window(wire: Wire, session_id: str, window_id: int) -> dict[str, Any]:
    (found,) = [win for win in windows(wire, session_id) if win["window_id"] == window_id]
    return found


def start(wire: Wire, session_id: str, title: str) -> tuple[int, int]:
    """Start an xmessage titled `title`: (its pid, its window id)."""
    started = json.loads(ok(wire, session_id, "start_app", start_cmd=f"xmessage -title {title} hello"))
    (proc,) = started
    assert proc["pname"] == "xmessage"
    assert proc["cmdline"] == f"xmessage -title {title} hello"
    for _ in range(100):
        matching = [win for win in windows(wire, session_id) if win["title"] == title]
        if matching:
            return proc["pid"], matching[0]["window_id"]
    raise AssertionError(f"no window titled {title}")


@pytest.fixture
def desktop(wire: Wire) -> Iterator[str]:
    """A desktop session (linux_latest), deleted after the test."""
    session_id = wire.create(ImageId="linux_latest")
    yield session_id
    wire.ok("ReleaseMcpSession", SessionId=session_id)


def test_an_app_started_has_its_window_listed_with_its_pid_and_true_geometry(
    wire: Wire, desktop: str
) -> None:
    assert windows(wire, desktop) == []
    pid, window_id = start(wire, desktop, "first")
    win = window(wire, desktop, window_id)
    assert set(win) >= WINDOW_KEYS
    assert (win["title"], win["window_title"], win["pid"], win["pname"]) == (
        "first",
        "first",
        pid,
        "xmessage",
    )
    assert win["child_windows"] == []
    assert win["absolute_upper_left_x"] >= 0 and win["absolute_upper_left_y"] >= 0
    assert 0 < win["width"] < 1024 and 0 < win["height"] < 768
    # The pid is the session's: its own commands see the same process.
    assert ok(wire, desktop, "shell", command=f"cat /proc/{pid}/comm").strip() == "xmessage"
    assert json.loads(ok(wire, desktop, "list_visible_apps")) == [
        {"pname": "xmessage", "pid": pid, "cmdline": "xmessage -title first hello"}
    ]
    active = json.loads(ok(wire, desktop, "get_active_window", timeout_ms=3000))
    assert active["window_id"] == window_id and active["pid"] == pid


def test_xterm_runs_in_the_session_with_its_window(wire: Wire, desktop: str) -> None:
    # A root server once ran session commands as uid 0 of their user namespace, where xterm's
    # setgroups() is refused and it exited at once: the sandbox now runs them as an ordinary uid.
    started = json.loads(ok(wire, desktop, "start_app", start_cmd="xterm -T term"))
    assert [proc["pname"] for proc in started] == ["xterm"]
    for _ in range(100):
        listed = [win for win in windows(wire, desktop) if win["title"] == "term"]
        if listed:
            break
    assert [(win["pid"], win["pname"]) for win in listed] == [(started[0]["pid"], "xterm")]
    ok(wire, desktop, "stop_app_by_pname", pname="xterm")
    assert windows(wire, desktop) == []


def test_titles_are_exact_whatever_their_characters(wire: Wire, desktop: str) -> None:
    title = 'tïtle ✓ "q" \\\\ {x}'
    ok(wire, desktop, "start_app", start_cmd=f"xterm -T {shlex.quote(title)}")
    for _ in range(100):
        if [win for win in windows(wire, desktop) if win["title"] == title]:
            break
    assert [(win["title"], win["window_title"]) for win in windows(wire, desktop)] == [(title, title)]


def test_window_operations_change_what_list_root_windows_reports(wire: Wire, desktop: str) -> None:
    _, window_id = start(wire, desktop, "ops")
    normal = window(wire, desktop, window_id)
    assert normal["state"] == "normal"

    ok(wire, desktop, "maximize_window", window_id=window_id)
    maximized = window(wire, desktop, window_id)
    assert maximized["state"] == "maximized"
    assert maximized["width"] > 900 and maximized["height"] > 600

    ok(wire, desktop, "minimize_window", window_id=window_id)
    assert window(wire, desktop, window_id)["state"] == "minimized"
    assert json.loads(ok(wire, desktop, "list_visible_apps")) == []
    assert fails(wire, desktop, "get_active_window") == "No active window"

    ok(wire, desktop, "restore_window", window_id=window_id)
    restored = window(wire, desktop, window_id)
    assert restored["state"] == "normal"
    assert (restored["width"], restored["height"]) == (normal["width"], normal["height"])

    ok(wire, desktop, "fullscreen_window", window_id=window_id)
    full = window(wire, desktop, window_id)
    assert full["state"] == "fullscreen"
    assert (full["absolute_upper_left_x"], full["absolute_upper_left_y"], full["width"], full["height"]) == (
        0,
        0,
        1024,
        768,
    )

    ok(wire, desktop, "resize_window", window_id=window_id, width=320, height=200)
    resized = window(wire, desktop, window_id)
    assert (resized["state"], resized["width"], resized["height"]) == ("normal", 320, 200)

    ok(wire, desktop, "close_window", window_id=window_id)
    assert windows(wire, desktop) == []


def test_activate_window_makes_it_the_active_one(wire: Wire, desktop: str) -> None:
    _, first = start(wire, desktop, "one")
    _, second = start(wire, desktop, "two")
    for window_id in (first, second, first):
        ok(wire, desktop, "activate_window", window_id=window_id)
        assert json.loads(ok(wire, desktop, "get_active_window"))["window_id"] == window_id


def active_id(wire: Wire, session_id: str) -> int | None:
    text, is_error = call(wire, session_id, "get_active_window")
    return None if is_error else int(json.loads(text)["window_id"])


def settles_on(wire: Wire, session_id: str, window_id: int) -> bool:
    """Whether the active window becomes `window_id` and stays it for five reads in a row."""
    in_a_row = 0
    for _ in range(200):
        in_a_row = in_a_row + 1 if active_id(wire, session_id) == window_id else 0
        if in_a_row == 5:
            return True
    return False


def test_focus_mode_keeps_new_windows_from_taking_the_focus(wire: Wire, desktop: str) -> None:
    _, first = start(wire, desktop, "first")
    ok(wire, desktop, "activate_window", window_id=first)
    ok(wire, desktop, "focus_mode", on=True)
    ok(wire, desktop, "focus_mode", on=True)  # again: still on, one guard
    _, second = start(wire, desktop, "second")
    assert settles_on(wire, desktop, first)
    ok(wire, desktop, "activate_window", window_id=second)  # asking for a window still works
    assert settles_on(wire, desktop, second)

    ok(wire, desktop, "focus_mode", on=False)
    _, third = start(wire, desktop, "third")
    assert settles_on(wire, desktop, third)  # the window manager focuses new windows


def test_stop_app_by_pid_pname_and_cmd(wire: Wire, desktop: str) -> None:
    by_pid, _ = start(wire, desktop, "bypid")
    ok(wire, desktop, "stop_app_by_pid", pid=by_pid)
    assert [win["title"] for win in windows(wire, desktop)] == []
    assert "No process with pid" in fails(wire, desktop, "stop_app_by_pid", pid=by_pid)

    start(wire, desktop, "byname1")
    start(wire, desktop, "byname2")
    ok(wire, desktop, "stop_app_by_pname", pname="xmessage")
    assert windows(wire, desktop) == []
    assert "No process named 'xmessage'" in fails(wire, desktop, "stop_app_by_pname", pname="xmessage")

    start(wire, desktop, "bycmd")
    ok(wire, desktop, "stop_app_by_cmd", stop_cmd="pkill -x xmessage")
    for _ in range(100):
        if not windows(wire, desktop):
            break
    assert windows(wire, desktop) == []
    assert "exit status 1" in fails(wire, desktop, "stop_app_by_cmd", stop_cmd="pkill -x xmessage")


def test_start_app_runs_in_the_work_directory_and_strips_desktop_field_codes(
    wire: Wire, desktop: str
) -> None:
    ok(wire, desktop, "shell", command="mkdir -p /tmp/wd")
    started = json.loads(
        ok(
            wire,
            desktop,
            "start_app",
            start_cmd="sh -c 'pwd > out; exec sleep 30' %U",
            work_directory="/tmp/wd",
        )
    )
    # Shell syntax: the command runs under /bin/sh, which is one of the processes started.
    assert [proc["pname"] for proc in started] == ["sh", "sleep"]
    assert ok(wire, desktop, "shell", command="cat /tmp/wd/out") == "/tmp/wd\n"
    for proc in started:
        ok(wire, desktop, "stop_app_by_pid", pid=proc["pid"])
    assert "sleep" not in ok(wire, desktop, "shell", command="ps -e -o comm=")
    assert "No such directory" in fails(wire, desktop, "start_app", start_cmd="true", work_directory="/nope")
    assert fails(wire, desktop, "start_app", start_cmd="no-such-app") == (
        "The app exited at once with status 127 (command not found)"
    )
    assert (
        fails(wire, desktop, "start_app", start_cmd="sh -c 'exit 3'")
        == "The app exited at once with status 3"
    )
    assert ok(wire, desktop, "start_app", start_cmd="true") == "[]"  # done, and nothing left running


def test_get_installed_apps_reads_desktop_files(wire: Wire, desktop: str) -> None:
    listed = json.loads(
        ok(wire, desktop, "get_installed_apps", start_menu=True, desktop=False, ignore_system_apps=True)
    )
    xterm = [app for app in listed if app["start_cmd"] == "xterm"]
    assert xterm == [{"name": "XTerm", "start_cmd": "xterm", "stop_cmd": "", "work_directory": ""}]
    entry = "[Desktop Entry]\nType=Application\nName={name}\nExec={cmd}\nCategories={cat}\nPath=/tmp\n"
    ok(
        wire,
        desktop,
        "shell",
        command="mkdir -p ~/Desktop ~/.local/share/applications && "
        + f"printf %s {shlex.quote(entry.format(name='On Desk', cmd='xmessage desk %F', cat='Utility;'))}"
        + " > ~/Desktop/desk.desktop && "
        + f"printf %s {shlex.quote(entry.format(name='Tweaks', cmd='tweaks', cat='Settings;'))}"
        + " > ~/.local/share/applications/tweaks.desktop",
    )

    def names(**flags: bool) -> set[str]:
        return {app["name"] for app in json.loads(ok(wire, desktop, "get_installed_apps", **flags))}

    assert "On Desk" not in names(start_menu=True, desktop=False, ignore_system_apps=True)
    assert names(start_menu=False, desktop=True, ignore_system_apps=True) == {"On Desk"}
    assert "Tweaks" not in names(start_menu=True, desktop=False, ignore_system_apps=True)
    assert "Tweaks" in names(start_menu=True, desktop=False, ignore_system_apps=False)
    assert "Tweaks" in names(start_menu=True, desktop=False, ignore_system_app=False)  # 0.22's key
    (desk,) = json.loads(ok(wire, desktop, "get_installed_apps", start_menu=False, desktop=True))
    assert desk == {
        "name": "On Desk",
        "start_cmd": "xmessage desk %F",
        "stop_cmd": "",
        "work_directory": "/tmp",
    }


def test_bad_arguments_are_tool_errors(wire: Wire, desktop: str) -> None:
    assert "No window with id 12345" in fails(wire, desktop, "maximize_window", window_id=12345)
    assert "must be an integer" in fails(wire, desktop, "close_window", window_id="abc")
    assert "Missing required argument 'window_id'" in fails(wire, desktop, "activate_window")
    assert "from 1 to" in fails(wire, desktop, "resize_window", window_id=1, width=-5, height=10)
    assert "must be a positive integer" in fails(wire, desktop, "stop_app_by_pid", pid=0)
    assert "must not be empty" in fails(wire, desktop, "start_app", start_cmd=" ")
    assert "must be a boolean" in fails(wire, desktop, "focus_mode", on="yes")


def test_a_session_without_a_desktop_says_so(wire: Wire) -> None:
    session_id = wire.create(ImageId="code_latest")
    try:
        for name, args in (("list_root_windows", {}), ("start_app", {"start_cmd": "xmessage"})):
            assert fails(wire, session_id, name, **args) == NO_DESKTOP
    finally:
        wire.ok("ReleaseMcpSession", SessionId=session_id)


# ---- parsing, without a display --------------------------------------------------------------------


def test_xprop_output_is_parsed() -> None:
    text = (
        "_NET_WM_NAME(UTF8_STRING) = 0x61, 0x5c, 0x22, 0xc3, 0xa9\n"
        "WM_NAME(STRING) = 0x61, 0xe9\n"
        "_NET_WM_PID(CARDINAL) = 42\n"
        "_NET_WM_STATE(ATOM) = _NET_WM_STATE_MAXIMIZED_HORZ, _NET_WM_STATE_MAXIMIZED_VERT\n"
        "WM_TRANSIENT_FOR:  not found.\n"
        "WM_STATE(WM_STATE):\n\t\twindow state: Iconic\n\t\ticon window: 0x0\n"
        "WM_COMMAND(STRING) = 0x78, 0x0, 0x2d, 0x74, 0x0, 0x61, 0x20, 0x62, 0x0\n"
    )
    props = parse_props(text)
    assert _text(props["_NET_WM_NAME"]) == 'a\\"é'  # UTF-8, quotes and backslashes exact
    assert _text(props["WM_NAME"]) == "aé"  # STRING is Latin-1
    assert _text(props.get("_NET_WM_ICON_NAME")) is None
    assert props["_NET_WM_PID"] == ("CARDINAL", "42")
    assert "WM_TRANSIENT_FOR" not in props
    assert "Iconic" in props["WM_STATE"][1]
    assert _command(props["WM_COMMAND"]) == "x -t a b"
    # xterm's title beyond Latin-1: COMPOUND_TEXT, UTF-8 between ESC % G and ESC % @.
    raw = "é ".encode("latin-1") + b"\x1b%G" + "✓".encode() + b"\x1b%@ " + "ü".encode("latin-1")
    assert _text(("COMPOUND_TEXT", ", ".join(hex(b) for b in raw))) == "é ✓ ü"


def test_xwininfo_geometry_is_parsed() -> None:
    text = "  Absolute upper-left X:  4\n  Absolute upper-left Y:  -3\n  Width: 484\n  Height: 316\n"
    assert parse_geometry(text) == {"x": 4, "y": -3, "width": 484, "height": 316}


def test_desktop_field_codes_are_stripped() -> None:
    assert strip_field_codes("apturl %u") == "apturl"
    assert strip_field_codes("app %F --x %% y") == "app --x % y"
    assert strip_field_codes("plain  cmd") == "plain  cmd"


def test_installed_apps_skip_hidden_and_broken_entries(tmp_path: Path) -> None:
    menu = tmp_path / "menu"
    (menu / "sub").mkdir(parents=True)
    good = "[Desktop Entry]\nType=Application\nName=Good\nExec=good %U\n"
    (menu / "good.desktop").write_text(good)
    (menu / "hidden.desktop").write_text(good.replace("Good", "Hidden") + "NoDisplay=true\n")
    (menu / "link.desktop").write_text("[Desktop Entry]\nType=Link\nName=L\nURL=x\n")
    (menu / "broken.desktop").write_bytes(b"\xff\xfe not utf-8")
    (menu / "sub" / "nested.desktop").write_text(good.replace("Good", "Nested"))
    apps = installed_apps(
        tmp_path / "session", start_menu=True, desktop=False, ignore_system_apps=True, menu_dirs=[str(menu)]
    )
    assert [app["name"] for app in apps] == ["Good", "Nested"]
    assert apps[0] == {"name": "Good", "start_cmd": "good %U", "stop_cmd": "", "work_directory": ""}


def test_without_a_sandbox_only_processes_working_in_the_session_count(tmp_path: Path) -> None:
    session = tmp_path / "session"
    (session / "home").mkdir(parents=True)
    with subprocess.Popen(["sleep", "30"], cwd=session / "home") as inside:
        try:
            procs = [Proc(os.getpid(), 0, "python", ""), Proc(inside.pid, 0, "sleep", "sleep 30")]
            assert working_in(procs, session) == [procs[1]]  # never the server itself
        finally:
            inside.kill()
