from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="NoArgs")


@_attrs_define
class NoArgs:
    """A tool that takes no arguments (`list_visible_apps`, `system_screenshot`, `get_screen_size`, `get_cursor_position`,
    `stopChrome`): Args is `{}`.

    """

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        no_args = cls()

        return no_args
