"""Checks of user input, done before anything is sent; one message format for all of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._exceptions import InvalidInputError

__all__ = ["check_labels", "check_non_empty", "check_port"]


def check_non_empty(value: object, name: str) -> str:
    """`value` if it is a non-empty str, else InvalidInputError."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"Expected a non-empty str for `{name}`, got {value!r}")
    return value


def check_labels(labels: object, name: str = "labels") -> dict[str, str]:
    """A copy of `labels` if it maps non-empty str keys to str values, else InvalidInputError."""
    if not isinstance(labels, Mapping):
        raise InvalidInputError(f"Expected a dict of str to str for `{name}`, got {type(labels).__name__}")
    out: dict[str, str] = {}
    items: Mapping[Any, Any] = labels
    for key, value in items.items():
        if not isinstance(key, str) or not key.strip():
            raise InvalidInputError(f"Label keys in `{name}` must be non-empty str, got {key!r}")
        if not isinstance(value, str):
            raise InvalidInputError(f"Label {key!r} in `{name}` must have a str value, got {value!r}")
        out[key] = value
    return out


def check_port(port: object) -> int:
    """`port` if it is an int in 1..65535 (not a bool), else InvalidInputError."""
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise InvalidInputError(f"Expected an int port in 1..65535 for `port`, got {port!r}")
    return port
