"""LocalServer and create_app: lifecycle, keys, persistence across restarts, signals."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from agentbay_local import LocalServer, create_app

from ._wire import KEY, OTHER_KEY, Wire, check_error, pop_query

REPO = Path(__file__).resolve().parents[2]


def wire_for(server: LocalServer) -> Wire:
    return Wire(httpx.Client(base_url=server.endpoint, timeout=30))


def test_restart_keeps_everything_acknowledged(state_dir: Path) -> None:
    with LocalServer(state_dir, api_keys=[KEY, OTHER_KEY]) as first:
        wire = wire_for(first)
        with wire.client:
            kept = wire.create(Labels='{"project": "demo"}')
            wire.ok("SetLabel", SessionId=kept, Labels='{"project": "demo", "stage": "2"}')
            code = wire.create(ImageId="code_latest")
            gone = wire.create()
            wire.ok("ReleaseMcpSession", SessionId=gone)
            theirs = wire.create(key=OTHER_KEY)

    with LocalServer(state_dir, api_keys=[KEY, OTHER_KEY]) as second:
        wire = wire_for(second)
        with wire.client:
            listed = wire.ok("ListSession")["Data"]
            assert [(s["SessionId"], s["ImageId"]) for s in listed] == [
                (kept, "linux_latest"),
                (code, "code_latest"),
            ]
            assert (
                wire.ok("GetLabel", SessionId=kept)["Data"]["Labels"] == '{"project": "demo", "stage": "2"}'
            )
            assert wire.ok("GetSessionDetail", SessionId=gone)["Data"]["Status"] == "FINISH"
            assert wire.error("GetSession", SessionId=gone)["Code"] == "InvalidMcpSession.NotFound"
            assert [s["SessionId"] for s in wire.ok("ListSession", key=OTHER_KEY)["Data"]] == [theirs]
            # URLs follow the new port.
            assert wire.ok("GetSession", SessionId=kept)["Data"]["ResourceUrl"].startswith(
                second.endpoint + "/"
            )


def test_generated_key_is_made_once_and_reused(state_dir: Path) -> None:
    server = LocalServer(state_dir)
    key = server.generated_key
    assert key is not None and re.fullmatch(r"akm-local-[0-9a-f]{32}", key)
    assert server.api_keys == [key]
    key_file = state_dir / "api_key"
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    with server:
        wire = wire_for(server)
        with wire.client:
            session_id = wire.create(key=key)
            assert wire.error("ListSession", key=KEY)["Code"] == "NOT_LOGIN"

    again = LocalServer(state_dir)
    assert again.generated_key == key
    with again:
        wire = wire_for(again)
        with wire.client:
            assert [s["SessionId"] for s in wire.ok("ListSession", key=key)["Data"]] == [session_id]


def test_given_keys_replace_the_generated_one(state_dir: Path) -> None:
    generated = LocalServer(state_dir).generated_key
    assert generated is not None
    with LocalServer(state_dir, api_keys=[KEY]) as server:
        assert (server.generated_key, server.api_keys) == (None, [KEY])
        wire = wire_for(server)
        with wire.client:
            assert wire.error("ListSession", key=generated)["Code"] == "NOT_LOGIN"
            wire.ok("ListSession", key=KEY)


def test_a_single_key_string_is_one_key(state_dir: Path) -> None:
    assert LocalServer(state_dir, api_keys=KEY).api_keys == [KEY]


@pytest.mark.parametrize("keys", [[], [""], ["has space"], [" lead"]])
def test_bad_key_configuration_is_refused(state_dir: Path, keys: list[str]) -> None:
    with pytest.raises(ValueError, match="key"):
        LocalServer(state_dir, api_keys=keys)


def test_database_is_wal_and_holds_no_plain_keys(state_dir: Path) -> None:
    with LocalServer(state_dir, api_keys=[KEY]) as server:
        wire = wire_for(server)
        with wire.client:
            session_id = wire.create(Labels='{"project": "demo"}')
    db = state_dir / "agentbay.db"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        rows = conn.execute("SELECT id, image_id, labels, status FROM sessions").fetchall()
    conn.close()
    assert rows == [(session_id, "linux_latest", '{"project": "demo"}', "RUNNING")]
    for path in state_dir.glob("agentbay.db*"):
        assert KEY.encode() not in path.read_bytes()


def test_lifecycle(state_dir: Path) -> None:
    server = LocalServer(state_dir, api_keys=[KEY])
    assert not server.running
    with pytest.raises(RuntimeError):
        _ = server.endpoint
    server.start()
    try:
        assert server.running
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.endpoint)
        assert server.port != 0
        with pytest.raises(RuntimeError, match="already running"):
            server.start()
        endpoint = server.endpoint
        with httpx.Client(base_url=endpoint) as client:
            assert Wire(client).ok("ListSession")["TotalCount"] == 0
    finally:
        server.stop()
    server.stop()  # idempotent
    assert not server.running
    with pytest.raises(httpx.ConnectError):
        httpx.post(endpoint, params=pop_query("ListSession"), timeout=5)
    # A stopped server starts again, on the same port.
    with server:
        assert server.endpoint == endpoint
        with httpx.Client(base_url=endpoint) as client:
            Wire(client).ok("ListSession")


def test_two_servers_on_two_state_dirs(tmp_path: Path) -> None:
    with LocalServer(tmp_path / "a", api_keys=[KEY]) as a, LocalServer(tmp_path / "b", api_keys=[KEY]) as b:
        assert a.endpoint != b.endpoint
        wire_a, wire_b = wire_for(a), wire_for(b)
        with wire_a.client, wire_b.client:
            wire_a.create()
            assert wire_b.ok("ListSession")["TotalCount"] == 0


def test_concurrent_creates(wire: Wire) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        created = list(pool.map(lambda _: wire.create(), range(40)))
    assert len(set(created)) == 40
    assert wire.ok("ListSession", MaxResults="100")["TotalCount"] == 40


def test_create_app_as_a_plain_asgi_app(state_dir: Path) -> None:
    app = create_app(state_dir, [KEY], public_url="https://agentbay.example/")

    async def scenario() -> None:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client,
        ):
            form = {"Authorization": f"Bearer {KEY}"}
            created = await client.post("/", params=pop_query("CreateMcpSession"), data=form)
            session_id = created.json()["Data"]["SessionId"]
            got = await client.post(
                "/", params=pop_query("GetSession"), data={**form, "SessionId": session_id}
            )
            assert got.json()["Data"]["ResourceUrl"] == f"https://agentbay.example/sessions/{session_id}/"
            unknown = await client.post("/", params=pop_query("NoSuchAction"), data=form)
            assert (unknown.status_code, unknown.json()["Code"]) == (400, "InvalidAction.NotFound")

    asyncio.run(scenario())
    # The app's lifespan shutdown closed its database.
    with pytest.raises(sqlite3.ProgrammingError):
        app.state.service.store.get_labels("x", "y")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_forever_stops_cleanly_on_signals(tmp_path: Path, sig: signal.Signals) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "agentbay.cli",
            "local",
            "serve",
            "--port",
            "0",
            "--state-dir",
            str(tmp_path / "state"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        match = re.match(r"AgentBay local server at (http://127\.0\.0\.1:\d+) ", first)
        assert match, first
        assert proc.stdout.readline().startswith("Connect with")
        assert "AGENTBAY_API_KEY=" in proc.stdout.readline()
        key = (tmp_path / "state" / "api_key").read_text().strip()
        with httpx.Client(base_url=match.group(1)) as client:
            wire = Wire(client)
            wire.create(key=key)
            assert check_error(wire.post("ListSession", key=KEY), 400)["Code"] == "NOT_LOGIN"
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr


def test_listening_socket_is_tcp_so_replies_skip_nagle() -> None:
    """asyncio sets TCP_NODELAY only on accepted sockets whose proto is TCP; without it every
    keep-alive reply waits ~40 ms for a delayed ACK."""
    from agentbay_local._server import _bind

    sock = _bind("127.0.0.1", 0)
    with sock:
        assert sock.proto == socket.IPPROTO_TCP


def test_the_package_never_imports_the_sdk() -> None:
    """The server is the other end of the wire: it must not depend on the facade it serves."""
    code = "import sys, agentbay_local; print(sorted(m for m in sys.modules if m == 'agentbay' or m.startswith('agentbay.')))"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[]"
