"""`LocalServer`: the app under uvicorn, in a background thread (tests, the demo) or in the foreground
until SIGINT/SIGTERM (the CLI); beside it, on a port of its own, the local object store
(`agentbay_local.objectstore`).

Both are uvicorn servers in ONE event loop on the one thread: the store does its disk work in worker
threads, so its loop only moves bytes, and a second thread would only add a second loop to start,
stop and keep in step. A port of its own (rather than routes under the API's) because OSS clients
address buckets as the first path segment (`http://host:port/<bucket>/<key>`).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, Self

import uvicorn

from ._app import LocalService, build_app, resolve_keys
from ._proxy import DEFAULT_TIMEOUT_S, MAX_MESSAGE_BYTES
from .objectstore import create_objectstore_app

_START_TIMEOUT = 15.0
_STOP_TIMEOUT = 10.0
KEEP_ALIVE_S = 60
"""How long an idle keep-alive connection stays open."""


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket bound here, so the real port is known before uvicorn starts (port 0)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be IPPROTO_TCP, not 0: asyncio only sets TCP_NODELAY on accepted sockets whose proto
    # says TCP, and without it Nagle + delayed ACK add ~40 ms to every keep-alive reply.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise OSError(exc.errno, f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    except BaseException:
        sock.close()
        raise
    return sock


def _url(host: str, port: int) -> str:
    """`http://HOST:PORT` as a client on this machine reaches a socket bound to `host`."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _serve_all(servers: list[tuple[uvicorn.Server, socket.socket]]) -> None:
    """Run the servers in one event loop until one of them ends; then stop the others."""

    async def main() -> None:
        tasks = [asyncio.ensure_future(server.serve(sockets=[sock])) for server, sock in servers]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for server, _ in servers:
                server.should_exit = True
            await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(main())


class LocalServer:
    """A local AgentBay server on `host:port` (0: a free port) with its state in `state_dir`.

    ```python
    with LocalServer(tmp_path, api_keys=["akm-test"]) as server:
        ...  # AGENTBAY_ENDPOINT=server.endpoint
    ```

    The keys are settled at construction: `api_keys` as given, or the server's own key
    (`generated_key`, kept in `<state_dir>/api_key`) when None. `proxy_timeout`: how long (seconds) a
    session's server behind a GetLink port URL may take to answer before the proxy gives up (504).
    Stopping the server kills every process the sessions still run.

    The local object store (OSS's API, accounts = the API keys) listens on `host:oss_port` (0: a free
    port): `oss_endpoint` once started.
    """

    def __init__(
        self,
        state_dir: str | os.PathLike[str],
        api_keys: Iterable[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        public_url: str | None = None,
        proxy_timeout: float = DEFAULT_TIMEOUT_S,
        oss_port: int = 0,
    ) -> None:
        self.state_dir = Path(state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._keys = resolve_keys(self.state_dir, api_keys)
        #: The accepted keys; the generated key alone when none were given.
        self.api_keys: list[str] = list(self._keys.owners)
        #: The server's own key when no keys were given (print it for the user), else None.
        self.generated_key: str | None = self._keys.generated
        self.host = host
        self.port = port
        self.oss_port = oss_port
        self.public_url = public_url
        self.proxy_timeout = proxy_timeout
        self._service: LocalService | None = None
        self._servers: list[uvicorn.Server] = []
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._oss_socket: socket.socket | None = None
        self._bound: socket.socket | None = None
        """A socket `run` bound before anything was created; `start` listens on it."""
        self._oss_bound: socket.socket | None = None

    @property
    def endpoint(self) -> str:
        """`http://HOST:PORT`, what to set as `AGENTBAY_ENDPOINT`; valid once started."""
        if self._socket is None:
            raise RuntimeError("the server is not running")
        return _url(self.host, self.port)

    @property
    def oss_endpoint(self) -> str:
        """`http://HOST:OSS_PORT`, the local object store's endpoint for an OSS client (`oss2`);
        valid once started. Sessions reach the store at this URL too (they share the network)."""
        if self._oss_socket is None:
            raise RuntimeError("the server is not running")
        return _url(self.host, self.oss_port)

    @property
    def running(self) -> bool:
        """Whether the server thread is serving."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> Self:
        """Bind, start serving in a daemon thread, and return once requests are answered."""
        if self._thread is not None:
            raise RuntimeError("the server is already running")
        sock, self._bound = self._bound or _bind(self.host, self.port), None
        self.port = sock.getsockname()[1]
        try:
            oss_sock, self._oss_bound = self._oss_bound or _bind(self.host, self.oss_port), None
        except BaseException:
            sock.close()
            raise
        self.oss_port = oss_sock.getsockname()[1]
        try:
            service = LocalService(
                self.state_dir, self._keys, public_url=self.public_url, proxy_timeout=self.proxy_timeout
            )
            # The store's URL as a session reaches it: sessions share the host's network.
            service.actions.oss_endpoint = _url(self.host, self.oss_port)
            store = create_objectstore_app(self.state_dir, self._keys.owners)
        except BaseException:
            sock.close()
            oss_sock.close()
            raise
        servers = [uvicorn.Server(_config(build_app(service))), uvicorn.Server(_config(store))]
        thread = threading.Thread(
            target=_serve_all,
            args=(list(zip(servers, [sock, oss_sock], strict=True)),),
            name="agentbay-local-server",
            daemon=True,
        )
        self._service, self._servers, self._thread = service, servers, thread
        self._socket, self._oss_socket = sock, oss_sock
        thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not all(server.started for server in servers):
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the local AgentBay server failed to start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        """Stop serving, wait for the thread, kill the sessions' processes, close the database;
        idempotent."""
        servers, thread, service = self._servers, self._thread, self._service
        sockets = [self._socket, self._oss_socket]
        self._servers, self._thread, self._service = [], None, None
        self._socket = self._oss_socket = None
        if thread is not None:
            for server in servers:
                server.should_exit = True
            thread.join(_STOP_TIMEOUT)
            if thread.is_alive():  # a stuck request: stop waiting for it
                for server in servers:
                    server.force_exit = True
                thread.join(_STOP_TIMEOUT)
        if service is not None:
            service.close()
        for sock in sockets:
            if sock is not None:
                sock.close()

    def serve_forever(self, ready: Callable[[LocalServer], None] | None = None) -> None:
        """Serve until SIGINT or SIGTERM (or until the server dies), then stop cleanly.

        `ready(server)` is called once the server answers, e.g. to print the endpoint and key.
        Signals are only caught when called from the main thread.
        """
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        previous: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.start()
            if ready is not None:
                ready(self)
            # A short wait in a loop: signal handlers run between waits, and a dead thread ends it.
            while not stop.wait(0.2) and self.running:
                pass
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.endpoint if self._socket is not None else "stopped"
        return f"LocalServer({str(self.state_dir)!r}, {where})"


def _config(app: object) -> uvicorn.Config:
    return uvicorn.Config(
        app,  # type: ignore[arg-type]
        log_config=None,  # an embedded server leaves the process's logging alone
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
        # uvicorn's default (5 s) equals httpx's idle expiry, so a client could send on a pooled
        # connection the server was closing at that moment. Clients expire theirs well before this.
        timeout_keep_alive=KEEP_ALIVE_S,
        # WebSockets (port URLs, e.g. a browser's DevTools): no permessage-deflate, which a CDP client
        # offers and which would compress every message on the one event loop (a 10 MB screenshot
        # reply took 0.46 s instead of 0.04 s, every other session waiting); the tunnel's own
        # message limit both ways (uvicorn's default, 16 MiB, is below a big screenshot's).
        ws_per_message_deflate=False,
        ws_max_size=MAX_MESSAGE_BYTES,
    )


def run(
    state_dir: str | os.PathLike[str],
    api_keys: Iterable[str] | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    oss_port: int = 0,
    ready: Callable[[LocalServer], None] | None = None,
) -> None:
    """Serve in the foreground until SIGINT/SIGTERM: the entry point for `agentbay local serve`.

    The ports are bound first, so that a port in use fails (OSError) before the state directory or a
    key is created.
    """
    sock = _bind(host, port)
    try:
        oss_sock = _bind(host, oss_port)
    except BaseException:
        sock.close()
        raise
    try:
        server = LocalServer(
            state_dir, api_keys, host, sock.getsockname()[1], oss_port=oss_sock.getsockname()[1]
        )
    except BaseException:
        sock.close()
        oss_sock.close()
        raise
    server._bound, server._oss_bound = sock, oss_sock
    server.serve_forever(ready)
