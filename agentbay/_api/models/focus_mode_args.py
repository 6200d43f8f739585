from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="FocusModeArgs")


@_attrs_define
class FocusModeArgs:
    """`focus_mode`: with `on`, other windows do not take the focus; the reply text is not read."""

    on: bool
    """ Quoted: a bare `on` is YAML 1.1's true. """

    def to_dict(self) -> dict[str, Any]:
        on = self.on

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "on": on,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        on = d.pop("on")

        focus_mode_args = cls(
            on=on,
        )

        return focus_mode_args
