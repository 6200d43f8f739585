"""Tool failures and the checks every tool runs on its `Args`.

A tool never raises into the server: every problem becomes a `ToolFailure`, which the front door
(`agentbay_local.sandbox.TOOLS`) turns into `(message, True)`, i.e. an MCP reply with `isError: true`.
The messages name the offending key so that a caller can fix the request without reading our code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["AccessDenied", "ToolFailure", "get_bool", "get_int", "get_str", "get_str_list"]


class ToolFailure(Exception):
    """A tool call that cannot be done; `message` is the reply text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AccessDenied(ToolFailure):
    """A path (or a symlink on the way) that leaves the session's trees."""


def _type_name(value: Any) -> str:
    # JSON names: the caller wrote JSON, not Python.
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def get_str(args: Mapping[str, Any], key: str, *, default: str | None = None) -> str:
    """`args[key]` as a string; required unless a default is given."""
    if key not in args or args[key] is None:
        if default is not None:
            return default
        raise ToolFailure(f"Missing required argument '{key}'")
    value = args[key]
    if not isinstance(value, str):
        raise ToolFailure(f"Argument '{key}' must be a string, not {_type_name(value)}")
    return value


def get_int(args: Mapping[str, Any], key: str, *, default: int) -> int:
    """`args[key]` as an integer (a JSON bool is not one), or `default` when absent or null."""
    value = args.get(key)
    if value is None:
        return default
    # A float such as 1000.0 is what some JSON encoders make of an integer; accept only exact ones.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ToolFailure(f"Argument '{key}' must be an integer, not {_type_name(value)}")
    return value


def get_bool(args: Mapping[str, Any], key: str, *, default: bool) -> bool:
    """`args[key]` as a boolean, or `default` when absent or null."""
    value = args.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ToolFailure(f"Argument '{key}' must be a boolean, not {_type_name(value)}")
    return value


def get_str_list(args: Mapping[str, Any], key: str) -> list[str]:
    """`args[key]` as a list of strings (required)."""
    if key not in args or args[key] is None:
        raise ToolFailure(f"Missing required argument '{key}'")
    value = args[key]
    if not isinstance(value, list):
        raise ToolFailure(f"Argument '{key}' must be an array of strings, not {_type_name(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise ToolFailure(f"Argument '{key}[{index}]' must be a string, not {_type_name(item)}")
    return list(value)
