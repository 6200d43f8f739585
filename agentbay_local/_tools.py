"""MCP tools: the index that ListMcpTools returns, and the CallMcpTool dispatch.

The index is the spec's `x-mcp-tools` (one entry per tool: name, description, and a `$ref` to the schema
of its `Args`), so the local server lists exactly the tools the spec describes. Tools are implemented by
handlers in `TOOL_HANDLERS`; a later piece adds `shell` and the file tools there without touching the
routing. A tool that is in the index without a handler answers `isError: true`, which the SDKs surface
as a failed result rather than a transport error.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]  # types-PyYAML is not a dependency

from .sandbox import TOOLS

#: A tool implementation: (the session's directory, the parsed Args object) -> (text, is_error).
#: It runs in a worker thread, so it may block (a command, a file read).
ToolHandler = Callable[[Path, dict[str, Any]], tuple[str, bool]]

#: The tools this server implements, by name. Filled by the modules that implement them.
TOOL_HANDLERS: dict[str, ToolHandler] = dict(TOOLS)

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


def unavailable(name: str, index: ToolIndex, handlers: Mapping[str, ToolHandler]) -> str | None:
    """Why `name` cannot be called here, or None when it has a handler."""
    if name in handlers:
        return None
    shown = name if len(name) <= 100 else name[:100] + "..."
    if name in index.names():
        return f"tool {shown} is not implemented by the local server yet"
    return f"unknown tool {shown}"
