"""The official SDK (wuying-agentbay-sdk 0.8.0, 0.9.0 and 0.22.3), unchanged, against the local server.

Each version runs tests/compat/official_check.py in its own virtualenv (its import name is also
`agentbay`), with AGENTBAY_ENDPOINT pointing at the server, and every step must succeed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agentbay_local import LocalServer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import official_sdk  # noqa: E402

CHECK = ROOT / "tests" / "compat" / "official_check.py"
KEY = "akm-official-sdk-check"


def run_official(
    version: str, endpoint: str, groups: list[str], cwd: Path, extra_env: dict[str, str] | None = None
) -> list[dict[str, object]]:
    python = official_sdk.python_for(version)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AGENTBAY_", "PYTHON"))}
    env.update(AGENTBAY_ENDPOINT=endpoint, AGENTBAY_API_KEY=KEY, OFFICIAL_SDK_VERSION=version)
    env.update(extra_env or {})
    proc = subprocess.run(
        [str(python), str(CHECK), *groups], env=env, cwd=cwd, capture_output=True, text=True, timeout=600
    )
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    failed = [line for line in lines if line.get("ok") is False]
    assert proc.returncode == 0 and not failed, json.dumps(failed, indent=1) + proc.stderr[-2000:]
    return lines


@pytest.mark.parametrize("version", ["0.8.0", "0.9.0", "0.22.3"])
def test_official_sdk_session_api(version: str, tmp_path: Path) -> None:
    with LocalServer(tmp_path / "state", api_keys=[KEY]) as server:
        steps = run_official(version, server.endpoint, ["session"], tmp_path)
    names = [s["step"] for s in steps if "step" in s]
    assert names[:3] == ["create(labels, image_id)", "info", "get_link"]
    assert "delete" in names and len(names) >= 10


@pytest.mark.parametrize("version", ["0.8.0", "0.9.0", "0.22.3"])
def test_official_sdk_command_and_files(version: str, tmp_path: Path) -> None:
    with LocalServer(tmp_path / "state", api_keys=[KEY]) as server:
        steps = run_official(version, server.endpoint, ["tools"], tmp_path)
    names = {s["step"] for s in steps if "step" in s}
    assert {"execute_command(echo)", "read_file(> 50 KiB)", "search_files", "move_file"} <= names


@pytest.mark.parametrize("version", ["0.8.0", "0.9.0", "0.22.3"])
def test_official_sdk_context_persists_across_sessions(version: str, tmp_path: Path) -> None:
    """context_syncs at create, a file written, delete(sync_context=True), the next session has it."""
    with LocalServer(tmp_path / "state", api_keys=[KEY]) as server:
        steps = run_official(version, server.endpoint, ["persistence"], tmp_path)
    names = [s["step"] for s in steps if "step" in s]
    assert {"delete(sync_context=True)", "read_file(in the new session)", "context.delete"} <= set(names)


def test_official_sdk_0_9_0_file_transfer(tmp_path: Path) -> None:
    """0.9.0's upload_file / download_file: upload URL, PUT, SyncContext(download), polls, and back."""
    with LocalServer(tmp_path / "state", api_keys=[KEY]) as server:
        steps = run_official("0.9.0", server.endpoint, ["file_transfer"], tmp_path)
    names = [s["step"] for s in steps if "step" in s]
    assert {
        "upload_file",
        "the uploaded file is in the session",
        "download_file",
        "the downloaded file",
    } <= set(names)


@pytest.mark.parametrize("version", ["0.8.0", "0.9.0", "0.22.3"])
def test_official_sdk_context_service(version: str, tmp_path: Path) -> None:
    """ContextService: create, get, list and its pages, rename, upload and download URLs (PUT and GET
    with httpx), list_files, delete_file, delete."""
    with LocalServer(tmp_path / "state", api_keys=[KEY]) as server:
        steps = run_official(version, server.endpoint, ["contexts"], tmp_path)
    names = [s["step"] for s in steps if "step" in s]
    assert {
        "context.list(paging by 1)",
        "context.update(rename)",
        "PUT upload url",
        "GET download url",
        "list_files(/data)",
        "GET after delete_file",
        "context.delete(2)",
        "context.list() after delete",
    } <= set(names)


def test_official_sdk_0_22_3_file_transfer(tmp_path: Path) -> None:
    """0.22.3's upload_file / download_file: GetAndLoadInternalContext (its session's file-transfer
    context), upload URL, PUT, SyncContext(download), GetContextInfo polls, and back."""
    with LocalServer(tmp_path / "state", api_keys=[KEY]) as server:
        steps = run_official("0.22.3", server.endpoint, ["file_transfer"], tmp_path)
    names = [s["step"] for s in steps if "step" in s]
    assert {
        "upload_file",
        "the uploaded file is in the session",
        "download_file",
        "the downloaded file",
    } <= set(names)


@pytest.mark.parametrize("version", ["0.8.0", "0.9.0"])
def test_official_sdk_desktop_application_window_ui(version: str, tmp_path: Path) -> None:
    """application, window and ui on a linux_latest session: an xterm started and its window seen,
    resized, maximized, restored, fullscreen, minimized; text typed into its `cat > file` arrives in
    the file; UI elements, swipe, a screenshot downloaded; apps stopped by pid, name and command."""
    with LocalServer(tmp_path / "state", api_keys=[KEY]) as server:
        steps = run_official(version, server.endpoint, ["desktop"], tmp_path)
    names = {s["step"] for s in steps if "step" in s}
    assert {
        "start_app(xterm)",
        "the typed text in the file",
        "list_root_windows: resized",
        "list_root_windows: maximized",
        "list_root_windows: fullscreen",
        "get_all_ui_elements",
        "the screenshot is a 1024x768 PNG",
        "list_root_windows: the xterm is gone",
        "the window is gone (stop_app_by_cmd)",
    } <= names


@pytest.mark.parametrize("version", ["0.8.0", "0.9.0", "0.22.3"])
def test_official_sdk_code(version: str, tmp_path: Path) -> None:
    """session.code.run_code: python and javascript output, the session's files, a NameError and a
    ReferenceError with their traces, a timeout, an unsupported language refused by the SDK."""
    with LocalServer(tmp_path / "state", api_keys=[KEY]) as server:
        steps = run_official(version, server.endpoint, ["code"], tmp_path)
    names = {s["step"] for s in steps if "step" in s}
    assert {
        "run_code(python)",
        "run_code(javascript)",
        "run_code(the session's files)",
        "run_code(NameError) fails with the traceback",
        "run_code(ReferenceError) fails with the trace",
        "run_code(timeout) fails",
        "run_code(ruby) refused",
    } <= names


def test_official_sdk_0_9_0_computer(tmp_path: Path) -> None:
    """0.9.0's computer: screen size, cursor, clicks (left, right, double), scroll, drag, key chords,
    held keys and text as xev in the session sees them, a screenshot downloaded."""
    with LocalServer(tmp_path / "state", api_keys=[KEY]) as server:
        steps = run_official("0.9.0", server.endpoint, ["computer"], tmp_path)
    names = {s["step"] for s in steps if "step" in s}
    assert {
        "get_cursor_position after move_mouse",
        "xev: the buttons",
        "xev: the keys",
        "xev: the text",
        "the screenshot is a 1024x768 PNG",
    } <= names


@pytest.mark.parametrize("version", ["0.8.0", "0.9.0", "0.22.3"])
def test_official_sdk_oss(version: str, tmp_path: Path) -> None:
    """session.oss on the local server's object store: the bucket and an object put by a user program
    with oss2 (secret = the API key), env_init without an endpoint, upload and download back,
    anonymous transfers through oss2's signed URLs, a missing object or bucket and a wrong secret
    refused with the OSS error code."""
    import oss2

    from tests import _oss as oss_clients

    with LocalServer(tmp_path / "state", api_keys=[KEY]) as server:
        bucket = oss_clients.bucket(oss2.Auth("user-program", KEY), server.oss_endpoint, "compat-bucket")
        bucket.create_bucket()
        bucket.put_object("from-the-user.txt", b"put by the user's program\n")
        env = {
            "OSS_BUCKET": "compat-bucket",
            "OSS_USER_OBJECT": "from-the-user.txt",
            "OSS_USER_TEXT": "put by the user's program\n",
            "OSS_PUT_URL": bucket.sign_url("PUT", "compat/anon.bin", 600),
            "OSS_GET_URL": bucket.sign_url("GET", "compat/anon.bin", 600),
        }
        steps = run_official(version, server.endpoint, ["oss"], tmp_path, env)
        # What the session uploaded is there for the user's program too.
        assert bucket.get_object("compat/up.bin").read() == bucket.get_object("compat/anon.bin").read()
    oss_clients.SESSION.session.close()
    names = {s["step"] for s in steps if "step" in s}
    assert {
        "the downloaded file",
        "the caller's object in the session",
        "the anonymous round trip",
        "download(a missing object) refused",
        "upload(a missing bucket) refused",
        "upload(a wrong secret) refused",
    } <= names


@pytest.mark.parametrize("version", ["0.8.0", "0.9.0", "0.22.3"])
def test_official_sdk_watch(version: str, tmp_path: Path) -> None:
    """file_system.watch_directory: the thread returned not started with its stop_event, the files a
    command writes (a new subdirectory included) reach the callback, the event stops the thread; then
    _get_file_change has what happened since, and a missing directory fails."""
    with LocalServer(tmp_path / "state", api_keys=[KEY]) as server:
        steps = run_official(version, server.endpoint, ["watch"], tmp_path)
    names = {s["step"] for s in steps if "step" in s}
    assert {
        "watch_directory(stop_event)",
        "callback events",
        "the thread stops",
        "_get_file_change",
        "_get_file_change(missing) fails",
    } <= names


@pytest.mark.parametrize("version", ["0.8.0", "0.22.3"])
def test_official_sdk_browser(version: str, tmp_path: Path) -> None:
    """A browser_latest session: initialize (twice: a no-op), get_endpoint_url (0.8.0 through GetLink,
    0.22.3 through GetCdpLink), a CDP client connected to it from the official venv (its Playwright,
    or a raw Browser.getVersion where it has none), the browser stopped with stopChrome."""
    with LocalServer(tmp_path / "state", api_keys=[KEY]) as server:
        steps = run_official(version, server.endpoint, ["browser"], tmp_path)
    names = {s["step"] for s in steps if "step" in s}
    connected = "connect_over_cdp: a page's title" if version == "0.8.0" else "CDP Browser.getVersion"
    assert {
        "initialize",
        "initialize again",
        "get_endpoint_url",
        connected,
        "stop the browser (stopChrome)",
    } <= names


@pytest.mark.parametrize("version", ["0.8.0", "0.22.3"])
def test_official_sdk_browser_context_keeps_a_cookie(version: str, tmp_path: Path) -> None:
    """CreateSessionParams(browser_context=BrowserContext(id, True)) as each SDK mounts it (0.8.0: the
    whole profile folder; 0.22.3: its white list of profile files): a cookie set over CDP in one
    session, delete(sync_context=True), and the next session's browser has it."""
    with LocalServer(tmp_path / "state", api_keys=[KEY]) as server:
        steps = run_official(version, server.endpoint, ["browser_context"], tmp_path)
    names = {s["step"] for s in steps if "step" in s}
    assert {
        "Storage.setCookies",
        "delete(sync_context=True)",
        "Storage.getCookies: the cookie is back",
    } <= names
