"""MCP tools: the index that ListMcpTools returns, and the CallMcpTool dispatch.

The index is the spec's `x-mcp-tools` (one entry per tool: name, description, and a `$ref` to the schema
of its `Args`), so the local server lists exactly the tools the spec describes. Tools are implemented by
handlers in `TOOL_HANDLERS`; a later piece adds `shell` and the file tools there without touching the
routing. A tool that is in the index without a handler answers `isError: true`, which the SDKs surface
as a failed result rather than a transport error.

`ToolRunner` runs a handler: a coroutine function (`shell`) on the event loop, where waiting for a
command holds no thread; a plain function (the file tools: short) in the thread pool. Commands are
bounded: at most `MAX_COMMANDS_PER_SESSION` run at once in a session and `MAX_COMMANDS_PER_KEY` for
one API key. One more is refused at once with a tool error that says so, rather than queued: a queued
command would spend its timeout waiting unseen, and the caller knows best whether to wait or give up.
"""

from __future__ import annotations

import inspect
import json
import threading
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]  # types-PyYAML is not a dependency
from starlette.concurrency import run_in_threadpool

from .browser import BROWSER_TOOLS
from .code import CODE_TOOLS
from .desktop import DESKTOP_TOOLS
from .oss import OSS_TOOLS
from .sandbox import ASYNC_TOOLS, TOOLS, shell_structured_async
from .watch import WATCH_TOOLS

#: A tool implementation: (the session's directory, the parsed Args object) -> (text, is_error).
#: A plain function runs in a worker thread, so it may block (a file read); a coroutine function runs
#: on the event loop and must not block (a command, waiting on its pipes and its exit).
ToolHandler = Callable[[Path, dict[str, Any]], tuple[str, bool] | Awaitable[tuple[str, bool]]]

#: The tools this server implements, by name. Filled by the modules that implement them.
TOOL_HANDLERS: dict[str, ToolHandler] = {
    **TOOLS,
    **ASYNC_TOOLS,
    **DESKTOP_TOOLS,
    **CODE_TOOLS,
    **WATCH_TOOLS,
    **OSS_TOOLS,
    **BROWSER_TOOLS,
}

#: Handlers with a variant that replies in a structured form, for clients that parse it: `shell`'s
#: JSON `{"stdout", "stderr", "exit_code", ...}` (see `sandbox._shell`). By identity, so that a handler
#: put in `TOOL_HANDLERS` in their place is called as it is.
STRUCTURED_VARIANTS: dict[ToolHandler, ToolHandler] = {ASYNC_TOOLS["shell"]: shell_structured_async}

#: The tools that are commands, which the bounds below count (a program run by `run_code` is one, and
#: so is an oss_* transfer: a program in the session).
COMMAND_TOOLS = frozenset(
    {"shell", "run_code", "oss_upload", "oss_download", "oss_upload_annon", "oss_download_annon"}
)
#: How many commands may run at once in one session, and for one API key (read when a server starts).
MAX_COMMANDS_PER_SESSION = 16
MAX_COMMANDS_PER_KEY = 128

_SPEC_NAME = "agentbay.yaml"
_SERVER_NAME = "mcp-server"


def spec_path() -> Path:
    """The spec: the copy inside the installed wheel, else the repository's."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "spec" / _SPEC_NAME, here.parent / "spec" / _SPEC_NAME):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{_SPEC_NAME} not found beside agentbay_local or in the repository")


def _resolve(node: Any, spec: Mapping[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """`node` with every local `$ref` replaced by its target, so a client needs no spec to read it."""
    if isinstance(node, list):
        return [_resolve(item, spec, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        if ref in seen:  # a recursive schema: keep the ref rather than expanding forever
            return dict(node)
        target = _pointer(spec, ref)
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        resolved = _resolve(target, spec, (*seen, ref))
        return {**resolved, **_resolve(siblings, spec, seen)} if siblings else resolved
    return {key: _resolve(value, spec, seen) for key, value in node.items()}


def _pointer(spec: Mapping[str, Any], ref: str) -> Any:
    """The target of a local JSON pointer such as `#/components/schemas/ShellArgs`."""
    if not ref.startswith("#/"):
        raise ValueError(f"only local $refs are supported, not {ref!r}")
    node: Any = spec
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


class ToolIndex:
    """The tools of the spec's `x-mcp-tools`, loaded once on first use."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._names: frozenset[str] | None = None
        self._listing: str | None = None

    def _load(self) -> tuple[frozenset[str], str]:
        with self._lock:
            if self._names is None or self._listing is None:
                spec = yaml.safe_load((self._path or spec_path()).read_text(encoding="utf-8"))
                tools = [
                    {
                        "name": entry["name"],
                        "description": entry.get("description", ""),
                        "inputSchema": _resolve({"$ref": entry["args"]}, spec),
                        "server": _SERVER_NAME,
                        "tool": {},
                    }
                    for entry in spec.get("x-mcp-tools", [])
                ]
                self._names = frozenset(tool["name"] for tool in tools)
                self._listing = json.dumps(tools)
            return self._names, self._listing

    def names(self) -> frozenset[str]:
        """The names of every tool in the index."""
        return self._load()[0]

    def listing(self) -> str:
        """ListMcpTools' `Data`: a JSON string of `[{name, description, inputSchema, server, tool}]`."""
        return self._load()[1]


def tool_result(text: str, is_error: bool) -> dict[str, Any]:
    """CallMcpTool's `Data`: an MCP tool result with one text item."""
    return {"content": [{"type": "text", "text": text}], "isError": is_error}


class ToolRunner:
    """Runs tool handlers (see the module docstring); the counts live on the event loop (no lock)."""

    def __init__(self, handlers: Mapping[str, ToolHandler]) -> None:
        self.handlers = handlers  # by reference: handlers registered later are found
        self.per_session = MAX_COMMANDS_PER_SESSION
        self.per_key = MAX_COMMANDS_PER_KEY
        self._sessions: Counter[str] = Counter()
        self._keys: Counter[str] = Counter()

    def _refusal(self, owner: str, session_id: str) -> str | None:
        if self._sessions[session_id] >= self.per_session:
            return (
                f"Too many commands running in this session: at most {self.per_session} at once. "
                "Try again when one has ended."
            )
        if self._keys[owner] >= self.per_key:
            return (
                f"Too many commands running for this API key: at most {self.per_key} at once, "
                "across its sessions. Try again when one has ended."
            )
        return None

    async def run(
        self,
        name: str,
        owner: str,
        session_id: str,
        session_dir: Path,
        args: dict[str, Any],
        *,
        structured: bool = False,
    ) -> tuple[str, bool]:
        """Call the handler of `name` (which must have one); `structured` picks its structured variant
        if it has one. A handler's exception propagates."""
        handler = self.handlers[name]
        if structured:
            handler = STRUCTURED_VARIANTS.get(handler, handler)
        if name not in COMMAND_TOOLS:
            return await _call(handler, session_dir, args)
        refusal = self._refusal(owner, session_id)
        if refusal is not None:
            return refusal, True
        self._sessions[session_id] += 1
        self._keys[owner] += 1
        try:
            return await _call(handler, session_dir, args)
        finally:
            for counts, key in ((self._sessions, session_id), (self._keys, owner)):
                counts[key] -= 1
                if not counts[key]:
                    del counts[key]


async def _call(handler: ToolHandler, session_dir: Path, args: dict[str, Any]) -> tuple[str, bool]:
    if inspect.iscoroutinefunction(handler):
        result: tuple[str, bool] = await handler(session_dir, args)
        return result
    # Blocking (file I/O): keep it off the event loop.
    return await run_in_threadpool(handler, session_dir, args)  # type: ignore[arg-type]


def unavailable(name: str, index: ToolIndex, handlers: Mapping[str, ToolHandler]) -> str | None:
    """Why `name` cannot be called here, or None when it has a handler."""
    if name in handlers:
        return None
    shown = name if len(name) <= 100 else name[:100] + "..."
    if name in index.names():
        return f"tool {shown} is not implemented by the local server yet"
    return f"unknown tool {shown}"
