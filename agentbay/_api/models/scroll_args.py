from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.scroll_args_direction import (
    ScrollArgsDirection,
    check_scroll_args_direction,
)

T = TypeVar("T", bound="ScrollArgs")


@_attrs_define
class ScrollArgs:
    """`scroll`: turn the wheel `amount` notches at a point."""

    x: int
    """ A screen coordinate in pixels, 0 at the left (x) or top (y). """
    y: int
    """ A screen coordinate in pixels, 0 at the left (x) or top (y). """
    direction: ScrollArgsDirection
    amount: int

    def to_dict(self) -> dict[str, Any]:
        x = self.x

        y = self.y

        direction: str = self.direction

        amount = self.amount

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "x": x,
                "y": y,
                "direction": direction,
                "amount": amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        x = d.pop("x")

        y = d.pop("y")

        direction = check_scroll_args_direction(d.pop("direction"))

        amount = d.pop("amount")

        scroll_args = cls(
            x=x,
            y=y,
            direction=direction,
            amount=amount,
        )

        return scroll_args
