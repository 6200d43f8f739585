"""The desktop of linux_latest sessions (agentbay_local/desktop): the display's lifecycle, no leftovers,
DISPLAY in the session's commands, screenshots and their URLs, and the refusals.

These need the X programs (Xvfb, jwm, xdotool, xprop, xwininfo, xwd): the test session installs them
(noxfile `_ensure_system_packages`), so they are never skipped there.
"""

from __future__ import annotations

import asyncio
import json
import os
import struct
import subprocess
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentbay_local import LocalServer, desktop
from agentbay_local.desktop import _display, _screens
from agentbay_local.desktop._tools import DESKTOP_TOOLS, desktop_tool
from agentbay_local.sandbox._args import ToolFailure

from ._wire import Wire, check_error

KEY = "akm-desktop-test"


def _shell(wire: Wire, session_id: str, command: str) -> tuple[str, bool]:
    data = wire.ok("CallMcpTool", SessionId=session_id, Name="shell", Args=json.dumps({"command": command}))[
        "Data"
    ]
    return data["content"][0]["text"], data["isError"]


def _session_root(server: LocalServer, session_id: str) -> Path:
    return server.state_dir / "sessions" / session_id


def _display_of(server: LocalServer, session_id: str) -> desktop.Display:
    display = desktop.get(_session_root(server, session_id))
    assert display is not None
    return display


def _processes_mentioning(text: str) -> list[int]:
    """The pids of the processes whose command line contains `text` (not this test's own)."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = Path(entry.path, "cmdline").read_bytes()
        except OSError:
            continue
        if text.encode() in cmdline:
            found.append(int(entry.name))
    return found


def _wait_gone(text: str, timeout_s: float = 5.0) -> list[int]:
    deadline = time.monotonic() + timeout_s
    while (left := _processes_mentioning(text)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return left


def decode_png(data: bytes) -> tuple[int, int, bytes]:
    """(width, height, RGB rows) of a PNG as `encode_png` writes it (8-bit RGB, filter 0 rows)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, width, height = 8, b"", 0, 0
    while at < len(data):
        (length,) = struct.unpack_from(">I", data, at)
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack_from(">I", data, at + 8 + length)
        assert crc == zlib.crc32(kind + body)
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (8, 2)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 3 + 1
    assert len(raw) == stride * height and all(raw[y * stride] == 0 for y in range(height))
    return width, height, b"".join(raw[y * stride + 1 : (y + 1) * stride] for y in range(height))


def _pixel(width: int, rgb: bytes, x: int, y: int) -> bytes:
    at = (y * width + x) * 3
    return rgb[at : at + 3]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    with LocalServer(tmp_path_factory.mktemp("state"), api_keys=[KEY]) as running:
        yield running


@pytest.fixture
def wire(server: LocalServer) -> Iterator[Wire]:
    with httpx.Client(base_url=server.endpoint, timeout=30) as client:
        yield Wire(client, KEY)


# ---- lifecycle --------------------------------------------------------------------------------------


def test_a_desktop_session_has_a_display_its_commands_reach(server: LocalServer, wire: Wire) -> None:
    session_id = wire.create(ImageId="linux_latest")
    display = _display_of(server, session_id)
    # Inside the sandbox: DISPLAY is set, and an X client gets through (the cookie is in ~/.Xauthority).
    text, failed = _shell(wire, session_id, "echo $DISPLAY; xprop -root _NET_SUPPORTING_WM_CHECK")
    assert not failed, text
    lines = text.splitlines()
    assert lines[0] == display.name
    assert "window id" in lines[1]  # jwm runs and manages the screen
    # The screen is 1024x768 (a command's own envs win over the session's DISPLAY).
    text, failed = _shell(wire, session_id, "xdpyinfo | grep dimensions")
    assert "1024x768 pixels" in text
    wire.ok("ReleaseMcpSession", SessionId=session_id)


def test_a_code_session_has_no_desktop(server: LocalServer, wire: Wire) -> None:
    session_id = wire.create(ImageId="code_latest")
    assert desktop.get(_session_root(server, session_id)) is None
    text, failed = _shell(wire, session_id, 'echo "[$DISPLAY]"')
    assert (text.strip(), failed) == ("[]", False)
    wire.ok("ReleaseMcpSession", SessionId=session_id)


def test_one_session_cannot_open_another_sessions_display(server: LocalServer, wire: Wire) -> None:
    first, second = wire.create(ImageId="linux_latest"), wire.create(ImageId="linux_latest")
    other = _display_of(server, first).name
    text, _ = _shell(wire, second, f"xprop -display {other} -root >/dev/null 2>&1; echo $?")
    assert text.strip() != "0"  # the socket is reachable, the cookie is not
    for session_id in (first, second):
        wire.ok("ReleaseMcpSession", SessionId=session_id)


def test_release_leaves_no_x_server_window_manager_or_app(server: LocalServer, wire: Wire) -> None:
    session_id = wire.create(ImageId="linux_latest")
    root = _session_root(server, session_id)
    display = _display_of(server, session_id)
    pids = [proc.pid for proc in display.processes]
    assert len(pids) == 2 and all(Path(f"/proc/{pid}").exists() for pid in pids)
    # An X app of the session, left running by its command.
    marker = f"desktop-test-app-{session_id}"
    text, failed = _shell(
        wire, session_id, f"nohup xmessage -title {marker} hello >/dev/null 2>&1 & sleep 0.2"
    )
    assert not failed, text
    assert _processes_mentioning(marker)
    wire.ok("ReleaseMcpSession", SessionId=session_id)
    assert desktop.get(root) is None
    assert _wait_gone(str(root)) == []  # Xvfb (-auth) and jwm (-f) name files of the session
    assert _wait_gone(marker) == []
    assert not any(Path(f"/proc/{pid}").exists() for pid in pids)


def test_server_stop_stops_every_display_and_start_brings_them_back(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with LocalServer(state, api_keys=[KEY]) as first, httpx.Client(base_url=first.endpoint, timeout=30) as c:
        session_id = Wire(c, KEY).create(ImageId="linux_latest")
        root = _session_root(first, session_id)
        old_pids = [proc.pid for proc in _display_of(first, session_id).processes]
    assert desktop.get(root) is None
    assert _wait_gone(str(root)) == []
    assert not any(Path(f"/proc/{pid}").exists() for pid in old_pids)
    # Started again on the same state: the running session has a display again, reachable as before.
    with (
        LocalServer(state, api_keys=[KEY]) as second,
        httpx.Client(base_url=second.endpoint, timeout=30) as c,
    ):
        wire = Wire(c, KEY)
        display = _display_of(second, session_id)
        text, failed = _shell(wire, session_id, "echo $DISPLAY; xprop -root _NET_SUPPORTING_WM_CHECK")
        assert not failed, text
        assert text.splitlines()[0] == display.name
        wire.ok("ReleaseMcpSession", SessionId=session_id)
    assert _wait_gone(str(root)) == []


def test_a_desktop_that_cannot_come_back_after_a_restart_is_said_to_be_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    with LocalServer(state, api_keys=[KEY]) as first, httpx.Client(base_url=first.endpoint, timeout=30) as c:
        session_id = Wire(c, KEY).create(ImageId="linux_latest")
        root = _session_root(first, session_id)

    def cannot_start(session_root: Path, base_url: str = "") -> desktop.Display:
        raise desktop.DesktopUnavailable("Xvfb did not start")

    monkeypatch.setattr(_display, "start", cannot_start)
    with LocalServer(state, api_keys=[KEY]):
        text, failed = asyncio.run(DESKTOP_TOOLS[_probe_tool_name()](root, {}))
        assert failed
        assert text == "the desktop of this session is gone: Xvfb did not start"
    assert desktop.get(root) is None and _display.lost_reason(root) is None  # forgotten at stop


# ---- the tool registration point --------------------------------------------------------------------

_PROBE = "desktop_test_probe"


def _probe_tool_name() -> str:
    """A desktop tool for these tests only: it answers the display's name."""
    if _PROBE not in DESKTOP_TOOLS:

        @desktop_tool(_PROBE)
        async def probe(display: desktop.Display, args: dict[str, Any]) -> tuple[str, bool]:
            if args.get("fail"):
                raise ToolFailure("asked to fail")
            if args.get("crash"):
                raise RuntimeError("boom")
            return display.name, False

    return _PROBE


def test_desktop_tools_get_the_sessions_display_or_a_clear_error(server: LocalServer, wire: Wire) -> None:
    handler = DESKTOP_TOOLS[_probe_tool_name()]
    linux, code = wire.create(ImageId="linux_latest"), wire.create(ImageId="code_latest")
    linux_root, code_root = _session_root(server, linux), _session_root(server, code)
    assert asyncio.run(handler(linux_root, {})) == (_display_of(server, linux).name, False)
    assert asyncio.run(handler(code_root, {})) == (
        "this session has no desktop: create it with image linux_latest",
        True,
    )
    assert asyncio.run(handler(linux_root, {"fail": True})) == ("asked to fail", True)
    assert asyncio.run(handler(linux_root, {"crash": True})) == (
        f"Internal error in {_PROBE}: RuntimeError: boom",
        True,
    )
    assert asyncio.run(handler(linux_root, [])) == ("Args must be a JSON object", True)  # type: ignore[arg-type]
    for session_id in (linux, code):
        wire.ok("ReleaseMcpSession", SessionId=session_id)


# ---- X access ---------------------------------------------------------------------------------------


def test_x_helpers_read_the_display(server: LocalServer, wire: Wire) -> None:
    session_id = wire.create(ImageId="linux_latest")
    display = _display_of(server, session_id)

    async def read() -> tuple[Any, ...]:
        check = await desktop.x.root_property(display, "_NET_SUPPORTING_WM_CHECK")
        assert check is not None
        window = int(check.split()[-1], 16)
        return (
            await desktop.x.pointer(display),
            await desktop.x.geometry(display, window),
            await desktop.x.root_property(display, "_NO_SUCH_PROPERTY"),
            await desktop.x.run(display, "xdotool", "getdisplaygeometry"),
        )

    where, _geometry, missing, size = asyncio.run(read())
    assert where == (512, 384)  # Xvfb starts the pointer at the centre
    assert missing is None
    assert size.split() == ["1024", "768"]
    with pytest.raises(ToolFailure, match="xwininfo"):
        asyncio.run(desktop.x.geometry(display, 0x7FFFFFF))
    wire.ok("ReleaseMcpSession", SessionId=session_id)


# ---- screenshots ------------------------------------------------------------------------------------


def test_a_screenshot_is_a_png_of_the_screen_with_the_pointer_at_an_unguessable_url(
    server: LocalServer, wire: Wire
) -> None:
    session_id = wire.create(ImageId="linux_latest")
    display = _display_of(server, session_id)
    url = asyncio.run(desktop.capture(display))
    prefix = f"{server.endpoint}/desktop/screens/{session_id}/"
    assert url.startswith(prefix) and len(url[len(prefix) :]) == 32 + len(".png")
    reply = wire.client.get(url)
    assert reply.status_code == 200 and reply.headers["content-type"] == "image/png"
    width, height, rgb = decode_png(reply.content)
    assert (width, height) == (1024, 768)
    # The arrow at the pointer (512, 384): black outline at its tip, white inside, black screen around.
    assert _pixel(width, rgb, 512, 384) == b"\x00\x00\x00"
    assert _pixel(width, rgb, 513, 386) == b"\xff\xff\xff"
    assert _pixel(width, rgb, 600, 500) == b"\x00\x00\x00"
    # It follows the pointer.
    subprocess.run(["xdotool", "mousemove", "100", "200"], env=display.env(), check=True)
    _, _, moved = decode_png(wire.client.get(asyncio.run(desktop.capture(display))).content)
    assert _pixel(width, moved, 101, 202) == b"\xff\xff\xff"
    assert _pixel(width, moved, 513, 386) == b"\x00\x00\x00"
    # Another token, or this token under another session, is not served; neither is any other file.
    other = wire.create(ImageId="linux_latest")
    name = url.rsplit("/", 1)[1]
    assert wire.client.get(f"{prefix}{'A' * 32}.png").status_code == 404
    assert wire.client.get(f"{server.endpoint}/desktop/screens/{other}/{name}").status_code == 404
    assert wire.client.get(f"{prefix}..%2FXauthority").status_code == 404
    # Gone with the session.
    wire.ok("ReleaseMcpSession", SessionId=session_id)
    assert wire.client.get(url).status_code == 404
    wire.ok("ReleaseMcpSession", SessionId=other)


def test_a_screenshot_changes_when_a_window_opens(server: LocalServer, wire: Wire) -> None:
    session_id = wire.create(ImageId="linux_latest")
    display = _display_of(server, session_id)
    before = asyncio.run(_screens.capture_png(display))
    # A window of the session's own, drawn on the screen (xmessage, from x11-utils).
    text, failed = _shell(
        wire, session_id, "nohup xmessage -geometry +100+100 hello-desktop >/dev/null 2>&1 &"
    )
    assert not failed, text
    deadline = time.monotonic() + 10
    after = before
    while after == before and time.monotonic() < deadline:
        time.sleep(0.05)
        after = asyncio.run(_screens.capture_png(display))
    assert decode_png(after)[2] != decode_png(before)[2]
    wire.ok("ReleaseMcpSession", SessionId=session_id)


def test_a_session_keeps_its_last_screenshots(
    server: LocalServer, wire: Wire, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_screens, "KEEP_SCREENSHOTS", 3)
    session_id = wire.create(ImageId="linux_latest")
    display = _display_of(server, session_id)
    urls = [asyncio.run(desktop.capture(display)) for _ in range(5)]
    assert [wire.client.get(url).status_code for url in urls] == [404, 404, 200, 200, 200]
    wire.ok("ReleaseMcpSession", SessionId=session_id)


def test_encode_png_handles_padded_rows_and_clips_the_arrow() -> None:
    width, height, pad = 3, 2, 4
    header = [0] * 25
    header[0], header[2], header[3], header[4], header[5] = 100, 2, 24, width, height
    header[11], header[12] = 32, width * 4 + pad
    header[14], header[15], header[16] = 0xFF0000, 0xFF00, 0xFF
    rows = [bytes([1, 2, 3, 0]) * width + b"\xee" * pad, bytes([4, 5, 6, 0]) * width + b"\xee" * pad]
    dump = struct.pack(">25I", *header) + b"".join(rows)
    png, w, h = _screens.encode_png(dump, (2, 1))
    assert (w, h) == (width, height)
    _, _, rgb = decode_png(png)
    assert _pixel(width, rgb, 0, 0) == bytes([3, 2, 1])  # BGRX in, RGB out
    assert _pixel(width, rgb, 1, 1) == bytes([6, 5, 4])
    assert _pixel(width, rgb, 2, 1) == b"\x00\x00\x00"  # the arrow's tip; the rest is off the screen


# ---- refusals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("image", ["windows_latest", "mobile_latest"])
def test_images_that_cannot_run_here_are_refused_naming_those_that_do(
    server: LocalServer, wire: Wire, image: str
) -> None:
    before = sorted(os.listdir(server.state_dir / "sessions"))
    body = wire.error("CreateMcpSession", ImageId=image)
    assert body["Code"] == "InvalidParameter.ImageId"
    assert image in body["Message"] and "linux_latest" in body["Message"] and "code_latest" in body["Message"]
    assert sorted(os.listdir(server.state_dir / "sessions")) == before
    assert wire.ok("ListSession")["TotalCount"] == 0


def test_without_the_x_packages_desktop_sessions_are_refused_and_the_rest_works(
    server: LocalServer, wire: Wire, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        _display.shutil, "which", lambda program: None if program in ("Xvfb", "xwd") else "/x"
    )
    body = wire.error("CreateMcpSession", ImageId="linux_latest")
    assert body["Code"] == "InvalidParameter.ImageId"
    assert "x11-apps xvfb" in body["Message"] and "apt-get install x11-apps xvfb" in body["Message"]
    assert wire.ok("ListSession")["TotalCount"] == 0
    session_id = wire.create(ImageId="code_latest")
    assert _shell(wire, session_id, "echo ok") == ("ok\n", False)
    wire.ok("ReleaseMcpSession", SessionId=session_id)


def test_a_desktop_that_fails_to_start_fails_the_create_and_leaves_nothing(
    server: LocalServer, wire: Wire, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sorted(os.listdir(server.state_dir / "sessions"))
    # No time to start: Xvfb is stopped again, the session deleted again.
    monkeypatch.setattr(_display, "START_TIMEOUT_S", 0.0)
    response = wire.post("CreateMcpSession", ImageId="linux_latest")
    body = check_error(response, 500)
    assert body["Code"] == "InternalError.Desktop"
    assert "Xvfb did not start" in body["Message"]
    assert wire.ok("ListSession")["TotalCount"] == 0
    assert sorted(os.listdir(server.state_dir / "sessions")) == before
    assert _wait_gone(str(server.state_dir / "sessions")) == []


def test_a_start_after_a_crash_kills_the_displays_the_dead_server_left(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with LocalServer(state, api_keys=[KEY]) as first, httpx.Client(base_url=first.endpoint, timeout=30) as c:
        session_id = Wire(c, KEY).create(ImageId="linux_latest")
        root = _session_root(first, session_id)
        # A server that dies does not stop its displays: forget this one, as a dead server would.
        orphaned = _display._displays.pop(root)
        _display.set_session_env(root, None)
    assert all(proc.poll() is None for proc in orphaned.processes)
    with LocalServer(state, api_keys=[KEY]) as second:
        assert all(proc.wait(5) is not None for proc in orphaned.processes)  # killed before the new start
        assert _display_of(second, session_id).processes[0].pid != orphaned.processes[0].pid
    assert _wait_gone(str(root)) == []
