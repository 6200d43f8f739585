from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DesktopInfo")


@_attrs_define
class DesktopInfo:
    """How to connect to the session's desktop."""

    app_id: str | Unset = UNSET
    auth_code: str | Unset = UNSET
    connection_properties: str | Unset = UNSET
    resource_id: str | Unset = UNSET
    resource_type: str | Unset = UNSET
    ticket: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        app_id = self.app_id

        auth_code = self.auth_code

        connection_properties = self.connection_properties

        resource_id = self.resource_id

        resource_type = self.resource_type

        ticket = self.ticket

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if app_id is not UNSET:
            field_dict["AppId"] = app_id
        if auth_code is not UNSET:
            field_dict["AuthCode"] = auth_code
        if connection_properties is not UNSET:
            field_dict["ConnectionProperties"] = connection_properties
        if resource_id is not UNSET:
            field_dict["ResourceId"] = resource_id
        if resource_type is not UNSET:
            field_dict["ResourceType"] = resource_type
        if ticket is not UNSET:
            field_dict["Ticket"] = ticket

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        app_id = d.pop("AppId", UNSET)

        auth_code = d.pop("AuthCode", UNSET)

        connection_properties = d.pop("ConnectionProperties", UNSET)

        resource_id = d.pop("ResourceId", UNSET)

        resource_type = d.pop("ResourceType", UNSET)

        ticket = d.pop("Ticket", UNSET)

        desktop_info = cls(
            app_id=app_id,
            auth_code=auth_code,
            connection_properties=connection_properties,
            resource_id=resource_id,
            resource_type=resource_type,
            ticket=ticket,
        )

        desktop_info.additional_properties = d
        return desktop_info

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
