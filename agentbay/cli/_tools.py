"""`agentbay tools ID`: the MCP tools a session offers (ListMcpTools)."""

from __future__ import annotations

import click

from ._app import State, common_options, pass_state

__all__ = ["tools"]


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


@click.command("tools")
@click.argument("session_id", metavar="ID")
@common_options
@pass_state
def tools(state: State, session_id: str) -> None:
    """List the MCP tools of a session's image: name, server, what it does.

    `-o json` adds each tool's full description and its input schema.

    \b
    Example:
      agentbay tools session-0123 -o json | jq -r '.tools[].name'
    """
    found = state.session(session_id)
    result = found.list_mcp_tools()
    result.raise_for_error()
    entries = [
        {
            "name": tool.name,
            "server": tool.server or None,
            "description": tool.description or None,
            "input_schema": tool.input_schema,
        }
        for tool in result.tools
    ]
    rows = [
        {**entry, "description": _first_line(tool.description)}
        for entry, tool in zip(entries, result.tools, strict=True)
    ]
    state.emit(
        {"session_id": found.session_id, "tools": entries, "count": len(entries)},
        rows=rows,
        columns=["name", "server", "description"],
    )
