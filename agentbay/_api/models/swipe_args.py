from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SwipeArgs")


@_attrs_define
class SwipeArgs:
    """`swipe`: a press moved from start to end over `duration_ms`."""

    start_x: int
    """ A screen coordinate in pixels, 0 at the left (x) or top (y). """
    start_y: int
    """ A screen coordinate in pixels, 0 at the left (x) or top (y). """
    end_x: int
    """ A screen coordinate in pixels, 0 at the left (x) or top (y). """
    end_y: int
    """ A screen coordinate in pixels, 0 at the left (x) or top (y). """
    duration_ms: int
    """ 300 by the official SDKs. """

    def to_dict(self) -> dict[str, Any]:
        start_x = self.start_x

        start_y = self.start_y

        end_x = self.end_x

        end_y = self.end_y

        duration_ms = self.duration_ms

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "start_x": start_x,
                "start_y": start_y,
                "end_x": end_x,
                "end_y": end_y,
                "duration_ms": duration_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        start_x = d.pop("start_x")

        start_y = d.pop("start_y")

        end_x = d.pop("end_x")

        end_y = d.pop("end_y")

        duration_ms = d.pop("duration_ms")

        swipe_args = cls(
            start_x=start_x,
            start_y=start_y,
            end_x=end_x,
            end_y=end_y,
            duration_ms=duration_ms,
        )

        return swipe_args
