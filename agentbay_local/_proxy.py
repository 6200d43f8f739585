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
WebSocket upgrades are not proxied.

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

from ._errors import error_body

#: How long the upstream may take to accept a connection, and then to send each part of its reply.
CONNECT_TIMEOUT_S = 10.0
DEFAULT_TIMEOUT_S = 60.0

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


class PortProxy:
    """The ASGI app behind `/sessions/{session_id}/ports/{port}/{path}`, any method.

    `is_running(session_id)` says whether a session exists and is not deleted. The upstream connection
    pool is made on first use and closed by `aclose()`.
    """

    def __init__(self, is_running: Callable[[str], bool], timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self._is_running = is_running
        self._timeout = httpx.Timeout(timeout_s, connect=min(CONNECT_TIMEOUT_S, timeout_s))
        self._client: httpx.AsyncClient | None = None

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
        """Close the upstream connection pool; idempotent."""
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        params: dict[str, Any] = scope["path_params"]
        session_id, port = str(params["session_id"]), parse_port(str(params["port"]))
        if port is None:
            reply = _error(
                scope, 400, "InvalidParameter.Port", "The port must be a decimal between 1 and 65535."
            )
        elif not self._is_running(session_id):
            reply = _error(scope, 404, "InvalidMcpSession.NotFound", "Resource [McpSession] is not found.")
        else:
            upstream = await self._open(Request(scope, receive), session_id, port)
            if isinstance(upstream, httpx.Response):
                await self._relay(upstream, receive, send)
                return
            reply = upstream
        await reply(scope, receive, send)

    async def _open(self, request: Request, session_id: str, port: int) -> httpx.Response | Response:
        """Send the request upstream; its response (body not read yet), or the error reply."""
        scope = request.scope
        # The path as the client sent it (percent-encoding kept), past /sessions/{id}/ports/{port}.
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
        parts = raw_path.split(b"/", 5)
        target = b"/" + (parts[5] if len(parts) > 5 else b"")
        query: bytes = scope.get("query_string", b"")
        if query:
            target += b"?" + query
        url = httpx.URL(f"http://127.0.0.1:{port}").copy_with(raw_path=target)
        headers = _end_to_end(list(scope["headers"]), frozenset({"host"}) | _FORWARDED)
        client = scope.get("client")
        forwarded_for = request.headers.get("x-forwarded-for")
        peer = str(client[0]) if client else "unknown"
        headers = [(name, value) for name, value in headers if name.lower() != b"x-forwarded-for"]
        headers += [
            (b"x-forwarded-for", (f"{forwarded_for}, {peer}" if forwarded_for else peer).encode("latin-1")),
            (b"x-forwarded-proto", str(scope.get("scheme", "http")).encode("latin-1")),
            (b"x-forwarded-prefix", f"/sessions/{session_id}/ports/{port}".encode("latin-1")),
        ]
        if "host" in request.headers:
            headers.append((b"x-forwarded-host", request.headers["host"].encode("latin-1")))
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
