from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ContextFileData")


@_attrs_define
class ContextFileData:
    """One entry of a `DescribeContextFiles` page ([assumed] from the official model; the captures list none)."""

    file_id: str | Unset = UNSET
    file_name: str | Unset = UNSET
    """ The entry's name (its last path component). """
    file_path: str | Unset = UNSET
    """ Its key in the context, written as a path. """
    file_type: str | Unset = UNSET
    """ `file` or `folder` [assumed]. """
    gmt_create: str | Unset = UNSET
    """ When it was created. """
    gmt_modified: str | Unset = UNSET
    """ When it was last changed. """
    size: int | Unset = UNSET
    """ Its size in bytes (0 for a folder). """
    status: str | Unset = UNSET
    """ E.g. `available` [assumed]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_id = self.file_id

        file_name = self.file_name

        file_path = self.file_path

        file_type = self.file_type

        gmt_create = self.gmt_create

        gmt_modified = self.gmt_modified

        size = self.size

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if file_id is not UNSET:
            field_dict["FileId"] = file_id
        if file_name is not UNSET:
            field_dict["FileName"] = file_name
        if file_path is not UNSET:
            field_dict["FilePath"] = file_path
        if file_type is not UNSET:
            field_dict["FileType"] = file_type
        if gmt_create is not UNSET:
            field_dict["GmtCreate"] = gmt_create
        if gmt_modified is not UNSET:
            field_dict["GmtModified"] = gmt_modified
        if size is not UNSET:
            field_dict["Size"] = size
        if status is not UNSET:
            field_dict["Status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        file_id = d.pop("FileId", UNSET)

        file_name = d.pop("FileName", UNSET)

        file_path = d.pop("FilePath", UNSET)

        file_type = d.pop("FileType", UNSET)

        gmt_create = d.pop("GmtCreate", UNSET)

        gmt_modified = d.pop("GmtModified", UNSET)

        size = d.pop("Size", UNSET)

        status = d.pop("Status", UNSET)

        context_file_data = cls(
            file_id=file_id,
            file_name=file_name,
            file_path=file_path,
            file_type=file_type,
            gmt_create=gmt_create,
            gmt_modified=gmt_modified,
            size=size,
            status=status,
        )

        context_file_data.additional_properties = d
        return context_file_data

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
