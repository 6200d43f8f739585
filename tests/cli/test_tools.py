"""`agentbay tools ID`: the session's MCP tools."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

import pytest

from agentbay import AgentBay, McpTool, McpToolsResult, ServerError, Session

from .conftest import KEY, Run

CliRun = Callable[..., Run]


def test_tools_json_lists_every_tool_with_its_schema(cli: CliRun, bay: AgentBay, session_id: str) -> None:
    expected = bay.get(session_id).unwrap().list_mcp_tools().tools
    run = cli("tools", session_id, "-o", "json")
    assert run.code == 0, run.err
    document = run.json()
    assert set(document) == {"session_id", "tools", "count"}
    assert document["session_id"] == session_id
    assert document["count"] == len(expected) > 0
    assert [t["name"] for t in document["tools"]] == [t.name for t in expected]
    shell = next(t for t in document["tools"] if t["name"] == "shell")
    assert set(shell) == {"name", "server", "description", "input_schema"}
    assert shell["input_schema"]["properties"]["command"]["type"] == "string"
    assert shell["server"]


def test_tools_as_a_table_is_one_line_per_tool(cli: CliRun, bay: AgentBay, session_id: str) -> None:
    expected = bay.get(session_id).unwrap().list_mcp_tools().tools
    run = cli("tools", session_id)
    assert run.code == 0, run.err
    header, *rows = run.out.splitlines()
    assert header.split() == ["NAME", "SERVER", "DESCRIPTION"]
    assert [row.split()[0] for row in rows] == [t.name for t in expected]
    shell = next(t for t in expected if t.name == "shell")
    row = next(row for row in rows if row.split()[0] == "shell")
    assert row.split(None, 2)[1:] == [shell.server, shell.description]


def test_tools_shows_the_first_line_of_a_description(
    cli: CliRun, session_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = [
        McpTool(
            name="multi",
            description="\n  Does one thing.\nAnd more, at length.\n",
            server="srv",
            input_schema={"type": "object"},
        ),
        McpTool(name="bare"),
    ]
    monkeypatch.setattr(Session, "list_mcp_tools", lambda self: McpToolsResult(request_id="r-1", tools=tools))
    run = cli("tools", session_id)
    assert run.out.splitlines()[1:] == ["multi  srv     Does one thing.", "bare"]
    document = cli("tools", session_id, "-o", "json").json()
    assert document["tools"] == [
        {
            "name": "multi",
            "server": "srv",
            "description": "\n  Does one thing.\nAnd more, at length.\n",
            "input_schema": {"type": "object"},
        },
        {"name": "bare", "server": None, "description": None, "input_schema": {}},
    ]


def test_tools_of_an_unknown_session_exits_4(cli: CliRun) -> None:
    run = cli("tools", "session-unknown", "-o", "json")
    assert (run.code, run.out) == (4, "")
    assert run.err.startswith("agentbay: NotFoundError: ")


def test_tools_failing_exits_with_its_code(
    cli: CliRun, session_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    failed = McpToolsResult.failed(ServerError("boom", http_status=502, request_id="REQ-1"))
    monkeypatch.setattr(Session, "list_mcp_tools", lambda self: failed)
    run = cli("tools", session_id)
    assert (run.code, run.out) == (7, "")
    assert run.err.startswith("agentbay: ServerError: ")
    assert "REQ-1" in run.err


def test_tools_verbose_prints_request_ids_and_never_the_key(cli: CliRun, session_id: str) -> None:
    run = cli("tools", session_id, "-v", "-o", "json")
    assert run.code == 0, run.err
    assert "ListMcpTools -> HTTP 200" in run.err
    assert "request_id=" in run.err
    json.loads(run.out)
    assert KEY not in run.out + run.err


def test_installed_tools_json(
    agentbay_cmd: Callable[..., subprocess.CompletedProcess[bytes]], session_id: str
) -> None:
    done = agentbay_cmd("tools", session_id, "-o", "json")
    assert done.returncode == 0, done.stderr
    names = [t["name"] for t in json.loads(done.stdout)["tools"]]
    assert "shell" in names
    missing = agentbay_cmd("tools", "session-unknown")
    assert (missing.returncode, missing.stdout) == (4, b"")
