"""ListMcpTools from the spec's tool index, and CallMcpTool's dispatch through the handler registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped, unused-ignore]

from agentbay_local import TOOL_HANDLERS, LocalServer
from agentbay_local._tools import ToolIndex, _resolve, spec_path

from ._wire import Wire

SPEC = Path(__file__).resolve().parents[2] / "spec" / "agentbay.yaml"
SHELL_ARGS = '{"command": "echo hi", "timeout_ms": 1000}'


def spec_tools() -> list[dict[str, Any]]:
    tools: list[dict[str, Any]] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["x-mcp-tools"]
    return tools


def test_list_mcp_tools_is_a_json_string_of_the_spec_index(wire: Wire) -> None:
    data = wire.ok("ListMcpTools", ImageId="linux_latest")["Data"]
    assert isinstance(data, str)  # the SDKs json.loads it
    tools = json.loads(data)
    assert [tool["name"] for tool in tools] == [tool["name"] for tool in spec_tools()]
    for tool in tools:
        assert set(tool) == {"name", "description", "inputSchema", "server", "tool"}
        assert (tool["server"], tool["tool"]) == ("mcp-server", {})
        assert tool["description"]
        assert "$ref" not in json.dumps(tool["inputSchema"])


def test_shell_input_schema(wire: Wire) -> None:
    tools = {tool["name"]: tool for tool in json.loads(wire.ok("ListMcpTools")["Data"])}
    schema = tools["shell"]["inputSchema"]
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    assert schema == spec["components"]["schemas"]["ShellArgs"]
    assert schema["type"] == "object"
    assert set(schema["required"]) == {"command", "timeout_ms"}
    assert schema["properties"]["timeout_ms"]["type"] == "integer"


def test_list_mcp_tools_for_code_latest(wire: Wire) -> None:
    assert wire.ok("ListMcpTools", ImageId="code_latest")["Data"] == wire.ok("ListMcpTools")["Data"]


def test_the_spec_is_found() -> None:
    assert spec_path().samefile(SPEC)


def test_refs_are_resolved_recursively_and_cycles_stop() -> None:
    spec = {
        "components": {
            "schemas": {
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"type": "array", "items": {"$ref": "#/components/schemas/C"}},
                "C": {"type": "string"},
                "Loop": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Loop"}}},
            }
        }
    }
    assert _resolve({"$ref": "#/components/schemas/A"}, spec) == {
        "type": "object",
        "properties": {"b": {"type": "array", "items": {"type": "string"}}},
    }
    looped = _resolve({"$ref": "#/components/schemas/Loop"}, spec)
    assert looped["properties"]["next"] == {"$ref": "#/components/schemas/Loop"}


def test_tool_index_from_another_spec(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "components: {schemas: {EchoArgs: {type: object, properties: {text: {type: string}}}}}\n"
        "x-mcp-tools:\n  - {name: echo, description: Echo., args: '#/components/schemas/EchoArgs'}\n",
        encoding="utf-8",
    )
    index = ToolIndex(spec)
    assert index.names() == {"echo"}
    (tool,) = json.loads(index.listing())
    assert tool["inputSchema"] == {"type": "object", "properties": {"text": {"type": "string"}}}


def test_unknown_tool_is_a_tool_error(wire: Wire) -> None:
    session_id = wire.create()
    data = wire.ok("CallMcpTool", SessionId=session_id, Name="no_such_tool", Args="{}")["Data"]
    assert data == {"content": [{"type": "text", "text": "unknown tool no_such_tool"}], "isError": True}


def test_indexed_tool_without_handler_is_not_implemented(wire: Wire, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(TOOL_HANDLERS, "shell")
    session_id = wire.create()
    form = {"Name": "shell", "Args": SHELL_ARGS, "AutoGenSession": "False", "Server": ""}  # as 0.22.3 sends
    data = wire.ok("CallMcpTool", SessionId=session_id, **form)["Data"]
    assert data == {
        "content": [{"type": "text", "text": "tool shell is not implemented by the local server yet"}],
        "isError": True,
    }


def test_a_registered_handler_is_called_with_the_session_dir_and_args(
    wire: Wire, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Path, dict[str, Any]]] = []

    def shell(session_dir: Path, args: dict[str, Any]) -> tuple[str, bool]:
        calls.append((session_dir, args))
        return f"ran {args['command']}", False

    monkeypatch.setitem(TOOL_HANDLERS, "shell", shell)
    session_id = wire.create()
    data = wire.ok("CallMcpTool", SessionId=session_id, Name="shell", Args=SHELL_ARGS)["Data"]
    assert data == {"content": [{"type": "text", "text": "ran echo hi"}], "isError": False}
    assert calls == [(server.state_dir / "sessions" / session_id, json.loads(SHELL_ARGS))]
    assert (calls[0][0] / "home" / "wuying").is_dir()


def test_a_handler_can_report_a_tool_error(wire: Wire, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(TOOL_HANDLERS, "shell", lambda _dir, _args: ("exit 1", True))
    session_id = wire.create()
    data = wire.ok("CallMcpTool", SessionId=session_id, Name="shell", Args=SHELL_ARGS)["Data"]
    assert data == {"content": [{"type": "text", "text": "exit 1"}], "isError": True}


def test_a_crashing_handler_is_a_tool_error_not_a_500(wire: Wire, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(session_dir: Path, args: dict[str, Any]) -> tuple[str, bool]:
        raise OSError("disk on fire")

    monkeypatch.setitem(TOOL_HANDLERS, "shell", broken)
    session_id = wire.create()
    data = wire.ok("CallMcpTool", SessionId=session_id, Name="shell", Args=SHELL_ARGS)["Data"]
    assert data["isError"] is True
    assert data["content"][0]["text"] == "tool shell failed: OSError: disk on fire"
