"""The spec as test data: operations by Action, and flattened form schemas to validate requests against."""

from __future__ import annotations

import copy
import functools
import os
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = Path(os.environ.get("AGENTBAY_CONTRACT_SPEC", ROOT / "spec" / "agentbay.yaml"))
"""The contract-sensitivity test points this at a mutated copy of the spec."""


@functools.cache
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text())


def resolve(node: Any) -> Any:
    """`node` with every local $ref replaced by its target, recursively."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = spec()
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return resolve(target)
        return {k: resolve(v) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v) for v in node]
    return node


def flatten(schema: dict[str, Any]) -> dict[str, Any]:
    """An object schema with its allOf parts merged, closed to unknown properties."""
    out: dict[str, Any] = {"type": "object", "properties": {}, "required": [], "additionalProperties": False}
    parts = schema.get("allOf", [schema])
    for part in parts:
        part = flatten(part) if "allOf" in part else part
        out["properties"].update(copy.deepcopy(part.get("properties", {})))
        out["required"] += [r for r in part.get("required", []) if r not in out["required"]]
    return out


@functools.cache
def operations() -> dict[str, dict[str, Any]]:
    """Each operation by its Action: path, method, query parameters, form schema."""
    ops: dict[str, dict[str, Any]] = {}
    for path, item in spec()["paths"].items():
        for method, op in item.items():
            params = [resolve(p) for p in op.get("parameters", [])]
            body = resolve(op["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"])
            ops[op["operationId"]] = {
                "path": path,
                "method": method.upper(),
                "params": {p["name"]: p for p in params if p["in"] == "query"},
                "form": flatten(body),
            }
    return ops


def coerce_form(form: dict[str, str], schema: dict[str, Any]) -> dict[str, Any]:
    """Form strings typed as the schema declares, so JSON Schema can check them; bad values stay strings."""
    typed: dict[str, Any] = {}
    for name, value in form.items():
        kind = schema["properties"].get(name, {}).get("type")
        if kind == "integer" and value.lstrip("-").isdigit():
            typed[name] = int(value)
        elif kind == "boolean" and value.lower() in ("true", "false"):  # the official SDK sends True/False
            typed[name] = value.lower() == "true"
        else:
            typed[name] = value
    return typed


def tool_index() -> dict[str, dict[str, Any]]:
    """The spec's x-mcp-tools: tool name -> resolved Args schema."""
    return {t["name"]: resolve({"$ref": t["args"]}) for t in spec().get("x-mcp-tools", [])}
