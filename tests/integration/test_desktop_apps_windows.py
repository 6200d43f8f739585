"""session.application and session.window on a real desktop of the local server (both flavours):
start xterm and see its window, move it through every state and see each in list_root_windows, stop
apps by command, pid and name."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from agentbay import CreateSessionParams, ToolError, Window

T = TypeVar("T")

WAIT_S = 20.0
"""A bound on how long a change may take to show (no timing is asserted: this only ends a hang)."""
SLACK = 40
"""xterm sizes itself in whole character cells: a requested size comes back rounded down by up to one
cell (plus the window manager's rounding)."""


def wait_for(what: str, probe: Callable[[], T | None]) -> T:
    """`probe()`'s first non-None value, polled until WAIT_S has passed."""
    deadline = time.monotonic() + WAIT_S
    while True:
        value = probe()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def desktop(live: Any) -> Iterator[Any]:
    created = live.create(CreateSessionParams(image_id="linux_latest"))
    assert created.success, created.error_message
    with created.session as session:
        yield session


def windows(session: Any) -> list[Window]:
    result = session.window.list_root_windows()
    assert result.success, result.error_message
    return list(result.windows)


def titled(session: Any, title: str) -> Window | None:
    return next((w for w in windows(session) if w.title == title), None)


def gone(session: Any, title: str) -> bool | None:
    return True if titled(session, title) is None else None


def test_start_xterm_and_move_its_window_through_every_state(desktop: Any) -> None:
    app, win = desktop.application, desktop.window
    installed = app.get_installed_apps()
    assert installed.success and "xterm" in [a.start_cmd for a in installed.data]

    started = app.start_app("xterm -T g1-term -geometry 60x20+10+10")
    assert started.success, started.error_message
    xterm = next(p for p in started.data if p.pname == "xterm")
    window = wait_for("the app's window", lambda: titled(desktop, "g1-term"))
    assert window.pid == xterm.pid and window.pname == "xterm"  # the pid the session sees
    assert window.width and window.height and window.width > 100 and window.height > 100
    assert xterm.pid in [p.pid for p in app.list_visible_apps().data]

    assert win.activate_window(window.window_id).success
    active = win.get_active_window()
    assert active.success and active.window is not None and active.window.window_id == window.window_id

    def shown(check: Callable[[Window], bool]) -> Callable[[], Window | None]:
        def probe() -> Window | None:
            w = titled(desktop, "g1-term")
            return w if w is not None and check(w) else None

        return probe

    assert win.resize_window(window.window_id, 500, 300).success
    resized = wait_for("the new size", shown(lambda w: abs((w.width or 0) - 500) <= SLACK))
    assert 500 - SLACK <= (resized.width or 0) <= 500 and 300 - SLACK <= (resized.height or 0) <= 300

    assert win.maximize_window(window.window_id).success
    big = wait_for("the maximized window", shown(lambda w: (w.width or 0) > 900))
    assert big.state in (None, "maximized") and (big.height or 0) > 600

    assert win.restore_window(window.window_id).success
    wait_for("the restored size", shown(lambda w: (w.width or 0) <= 500))

    assert win.minimize_window(window.window_id).success
    wait_for("the minimized state", shown(lambda w: w.state == "minimized"))
    assert not win.get_active_window().success  # a minimized window has no focus
    assert xterm.pid not in [p.pid for p in app.list_visible_apps().data]

    assert win.restore_window(window.window_id).success
    wait_for("the window back", shown(lambda w: w.state == "normal"))

    assert win.fullscreen_window(window.window_id).success
    full = wait_for("fullscreen", shown(lambda w: (w.width, w.height) == (1024, 768)))
    assert (full.absolute_upper_left_x, full.absolute_upper_left_y) == (0, 0)
    assert full.state in (None, "fullscreen")
    assert win.restore_window(window.window_id).success
    wait_for("the window out of fullscreen", shown(lambda w: (w.width or 0) <= 500))

    assert win.focus_mode(True).success and win.focus_mode(False).success

    assert win.close_window(window.window_id).success
    wait_for("the window to close", lambda: gone(desktop, "g1-term"))
    failed = win.maximize_window(window.window_id)  # no longer a window of the desktop
    assert not failed.success and isinstance(failed.error, ToolError)


def test_stop_apps_by_command_pid_and_name(desktop: Any) -> None:
    app = desktop.application
    pids = {}
    for title in ("g1-by-cmd", "g1-by-pid", "g1-by-name"):
        started = app.start_app(f"xterm -T {title}")
        assert started.success, started.error_message
        pids[title] = next(p.pid for p in started.data if p.pname == "xterm")
        wait_for(title, lambda t=title: titled(desktop, t))

    # `[c]` so that the pattern does not match the shell that runs pkill (its command line holds it).
    assert app.stop_app_by_cmd("pkill -f 'xterm -T g1-by-[c]md'").success
    wait_for("g1-by-cmd to end", lambda: gone(desktop, "g1-by-cmd"))
    assert titled(desktop, "g1-by-pid") is not None

    assert app.stop_app_by_pid(pids["g1-by-pid"]).success
    wait_for("g1-by-pid to end", lambda: gone(desktop, "g1-by-pid"))
    assert titled(desktop, "g1-by-name") is not None

    assert app.stop_app_by_pname("xterm").success
    wait_for("g1-by-name to end", lambda: gone(desktop, "g1-by-name"))
    assert app.list_visible_apps().data == []
    stopped = app.stop_app_by_pid(pids["g1-by-pid"])  # ended already: the tool says so
    assert not stopped.success and isinstance(stopped.error, ToolError)
