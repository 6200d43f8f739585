from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.ui_elements_args_format import (
    UiElementsArgsFormat,
    check_ui_elements_args_format,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="UiElementsArgs")


@_attrs_define
class UiElementsArgs:
    """`get_clickable_ui_elements` and `get_all_ui_elements`: a JSON list of elements `{"bounds", "className", "text",
    "type", "resourceId", "index", "isParent"}` (`get_all_ui_elements`: with `children`, recursively); with `format:
    xml`, a UI hierarchy XML document.

    """

    timeout_ms: int
    """ How long the service may take; 2000 by the official SDKs. """
    format_: UiElementsArgsFormat | Unset = UNSET
    """ (0.22.3, get_all_ui_elements) The reply's format. """

    def to_dict(self) -> dict[str, Any]:
        timeout_ms = self.timeout_ms

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "timeout_ms": timeout_ms,
            }
        )
        if format_ is not UNSET:
            field_dict["format"] = format_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        timeout_ms = d.pop("timeout_ms")

        _format_ = d.pop("format", UNSET)
        format_: UiElementsArgsFormat | Unset
        if isinstance(_format_, Unset):
            format_ = UNSET
        else:
            format_ = check_ui_elements_args_format(_format_)

        ui_elements_args = cls(
            timeout_ms=timeout_ms,
            format_=format_,
        )

        return ui_elements_args
