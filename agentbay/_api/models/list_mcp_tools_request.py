from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ListMcpToolsRequest")


@_attrs_define
class ListMcpToolsRequest:
    authorization: str
    """ `Bearer <api key>`. """
    image_id: str | Unset = UNSET
    """ The image whose tools to list (`linux_latest` by default in 0.22.3). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authorization = self.authorization

        image_id = self.image_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Authorization": authorization,
            }
        )
        if image_id is not UNSET:
            field_dict["ImageId"] = image_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        authorization = d.pop("Authorization")

        image_id = d.pop("ImageId", UNSET)

        list_mcp_tools_request = cls(
            authorization=authorization,
            image_id=image_id,
        )

        list_mcp_tools_request.additional_properties = d
        return list_mcp_tools_request

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
