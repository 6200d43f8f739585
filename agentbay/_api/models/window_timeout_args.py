from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WindowTimeoutArgs")


@_attrs_define
class WindowTimeoutArgs:
    """`list_root_windows` (replies a JSON list of windows) and `get_active_window` (one window; a tool error when none is
    active). A window: `{"window_id": int, "title" (0.22.3 reads `window_title`), "absolute_upper_left_x",
    "absolute_upper_left_y", "width", "height", "pid", "pname", "child_windows": [windows]}`.

    """

    timeout_ms: int | Unset = UNSET
    """ How long the service may take; 3000 by the official SDKs (0.22.3's get_active_window sends `{}`). """

    def to_dict(self) -> dict[str, Any]:
        timeout_ms = self.timeout_ms

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if timeout_ms is not UNSET:
            field_dict["timeout_ms"] = timeout_ms

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        timeout_ms = d.pop("timeout_ms", UNSET)

        window_timeout_args = cls(
            timeout_ms=timeout_ms,
        )

        return window_timeout_args
