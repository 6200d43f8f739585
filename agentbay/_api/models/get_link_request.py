from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GetLinkRequest")


@_attrs_define
class GetLinkRequest:
    authorization: str
    """ `Bearer <api key>`. """
    session_id: str
    """ The session's id, as `CreateMcpSession` returned it (`session-...`). """
    protocol_type: str | Unset = UNSET
    """ The link's protocol, e.g. `https`, `wss`. """
    port: str | Unset = UNSET
    """ A port inside the session, as a decimal string (1-65535). """
    option: str | Unset = UNSET
    """ (0.22.3) Options of the link, sent verbatim as the caller gave them (a JSON object text, e.g.
    `{"example_option": "value"}`); their meaning to the service is not documented. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authorization = self.authorization

        session_id = self.session_id

        protocol_type = self.protocol_type

        port = self.port

        option = self.option

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Authorization": authorization,
                "SessionId": session_id,
            }
        )
        if protocol_type is not UNSET:
            field_dict["ProtocolType"] = protocol_type
        if port is not UNSET:
            field_dict["Port"] = port
        if option is not UNSET:
            field_dict["Option"] = option

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        authorization = d.pop("Authorization")

        session_id = d.pop("SessionId")

        protocol_type = d.pop("ProtocolType", UNSET)

        port = d.pop("Port", UNSET)

        option = d.pop("Option", UNSET)

        get_link_request = cls(
            authorization=authorization,
            session_id=session_id,
            protocol_type=protocol_type,
            port=port,
            option=option,
        )

        get_link_request.additional_properties = d
        return get_link_request

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
