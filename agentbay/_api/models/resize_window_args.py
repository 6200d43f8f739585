from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ResizeWindowArgs")


@_attrs_define
class ResizeWindowArgs:
    """`resize_window`: set a window's size in pixels; the reply text is not read."""

    window_id: int
    """ An X window id, as `list_root_windows` gives it. """
    width: int
    height: int

    def to_dict(self) -> dict[str, Any]:
        window_id = self.window_id

        width = self.width

        height = self.height

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "window_id": window_id,
                "width": width,
                "height": height,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        window_id = d.pop("window_id")

        width = d.pop("width")

        height = d.pop("height")

        resize_window_args = cls(
            window_id=window_id,
            width=width,
            height=height,
        )

        return resize_window_args
