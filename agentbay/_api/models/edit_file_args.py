from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.edit_file_args_edits_item import EditFileArgsEditsItem


T = TypeVar("T", bound="EditFileArgs")


@_attrs_define
class EditFileArgs:
    """`edit_file`: replace text, edit by edit, in order; `dryRun` shows the change without making it."""

    path: str
    """ An absolute path inside the session, e.g. `/home/wuying/notes.txt` or `/tmp/x`. """
    edits: list[EditFileArgsEditsItem]
    dry_run: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        edits = []
        for edits_item_data in self.edits:
            edits_item = edits_item_data.to_dict()
            edits.append(edits_item)

        dry_run = self.dry_run

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "path": path,
                "edits": edits,
            }
        )
        if dry_run is not UNSET:
            field_dict["dryRun"] = dry_run

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.edit_file_args_edits_item import EditFileArgsEditsItem

        d = dict(src_dict)
        path = d.pop("path")

        edits = []
        _edits = d.pop("edits")
        for edits_item_data in _edits:
            edits_item = EditFileArgsEditsItem.from_dict(edits_item_data)

            edits.append(edits_item)

        dry_run = d.pop("dryRun", UNSET)

        edit_file_args = cls(
            path=path,
            edits=edits,
            dry_run=dry_run,
        )

        return edit_file_args
