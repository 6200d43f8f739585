from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SendKeyArgs")


@_attrs_define
class SendKeyArgs:
    """`send_key`: press one key by its (Android) key code: HOME 3, BACK 4, VOLUME_UP 24, VOLUME_DOWN 25, POWER 26, MENU
    82.

    """

    key: int

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        key = d.pop("key")

        send_key_args = cls(
            key=key,
        )

        return send_key_args
