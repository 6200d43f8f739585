from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MoveMouseArgs")


@_attrs_define
class MoveMouseArgs:
    """`move_mouse`: move the pointer to a point."""

    x: int
    """ A screen coordinate in pixels, 0 at the left (x) or top (y). """
    y: int
    """ A screen coordinate in pixels, 0 at the left (x) or top (y). """

    def to_dict(self) -> dict[str, Any]:
        x = self.x

        y = self.y

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "x": x,
                "y": y,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        x = d.pop("x")

        y = d.pop("y")

        move_mouse_args = cls(
            x=x,
            y=y,
        )

        return move_mouse_args
