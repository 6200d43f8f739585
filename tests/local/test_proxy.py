"""GetLink's URLs reach a session's ports, and a session's background processes live as long as it does.

End to end on the raw wire: a command leaves a server running in the session (`nohup ... &`), the
call returns at once, and the URL that GetLink gives for its port reaches it through the local server,
with the files that write_file made. Deleting the session (or stopping the server) kills the server,
and the URL stops answering. Each test runs under bubblewrap and in the host fallback.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.http11 import Response as WsResponse
from websockets.sync.client import ClientConnection
from websockets.sync.client import connect as sync_ws_connect
from websockets.sync.server import ServerConnection
from websockets.sync.server import serve as ws_serve

from agentbay_local import LocalServer
from agentbay_local.sandbox import SandboxWarning, _shell, bwrap_executable

from ._wire import KEY, Wire, check_error

if shutil.which("python3", path=_shell.BASE_PATH) is None:
    pytest.skip("the sessions' PATH has no python3 to serve HTTP with", allow_module_level=True)

#: Where the servers log: the session's /tmp (under the fallback, /tmp is the host's; TMPDIR is not).
LOG = '"${TMPDIR:-/tmp}/server.log"'

# A server for the echo tests: it answers every method with what it received, as JSON.
ECHO_SERVER = r"""
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                chunk = self.rfile.read(size + 2)[:size]
                if not size:
                    break
                data += chunk
            return data
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def answer(self):
        body = self.body()
        query = parse_qs(urlsplit(self.path).query)
        reply = json.dumps({
            "method": self.command,
            "path": self.path,
            "headers": [[name.lower(), value] for name, value in self.headers.items()],
            "body_sha256": __import__("hashlib").sha256(body).hexdigest(),
            "body_length": len(body),
        }).encode()
        self.send_response(int(query.get("status", ["200"])[0]))
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Echo", "yes")
        self.send_header("Set-Cookie", "a=1")
        self.send_header("Set-Cookie", "b=2")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = answer

    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Echo).serve_forever()
"""


# A WebSocket server for the tunnel tests, on the standard library only (the sessions' python3 has no
# websockets): it echoes each message in kind, answers "headers" with its request's path and headers,
# closes on "close CODE REASON", drops the connection (no close frame) on "drop", refuses the upgrade
# on /refuse with its own 403, and prints each close frame it gets.
WS_ECHO_SERVER = r"""
import base64, hashlib, json, socket, socketserver, struct, sys

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Echo(socketserver.StreamRequestHandler):
    def frame(self, opcode, payload):
        head = bytes([0x80 | opcode])
        size = len(payload)
        if size < 126:
            head += bytes([size])
        elif size < 65536:
            head += bytes([126]) + struct.pack("!H", size)
        else:
            head += bytes([127]) + struct.pack("!Q", size)
        self.wfile.write(head + payload)
        self.wfile.flush()

    def read_frame(self):
        first, second = self.rfile.read(2)
        size = second & 0x7F
        if size == 126:
            size = struct.unpack("!H", self.rfile.read(2))[0]
        elif size == 127:
            size = struct.unpack("!Q", self.rfile.read(8))[0]
        mask = self.rfile.read(4) if second & 0x80 else b""
        data = self.rfile.read(size)
        if mask:
            keys = (mask * (size // 4 + 1))[:size]
            data = (int.from_bytes(data, "big") ^ int.from_bytes(keys, "big")).to_bytes(size, "big")
        return first & 0x80, first & 0x0F, data

    def handle(self):
        request = self.rfile.readline().decode()
        headers = []
        while (line := self.rfile.readline().decode().strip()):
            name, value = line.split(":", 1)
            headers.append([name.strip().lower(), value.strip()])
        found = dict(headers)
        path = request.split()[1]
        if path.startswith("/refuse"):
            body = b"not here"
            self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nX-Why: refused\r\nContent-Length: 8\r\n\r\n" + body)
            return
        if "sec-websocket-key" not in found:  # a plain request (start_server's probe)
            self.wfile.write(b"HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\n\r\n")
            return
        accept = base64.b64encode(hashlib.sha1(found["sec-websocket-key"].encode() + GUID).digest())
        reply = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        reply += "Sec-WebSocket-Accept: " + accept.decode() + "\r\n"
        if "sec-websocket-protocol" in found:
            reply += "Sec-WebSocket-Protocol: " + found["sec-websocket-protocol"].split(",")[0].strip() + "\r\n"
        self.wfile.write((reply + "\r\n").encode())
        self.wfile.flush()
        message, kind = b"", 0
        while True:
            fin, opcode, data = self.read_frame()
            if opcode == 8:
                code = struct.unpack("!H", data[:2])[0] if data else 1005
                print("closed", code, data[2:].decode(), flush=True)
                self.frame(8, data)
                return
            if opcode == 9:
                self.frame(10, data)
                continue
            if opcode in (1, 2):
                kind = opcode
            message += data
            if not fin:
                continue
            text, message = message, b""
            if kind == 1 and text == b"headers":
                self.frame(1, json.dumps({"path": path, "headers": headers}).encode())
            elif kind == 1 and text.startswith(b"close "):
                _, code, reason = text.decode().split(" ", 2)
                self.frame(8, struct.pack("!H", int(code)) + reason.encode())
            elif kind == 1 and text == b"drop":
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            else:
                self.frame(kind, text)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


Server(("127.0.0.1", int(sys.argv[1])), Echo).serve_forever()
"""


# ---- helpers ------------------------------------------------------------------------------------


@pytest.fixture(params=["bwrap", "fallback"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run the test with commands under bubblewrap, then in the host fallback."""
    if request.param == "bwrap":
        if bwrap_executable() is None:
            pytest.skip("bubblewrap does not work on this machine")
        yield "bwrap"
        return
    monkeypatch.setattr(_shell, "bwrap_executable", lambda: None)
    monkeypatch.setattr(_shell, "_fallback_warned", False)
    with pytest.warns(SandboxWarning, match="NOT isolated"):
        yield "fallback"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def tool(wire: Wire, session_id: str, name: str, **args: Any) -> tuple[str, bool]:
    data = wire.ok("CallMcpTool", SessionId=session_id, Name=name, Args=json.dumps(args))["Data"]
    text: str = data["content"][0]["text"]
    return text, bool(data["isError"])


def run(wire: Wire, session_id: str, command: str) -> str:
    text, is_error = tool(wire, session_id, "shell", command=command, timeout_ms=20_000)
    assert not is_error, text
    return text


def link(wire: Wire, session_id: str, port: int) -> str:
    url: str = wire.ok("GetLink", SessionId=session_id, Port=str(port))["Data"]["Url"]
    return url


def wait_until(check: Callable[[], bool], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def refuses(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def processes_with(needle: str) -> list[int]:
    """Live host processes whose command line contains `needle` (zombies are already dead)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path("/proc", entry, "cmdline").read_bytes().replace(b"\0", b" ")
                stat = Path("/proc", entry, "stat").read_text()
            except OSError:
                continue
            if needle.encode() in cmdline and ") Z " not in stat:
                found.append(int(entry))
    return found


def start_server(wire: Wire, session_id: str, command: str, url: str) -> float:
    """Run the shell `command`, which leaves a server running in the session; how long the call took.
    Waits until `url` reaches the server."""
    started = time.monotonic()
    run(wire, session_id, command)
    took = time.monotonic() - started
    assert wait_until(lambda: wire.client.get(url).status_code != 502), run(wire, session_id, f"cat {LOG}")
    return took


# ---- the link reaches the session's server --------------------------------------------------------


def test_a_server_left_running_is_reached_through_get_link(
    wire: Wire, server: LocalServer, mode: str
) -> None:
    session_id = wire.create()
    assert tool(wire, session_id, "write_file", path="/home/wuying/hello.txt", content="from write_file") == (
        "Successfully wrote to /home/wuying/hello.txt",
        False,
    )
    digest = run(wire, session_id, "head -c 3000000 /dev/urandom > big.bin && sha256sum big.bin").split()[0]
    port = free_port()
    url = link(wire, session_id, port)
    assert url == f"{server.endpoint}/sessions/{session_id}/ports/{port}/"

    serve = f"nohup python3 -m http.server {port} --bind 127.0.0.1 >{LOG} 2>&1 &"
    took = start_server(wire, session_id, serve, url)
    assert took < 5  # the server holds no pipe of the call, but even so the call does not wait for it

    listing = wire.client.get(url)
    assert listing.status_code == 200 and "text/html" in listing.headers["content-type"]
    assert "hello.txt" in listing.text and "big.bin" in listing.text  # the session's cwd, /home/wuying
    hello = wire.client.get(url + "hello.txt")
    assert (hello.status_code, hello.text) == (200, "from write_file")
    big = wire.client.get(url + "big.bin")
    assert hashlib.sha256(big.content).hexdigest() == digest  # 3 MB streamed through intact
    missing = wire.client.get(url + "no-such-file")
    assert missing.status_code == 404 and "RequestId" not in missing.text  # the upstream's own 404
    # Without the trailing slash, the port URL reaches the server's root too.
    assert "hello.txt" in wire.client.get(url.rstrip("/")).text
    # The server's log is in the session's /tmp (TMPDIR in the fallback), for the file tools too.
    log, _ = tool(wire, session_id, "read_file", path="/tmp/server.log")
    assert "GET /hello.txt" in log
    # Still serving after later commands: nothing ends it but the session.
    run(wire, session_id, "true")
    assert wire.client.get(url + "hello.txt").status_code == 200


def test_methods_bodies_queries_statuses_and_headers_pass_through(wire: Wire, mode: str) -> None:
    session_id = wire.create()
    tool(wire, session_id, "write_file", path="/home/wuying/echo.py", content=ECHO_SERVER)
    port = free_port()
    url = link(wire, session_id, port)
    start_server(wire, session_id, f"nohup python3 echo.py {port} >{LOG} 2>&1 &", url)

    body = os.urandom(1_500_000)
    response = wire.client.post(
        url + "a%20b/c%2Fd?x=1&y=%2F&status=201",
        content=body,
        headers={
            "X-Custom": "kept",
            "Proxy-Authorization": "hop",
            "Connection": "keep-alive, X-Gone",
            "X-Gone": "1",
        },
    )
    assert response.status_code == 201
    echo = response.json()
    assert echo["method"] == "POST"
    assert echo["path"] == "/a%20b/c%2Fd?x=1&y=%2F&status=201"  # as sent, encoding included
    assert (echo["body_length"], echo["body_sha256"]) == (len(body), hashlib.sha256(body).hexdigest())
    headers = dict(echo["headers"])
    assert headers["x-custom"] == "kept"
    assert headers["host"] == f"127.0.0.1:{port}"
    assert headers["x-forwarded-prefix"] == f"/sessions/{session_id}/ports/{port}"
    assert headers["x-forwarded-host"] == wire.client.base_url.netloc.decode()
    assert "proxy-authorization" not in headers and "x-gone" not in headers  # hop-by-hop
    assert response.headers["x-echo"] == "yes"
    assert response.headers.get_list("set-cookie") == ["a=1", "b=2"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked, and streamed on
        yield b"part one, "
        yield b"part two"

    chunked = wire.client.put(url + "upload?status=404", content=chunks())
    assert chunked.status_code == 404
    assert chunked.json()["body_sha256"] == hashlib.sha256(b"part one, part two").hexdigest()
    for method in ("GET", "DELETE", "PATCH", "OPTIONS"):
        answer = wire.client.request(method, url + "x?status=202")
        assert (answer.status_code, answer.json()["method"]) == (202, method)
    head = wire.client.head(url + "x")
    assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 0


# ---- deletion ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["ReleaseMcpSession", "DeleteSessionAsync"])
def test_deleting_the_session_kills_its_server_and_closes_the_link(
    wire: Wire, mode: str, action: str
) -> None:
    session_id = wire.create()
    port = free_port()
    url = link(wire, session_id, port)
    # Detached (setsid), and under bwrap even out of the session's directories: found all the same.
    leave = "cd / && " if mode == "bwrap" else ""
    serve = f"python3 -m http.server {port} --bind 127.0.0.1"
    start_server(wire, session_id, f"({leave}exec setsid {serve} >{LOG} 2>&1 &)", url)
    assert processes_with(f"http.server {port} ")

    wire.ok(action, SessionId=session_id)
    # Gone by the time the reply came: the port refuses connections, no process is left.
    assert refuses(port)
    assert processes_with(f"http.server {port} ") == []
    gone = check_error(wire.client.get(url), 404)
    assert gone["Code"] == "InvalidMcpSession.NotFound"
    check_error(wire.client.get(url.split("ports/")[0]), 404)


def test_a_deleted_sessions_link_does_not_reach_a_new_sessions_server(wire: Wire, mode: str) -> None:
    first = wire.create()
    port = free_port()
    old_url = link(wire, first, port)
    wire.ok("ReleaseMcpSession", SessionId=first)

    second = wire.create()
    url = link(wire, second, port)
    start_server(wire, second, f"python3 -m http.server {port} --bind 127.0.0.1 >/dev/null 2>&1 &", url)
    assert wire.client.get(url).status_code == 200
    assert check_error(wire.client.get(old_url), 404)["Code"] == "InvalidMcpSession.NotFound"
    assert (
        check_error(wire.client.post(old_url + "x", content=b"data"), 404)["Code"]
        == "InvalidMcpSession.NotFound"
    )
    wire.ok("ReleaseMcpSession", SessionId=second)
    assert refuses(port)


# ---- errors ---------------------------------------------------------------------------------------


def test_unknown_session_bad_port_and_nothing_listening(wire: Wire) -> None:
    session_id = wire.create()
    base = f"/sessions/{session_id}"
    unknown = check_error(wire.client.get("/sessions/session-0000000000/ports/8080/"), 404)
    assert unknown["Code"] == "InvalidMcpSession.NotFound"
    for port in ("0", "65536", "99999999", "-1", "http", "80a", "\uff11\uff12"):  # the last: fullwidth digits
        for method in ("GET", "POST"):
            bad = check_error(wire.client.request(method, f"{base}/ports/{port}/x"), 400)
            assert bad["Code"] == "InvalidParameter.Port", port
    port = free_port()
    refused = check_error(wire.client.get(f"{base}/ports/{port}/"), 502)
    assert refused["Code"] == "Proxy.ConnectionRefused"
    assert f"port {port} of session {session_id}" in refused["Message"]
    # No key is needed (the link is the capability), and a key is not looked at either.
    assert "Authorization" not in wire.client.headers


def test_the_session_url_without_a_port_describes_the_session(wire: Wire, server: LocalServer) -> None:
    session_id = wire.create()
    url: str = wire.ok("GetLink", SessionId=session_id)["Data"]["Url"]
    reply = wire.client.get(url)
    assert reply.status_code == 200
    assert reply.json() == {
        "SessionId": session_id,
        "Status": "RUNNING",
        "Url": url,
        "PortUrl": url + "ports/{port}/",
    }
    assert wire.client.get(url.rstrip("/")).json()["SessionId"] == session_id
    assert (
        check_error(wire.client.get("/sessions/session-0000000000/"), 404)["Code"]
        == "InvalidMcpSession.NotFound"
    )
    wire.ok("ReleaseMcpSession", SessionId=session_id)
    check_error(wire.client.get(url), 404)


def test_an_upstream_that_does_not_answer_is_504_and_stop_kills_session_processes(
    state_dir: Path, mode: str
) -> None:
    port = free_port()
    silent = (
        "python3 -c 'import socket, time; s = socket.socket(); "
        f's.bind(("127.0.0.1", {port})); s.listen(8); time.sleep(300)\''
    )
    server = LocalServer(state_dir, api_keys=[KEY], proxy_timeout=0.5)
    with server, httpx.Client(base_url=server.endpoint, timeout=30, trust_env=False) as client:
        wire = Wire(client)
        session_id = wire.create()
        url = link(wire, session_id, port)
        run(wire, session_id, f"nohup {silent} >/dev/null 2>&1 &")
        assert wait_until(lambda: not refuses(port))
        started = time.monotonic()
        timed_out = check_error(client.get(url), 504)
        assert timed_out["Code"] == "Proxy.Timeout"
        assert time.monotonic() - started < 5
        assert processes_with(f'"127.0.0.1", {port}')
    # Stopping the server ended the session's processes (the session itself is not deleted).
    assert refuses(port)
    assert processes_with(f'"127.0.0.1", {port}') == []


# ---- files go with the session; a restart ---------------------------------------------------------


def test_deleting_a_session_removes_its_files(wire: Wire, server: LocalServer, mode: str) -> None:
    session_id = wire.create()
    kept = wire.create()
    folder = server.state_dir / "sessions" / session_id
    # A big file, a folder its command made unreadable and unwritable, a symlink out of the session,
    # and a process still writing in it.
    outside = server.state_dir / "outside.txt"
    outside.write_text("not the session's")
    run(
        wire, session_id, "head -c 2000000 /dev/zero > big.bin && mkdir -p locked/deep && touch locked/deep/f"
    )
    run(wire, session_id, "chmod 000 locked/deep && chmod 500 locked")
    os.symlink(outside, folder / "home" / "wuying" / "link")
    run(
        wire,
        session_id,
        "nohup sh -c 'while true; do date >> ticks; sleep 0.05; done' >/dev/null 2>&1 &",
    )
    assert (folder / "home" / "wuying" / "big.bin").stat().st_size == 2_000_000

    wire.ok("ReleaseMcpSession", SessionId=session_id)
    assert not folder.exists()
    assert outside.read_text() == "not the session's"  # the link was removed, not followed
    assert (server.state_dir / "sessions" / kept / "home" / "wuying").is_dir()
    assert wire.ok("GetSessionDetail", SessionId=session_id)["Data"]["Status"] == "FINISH"


def test_a_start_removes_the_files_of_deleted_and_unknown_sessions(state_dir: Path) -> None:
    with LocalServer(state_dir, api_keys=[KEY]) as first, httpx.Client(base_url=first.endpoint) as client:
        wire = Wire(client)
        running = wire.create()
        deleted = wire.create()
    sessions = state_dir / "sessions"
    # Deleted while its files stayed (a crash mid-delete, or a server of before this fix).
    with sqlite3.connect(state_dir / "agentbay.db") as db:
        db.execute("UPDATE sessions SET status = 'FINISH' WHERE id = ?", (deleted,))
    (sessions / deleted / "tmp" / "data").write_bytes(b"x" * 1000)
    old_unknown = sessions / "session-0000000000000000dead"
    (old_unknown / "home").mkdir(parents=True)
    os.utime(old_unknown, (time.time() - 3600, time.time() - 3600))
    young_unknown = sessions / "session-0000000000000000cafe"  # maybe being created by another server
    young_unknown.mkdir()

    with LocalServer(state_dir, api_keys=[KEY]) as second, httpx.Client(base_url=second.endpoint) as client:
        assert sorted(p.name for p in sessions.iterdir()) == sorted([running, young_unknown.name])
        assert Wire(client).ok("GetSession", SessionId=running)["Data"]["Status"] == "RUNNING"


def test_a_restart_ends_processes_and_the_session_runs_new_commands(state_dir: Path, mode: str) -> None:
    port = free_port()
    serve = f"python3 -m http.server {port} --bind 127.0.0.1"
    with LocalServer(state_dir, api_keys=[KEY]) as first, httpx.Client(base_url=first.endpoint) as client:
        wire = Wire(client)
        session_id = wire.create()
        run(wire, session_id, "echo kept > notes.txt")
        start_server(wire, session_id, f"nohup {serve} >{LOG} 2>&1 &", link(wire, session_id, port))
    assert refuses(port) and processes_with(f"http.server {port} ") == []  # the stop killed it

    with LocalServer(state_dir, api_keys=[KEY]) as second, httpx.Client(base_url=second.endpoint) as client:
        wire = Wire(client)
        assert run(wire, session_id, "cat notes.txt") == "kept\n"  # files survive
        url = link(wire, session_id, port)
        assert check_error(client.get(url), 502)["Code"] == "Proxy.ConnectionRefused"
        start_server(wire, session_id, f"nohup {serve} >{LOG} 2>&1 &", url)  # and it starts again
        assert "notes.txt" in client.get(url).text
        wire.ok("ReleaseMcpSession", SessionId=session_id)
        assert refuses(port)


# ---- WebSockets -------------------------------------------------------------------------------------


def ws_connect(url: str, **options: Any) -> ClientConnection:
    return sync_ws_connect("ws" + url.removeprefix("http"), proxy=None, open_timeout=15, **options)


def closed_with(ws: ClientConnection) -> tuple[int | None, str | None]:
    """The close code and reason the connection gets, once it comes (messages before it dropped)."""
    try:
        while True:
            ws.recv(timeout=15)
    except ConnectionClosed:
        return ws.close_code, ws.close_reason


def refused(url: str) -> WsResponse:
    """The HTTP answer to an upgrade the proxy refuses."""
    with pytest.raises(InvalidStatus) as caught:
        ws_connect(url)
    return caught.value.response


def start_ws_echo(wire: Wire, session_id: str) -> str:
    """WS_ECHO_SERVER left running in the session; its port URL."""
    tool(wire, session_id, "write_file", path="/home/wuying/ws_echo.py", content=WS_ECHO_SERVER)
    port = free_port()
    url = link(wire, session_id, port)
    start_server(wire, session_id, f"nohup python3 ws_echo.py {port} >{LOG} 2>&1 &", url)
    return url


@pytest.fixture
def host_ws() -> Iterator[tuple[int, list[tuple[int | None, str | None]]]]:
    """An echo WebSocket server outside any session (a link reaches any port of 127.0.0.1): its port,
    and the close code and reason of each connection it had, once closed."""
    closes: list[tuple[int | None, str | None]] = []

    def echo(connection: ServerConnection) -> None:
        with contextlib.suppress(ConnectionClosed):  # raised for a close other than 1000/1001
            for message in connection:
                connection.send(message)
        closes.append((connection.close_code, connection.close_reason))

    with ws_serve(echo, "127.0.0.1", 0) as host_server:
        thread = threading.Thread(target=host_server.serve_forever, daemon=True)
        thread.start()
        yield host_server.socket.getsockname()[1], closes
        host_server.shutdown()
    thread.join(10)


def test_a_websocket_server_in_the_session_is_tunnelled_both_ways(wire: Wire, mode: str) -> None:
    session_id = wire.create()
    url = start_ws_echo(wire, session_id)
    big = os.urandom(20_000_000)  # a big CDP screenshot's size, each way (uvicorn's default limit: 16 MiB)
    with ws_connect(
        url + "a%20b/c?x=1&y=%2F",
        subprotocols=["cdp", "other"],
        additional_headers={"Origin": "http://page.test", "X-Custom": "kept"},
        max_size=None,
    ) as ws:
        assert ws.subprotocol == "cdp"  # the upstream's choice
        # The client offered permessage-deflate: refused, the server compresses nothing (CPU on its loop).
        assert "Sec-WebSocket-Extensions" not in ws.response.headers
        ws.send("hello, text")
        assert ws.recv(timeout=15) == "hello, text"
        ws.send(b"\x00\xffbinary")
        assert ws.recv(timeout=15) == b"\x00\xffbinary"
        ws.send(big)
        echoed = ws.recv(timeout=60)
        assert isinstance(echoed, bytes) and hashlib.sha256(echoed).digest() == hashlib.sha256(big).digest()
        ws.send("headers")
        echo = json.loads(ws.recv(timeout=15))
        ws.close(4000, "client done")
    assert echo["path"] == "/a%20b/c?x=1&y=%2F"  # as sent, encoding included
    headers = dict(echo["headers"])
    port = url.rstrip("/").rsplit("/", 1)[1]
    assert headers["host"] == f"127.0.0.1:{port}"
    assert (headers["origin"], headers["x-custom"]) == ("http://page.test", "kept")
    assert headers["x-forwarded-prefix"] == f"/sessions/{session_id}/ports/{port}"
    assert headers["x-forwarded-proto"] == "http"
    assert headers["sec-websocket-protocol"] == "cdp, other"
    names = [name for name, _ in echo["headers"]]
    assert [names.count(name) for name in ("sec-websocket-key", "upgrade", "host")] == [1, 1, 1]
    # The client's close reached the upstream with its code and reason.
    assert wait_until(lambda: "closed 4000 client done" in run(wire, session_id, f"cat {LOG}"))


def test_an_upstream_close_or_loss_reaches_the_client(wire: Wire) -> None:
    session_id = wire.create()
    url = start_ws_echo(wire, session_id)
    with ws_connect(url) as ws:
        ws.send("close 4001 upstream done")
        assert closed_with(ws) == (4001, "upstream done")
    with ws_connect(url) as ws:
        ws.send("sent before")
        assert ws.recv(timeout=15) == "sent before"
        ws.send("drop")  # no close frame: 1014, bad gateway
        assert closed_with(ws) == (1014, "The connection to the upstream was lost.")


def test_upgrades_are_refused_as_requests_are(
    wire: Wire, host_ws: tuple[int, list[Any]], caplog: pytest.LogCaptureFixture
) -> None:
    session_id = wire.create()
    url = start_ws_echo(wire, session_id)
    own = refused(url + "refuse")  # the upstream's own refusal, as it answered
    assert (own.status_code, own.body, own.headers["X-Why"]) == (403, b"not here", "refused")
    unknown = refused(
        f"{str(wire.client.base_url).rstrip('/')}/sessions/session-0000000000/ports/{host_ws[0]}/"
    )
    assert unknown.status_code == 404
    assert json.loads(unknown.body)["Code"] == "InvalidMcpSession.NotFound"
    bad = refused(f"{str(wire.client.base_url).rstrip('/')}/sessions/{session_id}/ports/65536/")
    assert (bad.status_code, json.loads(bad.body)["Code"]) == (400, "InvalidParameter.Port")
    nothing = refused(link(wire, session_id, free_port()))
    assert (nothing.status_code, json.loads(nothing.body)["Code"]) == (502, "Proxy.ConnectionRefused")
    # Each refusal is the whole answer: nothing is sent after it (the ASGI server would log an error).
    # uvicorn's websockets-sansio logs one line for every refusal it sent, a known bug of its own
    # (Kludex/uvicorn pull request 3138): not ours.
    uvicorn_bug = "ASGI callable returned without completing handshake."
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert [message for message in errors if message != uvicorn_bug] == []


@pytest.mark.parametrize("action", ["ReleaseMcpSession", "DeleteSessionAsync"])
def test_deleting_the_session_closes_its_tunnels(
    wire: Wire, host_ws: tuple[int, list[tuple[int | None, str | None]]], action: str
) -> None:
    # The upstream is no process of the session: only the proxy can close the tunnel.
    port, upstream_closes = host_ws
    session_id, other = wire.create(), wire.create()
    url = link(wire, session_id, port)
    with ws_connect(url) as ws, ws_connect(link(wire, other, port)) as kept:
        ws.send("ping")
        assert ws.recv(timeout=15) == "ping"
        wire.ok(action, SessionId=session_id)
        # Closed by the time the reply came, both sides with the reason.
        assert ws.close_code == 1001 or closed_with(ws) == (1001, "The session was deleted.")
        assert wait_until(lambda: upstream_closes == [(1001, "The session was deleted.")])
        kept.send("still open")  # another session's tunnel to the same port is left alone
        assert kept.recv(timeout=15) == "still open"
    assert refused(url).status_code == 404


def test_stopping_the_server_closes_the_tunnels(
    state_dir: Path, host_ws: tuple[int, list[tuple[int | None, str | None]]]
) -> None:
    port, upstream_closes = host_ws
    server = LocalServer(state_dir, api_keys=[KEY]).start()
    try:
        with httpx.Client(base_url=server.endpoint) as client:
            url = link(Wire(client), Wire(client).create(), port)
        with ws_connect(url) as ws:
            ws.send("ping")
            assert ws.recv(timeout=15) == "ping"
            server.stop()
            code, _ = closed_with(ws)
    finally:
        server.stop()
    assert code in (1001, 1012)  # 1012 (service restart) is uvicorn's own on shutdown
    assert wait_until(lambda: len(upstream_closes) == 1 and upstream_closes[0][0] in (1001, 1012))


def test_an_upgrade_the_upstream_never_answers_is_504_or_404_once_the_session_is_deleted(
    state_dir: Path,
) -> None:
    # Accepts connections, never answers: the proxy waits for the upstream's handshake.
    silent = socket.create_server(("127.0.0.1", 0))
    port = silent.getsockname()[1]
    server = LocalServer(state_dir, api_keys=[KEY], proxy_timeout=0.5)
    try:
        with server, httpx.Client(base_url=server.endpoint, timeout=30) as client:
            wire = Wire(client)
            session_id = wire.create()
            url = link(wire, session_id, port)
            timed_out = refused(url)
            assert (timed_out.status_code, json.loads(timed_out.body)["Code"]) == (504, "Proxy.Timeout")
            silent.settimeout(15)
            silent.accept()[0].close()  # that attempt's connection, waiting in the backlog

        # The session deleted while the proxy waits: the upgrade is refused as for a deleted session.
        server = LocalServer(state_dir, api_keys=[KEY], proxy_timeout=60)
        with server, httpx.Client(base_url=server.endpoint, timeout=30) as client:
            wire = Wire(client)
            session_id = wire.create()
            url = link(wire, session_id, port)
            answers: list[WsResponse] = []
            waiting = threading.Thread(target=lambda: answers.append(refused(url)))
            waiting.start()
            upstream, _ = silent.accept()  # the proxy is connecting
            wire.ok("ReleaseMcpSession", SessionId=session_id)
            waiting.join(15)
            upstream.close()
        assert [(answer.status_code, json.loads(answer.body)["Code"]) for answer in answers] == [
            (404, "InvalidMcpSession.NotFound")
        ]
    finally:
        silent.close()
