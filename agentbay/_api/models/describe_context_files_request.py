from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DescribeContextFilesRequest")


@_attrs_define
class DescribeContextFilesRequest:
    authorization: str
    """ `Bearer <api key>`. """
    context_id: str
    """ A context's id, as `GetContext` returned it (`SdkCtx-...`). """
    parent_folder_path: str
    """ The folder to list, written as a path (`/home/wuying`); `""` or `/` is the top [assumed]. """
    page_number: int | Unset = UNSET
    """ The 1-based page (the SDKs send 1 by default). """
    page_size: int | Unset = UNSET
    """ Entries per page (the SDKs send 50 by default). The 0.22.3 model also has query `MaxResults`/`NextToken`,
    never sent. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authorization = self.authorization

        context_id = self.context_id

        parent_folder_path = self.parent_folder_path

        page_number = self.page_number

        page_size = self.page_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Authorization": authorization,
                "ContextId": context_id,
                "ParentFolderPath": parent_folder_path,
            }
        )
        if page_number is not UNSET:
            field_dict["PageNumber"] = page_number
        if page_size is not UNSET:
            field_dict["PageSize"] = page_size

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        authorization = d.pop("Authorization")

        context_id = d.pop("ContextId")

        parent_folder_path = d.pop("ParentFolderPath")

        page_number = d.pop("PageNumber", UNSET)

        page_size = d.pop("PageSize", UNSET)

        describe_context_files_request = cls(
            authorization=authorization,
            context_id=context_id,
            parent_folder_path=parent_folder_path,
            page_number=page_number,
            page_size=page_size,
        )

        describe_context_files_request.additional_properties = d
        return describe_context_files_request

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
