"""session.ui and session.computer on a real desktop: a linux_latest session of the local server (sync and
async). What the calls do is read back from the session: text typed into an xterm running `cat > file`
arrives in the file, the pointer goes where it was sent, screenshots are 1024x768 PNGs that change
when a window opens."""

from __future__ import annotations

import struct
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentbay import CreateSessionParams, Key, KeyCode, MouseButton, ScrollDirection, UIElement
from agentbay_local.desktop import missing_packages

pytestmark = pytest.mark.skipif(
    bool(missing_packages()), reason=f"desktop packages missing: {' '.join(missing_packages())}"
)

WAIT_S = 10.0
"""How long an app may take to show its window or its effect."""


def wait_for(what: str, check: Callable[[], Any]) -> Any:
    """`check()`'s first truthy value, polled until WAIT_S."""
    deadline = time.monotonic() + WAIT_S
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def desktop(live: Any) -> Iterator[Any]:
    """A fresh linux_latest session (its own X display), deleted afterwards."""
    with live.create(CreateSessionParams(image_id="linux_latest")).unwrap() as session:
        yield session


def start(session: Any, command: str) -> None:
    """Run an X app in the session, in the background (it stays until the session ends)."""
    session.command.execute_command(f"(setsid {command} >/dev/null 2>&1 &)").raise_for_error()


def window(session: Any, title: str) -> UIElement:
    """The clickable element of the window titled `title`, once it shows."""

    def find() -> UIElement | None:
        result = session.ui.get_clickable_ui_elements()
        result.raise_for_error()
        return next((e for e in result.elements if e.text == title), None)

    found: UIElement = wait_for(f"the window {title!r}", find)
    return found


def read(session: Any, path: str) -> str:
    result = session.file_system.read_file(path)
    return result.content if result.success else ""


def pixels(png: bytes) -> tuple[int, int, bytes]:
    """(width, height, the raw scanlines) of a PNG: its IDAT data inflated (filters left as they are)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    data, pos = b"", 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        if kind == b"IDAT":
            data += png[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, zlib.decompress(data)


def test_text_and_keys_typed_into_an_xterm_arrive_in_its_file(desktop: Any) -> None:
    out = "/home/wuying/typed.txt"
    start(desktop, f"xterm -T typing -e sh -c 'cat > {out}'")
    xterm = window(desktop, "typing")
    assert xterm.bounds_rect is not None and xterm.class_name
    computer = desktop.computer
    computer.click_mouse(*xterm.bounds_rect.center).raise_for_error()  # focus it
    computer.input_text("Hello wörld $HOME 'q'\n").raise_for_error()
    desktop.ui.input_text("from ui ").raise_for_error()
    computer.press_keys([Key.SHIFT, "a"]).raise_for_error()  # a chord: "A"
    computer.press_keys(["shift"], hold=True).raise_for_error()  # our case: "Shift"
    computer.press_keys(["b"]).raise_for_error()  # Shift still down: "B"
    computer.release_keys([Key.SHIFT]).raise_for_error()
    computer.press_keys(["c", Key.ENTER]).raise_for_error()
    computer.input_text("x").raise_for_error()
    desktop.ui.send_key(KeyCode.DEL).raise_for_error()  # Backspace
    computer.input_text("y").raise_for_error()
    desktop.ui.send_key(KeyCode.ENTER).raise_for_error()
    expected = "Hello wörld $HOME 'q'\nfrom ui ABc\ny\n"
    last = ""

    def typed() -> bool:
        nonlocal last
        last = read(desktop, out)
        return last == expected

    try:
        wait_for("the typed text in the file", typed)
    except AssertionError:
        raise AssertionError(f"the file holds {last!r}, not {expected!r}") from None


def test_the_pointer_goes_where_it_is_sent(desktop: Any) -> None:
    computer = desktop.computer
    size = computer.get_screen_size()
    assert (size.width, size.height, size.dpi_scaling_factor) == (1024, 768, 1.0)
    cursor = computer.get_cursor_position()
    assert (cursor.x, cursor.y) == (512, 384)  # Xvfb starts it at the centre
    for x, y in ((100, 200), (0, 0), (1023, 767)):
        computer.move_mouse(x, y).raise_for_error()
        cursor = computer.get_cursor_position()
        assert (cursor.success, cursor.x, cursor.y) == (True, x, y)
    computer.click_mouse(300, 310, MouseButton.RIGHT).raise_for_error()
    assert (computer.get_cursor_position().x, computer.get_cursor_position().y) == (300, 310)
    desktop.ui.click(40, 50).raise_for_error()
    assert computer.get_cursor_position().x == 40
    computer.drag_mouse(10, 20, 200, 220).raise_for_error()
    cursor = computer.get_cursor_position()
    assert (cursor.x, cursor.y) == (200, 220)
    computer.scroll(500, 400, ScrollDirection.DOWN, 2).raise_for_error()
    desktop.ui.swipe(500, 400, 600, 450, 50).raise_for_error()
    cursor = computer.get_cursor_position()
    assert (cursor.x, cursor.y) == (600, 450)
    # Outside the screen: the server refuses it, a typed failure (the facade only refuses negatives).
    result = computer.move_mouse(5000, 1)
    assert not result.success and "5000" in result.error_message


def test_screenshots_are_pngs_of_the_screen_that_change_when_a_window_opens(
    desktop: Any, tmp_path: Path
) -> None:
    desktop.computer.move_mouse(1000, 700).raise_for_error()  # the pointer out of the way, still
    before = desktop.computer.screenshot_bytes()
    assert before.success, before.error
    assert before.content[:8] == b"\x89PNG\r\n\x1a\n" and before.content[12:16] == b"IHDR"
    assert (before.width, before.height) == (1024, 768)
    width, height, rows = pixels(before.content)
    assert (width, height) == (1024, 768) and len(rows) >= 768 * 1024  # one filter byte + pixels a row
    again = desktop.ui.screenshot_bytes()
    assert pixels(again.content)[2] == rows  # nothing moved: the same image

    start(desktop, "xterm -T shot -geometry 80x24+50+50")
    window(desktop, "shot")
    saved = desktop.ui.save_screenshot(tmp_path / "after.png")
    assert saved.success and saved.path == tmp_path / "after.png"
    assert (tmp_path / "after.png").read_bytes() == saved.content
    assert pixels(saved.content)[:2] == (1024, 768) and pixels(saved.content)[2] != rows

    # The URL, as the service gives it: anyone holding it reads the PNG while the session lives.
    shot = desktop.computer.screenshot()
    assert shot.url.startswith("http") and shot.data == shot.url
    response = httpx.get(shot.url)
    assert response.status_code == 200 and response.content[:8] == b"\x89PNG\r\n\x1a\n"
    desktop.delete().raise_for_error()
    assert httpx.get(shot.url).status_code in (403, 404)  # gone with the session


def test_desktop_tools_on_a_session_without_a_desktop_fail_clearly(live: Any) -> None:
    with live.create(CreateSessionParams(image_id="code_latest")).unwrap() as session:
        result = session.computer.click_mouse(1, 1)
        assert not result.success and "linux_latest" in result.error_message
        shot = session.ui.screenshot_bytes()
        assert not shot.success and shot.content == b"" and "linux_latest" in shot.error_message
