from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PressKeysArgs")


@_attrs_define
class PressKeysArgs:
    """`press_keys`: press keys together (e.g. `["Ctrl", "a"]`), and release them unless `hold`."""

    keys: list[str]
    """ Key names: `Ctrl`, `Shift`, `Alt`, `Meta`, `Enter`, `Tab`, `Escape`, `Backspace`, `Delete`, `Space`, arrows,
    `Home`/`End`/`PageUp`/`PageDown`, `F1`..`F12`, letters, digits (0.22.3 capitalizes them: `Ctrl`). """
    hold: bool | Unset = UNSET
    """ Keep them pressed until `release_keys`. """

    def to_dict(self) -> dict[str, Any]:
        keys = self.keys

        hold = self.hold

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "keys": keys,
            }
        )
        if hold is not UNSET:
            field_dict["hold"] = hold

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        keys = cast(list[str], d.pop("keys"))

        hold = d.pop("hold", UNSET)

        press_keys_args = cls(
            keys=keys,
            hold=hold,
        )

        return press_keys_args
