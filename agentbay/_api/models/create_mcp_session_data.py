from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateMcpSessionData")


@_attrs_define
class CreateMcpSessionData:
    """The new session; when `Success` is false only `Success` and `ErrMsg` are there."""

    session_id: str | Unset = UNSET
    """ The new session's id (absent when the create failed). """
    resource_url: str | Unset = UNSET
    """ A URL of the session's resource (its desktop stream). """
    app_instance_id: str | Unset = UNSET
    resource_id: str | Unset = UNSET
    success: bool | Unset = UNSET
    """ `false` (with `ErrMsg`) when the session could not be created. """
    err_msg: str | Unset = UNSET
    vpc_resource: bool | Unset = UNSET
    network_interface_ip: str | Unset = UNSET
    http_port: str | Unset = UNSET
    token: str | Unset = UNSET
    """ (0.9+) The token of the VPC tool channel. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        resource_url = self.resource_url

        app_instance_id = self.app_instance_id

        resource_id = self.resource_id

        success = self.success

        err_msg = self.err_msg

        vpc_resource = self.vpc_resource

        network_interface_ip = self.network_interface_ip

        http_port = self.http_port

        token = self.token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if session_id is not UNSET:
            field_dict["SessionId"] = session_id
        if resource_url is not UNSET:
            field_dict["ResourceUrl"] = resource_url
        if app_instance_id is not UNSET:
            field_dict["AppInstanceId"] = app_instance_id
        if resource_id is not UNSET:
            field_dict["ResourceId"] = resource_id
        if success is not UNSET:
            field_dict["Success"] = success
        if err_msg is not UNSET:
            field_dict["ErrMsg"] = err_msg
        if vpc_resource is not UNSET:
            field_dict["VpcResource"] = vpc_resource
        if network_interface_ip is not UNSET:
            field_dict["NetworkInterfaceIp"] = network_interface_ip
        if http_port is not UNSET:
            field_dict["HttpPort"] = http_port
        if token is not UNSET:
            field_dict["Token"] = token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        session_id = d.pop("SessionId", UNSET)

        resource_url = d.pop("ResourceUrl", UNSET)

        app_instance_id = d.pop("AppInstanceId", UNSET)

        resource_id = d.pop("ResourceId", UNSET)

        success = d.pop("Success", UNSET)

        err_msg = d.pop("ErrMsg", UNSET)

        vpc_resource = d.pop("VpcResource", UNSET)

        network_interface_ip = d.pop("NetworkInterfaceIp", UNSET)

        http_port = d.pop("HttpPort", UNSET)

        token = d.pop("Token", UNSET)

        create_mcp_session_data = cls(
            session_id=session_id,
            resource_url=resource_url,
            app_instance_id=app_instance_id,
            resource_id=resource_id,
            success=success,
            err_msg=err_msg,
            vpc_resource=vpc_resource,
            network_interface_ip=network_interface_ip,
            http_port=http_port,
            token=token,
        )

        create_mcp_session_data.additional_properties = d
        return create_mcp_session_data

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
