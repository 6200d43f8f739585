"""Browser sessions on the wire (agentbay_local/browser): InitBrowser starts the system's Chromium in the
session, GetCdpLink and GetLink reach its DevTools endpoint through the link proxy (a raw WebSocket
client speaks CDP to it), stopChrome and the session's deletion end it and everything it started, and
the refusals (another image, no Chromium, bad options, a browser that does not start).

These need Chromium (Debian's `chromium`): the test session installs it (noxfile SYSTEM_PACKAGES), so
they are never skipped there.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from agentbay_local import LocalServer
from agentbay_local.browser import _chromium
from agentbay_local.sandbox import _procs

from ._wire import Wire, check_error

PROFILE = "/tmp/agentbay_browser"
# What 0.22.3 sends for BrowserOption() (wire/ops/InitBrowser.json).
DEFAULT_OPTION = {
    "useStealth": False,
    "solveCaptchas": False,
    "autoLogin": False,
    "callForUser": False,
    "extensionPath": "/tmp/extensions/",
}


def init(wire: Wire, session_id: str, option: dict[str, Any] | None = None) -> int:
    body = wire.ok(
        "InitBrowser",
        SessionId=session_id,
        PersistentPath=PROFILE,
        BrowserOption=json.dumps(DEFAULT_OPTION if option is None else option),
    )
    port = body["Data"]["Port"]
    assert type(port) is int
    return port


def shell(wire: Wire, session_id: str, command: str) -> str:
    data = wire.ok("CallMcpTool", SessionId=session_id, Name="shell", Args=json.dumps({"command": command}))[
        "Data"
    ]
    assert data["isError"] is False, data
    text: str = data["content"][0]["text"]
    return text


def session_chromiums(wire: Wire, session_id: str) -> int:
    """How many live Chromium processes the session sees (browser, zygotes, renderers...)."""
    script = (
        'n=0; for d in /proc/[0-9]*; do read -r st < "$d/stat" 2>/dev/null || continue; '
        'case "$st" in *"(chrom"*") Z"*) ;; *"(chrom"*) n=$((n + 1)) ;; esac; done; echo $n'
    )
    return int(shell(wire, session_id, script))


class Cdp:
    """A raw CDP client over one WebSocket: commands by id, events skipped."""

    def __init__(self, socket: websockets.ClientConnection) -> None:
        self.socket = socket
        self.ids = itertools.count(1)

    async def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        message: dict[str, Any] = {"id": next(self.ids), "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        await self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(await self.socket.recv())
            if reply.get("id") == message["id"]:
                assert "error" not in reply, reply
                result: dict[str, Any] = reply["result"]
                return result

    async def page(self) -> str:
        """A new page's CDP session id."""
        target = await self.send("Target.createTarget", url="about:blank")
        attached = await self.send("Target.attachToTarget", targetId=target["targetId"], flatten=True)
        session: str = attached["sessionId"]
        return session

    async def evaluate(self, session: str, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", session, expression=expression, returnByValue=True)
        return result["result"]["value"]


def with_cdp(url: str, run: Any) -> Any:
    async def main() -> Any:
        async with websockets.connect(url, max_size=None, open_timeout=10) as socket:
            return await asyncio.wait_for(run(Cdp(socket)), 30)

    return asyncio.run(main())


# ---- the browser --------------------------------------------------------------------------------------


def test_init_browser_starts_chromium_whose_cdp_endpoint_the_link_reaches(
    server: LocalServer, wire: Wire
) -> None:
    session_id = wire.create(ImageId="browser_latest")
    option = {
        **DEFAULT_OPTION,
        "userAgent": "Mozilla/5.0 (X11; Linux x86_64) ExampleAgent/1.0",
        "viewport": {"width": 800, "height": 600},
        "screen": {"width": 1920, "height": 1080},
    }
    port = init(wire, session_id, option)
    # Idempotent: the same browser, whatever the option now.
    assert init(wire, session_id) == port
    url = wire.ok("GetCdpLink", SessionId=session_id)["Data"]["Url"]
    prefix = f"ws{server.endpoint[4:]}/sessions/{session_id}/ports/{port}/devtools/browser/"
    assert url.startswith(prefix) and len(url) > len(prefix)
    # 0.8/0.9 ask GetLink (no port) for it; a link asked for http, or for a port, is unchanged.
    assert wire.ok("GetLink", SessionId=session_id)["Data"]["Url"] == url
    assert wire.ok("GetLink", SessionId=session_id, ProtocolType="http")["Data"]["Url"].endswith(
        f"/sessions/{session_id}/"
    )
    assert wire.ok("GetLink", SessionId=session_id, Port="8080")["Data"]["Url"].endswith("/ports/8080/")

    async def run(cdp: Cdp) -> tuple[Any, ...]:
        version = await cdp.send("Browser.getVersion")
        page = await cdp.page()
        seen = await cdp.evaluate(page, "[navigator.userAgent, outerWidth, outerHeight, screen.width]")
        return version["product"], seen

    product, seen = with_cdp(url, run)
    assert product.startswith("Chrome/")
    user_agent, width, height, screen_width = seen
    assert user_agent == option["userAgent"]
    assert (width, height) == (800, 600)  # the window (the page has less height: the browser UI)
    assert screen_width == 1920
    # The browser runs in the session, with its profile in the session's /tmp.
    assert session_chromiums(wire, session_id) >= 2
    assert "Default" in shell(wire, session_id, f"ls {PROFILE}").split()
    wire.ok("ReleaseMcpSession", SessionId=session_id)


def test_stop_chrome_ends_the_browser_cleanly_and_init_starts_it_again(
    server: LocalServer, wire: Wire
) -> None:
    session_id = wire.create(ImageId="browser_latest")
    init(wire, session_id)
    url = wire.ok("GetCdpLink", SessionId=session_id)["Data"]["Url"]

    async def set_cookie(cdp: Cdp) -> None:
        expires = time.time() + 3600
        cookie = {"name": "kept", "value": "yes", "domain": "example.test", "path": "/", "expires": expires}
        await cdp.send("Storage.setCookies", cookies=[cookie])

    with_cdp(url, set_cookie)
    data = wire.ok("CallMcpTool", SessionId=session_id, Name="stopChrome", Args="{}")["Data"]
    assert data == {"content": [{"type": "text", "text": "ok"}], "isError": False}
    assert session_chromiums(wire, session_id) == 0
    body = wire.error("GetCdpLink", SessionId=session_id)
    assert body["Code"] == "InvalidMcpSession.BrowserNotRunning"
    # Closed over CDP, Chromium wrote the cookie out (a signal would lose it: it flushes every 30 s).
    cookies = server.state_dir / "sessions" / session_id / "tmp" / "agentbay_browser" / "Default" / "Cookies"
    with contextlib.closing(sqlite3.connect(cookies)) as db:
        assert db.execute("SELECT name FROM cookies WHERE host_key = 'example.test'").fetchall() == [
            ("kept",)
        ]
    # Stopping again is fine; a new browser starts on the same profile and has the cookie.
    wire.ok("CallMcpTool", SessionId=session_id, Name="stopChrome", Args="{}")
    init(wire, session_id)
    url = wire.ok("GetCdpLink", SessionId=session_id)["Data"]["Url"]

    async def cookies_of(cdp: Cdp) -> list[str]:
        return [cookie["name"] for cookie in (await cdp.send("Storage.getCookies"))["cookies"]]

    assert "kept" in with_cdp(url, cookies_of)
    wire.ok("ReleaseMcpSession", SessionId=session_id)


def _namespace_chromiums(pid_namespace: int) -> list[int]:
    """Host pids of the live Chromium processes in the PID namespace `pid_namespace`."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry.name}/ns/pid").st_ino != pid_namespace:
                continue
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        name, _, rest = stat.partition(") ")
        if "(chrom" in name and not rest.startswith(("Z", "X")):
            found.append(int(entry.name))
    return found


def test_deleting_the_session_ends_chromium_and_every_process_it_started(
    server: LocalServer, wire: Wire
) -> None:
    session_id = wire.create(ImageId="browser_latest")
    init(wire, session_id)
    session = _procs._sessions.get(os.path.realpath(server.state_dir / "sessions" / session_id))
    if session is None or session.namespace is None:
        pytest.fail("the session's commands do not run in a PID namespace (no bubblewrap?)")
    pids = _namespace_chromiums(session.namespace.pid_namespace)
    assert len(pids) >= 2  # the browser and its helpers
    wire.ok("ReleaseMcpSession", SessionId=session_id)
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().partition(") ")[2][:1]
        except OSError:
            continue
        if state not in ("Z", "X"):
            alive.append(pid)
    assert alive == []


# ---- refusals ---------------------------------------------------------------------------------------


def test_browser_actions_on_other_images_and_before_init_are_refused(server: LocalServer, wire: Wire) -> None:
    linux = wire.create(ImageId="code_latest")
    for action in ("InitBrowser", "GetCdpLink"):
        body = wire.error(action, SessionId=linux, PersistentPath=PROFILE, BrowserOption="{}")
        assert body["Code"] == "InvalidMcpSession.NotBrowser"
        assert "code_latest" in body["Message"] and "browser_latest" in body["Message"]
    # Not a browser session: GetLink stays the session's link.
    assert wire.ok("GetLink", SessionId=linux)["Data"]["Url"].endswith(f"/sessions/{linux}/")
    session_id = wire.create(ImageId="browser_latest")
    assert wire.error("GetCdpLink", SessionId=session_id)["Code"] == "InvalidMcpSession.BrowserNotRunning"
    assert wire.ok("GetLink", SessionId=session_id)["Data"]["Url"].endswith(f"/sessions/{session_id}/")
    # stopChrome before any browser: nothing to stop, still ok (the SDKs ignore the reply).
    data = wire.ok("CallMcpTool", SessionId=session_id, Name="stopChrome", Args="{}")["Data"]
    assert data["isError"] is False
    assert wire.error("InitBrowser", SessionId="session-nope")["Code"] == "InvalidMcpSession.NotFound"
    # The session's other tools work as on linux_latest.
    assert shell(wire, session_id, "echo hi") == "hi\n"
    for done in (linux, session_id):
        wire.ok("ReleaseMcpSession", SessionId=done)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"BrowserOption": "not json"}, "BrowserOption"),
        ({"BrowserOption": "[]"}, "BrowserOption"),
        ({"BrowserOption": json.dumps({"viewport": {"width": "800", "height": 600}})}, "BrowserOption"),
        ({"BrowserOption": json.dumps({"cmdArgs": ["rm -rf /"]})}, "BrowserOption"),
        ({"BrowserOption": json.dumps({"proxies": [{"type": "custom"}]})}, "BrowserOption"),
        ({"PersistentPath": "/etc/agentbay_browser"}, "PersistentPath"),
        ({"PersistentPath": "/tmp/../../etc"}, "PersistentPath"),
    ],
)
def test_bad_options_and_paths_are_refused_naming_the_field(
    server: LocalServer, wire: Wire, form: dict[str, str], field: str
) -> None:
    session_id = wire.create(ImageId="browser_latest")
    body = wire.error(
        "InitBrowser", SessionId=session_id, **{"PersistentPath": PROFILE, "BrowserOption": "{}", **form}
    )
    assert body["Code"] == f"InvalidParameter.{field}"
    assert session_chromiums(wire, session_id) == 0
    wire.ok("ReleaseMcpSession", SessionId=session_id)


def test_without_chromium_browser_sessions_are_refused_saying_what_to_install(
    server: LocalServer, wire: Wire, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = wire.create(ImageId="browser_latest")  # made while Chromium was there
    monkeypatch.setattr(_chromium, "EXECUTABLES", ("no-such-chromium",))
    body = wire.error("CreateMcpSession", ImageId="browser_latest")
    assert body["Code"] == "InvalidParameter.ImageId"
    assert "apt-get install chromium" in body["Message"]
    body = check_error(wire.post("InitBrowser", SessionId=session_id, BrowserOption="{}"), 500)
    assert body["Code"] == "InternalError.Browser" and "apt-get install chromium" in body["Message"]
    # Other sessions are not affected.
    other = wire.create(ImageId="code_latest")
    assert shell(wire, other, "echo ok") == "ok\n"
    for done in (session_id, other):
        wire.ok("ReleaseMcpSession", SessionId=done)


def test_a_browser_that_does_not_start_in_time_fails_and_leaves_nothing(
    server: LocalServer, wire: Wire, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = wire.create(ImageId="browser_latest")
    monkeypatch.setattr(_chromium, "START_TIMEOUT_S", 0.01)
    body = check_error(wire.post("InitBrowser", SessionId=session_id, BrowserOption="{}"), 500)
    assert body["Code"] == "InternalError.Browser"
    assert "did not open its DevTools port" in body["Message"]
    assert session_chromiums(wire, session_id) == 0
    monkeypatch.undo()
    init(wire, session_id)  # and a later InitBrowser starts it
    wire.ok("ReleaseMcpSession", SessionId=session_id)


# ---- options ----------------------------------------------------------------------------------------


def test_browser_options_become_chromium_flags() -> None:
    option = {
        "useStealth": True,
        "userAgent": "UA/1",
        "viewport": {"width": 1280, "height": 720},
        "screen": {"width": 1920, "height": 1080},
        "fingerprint": {"devices": ["desktop"]},
        "solveCaptchas": True,
        "proxies": [{"type": "custom", "server": "127.0.0.1:9090", "username": "u", "password": "p"}],
        "cmdArgs": ["--lang=fr", "--remote-debugging-port=9222", "--user-data-dir=/x"],
        "defaultNavigateUrl": "http://127.0.0.1:8000/",
        "enableRecord": True,
    }
    assert _chromium.chromium_args(option) == [
        "--window-size=1280,720",
        "--screen-info={1920x1080}",
        "--user-agent=UA/1",
        "--disable-blink-features=AutomationControlled",
        "--proxy-server=127.0.0.1:9090",
        "--lang=fr",  # but not the flags the server depends on
        "http://127.0.0.1:8000/",
    ]
    assert _chromium.chromium_args(DEFAULT_OPTION) == ["about:blank"]
    assert _chromium.chromium_args({"proxies": [{"type": "wuying", "strategy": "restricted"}]}) == [
        "about:blank"
    ]


# ---- the profile -------------------------------------------------------------------------------------


def test_a_browser_context_keeps_cookies_from_one_session_to_the_next(
    server: LocalServer, wire: Wire
) -> None:
    context_id = wire.ok("GetContext", Name="browser-profile", AllowCreate="true")["Data"]["Id"]
    mounts = json.dumps([{"ContextId": context_id, "Path": PROFILE}])  # uploaded at release by default

    def cookie_names(session_id: str) -> list[str]:
        url = wire.ok("GetCdpLink", SessionId=session_id)["Data"]["Url"]

        async def run(cdp: Cdp) -> list[str]:
            return [cookie["name"] for cookie in (await cdp.send("Storage.getCookies"))["cookies"]]

        names: list[str] = with_cdp(url, run)
        return names

    first = wire.create(ImageId="browser_latest", PersistenceDataList=mounts)
    init(wire, first)
    url = wire.ok("GetCdpLink", SessionId=first)["Data"]["Url"]

    async def set_cookie(cdp: Cdp) -> None:
        cookie = {
            "name": "carried",
            "value": "1",
            "domain": "example.test",
            "path": "/",
            "expires": time.time() + 3600,
        }
        await cdp.send("Storage.setCookies", cookies=[cookie])

    with_cdp(url, set_cookie)
    wire.ok("ReleaseMcpSession", SessionId=first)  # closes the browser, then uploads the profile

    second = wire.create(ImageId="browser_latest", PersistenceDataList=mounts)
    cookies = server.state_dir / "sessions" / second / "tmp" / "agentbay_browser" / "Default" / "Cookies"
    deadline = time.monotonic() + 20
    while not cookies.exists():  # the download runs after the create's reply, as in the cloud
        assert time.monotonic() < deadline, "the profile was not downloaded"
        time.sleep(0.05)
    init(wire, second)
    assert "carried" in cookie_names(second)
    wire.ok("ReleaseMcpSession", SessionId=second)


def test_a_restarted_server_starts_the_browser_again_on_the_same_profile(state_dir: Path) -> None:
    key = "akm-browser-restart"
    with (
        LocalServer(state_dir, api_keys=[key]) as server,
        httpx.Client(base_url=server.endpoint, timeout=60) as client,
    ):
        wire = Wire(client, key)
        session_id = wire.create(ImageId="browser_latest")
        init(wire, session_id)
    # The server's stop killed the browser without closing it: its lock files stay in the profile.
    with (
        LocalServer(state_dir, api_keys=[key]) as server,
        httpx.Client(base_url=server.endpoint, timeout=60) as client,
    ):
        wire = Wire(client, key)
        assert wire.error("GetCdpLink", SessionId=session_id)["Code"] == "InvalidMcpSession.BrowserNotRunning"
        init(wire, session_id)
        url = wire.ok("GetCdpLink", SessionId=session_id)["Data"]["Url"]
        assert with_cdp(url, lambda cdp: cdp.send("Browser.getVersion"))["product"].startswith("Chrome/")
        wire.ok("ReleaseMcpSession", SessionId=session_id)


def test_the_extensions_under_extension_path_are_loaded(server: LocalServer, wire: Wire) -> None:
    session_id = wire.create(ImageId="browser_latest")
    manifest = {
        "manifest_version": 3,
        "name": "probe",
        "version": "1.0",
        "background": {"service_worker": "sw.js"},
    }
    wire.ok(
        "CallMcpTool",
        SessionId=session_id,
        Name="create_directory",
        Args=json.dumps({"path": "/tmp/extensions/probe"}),
    )
    for name, content in (("manifest.json", json.dumps(manifest)), ("sw.js", "self.loaded = true;\n")):
        path = f"/tmp/extensions/probe/{name}"
        wire.ok(
            "CallMcpTool",
            SessionId=session_id,
            Name="write_file",
            Args=json.dumps({"path": path, "content": content}),
        )
    init(wire, session_id)  # extensionPath: the SDKs' default, /tmp/extensions/
    url = wire.ok("GetCdpLink", SessionId=session_id)["Data"]["Url"]

    async def extension_workers(cdp: Cdp) -> list[str]:
        for _ in range(100):  # the worker starts shortly after the browser
            targets = (await cdp.send("Target.getTargets"))["targetInfos"]
            urls = [target["url"] for target in targets if target["url"].startswith("chrome-extension://")]
            if urls:
                return urls
            await asyncio.sleep(0.05)
        return []

    assert [url.rpartition("/")[2] for url in with_cdp(url, extension_workers)] == ["sw.js"]
    wire.ok("ReleaseMcpSession", SessionId=session_id)
