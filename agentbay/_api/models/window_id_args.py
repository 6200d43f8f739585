from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="WindowIdArgs")


@_attrs_define
class WindowIdArgs:
    """A tool that acts on one window (`activate_window`, `maximize_window`, `minimize_window`, `restore_window`,
    `close_window`, `fullscreen_window`); the reply text is not read.

    """

    window_id: int
    """ An X window id, as `list_root_windows` gives it. """

    def to_dict(self) -> dict[str, Any]:
        window_id = self.window_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "window_id": window_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        window_id = d.pop("window_id")

        window_id_args = cls(
            window_id=window_id,
        )

        return window_id_args
