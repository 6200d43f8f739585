"""What an action receives and returns, shared by the core actions (`_actions`) and the capability
packages (`contexts/`), so that neither imports the other for it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

Reply = dict[str, Any]
"""The fields an action puts beside the success envelope (`Data`, paging fields)."""


@dataclass(frozen=True, slots=True)
class Call:
    """One authenticated request: who calls, with which fields, and where the server is reachable."""

    owner: str
    params: Mapping[str, str]
    base_url: str


Handler = Callable[[Call], Awaitable[Reply]]
"""One action, bound to the state it works on."""
