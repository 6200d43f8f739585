"""GetLink's port URLs: `/sessions/{id}/ports/{port}/{path}` forwarded to `http://127.0.0.1:{port}/{path}`.

Session processes share the host's network, so a process of the session listening on 127.0.0.1:PORT
(or 0.0.0.0:PORT) is reached there. Any method is forwarded, with the query string as sent, the request
and response bodies streamed both ways, and the status and headers copied except the hop-by-hop ones
(RFC 9110 section 7.6.1, and those the `Connection` header names). The upstream sees `Host:
127.0.0.1:PORT`, plus `X-Forwarded-For`, `-Host`, `-Proto` and `-Prefix` (`/sessions/{id}/ports/{port}`)
for applications that build absolute links; nothing else is added or rewritten, `Location` included.

As in the cloud, the link is the capability: no API key is asked for. The session must exist and
not be deleted (else 404, before anything is contacted); the port must be 1..65535 (else 400); nothing
listening is a 502 and an upstream that does not answer in time a 504, each a POP error JSON body.

A WebSocket upgrade (a CDP client on a browser's DevTools URL) is tunnelled: a WebSocket is opened to
`ws://127.0.0.1:PORT/{path}` with the client's subprotocols and end-to-end headers (Origin included)
plus the X-Forwarded ones, then text and binary messages go through as they come, both ways, and a
close from either side reaches the other with its code and reason (a lost upstream is 1014). An
upstream that refuses the upgrade is answered to the client as it answered (status, headers, body);
the errors above are HTTP answers to the upgrade, as for a request. Deleting the session (or
stopping the server) closes its tunnels, both sides with 1001 and the reason.

The session's network is the host's: a link reaches any port of 127.0.0.1, not only those of the
session's own processes (as the processes themselves can). Keep the server on 127.0.0.1 (the
default) unless every holder of a link may reach this machine's local services.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import anyio
import httpx
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
from websockets.typing import Subprotocol

from ._errors import error_body

#: How long the upstream may take to accept a connection, and then to send each part of its reply.
CONNECT_TIMEOUT_S = 10.0
DEFAULT_TIMEOUT_S = 60.0
#: How long closing a WebSocket may wait for the other side's close frame.
CLOSE_TIMEOUT_S = 5.0
#: The largest WebSocket message taken from an upstream (CDP screenshots are MBs); the ASGI server's
#: own limit (uvicorn's ws_max_size) bounds the client's.
MAX_MESSAGE_BYTES = 256 * 1024 * 1024

_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
_FORWARDED = frozenset({"x-forwarded-host", "x-forwarded-proto", "x-forwarded-prefix"})
# Made by the WebSocket client for the upstream handshake, never copied from the client's.
_HANDSHAKE = frozenset(
    {"sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol"}
)
# Close codes a close frame may carry below 3000 (RFC 6455 section 7.4.1; 1014: bad gateway).
_CLOSE_CODES = frozenset({1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014})
# X-Forwarded-Proto names the web scheme a WebSocket came in on, as for a request.
_SCHEMES = {"ws": "http", "wss": "https"}


def parse_port(text: str) -> int | None:
    """The port a URL names, or None unless it is a decimal 1..65535."""
    if not (text.isascii() and text.isdigit()) or len(text) > 5:
        return None
    port = int(text)
    return port if 1 <= port <= 65535 else None


def _error(scope: Scope, status: int, code: str, message: str) -> Response:
    server = scope.get("server")
    body = error_body(str(uuid.uuid4()).upper(), str(server[0]) if server else "127.0.0.1", code, message)
    return Response(json.dumps(body).encode("ascii"), status, media_type="application/json")


def _end_to_end(
    raw: list[tuple[bytes, bytes]], also_drop: frozenset[str] = frozenset()
) -> list[tuple[bytes, bytes]]:
    """`raw` headers without the hop-by-hop ones (and `also_drop`)."""
    named = {
        token.strip().lower()
        for name, value in raw
        if name.lower() == b"connection"
        for token in value.decode("latin-1").split(",")
    }
    drop = _HOP_BY_HOP | named | also_drop
    return [(name, value) for name, value in raw if name.decode("latin-1").lower() not in drop]


def _target(scope: Scope) -> bytes:
    """The upstream request target: the path as the client sent it (percent-encoding kept), past
    /sessions/{id}/ports/{port}, and the query string."""
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
    parts = raw_path.split(b"/", 5)
    target = b"/" + (parts[5] if len(parts) > 5 else b"")
    query: bytes = scope.get("query_string", b"")
    return target + b"?" + query if query else target


def _upstream_headers(
    scope: Scope, session_id: str, port: int, also_drop: frozenset[str] = frozenset()
) -> list[tuple[bytes, bytes]]:
    """The client's end-to-end headers (without `Host` and `also_drop`), plus the X-Forwarded ones."""
    raw: list[tuple[bytes, bytes]] = list(scope["headers"])
    headers = _end_to_end(raw, frozenset({"host", "x-forwarded-for"}) | _FORWARDED | also_drop)
    forwarded_for = b", ".join(value for name, value in raw if name.lower() == b"x-forwarded-for")
    client = scope.get("client")
    peer = (str(client[0]) if client else "unknown").encode("latin-1")
    scheme = str(scope.get("scheme", "http"))
    headers += [
        (b"x-forwarded-for", forwarded_for + b", " + peer if forwarded_for else peer),
        (b"x-forwarded-proto", _SCHEMES.get(scheme, scheme).encode("latin-1")),
        (b"x-forwarded-prefix", f"/sessions/{session_id}/ports/{port}".encode("latin-1")),
    ]
    headers += [(b"x-forwarded-host", value) for name, value in raw if name.lower() == b"host"][:1]
    return headers


class PortProxy:
    """The ASGI app behind `/sessions/{session_id}/ports/{port}/{path}`, any method.

    `is_running(session_id)` says whether a session exists and is not deleted. The upstream connection
    pool is made on first use and closed by `aclose()`.
    """

    def __init__(self, is_running: Callable[[str], bool], timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self._is_running = is_running
        self._timeout = httpx.Timeout(timeout_s, connect=min(CONNECT_TIMEOUT_S, timeout_s))
        self._timeout_s = timeout_s
        self._client: httpx.AsyncClient | None = None
        self._tunnels: dict[str, set[_Tunnel]] = {}

    def _pool(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                trust_env=False,  # never through a proxy from the environment: this is 127.0.0.1
                follow_redirects=False,
                timeout=self._timeout,
                limits=httpx.Limits(max_connections=512, max_keepalive_connections=32),
            )
        return self._client

    async def aclose(self) -> None:
        """End the WebSocket tunnels (1001) and close the upstream connection pool; idempotent."""
        await _end_all([t for tunnels in self._tunnels.values() for t in tunnels], "The server is stopping.")
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    async def close_session(self, session_id: str) -> None:
        """End the session's WebSocket tunnels, both sides with 1001 and a reason (its HTTP requests
        end with its processes); returns once they are closed, in seconds at most."""
        await _end_all(list(self._tunnels.get(session_id, ())), "The session was deleted.")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        params: dict[str, Any] = scope["path_params"]
        session_id, port = str(params["session_id"]), parse_port(str(params["port"]))
        if port is None:
            reply = _error(
                scope, 400, "InvalidParameter.Port", "The port must be a decimal between 1 and 65535."
            )
        elif not self._is_running(session_id):
            reply = _not_found(scope)
        elif scope["type"] == "websocket":
            await self._tunnel(scope, receive, send, session_id, port)
            return
        else:
            upstream = await self._open(Request(scope, receive), session_id, port)
            if isinstance(upstream, httpx.Response):
                await self._relay(upstream, receive, send)
                return
            reply = upstream
        if scope["type"] == "websocket":
            await _Tunnel(scope, send).refuse(reply)
        else:
            await reply(scope, receive, send)

    # ---- WebSocket ---------------------------------------------------------------------------------

    async def _tunnel(self, scope: Scope, receive: Receive, send: Send, session_id: str, port: int) -> None:
        """A WebSocket upgrade: a WebSocket opened to the same target on the port, then every message
        forwarded as it comes, both ways, until one side closes (the other gets its close code and
        reason) or the session is deleted."""
        if (await receive())["type"] != "websocket.connect":
            return
        tunnel = _Tunnel(scope, send)
        tunnels = self._tunnels.setdefault(session_id, set())
        tunnels.add(tunnel)
        if not self._is_running(session_id):  # deleted since the check, before close_session saw this
            tunnel.end("The session was deleted.")
        try:
            with tunnel.cancel:
                upstream = await self._connect(scope, session_id, port)
                if isinstance(upstream, Response):
                    await tunnel.refuse(upstream)
                    return
                await tunnel.run(upstream, receive)
        finally:
            await tunnel.finish()
            tunnels.discard(tunnel)
            if not tunnels and self._tunnels.get(session_id) is tunnels:
                del self._tunnels[session_id]

    async def _connect(self, scope: Scope, session_id: str, port: int) -> ClientConnection | Response:
        """The upstream WebSocket, or the error reply (the upstream's own if it refused the upgrade)."""
        target = _target(scope).decode("latin-1")
        # websockets makes the handshake's own headers (Host, Sec-WebSocket-*); the client's others
        # (Origin, cookies, User-Agent...) go through as they came.
        headers = _upstream_headers(scope, session_id, port, _HANDSHAKE)
        where = f"port {port} of session {session_id}"
        try:
            return await ws_connect(
                f"ws://127.0.0.1:{port}{target}",
                subprotocols=[Subprotocol(name) for name in scope.get("subprotocols", [])] or None,
                additional_headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers],
                user_agent_header=None,
                proxy=None,  # never through a proxy from the environment: this is 127.0.0.1
                compression=None,  # loopback: deflating would only cost CPU
                open_timeout=self._timeout_s,
                ping_interval=None,  # loopback: nothing to keep alive
                close_timeout=CLOSE_TIMEOUT_S,
                max_size=MAX_MESSAGE_BYTES,
                max_queue=4,  # read-ahead per tunnel, in messages: bounds memory with MAX_MESSAGE_BYTES
            )
        except InvalidStatus as refused:  # an HTTP answer other than 101: the client gets it as it is
            answer = refused.response
            if not 200 <= answer.status_code < 600:  # an ASGI server sends only these in its place
                return _error(
                    scope, 502, "Proxy.BadGateway", f"The server on {where} answered {answer.status_code}."
                )
            reply = Response(bytes(answer.body or b""), answer.status_code)
            reply.raw_headers = _end_to_end(
                [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers.raw_items()]
            )
            return reply
        except ConnectionRefusedError:
            return _error(
                scope, 502, "Proxy.ConnectionRefused", f"Nothing is listening on {where} (127.0.0.1:{port})."
            )
        except TimeoutError:
            return _error(scope, 504, "Proxy.Timeout", f"The server on {where} did not answer in time.")
        except (OSError, WebSocketException) as error:
            return _error(
                scope,
                502,
                "Proxy.BadGateway",
                f"The server on {where} failed: {error or type(error).__name__}.",
            )

    # ---- HTTP --------------------------------------------------------------------------------------

    async def _open(self, request: Request, session_id: str, port: int) -> httpx.Response | Response:
        """Send the request upstream; its response (body not read yet), or the error reply."""
        scope = request.scope
        url = httpx.URL(f"http://127.0.0.1:{port}").copy_with(raw_path=_target(scope))
        headers = _upstream_headers(scope, session_id, port)
        has_body = "content-length" in request.headers or "transfer-encoding" in request.headers
        outgoing = httpx.Request(
            request.method,
            url,
            headers=headers,
            content=request.stream() if has_body else None,
            extensions={"timeout": self._timeout.as_dict()},
        )
        where = f"port {port} of session {session_id}"
        try:
            return await self._pool().send(outgoing, stream=True)
        except httpx.ConnectError:
            return _error(
                scope, 502, "Proxy.ConnectionRefused", f"Nothing is listening on {where} (127.0.0.1:{port})."
            )
        except httpx.TimeoutException:
            return _error(scope, 504, "Proxy.Timeout", f"The server on {where} did not answer in time.")
        except httpx.TransportError as error:
            return _error(
                scope,
                502,
                "Proxy.BadGateway",
                f"The server on {where} failed: {error or type(error).__name__}.",
            )
        except ClientDisconnect:
            return _error(scope, 400, "ClientDisconnected", "The client went away while sending the request.")

    async def _relay(self, upstream: httpx.Response, receive: Receive, send: Send) -> None:
        """Stream the upstream response to the client; stop (and close the upstream) if it goes away."""
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": upstream.status_code,
                    "headers": _end_to_end(upstream.headers.raw),
                }
            )
            broken: httpx.TransportError | None = None
            async with anyio.create_task_group() as group:

                async def watch_disconnect() -> None:
                    while (await receive())["type"] != "http.disconnect":
                        pass
                    group.cancel_scope.cancel()

                group.start_soon(watch_disconnect)
                try:
                    async for chunk in upstream.aiter_raw():
                        await send({"type": "http.response.body", "body": chunk, "more_body": True})
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                except httpx.TransportError as error:
                    broken = error
                group.cancel_scope.cancel()
            if broken is not None:
                # Too late for a 502: the status has gone out. Raising makes the ASGI server cut the
                # connection (and log why), rather than end the body cleanly: the client sees that
                # the response is incomplete.
                raise broken
        finally:
            with anyio.CancelScope(shield=True):
                await upstream.aclose()


def _not_found(scope: Scope) -> Response:
    return _error(scope, 404, "InvalidMcpSession.NotFound", "Resource [McpSession] is not found.")


def _sendable(code: int | None, otherwise: int) -> int:
    """`code` if a close frame may carry it (RFC 6455 section 7.4), 1000 for none, else `otherwise`."""
    if code is None or code == 1005:  # closed without a code: the nearest is a normal close
        return 1000
    return code if code in _CLOSE_CODES or 3000 <= code <= 4999 else otherwise


async def _end_all(tunnels: list[_Tunnel], reason: str) -> None:
    for tunnel in tunnels:
        tunnel.end(reason)
    for tunnel in tunnels:
        await tunnel.ended.wait()


class _Tunnel:
    """One forwarded WebSocket: the client's side (ASGI `send`) and, once open, the upstream's."""

    def __init__(self, scope: Scope, send: Send) -> None:
        self._scope, self._send = scope, send
        #: Cancelled by `end()`; `ended` is set once both sides are closed.
        self.cancel = anyio.CancelScope()
        self.ended = anyio.Event()
        self._upstream: ClientConnection | None = None
        self._answered = False  # accepted or refused
        self._client_closed: tuple[int, str] | None = None  # the client's close code and reason
        self._ending: str | None = None  # why the proxy ends it (the session was deleted...)

    def end(self, reason: str) -> None:
        """Close both sides with 1001 and `reason` (or refuse the upgrade, if not accepted yet)."""
        if self._ending is None:
            self._ending = reason
        self.cancel.cancel()

    async def refuse(self, reply: Response) -> None:
        """Answer the upgrade with an HTTP response (the ASGI server refuses it with 403 if it cannot
        send one)."""
        self._answered = True
        if "websocket.http.response" in self._scope.get("extensions", {}):
            start = {"type": "websocket.http.response.start", "status": reply.status_code}
            await self._send({**start, "headers": reply.raw_headers})
            await self._send({"type": "websocket.http.response.body", "body": bytes(reply.body)})
        else:
            await self._send({"type": "websocket.close", "code": 1008})

    async def run(self, upstream: ClientConnection, receive: Receive) -> None:
        """Accept the client and forward messages until either side closes."""
        self._upstream = upstream
        await self._send({"type": "websocket.accept", "subprotocol": upstream.subprotocol})
        self._answered = True
        async with anyio.create_task_group() as group:

            async def downstream() -> None:
                await self._to_client(upstream)
                group.cancel_scope.cancel()

            group.start_soon(downstream)
            if await self._to_upstream(receive, upstream):
                group.cancel_scope.cancel()
            # Else the upstream closed: the client gets what it sent before its close, then the close.

    async def _to_upstream(self, receive: Receive, upstream: ClientConnection) -> bool:
        """Forward the client's messages; True once the client closed, False if the upstream did."""
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                self._client_closed = (int(message.get("code", 1005)), str(message.get("reason") or ""))
                return True
            if message["type"] == "websocket.receive":
                data = message.get("bytes")
                try:
                    await upstream.send(data if data is not None else str(message["text"]))
                except ConnectionClosed:
                    return False

    async def _to_client(self, upstream: ClientConnection) -> None:
        """Forward the upstream's messages until it closes (or the client went away)."""
        try:
            async for message in upstream:
                kind = "text" if isinstance(message, str) else "bytes"
                await self._send({"type": "websocket.send", kind: message})
        except (ConnectionClosed, OSError):  # OSError: the client is gone (the ASGI server says so)
            pass

    async def finish(self) -> None:
        """Close whichever side is still open, passing on the other's close code and reason; bounded
        in time, and done even when the tunnel is cancelled."""
        with anyio.move_on_after(CLOSE_TIMEOUT_S + 1, shield=True):
            try:
                upstream = self._upstream
                if upstream is None:  # never accepted
                    if not self._answered and self._ending is not None:  # deleted while connecting
                        await self.refuse(_not_found(self._scope))
                    return
                code, reason = self._client_closed or (1001, self._ending or "")
                await upstream.close(_sendable(code, 1001), reason)  # a no-op if the upstream closed first
                if self._client_closed is None:
                    if self._ending is not None:
                        code, reason = 1001, self._ending
                    else:
                        code, reason = upstream.close_code or 1005, upstream.close_reason or ""
                        if _sendable(code, 1014) != code and code != 1005:  # 1006: no close frame came
                            reason = "The connection to the upstream was lost."
                    close = {"type": "websocket.close", "code": _sendable(code, 1014), "reason": reason}
                    await self._send(close)
            except OSError:  # the client went away meanwhile
                pass
            finally:
                self.ended.set()
