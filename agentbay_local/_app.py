"""The HTTP side: the Starlette app that speaks the POP RPC wire (protocol.md section 2).

`POST /?Action=<A>&Format=json&Version=2025-05-06&...` with a form body carrying
`Authorization=Bearer <key>` and the action's fields. Query fields other than the protocol's own are
accepted as parameters too (SyncContext sends `Authorization` there, 0.22.3's GetSessionDetail
`SessionId`); a form field wins over a query field of the same name.

Every reply is JSON. Any exception below the endpoint becomes a POP error body: an `ApiError` with its
status, anything else a 500 `InternalError`. Bad input is always an `ApiError` (4xx), never a 500.

GetLink's URLs are served too, without a key: `GET /sessions/{id}/` describes the session, and
`/sessions/{id}/ports/{port}/{path}` forwards any request, WebSockets too, to that port of the session
(`_proxy`).
So are the upload and download URLs of context files, `/contexts/files/{token}` (`contexts/_urls.py`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Scope

from . import browser, desktop, watch
from ._actions import ACTIONS, Actions, Call
from ._call import Handler
from ._errors import (
    ApiError,
    error_body,
    invalid_action,
    invalid_parameter,
    missing_parameter,
    not_login,
    session_not_found,
)
from ._form import parse_form
from ._proxy import DEFAULT_TIMEOUT_S, PortProxy
from ._store import RUNNING, Store, hash_key, load_or_create_key
from ._tools import TOOL_HANDLERS, ToolHandler, ToolIndex
from .contexts import URL_PATH, ContextActions, ContextStore, ContextUrls
from .contexts._internal import InternalContexts
from .contexts._sync import SyncActions
from .sandbox import check_sandbox, end_all

logger = logging.getLogger("agentbay_local")

#: Largest accepted request body. Big enough for any write_file chunk the SDKs send (50 KiB) many
#: times over; small enough that a runaway client cannot exhaust memory.
MAX_BODY_BYTES = 16 * 1024 * 1024
_MAX_FORM_FIELDS = 1000
# How much of an oversized body is still read (and dropped) so that the client gets its 413.
_LINGER_BYTES = 64 * 1024 * 1024
_VERSION = "2025-05-06"
# Protocol fields of the query string; the rest of the query is action parameters.
_PROTOCOL_FIELDS = frozenset({"Action", "Format", "Version", "Timestamp", "SignatureNonce"})
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_NONCE = re.compile(r"[0-9a-f]{32}")


def _check_freshness(timestamp: str | None, nonce: str | None) -> None:
    """POP requires both on every call, in the spec's form; every official SDK sends them so."""
    if timestamp is None:
        raise missing_parameter("Timestamp")
    if not _TIMESTAMP.fullmatch(timestamp):
        raise ApiError(
            400, "InvalidTimeStamp.Format", "Timestamp must be UTC in the form YYYY-MM-DDThh:mm:ssZ."
        )
    try:
        datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise ApiError(400, "InvalidTimeStamp.Format", "Timestamp is not a real date and time.") from None
    if nonce is None:
        raise missing_parameter("SignatureNonce")
    if not _NONCE.fullmatch(nonce):
        raise invalid_parameter("SignatureNonce", "SignatureNonce must be 32 lowercase hex digits.")


_FORM_TYPE = "application/x-www-form-urlencoded"
_BEARER = "Bearer "


@dataclass(frozen=True, slots=True)
class Keys:
    """The API keys the server accepts, by value, with the digest their sessions are stored under."""

    owners: Mapping[str, str]
    generated: str | None


def resolve_keys(state_dir: Path, api_keys: Iterable[str] | None) -> Keys:
    """The given keys; with none given, the server's own key, generated on the first start.

    The given keys replace the generated one rather than adding to it: what a server accepts is
    exactly what it was told to accept, so dropping a key from the configuration revokes it.
    """
    if isinstance(api_keys, str):  # one key, not an iterable of its characters
        api_keys = [api_keys]
    given = [key for key in (api_keys or ()) if key]
    if api_keys is not None and not given:
        raise ValueError("api_keys must contain at least one non-empty key (or be None to generate one)")
    generated = None if given else load_or_create_key(state_dir)
    keys = given or [generated or ""]
    for key in keys:
        if key != key.strip() or any(ch.isspace() for ch in key):
            raise ValueError("API keys must not contain whitespace")
    return Keys(owners={key: hash_key(key) for key in keys}, generated=generated)


class LocalService:
    """The state behind one app: store, keys, tools, the port proxy. `close()` kills the sessions'
    processes and releases the database; `aclose()` also closes the proxy's connection pool."""

    def __init__(
        self,
        state_dir: Path,
        keys: Keys,
        *,
        public_url: str | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
        tool_handlers: Mapping[str, ToolHandler] | None = None,
        proxy_timeout: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self.state_dir = state_dir
        self.keys = keys
        self.public_url = public_url.rstrip("/") if public_url else None
        self.max_body_bytes = max_body_bytes
        self.store = Store(self.state_dir)
        self.store.register_keys(
            {digest: key == self.keys.generated for key, digest in self.keys.owners.items()}
        )
        # The module-level registry by reference: tools registered later are still found.
        handlers = TOOL_HANDLERS if tool_handlers is None else tool_handlers
        self.contexts = ContextStore(self.store)
        self.actions = Actions(self.store, ToolIndex(), handlers, self.contexts)
        self.context_urls = ContextUrls(self.contexts)
        #: Every Action answered, bound to its state: the core ones, then each capability's.
        self.routes: dict[str, Handler] = {name: partial(fn, self.actions) for name, fn in ACTIONS.items()}
        self.routes.update(ContextActions(self.contexts).routes())
        self.routes.update(SyncActions(self.actions.sync).routes())
        self.routes.update(InternalContexts(self.store, self.contexts).routes(self.routes))
        self.routes.update(browser.BrowserActions(self.store).routes())
        self.proxy = PortProxy(self.store.exists_running, proxy_timeout)
        self.actions.on_delete.append(self.proxy.close_session)
        self.screen_urls = desktop.ScreenUrls(self.store.sessions_dir, self.store.exists_running)
        self._closed = False

    def restore_desktops(self) -> None:
        """Start the displays of the running desktop sessions again (a server started on existing
        state); blocks, up to seconds per session. Says at start-up when desktops cannot run here."""
        missing = desktop.missing_packages()
        if missing:
            logger.warning("%s", desktop.unavailable_message(missing))
        images = sorted(desktop.DESKTOP_IMAGES)
        with self.store.locked() as db:
            rows = db.execute(
                f"SELECT id FROM sessions WHERE status = 'RUNNING' AND image_id IN ({','.join('?' * len(images))})",
                images,
            ).fetchall()
        desktop.restore([self.store.session_dir(row[0]) for row in rows], self.public_url or "")

    def close(self) -> None:
        """Kill every process of every session (they are not deleted: a server started again on this
        state runs their commands), then close the database; idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            end_all(self.store.sessions_dir)
            watch.end_all(self.store.sessions_dir)
            desktop.stop_all(self.store.sessions_dir)
            browser.forget_all(self.store.sessions_dir)  # end_all killed them
        finally:
            self.store.close()

    async def aclose(self) -> None:
        """`close()`, and close the proxy's connection pool; idempotent. Sync tasks still running are
        cancelled first (a context file being written is then discarded, never left half-written)."""
        try:
            await self.actions.sync.cancel()
            await self.proxy.aclose()
        finally:
            await run_in_threadpool(self.close)

    # ---- HTTP ------------------------------------------------------------------------------------

    async def endpoint(self, request: Request) -> Response:
        """`POST /`: one POP RPC call."""
        request_id = str(uuid.uuid4()).upper()
        try:
            reply = await self._dispatch(request)
        except ApiError as exc:
            headers = {"Connection": "close"} if exc.status == 413 else None
            return _json(
                exc.status, error_body(request_id, _host_id(request.scope), exc.code, exc.message), headers
            )
        except ClientDisconnect:
            return _json(400, error_body(request_id, _host_id(request.scope), "ClientDisconnected", ""))
        except Exception:
            logger.exception("internal error in %s", request.query_params.get("Action"))
            return _internal_error(request_id, request.scope)
        body: dict[str, Any] = {
            "Code": "ok",
            "HttpStatusCode": 200,
            "Message": "success",
            "RequestId": request_id,
            "Success": True,
        }
        body.update(reply)
        return _json(200, body)

    async def session_link(self, request: Request) -> Response:
        """`GET /sessions/{id}/`: GetLink's URL without a port, a small description of the session
        (no key needed, like the port URLs: the id is the capability)."""
        session_id = str(request.path_params["session_id"])
        if not self.store.exists_running(session_id):
            error = session_not_found()
            body = error_body(str(uuid.uuid4()).upper(), _host_id(request.scope), error.code, error.message)
            return _json(404, body)
        base = f"{self.public_url or _base_url(request.scope)}/sessions/{session_id}/"
        return _json(
            200, {"SessionId": session_id, "Status": RUNNING, "Url": base, "PortUrl": base + "ports/{port}/"}
        )

    async def _dispatch(self, request: Request) -> dict[str, Any]:
        query = request.query_params
        version = query.get("Version")
        if version is not None and version != _VERSION:
            raise ApiError(400, "InvalidVersion", f"Version must be {_VERSION}.")
        fmt = query.get("Format")
        if fmt is not None and fmt.lower() != "json":
            raise invalid_parameter("Format", "Format must be json.")
        _check_freshness(query.get("Timestamp"), query.get("SignatureNonce"))
        form = await self._read_form(request)
        action_name = query.get("Action")
        if not action_name:
            raise missing_parameter("Action")
        action = self.routes.get(action_name)
        if action is None:
            raise invalid_action(action_name[:100])
        params = {key: value for key, value in query.items() if key not in _PROTOCOL_FIELDS}
        params.update(form)
        authorization = params.get("Authorization", "")
        owner = (
            self.keys.owners.get(authorization[len(_BEARER) :]) if authorization.startswith(_BEARER) else None
        )
        if owner is None:
            raise not_login()
        call = Call(owner=owner, params=params, base_url=self.public_url or _base_url(request.scope))
        return await action(call)

    async def _read_form(self, request: Request) -> dict[str, str]:
        """The form body, size-limited and strictly decoded."""
        content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if content_type not in ("", _FORM_TYPE):
            raise ApiError(415, "UnsupportedMediaType", f"The request body must be {_FORM_TYPE}.")
        too_large = ApiError(413, "RequestTooLarge", f"The request body exceeds {self.max_body_bytes} bytes.")
        stream = request.stream()
        declared = request.headers.get("content-length")
        if (
            declared is not None
            and declared.isascii()
            and declared.isdigit()
            and int(declared) > self.max_body_bytes
        ):
            await _discard(stream, int(declared))
            raise too_large
        chunks: list[bytes] = []
        size = 0
        # Counted as it streams: a chunked body has no Content-Length to check up front.
        async for chunk in stream:
            size += len(chunk)
            if size > self.max_body_bytes:
                await _discard(stream, _LINGER_BYTES)
                raise too_large
            chunks.append(chunk)
        if not size:
            return {}
        try:
            return parse_form(b"".join(chunks), _MAX_FORM_FIELDS)
        except ValueError:  # UnicodeDecodeError is a ValueError, and so is "too many fields"
            raise invalid_parameter(
                "Body",
                f"The request body is not valid UTF-8 {_FORM_TYPE} of at most {_MAX_FORM_FIELDS} fields.",
            ) from None


async def _discard(stream: AsyncIterator[bytes], expected: int) -> None:
    """Read and drop the rest of an oversized body, up to a bound, before the 413 goes out.

    Closing a connection with unread data makes the kernel reset it, and the client then loses the
    413 it was sent; draining lets it finish sending and read the reply. Past the bound the client is
    cut off anyway: the memory cost is nil, only the bandwidth is bounded.
    """
    if expected > _LINGER_BYTES:
        return
    remaining = expected
    async for chunk in stream:
        remaining -= len(chunk)
        if remaining <= 0:
            return


def _host_id(scope: Scope) -> str:
    server = scope.get("server")
    return str(server[0]) if server else "127.0.0.1"


def _base_url(scope: Scope) -> str:
    """This server as the client reached it: the connection's local address, never the Host header
    (the official SDK sends `http://127.0.0.1:PORT` there)."""
    server = scope.get("server")
    if not server:
        return "http://127.0.0.1"
    host, port = server[0], server[1]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}" if port is not None else f"http://{host}"


def _json(status: int, body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> Response:
    # ensure_ascii: always valid UTF-8 on the wire, even for a lone surrogate a client sent in JSON.
    return Response(json.dumps(body).encode("ascii"), status, headers, media_type="application/json")


def _internal_error(request_id: str, scope: Scope) -> Response:
    return _json(
        500,
        error_body(request_id, _host_id(scope), "InternalError", "The local server failed; see its log."),
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    """Routing errors (unknown path, wrong method) as POP error JSON instead of Starlette's text."""
    assert isinstance(exc, HTTPException)
    request_id = str(uuid.uuid4()).upper()
    if exc.status_code == 405:
        code, message = "MethodNotAllowed", "The AgentBay API only accepts POST / with an Action."
    elif exc.status_code == 404:
        code, message = "InvalidPath.NotFound", f"No resource at {request.url.path[:200]!r}."
    else:
        code, message = "HttpError", str(exc.detail)
    return _json(exc.status_code, error_body(request_id, _host_id(request.scope), code, message), exc.headers)


async def _unhandled(request: Request, exc: Exception) -> Response:
    return _internal_error(str(uuid.uuid4()).upper(), request.scope)


def build_app(service: LocalService) -> Starlette:
    """The Starlette app over a service; the app's shutdown closes the service."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Probe the shell's sandbox now, so that a missing bubblewrap is said at start-up.
        await run_in_threadpool(check_sandbox)
        await run_in_threadpool(service.restore_desktops)
        try:
            yield
        finally:
            await service.aclose()

    app = Starlette(
        routes=[
            Route("/", service.endpoint, methods=["POST"]),
            Route("/sessions/{session_id}", service.session_link, methods=["GET"]),
            Route("/sessions/{session_id}/", service.session_link, methods=["GET"]),
            # An ASGI app rather than a function: the route then accepts every method.
            Route("/sessions/{session_id}/ports/{port}", service.proxy),
            Route("/sessions/{session_id}/ports/{port}/{path:path}", service.proxy),
            # WebSocket upgrades on the same URLs (a Route takes HTTP only): tunnelled to the port.
            WebSocketRoute("/sessions/{session_id}/ports/{port}", service.proxy),
            WebSocketRoute("/sessions/{session_id}/ports/{port}/{path:path}", service.proxy),
            Route(
                desktop.URL_PATH + "{session_id}/{name}",
                service.screen_urls.endpoint,
                methods=["GET", "HEAD"],
            ),
            # Other methods reach the endpoint too, which refuses them in object storage's XML.
            Route(
                URL_PATH + "{token}",
                service.context_urls.endpoint,
                methods=["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"],
            ),
        ],
        exception_handlers={HTTPException: _http_error, Exception: _unhandled},
        lifespan=lifespan,
    )
    app.state.service = service
    return app


def create_app(
    state_dir: str | os.PathLike[str],
    api_keys: Iterable[str] | None = None,
    *,
    public_url: str | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    tool_handlers: Mapping[str, ToolHandler] | None = None,
    proxy_timeout: float = DEFAULT_TIMEOUT_S,
) -> Starlette:
    """An ASGI app serving the AgentBay wire from `state_dir`, and GetLink's URLs.

    `api_keys`: the accepted keys; None to use the server's own key (`<state_dir>/api_key`, made on the
    first start). `public_url`: the base of the URLs in replies (ResourceUrl, GetLink); by default the
    address each client connected to. `proxy_timeout`: how long (seconds) a session's server behind a
    port URL may take to answer (then 504). The app's lifespan shutdown kills the sessions' processes
    and closes the database; the service is at `app.state.service` (its `keys.generated` is the
    generated key, or None).
    """
    path = Path(state_dir)
    path.mkdir(parents=True, exist_ok=True)
    service = LocalService(
        path,
        resolve_keys(path, api_keys),
        public_url=public_url,
        max_body_bytes=max_body_bytes,
        tool_handlers=tool_handlers,
        proxy_timeout=proxy_timeout,
    )
    return build_app(service)
