from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GetSessionData")


@_attrs_define
class GetSessionData:
    session_id: str | Unset = UNSET
    app_instance_id: str | Unset = UNSET
    resource_id: str | Unset = UNSET
    resource_url: str | Unset = UNSET
    success: bool | Unset = UNSET
    status: str | Unset = UNSET
    """ `RUNNING`, `FINISH`, ... (0.22 adds `PAUSING`, `PAUSED`, `RESUMING`, `DELETING`, `DELETED`). """
    vpc_resource: bool | Unset = UNSET
    http_port: str | Unset = UNSET
    network_interface_ip: str | Unset = UNSET
    token: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        app_instance_id = self.app_instance_id

        resource_id = self.resource_id

        resource_url = self.resource_url

        success = self.success

        status = self.status

        vpc_resource = self.vpc_resource

        http_port = self.http_port

        network_interface_ip = self.network_interface_ip

        token = self.token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if session_id is not UNSET:
            field_dict["SessionId"] = session_id
        if app_instance_id is not UNSET:
            field_dict["AppInstanceId"] = app_instance_id
        if resource_id is not UNSET:
            field_dict["ResourceId"] = resource_id
        if resource_url is not UNSET:
            field_dict["ResourceUrl"] = resource_url
        if success is not UNSET:
            field_dict["Success"] = success
        if status is not UNSET:
            field_dict["Status"] = status
        if vpc_resource is not UNSET:
            field_dict["VpcResource"] = vpc_resource
        if http_port is not UNSET:
            field_dict["HttpPort"] = http_port
        if network_interface_ip is not UNSET:
            field_dict["NetworkInterfaceIp"] = network_interface_ip
        if token is not UNSET:
            field_dict["Token"] = token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        session_id = d.pop("SessionId", UNSET)

        app_instance_id = d.pop("AppInstanceId", UNSET)

        resource_id = d.pop("ResourceId", UNSET)

        resource_url = d.pop("ResourceUrl", UNSET)

        success = d.pop("Success", UNSET)

        status = d.pop("Status", UNSET)

        vpc_resource = d.pop("VpcResource", UNSET)

        http_port = d.pop("HttpPort", UNSET)

        network_interface_ip = d.pop("NetworkInterfaceIp", UNSET)

        token = d.pop("Token", UNSET)

        get_session_data = cls(
            session_id=session_id,
            app_instance_id=app_instance_id,
            resource_id=resource_id,
            resource_url=resource_url,
            success=success,
            status=status,
            vpc_resource=vpc_resource,
            http_port=http_port,
            network_interface_ip=network_interface_ip,
            token=token,
        )

        get_session_data.additional_properties = d
        return get_session_data

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
