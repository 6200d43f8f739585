"""An in-memory AgentBay stand-in for unit and contract tests: an httpx.MockTransport handler that records
every request and answers from a script of replies, else with a plausible success."""

from __future__ import annotations

import base64
import json
import uuid
from collections import defaultdict, deque
from typing import Any
from urllib.parse import parse_qsl

import attrs
import httpx

API_KEY = "akm-test-key-0001"
"""The fake key of the captures in ../shared/wire (so our bodies can equal the official SDK's)."""


@attrs.define
class Sent:
    """One request the facade sent, decoded."""

    request: httpx.Request
    action: str
    query: dict[str, str]
    form: dict[str, str]
    raw_query: str

    @classmethod
    def of(cls, request: httpx.Request) -> Sent:
        body = request.read().decode()
        return cls(
            request=request,
            action=request.url.params.get("Action", ""),
            query=dict(request.url.params),
            form=dict(parse_qsl(body, keep_blank_values=True)),
            raw_query=request.url.query.decode(),
        )


def envelope(data: Any = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "Code": "ok",
        "HttpStatusCode": 200,
        "Message": "success",
        "RequestId": str(uuid.uuid4()).upper(),
        "Success": True,
    }
    if data is not None:
        body["Data"] = data
    body.update(extra)
    return body


def _tool_text(name: str, args: dict[str, Any]) -> str:
    """A plausible reply text for each tool, in the formats of protocol.md section 6."""
    if name == "get_file_info":
        return "size: 5\nisDirectory: false\nisFile: true\npermissions: 644\nmodified: Thu Sep 11 2025"
    if name == "read_file":
        data = b"hello"[args.get("offset", 0) :][: args.get("length") or None]
        return base64.b64encode(data).decode() if args.get("format") == "binary" else data.decode()
    if name == "list_directory":
        return "[DIR] sub\n[FILE] a.txt"
    if name == "search_files":
        return "No matches found"
    if name == "read_multiple_files":
        return "\n---\n".join(f"{p}:\nbody of {p}\n" for p in args["paths"])
    if name == "shell":
        return "ok\n"
    return "ok"


def _default(sent: Sent) -> dict[str, Any]:
    sid = sent.form.get("SessionId", "session-00000000000000000001")
    if sent.action == "CreateMcpSession":
        return envelope(
            {"SessionId": "session-0123456789abcdef0123", "ResourceUrl": "https://r/1", "Success": True}
        )
    if sent.action == "GetSession":
        return envelope(
            {"SessionId": sid, "ResourceUrl": "https://r/1", "Status": "RUNNING", "Success": True}
        )
    if sent.action == "GetMcpResource":
        desktop = {"AppId": "app", "AuthCode": "code", "ConnectionProperties": "{}", "ResourceId": "p-1",
                   "ResourceType": "AIAgent", "Ticket": "t"}  # fmt: skip
        return envelope({"SessionId": sid, "ResourceUrl": "https://r/1", "DesktopInfo": desktop})
    if sent.action == "GetLink":
        return envelope({"Url": f"https://link/{sid}/{sent.form.get('Port', '')}"})
    if sent.action == "InitBrowser":
        return envelope({"Port": 9222})
    if sent.action == "GetCdpLink":
        return envelope({"Url": f"ws://127.0.0.1:9222/devtools/browser/{sid}"})
    if sent.action == "ListSession":
        return envelope([], NextToken="", MaxResults=int(sent.form.get("MaxResults", 10)), TotalCount=0)
    if sent.action == "GetLabel":
        return envelope({"Labels": "{}"})
    if sent.action == "ListMcpTools":
        return envelope(json.dumps([{"name": "shell", "description": "d", "inputSchema": {}, "server": "s"}]))
    if sent.action == "CallMcpTool":
        text = _tool_text(sent.form["Name"], json.loads(sent.form["Args"]))
        return envelope({"content": [{"type": "text", "text": text}], "isError": False})
    if sent.action == "GetContext":
        cid = sent.form.get("ContextId", "SdkCtx-0123456789abcdef")
        name = sent.form.get("Name", "ctx")
        stamp = "2026-11-25T11:34:06Z"
        context = {"Id": cid, "Name": name, "State": "available", "CreateTime": stamp, "LastUsedTime": stamp,
                   "OsType": None}  # fmt: skip
        return envelope(context)
    if sent.action == "ListContexts":
        return envelope([], NextToken="", MaxResults=int(sent.form.get("MaxResults", 10)), TotalCount=0)
    if sent.action in ("GetContextFileUploadUrl", "GetContextFileDownloadUrl"):
        return envelope({"Url": f"https://files.test/{sent.form['ContextId']}/{sent.form['FilePath']}",
                         "ExpireTime": 3600})  # fmt: skip
    if sent.action == "GetAndLoadInternalContext":
        return envelope([{"ContextId": "SdkCtx-0123456789abcdef", "ContextPath": "/tmp/file-transfer",
                          "ContextType": "file_transfer"}])  # fmt: skip
    if sent.action == "DescribeContextFiles":
        return envelope([], Count=0)
    return envelope()


Reply = tuple[int, bytes, dict[str, str]] | Exception


class FakeService:
    """Records requests; answers each action from its queue of scripted replies, else `_default`."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.url_requests: list[httpx.Request] = []
        self._script: dict[str, deque[Reply]] = defaultdict(deque)

    def reply(
        self,
        action: str,
        body: Any = None,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        first: bool = False,
    ) -> None:
        """Queue a reply for `action` (or ``CallMcpTool:<tool>``): a dict (JSON), bytes (raw) or None
        (default success); `first` jumps the queue."""
        if body is None:
            body = envelope()
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        queue = self._script[action]
        (queue.appendleft if first else queue.append)((status, raw, headers or {}))

    def fail(self, action: str, exc: Exception) -> None:
        """Make the next `action` raise an httpx transport error."""
        self._script[action].append(exc)

    def tool(self, name: str, text: str, *, is_error: bool = False) -> None:
        """Queue the reply of the next call of tool `name`."""
        data = {"content": [{"type": "text", "text": text}], "isError": is_error}
        self.reply(f"CallMcpTool:{name}", envelope(data))

    def handler(self, request: httpx.Request) -> httpx.Response:
        if "Action" not in request.url.params:
            # The PUT or GET of a context file's presigned URL: not an API action, kept apart.
            self.url_requests.append(request)
            return httpx.Response(200, content=b"" if request.method == "PUT" else b"object bytes")
        sent = Sent.of(request)
        self.sent.append(sent)
        queue = (
            self._script.get(f"CallMcpTool:{sent.form.get('Name')}") if sent.action == "CallMcpTool" else None
        )
        queue = queue or self._script.get(sent.action)
        if queue:
            item = queue.popleft()
            if isinstance(item, Exception):
                raise item
            status, raw, headers = item
            return httpx.Response(status, content=raw, headers=headers)
        return httpx.Response(200, json=_default(sent))

    def actions(self) -> list[str]:
        return [s.action for s in self.sent]

    def tools(self) -> list[tuple[str, dict[str, Any]]]:
        """(tool name, decoded Args) of every CallMcpTool sent."""
        return [(s.form["Name"], json.loads(s.form["Args"])) for s in self.sent if s.action == "CallMcpTool"]
