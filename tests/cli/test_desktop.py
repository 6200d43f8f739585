"""`agentbay screenshot` on a linux_latest session and `agentbay browser` on a browser_latest one."""

from __future__ import annotations

import json
import struct
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agentbay import AgentBay, CreateSessionParams

from .conftest import Run

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """The width and height in a PNG's IHDR chunk (asserting that it is a PNG)."""
    assert data[:8] == PNG_SIGNATURE, data[:16]
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
def desktop_id(bay: AgentBay) -> Iterator[str]:
    """A linux_latest session (an X desktop), deleted after the test."""
    session = bay.create(CreateSessionParams(image_id="linux_latest")).unwrap()
    yield session.session_id
    session.delete()


@pytest.fixture
def browser_id(bay: AgentBay) -> Iterator[str]:
    """A browser_latest session (its browser not started yet), deleted after the test."""
    session = bay.create(CreateSessionParams(image_id="browser_latest")).unwrap()
    yield session.session_id
    session.delete()


def cdp_product(url: str) -> str:
    """Browser.getVersion over a raw WebSocket to `url`: the product Chromium reports."""
    from websockets.sync.client import connect

    with connect(url, max_size=None, open_timeout=30, proxy=None) as ws:
        ws.send(json.dumps({"id": 1, "method": "Browser.getVersion", "params": {}}))
        while True:  # events (none are enabled) would come before the reply
            reply = json.loads(ws.recv(30))
            if reply.get("id") == 1:
                return str(reply["result"]["product"])


# ---- screenshot ----------------------------------------------------------------------------------


def test_screenshot_writes_the_png_under_its_default_name(
    cli: Callable[..., Run], desktop_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("screenshot", desktop_id)
    assert run.code == 0, run.err
    written = tmp_path / f"screenshot-{desktop_id}.png"
    width, height = png_size(written.read_bytes())
    assert (width, height) == (1024, 768)
    assert run.out == f"{written.name} (1024x768, {written.stat().st_size} bytes)\n"
    assert [p.name for p in tmp_path.iterdir()] == [written.name]  # no temporary file left


def test_screenshot_o_names_the_file_or_a_folder_for_it(
    cli: Callable[..., Run], desktop_id: str, tmp_path: Path
) -> None:
    target = tmp_path / "desk.png"
    run = cli("screenshot", desktop_id, "-o", str(target))
    assert run.code == 0, run.err
    assert png_size(target.read_bytes()) == (1024, 768)
    assert run.out.startswith(f"{target} (")

    folder = tmp_path / "shots"
    folder.mkdir()
    run = cli("screenshot", desktop_id, "-o", str(folder))
    assert run.code == 0, run.err
    assert png_size((folder / f"screenshot-{desktop_id}.png").read_bytes()) == (1024, 768)


def test_screenshot_output_json_describes_the_file(
    cli: Callable[..., Run], desktop_id: str, tmp_path: Path
) -> None:
    target = tmp_path / "desk.png"
    run = cli("screenshot", desktop_id, "-o", str(target), "--output", "json")
    assert run.code == 0, run.err
    data = target.read_bytes()
    assert run.json() == {
        "session_id": desktop_id,
        "path": str(target),
        "bytes": len(data),
        "width": png_size(data)[0],
        "height": png_size(data)[1],
    }
    # The root's -o (before the command) is the format, as for every command.
    again = cli("-o", "json", "screenshot", desktop_id, "-o", str(target))
    assert again.code == 0, again.err
    assert again.json()["path"] == str(target)


def test_screenshot_to_stdout_is_the_png_alone(cli: Callable[..., Run], desktop_id: str) -> None:
    run = cli("screenshot", desktop_id, "-o", "-")
    assert run.code == 0, run.err
    assert png_size(run.out_bytes) == (1024, 768)


def test_screenshot_refuses_what_would_mix_or_misname_the_output(
    cli: Callable[..., Run], desktop_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    both = cli("screenshot", desktop_id, "-o", "-", "--output", "json")
    assert both.code == 2
    assert "stdout carries the PNG" in both.err
    # `-o json` as on other commands would write a file named json: refused with the way to say either.
    for word in ("json", "table"):
        run = cli("screenshot", desktop_id, "-o", word)
        assert run.code == 2
        assert f"--output {word}" in run.err and f"-o ./{word}" in run.err
    assert list(tmp_path.iterdir()) == []
    assert cli("screenshot", desktop_id, "--output", "yaml").code == 2


def test_screenshot_of_a_session_without_a_desktop_is_a_clear_error(
    cli: Callable[..., Run], session_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("screenshot", session_id)
    assert run.code == 9
    assert run.out == ""
    [line] = run.err.splitlines()
    assert line.startswith("agentbay: ToolError: ") and "no desktop" in line and "linux_latest" in line
    assert list(tmp_path.iterdir()) == []


def test_screenshot_of_an_unknown_session_is_exit_4(cli: Callable[..., Run], tmp_path: Path) -> None:
    run = cli("screenshot", "session-does-not-exist", "-o", str(tmp_path / "x.png"))
    assert run.code == 4
    assert "NotFoundError" in run.err
    assert not (tmp_path / "x.png").exists()


def test_screenshot_verbose_prints_request_ids(
    cli: Callable[..., Run], desktop_id: str, tmp_path: Path
) -> None:
    run = cli("screenshot", desktop_id, "-o", str(tmp_path / "x.png"), "-v")
    assert run.code == 0, run.err
    assert "GetSession" in run.err and "request_id" in run.err.lower()
    assert run.out.startswith(str(tmp_path / "x.png"))


def test_installed_screenshot_into_a_pipe_is_a_valid_png(
    agentbay_cmd: Callable[..., object], desktop_id: str, tmp_path: Path
) -> None:
    piped = agentbay_cmd("screenshot", desktop_id, "-o", "-")
    assert piped.returncode == 0, piped.stderr  # type: ignore[attr-defined]
    assert png_size(piped.stdout) == (1024, 768)  # type: ignore[attr-defined]

    target = tmp_path / "desk.png"
    described = agentbay_cmd("screenshot", desktop_id, "-o", str(target), "--output", "json")
    assert described.returncode == 0, described.stderr  # type: ignore[attr-defined]
    document = json.loads(described.stdout)  # type: ignore[attr-defined]
    assert document["bytes"] == target.stat().st_size and document["width"] == 1024


# ---- browser -------------------------------------------------------------------------------------


def test_browser_prints_a_cdp_url_that_a_client_can_use(cli: Callable[..., Run], browser_id: str) -> None:
    run = cli("browser", browser_id)
    assert run.code == 0, run.err
    url = run.out.strip()
    assert run.out == url + "\n" and url.startswith("ws://")
    assert "Chrome" in cdp_product(url)

    # Again, the browser already running: the same browser, as JSON.
    again = cli("browser", browser_id, "-o", "json")
    assert again.code == 0, again.err
    document = again.json()
    assert set(document) == {"session_id", "cdp_url"}
    assert document["session_id"] == browser_id
    assert "Chrome" in cdp_product(document["cdp_url"])


def test_browser_of_a_session_without_one_is_exit_11(cli: Callable[..., Run], session_id: str) -> None:
    run = cli("browser", session_id)
    assert run.code == 11
    assert run.out == ""
    [line] = run.err.splitlines()
    assert line.startswith("agentbay: BrowserError: ") and "browser_latest" in line


def test_browser_of_an_unknown_session_is_exit_4(cli: Callable[..., Run]) -> None:
    run = cli("browser", "session-does-not-exist", "-o", "json")
    assert run.code == 4
    assert run.out == ""


def test_installed_browser_json_is_parsed(agentbay_cmd: Callable[..., object], browser_id: str) -> None:
    done = agentbay_cmd("browser", browser_id, "-o", "json")
    assert done.returncode == 0, done.stderr  # type: ignore[attr-defined]
    document = json.loads(done.stdout)  # type: ignore[attr-defined]
    assert document["session_id"] == browser_id
    assert "Chrome" in cdp_product(document["cdp_url"])
