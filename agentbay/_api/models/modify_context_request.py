from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ModifyContextRequest")


@_attrs_define
class ModifyContextRequest:
    authorization: str
    """ `Bearer <api key>`. """
    id: str
    """ A context's id, as `GetContext` returned it (`SdkCtx-...`). """
    name: str
    """ The context's new name. """
    login_region_id: str | Unset = UNSET
    """ (0.22.3) The region the caller logged in to; 0.22.3 sends it when it creates a context. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authorization = self.authorization

        id = self.id

        name = self.name

        login_region_id = self.login_region_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Authorization": authorization,
                "Id": id,
                "Name": name,
            }
        )
        if login_region_id is not UNSET:
            field_dict["LoginRegionId"] = login_region_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        authorization = d.pop("Authorization")

        id = d.pop("Id")

        name = d.pop("Name")

        login_region_id = d.pop("LoginRegionId", UNSET)

        modify_context_request = cls(
            authorization=authorization,
            id=id,
            name=name,
            login_region_id=login_region_id,
        )

        modify_context_request.additional_properties = d
        return modify_context_request

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
