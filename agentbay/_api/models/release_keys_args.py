from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ReleaseKeysArgs")


@_attrs_define
class ReleaseKeysArgs:
    """`release_keys`: release keys held by `press_keys(hold=true)`."""

    keys: list[str]
    """ Key names: `Ctrl`, `Shift`, `Alt`, `Meta`, `Enter`, `Tab`, `Escape`, `Backspace`, `Delete`, `Space`, arrows,
    `Home`/`End`/`PageUp`/`PageDown`, `F1`..`F12`, letters, digits (0.22.3 capitalizes them: `Ctrl`). """

    def to_dict(self) -> dict[str, Any]:
        keys = self.keys

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "keys": keys,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        keys = cast(list[str], d.pop("keys"))

        release_keys_args = cls(
            keys=keys,
        )

        return release_keys_args
