from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.drag_mouse_args_button import (
    DragMouseArgsButton,
    check_drag_mouse_args_button,
)

T = TypeVar("T", bound="DragMouseArgs")


@_attrs_define
class DragMouseArgs:
    """`drag_mouse`: press a button at one point, move to another, release."""

    from_x: int
    """ A screen coordinate in pixels, 0 at the left (x) or top (y). """
    from_y: int
    """ A screen coordinate in pixels, 0 at the left (x) or top (y). """
    to_x: int
    """ A screen coordinate in pixels, 0 at the left (x) or top (y). """
    to_y: int
    """ A screen coordinate in pixels, 0 at the left (x) or top (y). """
    button: DragMouseArgsButton

    def to_dict(self) -> dict[str, Any]:
        from_x = self.from_x

        from_y = self.from_y

        to_x = self.to_x

        to_y = self.to_y

        button: str = self.button

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from_x": from_x,
                "from_y": from_y,
                "to_x": to_x,
                "to_y": to_y,
                "button": button,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        from_x = d.pop("from_x")

        from_y = d.pop("from_y")

        to_x = d.pop("to_x")

        to_y = d.pop("to_y")

        button = check_drag_mouse_args_button(d.pop("button"))

        drag_mouse_args = cls(
            from_x=from_x,
            from_y=from_y,
            to_x=to_x,
            to_y=to_y,
            button=button,
        )

        return drag_mouse_args
