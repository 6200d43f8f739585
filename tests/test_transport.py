"""The transport's promises, both flavours: Retry-After, a deadline per attempt, pooled connections the
server closed, and transport errors that name their cause. Real sockets on 127.0.0.1 where it matters."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from agentbay import (
    AgentBay,
    APIConnectionError,
    APITimeoutError,
    AsyncAgentBay,
    RateLimitError,
    ServerError,
)
from agentbay._async._transport import KEEPALIVE_EXPIRY

from ._fake import API_KEY, FakeService, envelope
from ._synced import Synced

# ---- Retry-After (against the fake service) -------------------------------------------------------


def sleeps_of(bay: Any) -> list[float]:
    """Record the waits between attempts instead of sleeping."""
    waits: list[float] = []
    if isinstance(bay, AgentBay):
        bay._transport.sleep = waits.append
    else:

        async def record(seconds: float) -> None:
            waits.append(seconds)

        bay.wrapped._transport.sleep = record
    return waits


@pytest.mark.parametrize("status", [503, 500, 502, 429])
def test_retry_after_is_honoured_on_every_retried_status(bay: Any, fake: FakeService, status: int) -> None:
    session = bay.get("s-1").unwrap()
    waits = sleeps_of(bay)
    fake.reply("GetLabel", {"Code": "ServiceUnavailable", "Message": "x"}, status=status, headers={"Retry-After": "2"})  # fmt: skip
    assert session.get_labels() == {}
    assert waits == [2.0]


def test_retry_after_as_an_http_date(bay: Any, fake: FakeService) -> None:
    session = bay.get("s-1").unwrap()
    waits = sleeps_of(bay)
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    fake.reply("GetLabel", {"Code": "Throttling", "Message": "x"}, status=429, headers={"Retry-After": when})
    session.get_labels()
    assert len(waits) == 1 and 25 <= waits[0] <= 30


def test_a_retry_after_beyond_the_cap_gives_up_at_once_and_says_how_long(
    make_bay: Any, fake: FakeService
) -> None:
    bay = make_bay(max_retries=3)
    session = bay.get("s-1").unwrap()
    waits = sleeps_of(bay)
    fake.reply("GetLabel", {"Code": "ServiceUnavailable", "Message": "x"}, status=503, headers={"Retry-After": "3600"})  # fmt: skip
    with pytest.raises(ServerError) as info:
        session.get_labels()
    assert info.value.retry_after == 3600.0 and waits == []
    assert fake.actions().count("GetLabel") == 1


@pytest.mark.parametrize(("status", "error"), [(503, ServerError), (429, RateLimitError)])
def test_retry_after_is_on_the_error(make_bay: Any, fake: FakeService, status: int, error: type) -> None:
    bay = make_bay(max_retries=0)
    fake.reply("CreateMcpSession", {"Code": "Busy", "Message": "x"}, status=status, headers={"Retry-After": "5"})  # fmt: skip
    result = bay.create()
    assert type(result.error) is error and result.error.retry_after == 5.0
    assert fake.actions() == ["CreateMcpSession"]


def test_without_retry_after_the_backoff_is_jittered_and_bounded(make_bay: Any, fake: FakeService) -> None:
    bay = make_bay(max_retries=2)
    session = bay.get("s-1").unwrap()
    waits = sleeps_of(bay)
    for _ in range(2):
        fake.reply("GetLabel", {"Code": "InternalError", "Message": "x"}, status=500)
    session.get_labels()
    assert len(waits) == 2 and 0.25 <= waits[0] <= 0.5 and 0.5 <= waits[1] <= 1.0


# ---- transport errors name their cause -----------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "error", "text"),
    [
        (httpx.ConnectError("connection refused"), APIConnectionError, "ConnectError: connection refused"),
        (httpx.ReadError(""), APIConnectionError, "ReadError("),
        (httpx.RemoteProtocolError("peer closed"), APIConnectionError, "RemoteProtocolError: peer closed"),
        (httpx.ReadTimeout(""), APITimeoutError, "ReadTimeout("),
    ],
)
def test_transport_errors_name_their_cause(
    make_bay: Any, fake: FakeService, exc: Exception, error: type, text: str
) -> None:
    bay = make_bay(max_retries=0)
    fake.fail("ListSession", exc)
    result = bay.list()
    assert type(result.error) is error
    assert text in str(result.error) and "ListSession" in str(result.error)
    assert not str(result.error).endswith(": ")
    assert result.error.__cause__ is exc


def test_a_read_error_on_a_transport_that_reports_no_connection_is_not_retried_for_create(
    bay: Any, fake: FakeService
) -> None:
    # A mock transport reports no connection events: nothing proves the request was not processed.
    fake.fail(
        "CreateMcpSession", httpx.RemoteProtocolError("Server disconnected without sending a response.")
    )
    assert isinstance(bay.create().error, APIConnectionError)
    assert fake.actions() == ["CreateMcpSession"]


# ---- a tiny HTTP/1.1 server on a real socket -------------------------------------------------------

Behaviour = Callable[[int, int, str, socket.socket], bool]
"""(connection number, request number on it, action, socket) -> keep the connection open."""


def _reply(action: str) -> bytes:
    if action == "CreateMcpSession":
        body = envelope({"SessionId": "session-1", "ResourceUrl": "https://r/1", "Success": True})
    elif action == "CallMcpTool":
        body = envelope({"content": [{"type": "text", "text": "ok\n"}], "isError": False})
    elif action == "GetLabel":
        body = envelope({"Labels": "{}"})
    else:
        body = envelope()
    return json.dumps(body).encode()


def answer(sock: socket.socket, action: str) -> None:
    body = _reply(action)
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    sock.sendall(head.encode() + body)


class RawServer:
    """Serves keep-alive connections, one thread each; `behaviour` decides what each request gets."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.requests: list[tuple[int, int, str]] = []
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        number = 0
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(sock, number), daemon=True)
            thread.start()
            self._threads.append(thread)
            number += 1

    def _serve(self, sock: socket.socket, conn: int) -> None:
        buffer = b""
        with sock:
            for number in range(1000):
                while b"\r\n\r\n" not in buffer:
                    data = sock.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                length = next(
                    (int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")),
                    0,
                )  # fmt: skip
                while len(buffer) < length:
                    buffer += sock.recv(65536)
                buffer = buffer[length:]
                action = head.split(b"Action=")[1].split(b"&")[0].decode()
                self.requests.append((conn, number, action))
                if not self.behaviour(conn, number, action, sock):
                    return

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Behaviour], RawServer]]:
    servers: list[RawServer] = []

    def start(behaviour: Behaviour) -> RawServer:
        servers.append(RawServer(behaviour))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def real_bay(flavour: str) -> Iterator[Callable[..., Any]]:
    """A client of the current flavour with its own connection pool (no mock transport)."""
    loop = asyncio.new_event_loop()
    made: list[Any] = []

    def make(endpoint: str, **kwargs: Any) -> Any:
        if flavour == "sync":
            bay: Any = AgentBay(API_KEY, endpoint=endpoint, **kwargs)
            bay._transport.sleep = lambda _s: None
        else:
            abay = AsyncAgentBay(API_KEY, endpoint=endpoint, **kwargs)

            async def no_sleep(_s: float) -> None:
                return None

            abay._transport.sleep = no_sleep
            bay = Synced(abay, loop)
        made.append(bay)
        return bay

    yield make
    for bay in made:
        bay.close()
    loop.close()


def test_a_trickled_reply_times_out_at_the_deadline(real_bay: Any, serve: Any) -> None:
    pieces, gap = 8, 0.4

    def trickle(conn: int, number: int, action: str, sock: socket.socket) -> bool:
        body = _reply(action)
        sock.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode())
        step = len(body) // pieces + 1
        try:
            for i in range(0, len(body), step):
                time.sleep(gap)
                sock.sendall(body[i : i + step])
        except OSError:  # the client gave up
            pass
        return False

    server = serve(trickle)
    bay = real_bay(server.endpoint, timeout=1.0, max_retries=0)
    started = time.monotonic()
    result = bay.list()
    elapsed = time.monotonic() - started
    assert isinstance(result.error, APITimeoutError), result.error
    # The reply needs 8 x 0.4 s; each piece comes well within the 1 s read timeout, so only a deadline
    # for the whole attempt stops it, at about 1.2 s. Generous margin, no timing promise beyond it.
    assert elapsed < pieces * gap * 0.75


@pytest.mark.parametrize("call", ["create", "tool"])
def test_a_pooled_connection_the_server_closed_is_retried_for_every_action(
    real_bay: Any, serve: Any, call: str
) -> None:
    # The race of a server closing an idle keep-alive connection just as the client reuses it: the
    # server takes the connection's second request and closes it unanswered, unread.
    def closes_second(conn: int, number: int, action: str, sock: socket.socket) -> bool:
        if conn == 0 and number == 1:
            return False
        answer(sock, action)
        return True

    server = serve(closes_second)
    bay = real_bay(server.endpoint)
    session = bay.create().unwrap()
    if call == "create":
        result = bay.create()
        assert result.success, result.error
        action = "CreateMcpSession"
    else:
        assert session.command.execute_command("true").success
        action = "CallMcpTool"
    # The second request went out on the pooled connection, was dropped unanswered, and was sent again
    # on a new connection: the service processed it once.
    assert server.requests == [(0, 0, "CreateMcpSession"), (0, 1, action), (1, 0, action)]


def test_a_fresh_connection_closed_unanswered_is_not_retried_for_create(real_bay: Any, serve: Any) -> None:
    server = serve(lambda conn, number, action, sock: False)
    result = real_bay(server.endpoint).create()
    assert isinstance(result.error, APIConnectionError)
    assert "RemoteProtocolError: Server disconnected without sending a response" in str(result.error)
    assert len(server.requests) == 1


def test_idle_connections_expire_before_common_server_idle_timeouts(real_bay: Any) -> None:
    bay = real_bay("http://127.0.0.1:9")
    transport = bay._transport if isinstance(bay, AgentBay) else bay.wrapped._transport
    assert transport._client._transport._pool._keepalive_expiry == KEEPALIVE_EXPIRY < 5
