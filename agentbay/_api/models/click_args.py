from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.click_args_button import ClickArgsButton, check_click_args_button

T = TypeVar("T", bound="ClickArgs")


@_attrs_define
class ClickArgs:
    """`click` (ui): click at a point."""

    x: int
    """ A screen coordinate in pixels, 0 at the left (x) or top (y). """
    y: int
    """ A screen coordinate in pixels, 0 at the left (x) or top (y). """
    button: ClickArgsButton

    def to_dict(self) -> dict[str, Any]:
        x = self.x

        y = self.y

        button: str = self.button

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "x": x,
                "y": y,
                "button": button,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        x = d.pop("x")

        y = d.pop("y")

        button = check_click_args_button(d.pop("button"))

        click_args = cls(
            x=x,
            y=y,
            button=button,
        )

        return click_args
