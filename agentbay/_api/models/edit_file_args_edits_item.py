from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="EditFileArgsEditsItem")


@_attrs_define
class EditFileArgsEditsItem:
    old_text: str
    new_text: str

    def to_dict(self) -> dict[str, Any]:
        old_text = self.old_text

        new_text = self.new_text

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "oldText": old_text,
                "newText": new_text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        old_text = d.pop("oldText")

        new_text = d.pop("newText")

        edit_file_args_edits_item = cls(
            old_text=old_text,
            new_text=new_text,
        )

        return edit_file_args_edits_item
