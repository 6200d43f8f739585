"""The wire, without I/O: the generated operations the facade uses, request bodies built from facade
arguments, and replies turned into facade values or errors. The sync and async clients share all of it
and only send.

Nothing from `agentbay._api` leaves this module: callers get plain values, facade types or errors.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from types import ModuleType
from typing import Any, Generic, Protocol, Self, TypeVar
from urllib.parse import quote_plus

import attrs

from ._api.api.mcp import call_mcp_tool, list_mcp_tools
from ._api.api.session import (
    create_mcp_session,
    get_label,
    get_link,
    get_mcp_resource,
    get_session,
    list_session,
    release_mcp_session,
    set_label,
)
from ._api.models import (
    CallMcpToolData,
    CallMcpToolRequest,
    CallMcpToolResponse,
    CreateMcpSessionData,
    CreateMcpSessionRequest,
    CreateMcpSessionResponse,
    GetLabelData,
    GetLabelRequest,
    GetLabelResponse,
    GetLinkData,
    GetLinkRequest,
    GetLinkResponse,
    GetMcpResourceData,
    GetMcpResourceResponse,
    GetSessionData,
    GetSessionResponse,
    ListMcpToolsRequest,
    ListMcpToolsResponse,
    ListSessionRequest,
    ListSessionResponse,
    ResponseEnvelope,
    SessionIdRequest,
    SetLabelRequest,
)
from ._api.models import (
    SessionSummary as WireSessionSummary,
)
from ._api.types import UNSET, Unset
from ._exceptions import APIError, ServerError, ToolError, error_from_reply
from ._types import CreateSessionParams, McpTool, SessionInfo, SessionListResult, SessionSummary

__all__ = ["OPERATIONS", "Operation", "QueryAuth", "ToolOutput"]


class _Model(Protocol):
    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...


R = TypeVar("R", bound=_Model)


@attrs.frozen
class QueryAuth:
    """The body of an action whose API key travels in the query, not the form (SyncContext)."""

    authorization: str = attrs.field(repr=False)
    form: Any


@attrs.frozen
class Operation(Generic[R]):
    """One API action: its generated endpoint module, reply model, and whether a retry is safe."""

    action: str
    endpoint: ModuleType
    reply: type[R]
    retry_safe: bool
    """False where a repeat could do the work twice (create a second session, rerun a tool)."""

    def request(self, body: Any) -> dict[str, Any]:
        """httpx request arguments for one attempt, with a fresh Timestamp and SignatureNonce."""
        query: dict[str, str] = {}
        if isinstance(body, QueryAuth):
            query, body = {"authorization": body.authorization}, body.form
        # The generated `_get_kwargs` is the spec's wire form (URL, const query, form body); calling it
        # rather than the generated `sync`/`asyncio` lets us pass a per-call timeout and own the retries.
        kwargs: dict[str, Any] = self.endpoint._get_kwargs(
            body=body,
            timestamp=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            signature_nonce=secrets.token_hex(16),
            **query,
        )
        # The same bytes httpx would make of `data`, made faster for the large Args of file transfers.
        kwargs["content"] = encode_form(kwargs.pop("data"))
        return kwargs

    def parse(self, status: int, content: bytes, headers: Mapping[str, str]) -> R:
        """The reply model of a successful reply; the matching `APIError` for any other."""
        if not 200 <= status < 300:
            raise error_from_reply(self.action, status, content, headers)
        try:
            payload = json.loads(content)
        except (ValueError, UnicodeDecodeError):
            payload = None
        if not isinstance(payload, dict):
            raise error_from_reply(self.action, status, content, headers)
        if payload.get("Success") is False:
            raise error_from_reply(self.action, status, content, headers)
        return self.reply.from_dict(payload)


CREATE_SESSION = Operation("CreateMcpSession", create_mcp_session, CreateMcpSessionResponse, retry_safe=False)
RELEASE_SESSION = Operation("ReleaseMcpSession", release_mcp_session, ResponseEnvelope, retry_safe=False)
GET_SESSION = Operation("GetSession", get_session, GetSessionResponse, retry_safe=True)
GET_RESOURCE = Operation("GetMcpResource", get_mcp_resource, GetMcpResourceResponse, retry_safe=True)
GET_LINK = Operation("GetLink", get_link, GetLinkResponse, retry_safe=True)
LIST_SESSIONS = Operation("ListSession", list_session, ListSessionResponse, retry_safe=True)
SET_LABELS = Operation("SetLabel", set_label, ResponseEnvelope, retry_safe=True)
GET_LABELS = Operation("GetLabel", get_label, GetLabelResponse, retry_safe=True)
CALL_TOOL = Operation("CallMcpTool", call_mcp_tool, CallMcpToolResponse, retry_safe=False)
LIST_TOOLS = Operation("ListMcpTools", list_mcp_tools, ListMcpToolsResponse, retry_safe=True)

OPERATIONS: dict[str, Operation[Any]] = {
    op.action: op
    for op in (
        CREATE_SESSION,
        RELEASE_SESSION,
        GET_SESSION,
        GET_RESOURCE,
        GET_LINK,
        LIST_SESSIONS,
        SET_LABELS,
        GET_LABELS,
        CALL_TOOL,
        LIST_TOOLS,
    )
}
"""Every action the facade sends, by name."""


_URL_SAFE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
_FEW_DISTINCT = 12


def _quote_plus(value: str) -> bytes:
    """`urllib.parse.quote_plus(value)`, as bytes.

    quote_plus escapes byte by byte in Python: about 40 ms for the 1.3 MB Args of a 1 MiB binary chunk.
    Such values hold few distinct unsafe bytes (base64 has `+`, `/`, `=`), so escaping each of them with
    one C-level `bytes.replace` takes a tenth of that; values with many (non-ASCII text) keep quote_plus.
    """
    data = value.encode("utf-8")
    unsafe = set(data.translate(None, _URL_SAFE))
    if not unsafe:
        return data
    if len(unsafe) > _FEW_DISTINCT:
        return quote_plus(value).encode("ascii")
    if 0x25 in unsafe:  # "%" first, so the escapes added below are not escaped again
        data = data.replace(b"%", b"%25")
    for byte in unsafe - {0x25, 0x20}:
        data = data.replace(bytes((byte,)), b"%%%02X" % byte)
    return data.replace(b" ", b"+") if 0x20 in unsafe else data


def _form_value(value: object) -> str:
    # The official SDK's text of a form value: str() of it, so a bool travels as `True`/`False` (not
    # httpx's JSON-style `true`); tests/test_contract.py compares every value with its captures.
    return "" if value is None else str(value)


def encode_form(fields: Mapping[str, Any]) -> bytes:
    """An application/x-www-form-urlencoded body: what urllib's `urlencode(fields)` makes of it (as the
    official SDK sends it), faster for large values."""
    return b"&".join(
        _quote_plus(key) + b"=" + _quote_plus(_form_value(value)) for key, value in fields.items()
    )


def _str(value: object) -> str:
    return "" if value is None or isinstance(value, Unset) else str(value)


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _request_id(reply: Any) -> str:
    return _str(getattr(reply, "request_id", ""))


def _malformed(action: str, reply: Any, what: str) -> ServerError:
    return ServerError(
        f"malformed reply: {what}", action=action, http_status=200, request_id=_request_id(reply)
    )


def labels_json(labels: Mapping[str, str]) -> str:
    # The official SDK's exact encoding: json.dumps with default separators.
    return json.dumps(dict(labels), ensure_ascii=False)


# ---- sessions ------------------------------------------------------------------------------------


def create_body(auth: str, params: CreateSessionParams) -> CreateMcpSessionRequest:
    """The CreateMcpSession form, with the fields the official SDK (0.8/0.9) sends."""
    return CreateMcpSessionRequest(
        authorization=auth,
        image_id=params.image_id if params.image_id is not None else UNSET,
        labels=labels_json(params.labels) if params.labels is not None else UNSET,
        mcp_policy_id=params.policy_id if params.policy_id is not None else UNSET,
        persistence_data_list=persistence_data_list(params) or UNSET,
        vpc_resource=params.is_vpc,
    )


def persistence_data_list(params: CreateSessionParams) -> str:
    """The PersistenceDataList of `params.mounts()` ("" for none), as the official SDK encodes it:
    a compact JSON list (the tea "json" style) of items whose Policy is itself a JSON string."""
    items = [sync.to_wire() for sync in params.mounts()]
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")) if items else ""


@attrs.frozen
class SessionFields:
    """What a session object is built from."""

    session_id: str
    resource_url: str
    request_id: str
    image_id: str | None = None
    """The image that runs, when the reply says (the local server's GetSession; not the cloud's)."""


def created_session(reply: CreateMcpSessionResponse) -> SessionFields:
    """The new session, or the APIError for a create that the service refused inside its Data."""
    data = reply.data
    if isinstance(data, CreateMcpSessionData) and data.success is False:
        raise APIError(
            _str(data.err_msg) or "the service could not create the session",
            code=_str(reply.code) if _str(reply.code) not in ("", "ok") else "SessionCreateFailed",
            request_id=_request_id(reply),
            http_status=200,
            action=CREATE_SESSION.action,
        )
    if not isinstance(data, CreateMcpSessionData) or not data.session_id:
        raise _malformed(CREATE_SESSION.action, reply, "no Data.SessionId")
    return SessionFields(data.session_id, _str(data.resource_url), _request_id(reply))


def session_body(auth: str, session_id: str) -> SessionIdRequest:
    """A form that names one session (ReleaseMcpSession, GetSession, GetMcpResource)."""
    return SessionIdRequest(authorization=auth, session_id=session_id)


def got_session(reply: GetSessionResponse, session_id: str) -> SessionFields:
    """The session GetSession described."""
    data = reply.data
    if not isinstance(data, GetSessionData):
        raise _malformed(GET_SESSION.action, reply, "no Data")
    # ImageId is not in the cloud's GetSession (so not in the spec); the local server adds it, and
    # the generated model keeps fields it does not declare in additional_properties.
    image_id = data.additional_properties.get("ImageId")
    return SessionFields(
        _str(data.session_id) or session_id,
        _str(data.resource_url),
        _request_id(reply),
        image_id if isinstance(image_id, str) and image_id else None,
    )


def session_info(reply: GetMcpResourceResponse, session_id: str) -> SessionInfo:
    """`SessionInfo` from a GetMcpResource reply."""
    data = reply.data
    if not isinstance(data, GetMcpResourceData):
        raise _malformed(GET_RESOURCE.action, reply, "no Data")
    desktop = data.desktop_info
    return SessionInfo(
        session_id=_str(data.session_id) or session_id,
        resource_url=_str(data.resource_url),
        app_id=_str(getattr(desktop, "app_id", "")),
        auth_code=_str(getattr(desktop, "auth_code", "")),
        connection_properties=_str(getattr(desktop, "connection_properties", "")),
        resource_id=_str(getattr(desktop, "resource_id", "")),
        resource_type=_str(getattr(desktop, "resource_type", "")),
        ticket=_str(getattr(desktop, "ticket", "")),
    )


def link_body(
    auth: str, session_id: str, protocol_type: str | None, port: int | None, options: str | None = None
) -> GetLinkRequest:
    """The GetLink form; the port travels as a decimal string and `options` verbatim as ``Option``, as
    the official SDK (0.22.3) sends them."""
    return GetLinkRequest(
        authorization=auth,
        session_id=session_id,
        protocol_type=protocol_type if protocol_type is not None else UNSET,
        port=str(port) if port is not None else UNSET,
        option=options if options is not None else UNSET,
    )


def link_url(reply: GetLinkResponse) -> str:
    """The URL of a GetLink reply."""
    data = reply.data
    if not isinstance(data, GetLinkData) or not _str(data.url):
        raise _malformed(GET_LINK.action, reply, "no Data.Url")
    return _str(data.url)


def list_body(
    auth: str, labels: Mapping[str, str] | None, max_results: int, next_token: str | None
) -> ListSessionRequest:
    """The ListSession form; `Labels` is always sent (``{}`` lists every session), as the official SDK does."""
    return ListSessionRequest(
        authorization=auth,
        labels=labels_json(labels or {}),
        max_results=max_results,
        next_token=next_token if next_token else UNSET,
    )


def session_page(reply: ListSessionResponse) -> SessionListResult:
    """A `SessionListResult` from one ListSession reply."""
    data = reply.data
    items = data if isinstance(data, list) else []
    sessions = [
        SessionSummary(
            session_id=item.session_id,
            status=_str(item.session_status),
            image_id=_str(item.image_id),
            app_instance_id=_str(item.app_instance_id),
        )
        for item in items
        if isinstance(item, WireSessionSummary)
    ]
    if len(sessions) != len(items):
        raise _malformed(LIST_SESSIONS.action, reply, "a Data item without SessionId")
    return SessionListResult(
        request_id=_request_id(reply),
        sessions=sessions,
        next_token=_str(reply.next_token),
        max_results=_int(reply.max_results),
        total_count=_int(reply.total_count),
    )


def set_labels_body(auth: str, session_id: str, labels: Mapping[str, str]) -> SetLabelRequest:
    """The SetLabel form."""
    return SetLabelRequest(authorization=auth, session_id=session_id, labels=labels_json(labels))


def get_labels_body(auth: str, session_id: str) -> GetLabelRequest:
    """The GetLabel form."""
    return GetLabelRequest(authorization=auth, session_id=session_id)


def labels_of(reply: GetLabelResponse) -> dict[str, str]:
    """The labels of a GetLabel reply (a JSON string inside Data)."""
    data = reply.data
    if isinstance(data, GetLabelData) and isinstance(data.labels, Unset | None):
        return {}
    raw = data.labels if isinstance(data, GetLabelData) else None
    try:
        labels = json.loads(raw) if isinstance(raw, str) and raw else {}
    except ValueError:
        raise _malformed(GET_LABELS.action, reply, "Data.Labels is not JSON") from None
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        raise _malformed(GET_LABELS.action, reply, "Data.Labels is not a map of strings")
    return labels


# ---- MCP tools -----------------------------------------------------------------------------------


@attrs.frozen
class ToolOutput:
    """What a tool call returned."""

    tool: str
    text: str
    """The text of the first content item (what every sub-manager parses)."""
    is_error: bool
    """The tool reported failure (``isError``)."""
    request_id: str

    def error(self) -> ToolError:
        """This failed call as a `ToolError`."""
        return ToolError(self.tool, self.text or "the tool reported an error", request_id=self.request_id)


def tool_body(auth: str, session_id: str, name: str, args: Mapping[str, Any]) -> CallMcpToolRequest:
    """The CallMcpTool form; `Args` is encoded as the official SDK encodes it. `AutoGenSession=False`
    as 0.22.3 sends it on every tool call: it tells the local server that this client parses `shell`'s
    JSON reply (stdout and stderr apart, truncation), which it keeps from 0.8/0.9 clients."""
    return CallMcpToolRequest(
        authorization=auth,
        session_id=session_id,
        name=name,
        args=json.dumps(dict(args), ensure_ascii=False),
        auto_gen_session=False,
    )


def tool_output(reply: CallMcpToolResponse, name: str) -> ToolOutput:
    """The tool's reply. On ``isError`` the text joins every content item, as the official SDK shows it."""
    data = reply.data
    if not isinstance(data, CallMcpToolData):
        raise _malformed(CALL_TOOL.action, reply, "Data is not an MCP tool result")
    texts = [_str(item.text) for item in data.content] if isinstance(data.content, list) else []
    if data.is_error is True:
        return ToolOutput(name, "; ".join(t for t in texts if t), True, _request_id(reply))
    return ToolOutput(name, texts[0] if texts else "", False, _request_id(reply))


def list_tools_body(auth: str, image_id: str) -> ListMcpToolsRequest:
    """The ListMcpTools form."""
    return ListMcpToolsRequest(authorization=auth, image_id=image_id)


def tools_of(reply: ListMcpToolsResponse) -> list[McpTool]:
    """The tools of a ListMcpTools reply (a JSON string inside Data)."""
    raw = reply.data
    if isinstance(raw, Unset) or raw is None or raw == "":
        return []
    try:
        items = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        items = None
    if not isinstance(items, list):
        raise _malformed(LIST_TOOLS.action, reply, "Data is not a JSON list")
    tools: list[McpTool] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise _malformed(LIST_TOOLS.action, reply, "a tool without a name")
        schema, tool = item.get("inputSchema"), item.get("tool")
        tools.append(
            McpTool(
                name=item["name"],
                description=_str(item.get("description")),
                input_schema=schema if isinstance(schema, dict) else {},
                server=_str(item.get("server")),
                tool=tool if isinstance(tool, dict) else {},
            )
        )
    return tools
