from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CallMcpToolRequest")


@_attrs_define
class CallMcpToolRequest:
    authorization: str
    """ `Bearer <api key>`. """
    session_id: str
    """ The session's id, as `CreateMcpSession` returned it (`session-...`). """
    name: str
    """ The tool, a name of the `x-mcp-tools` index. """
    args: str
    """ The JSON object of the tool's arguments; its schema is the tool's `args` in `x-mcp-tools`. """
    auto_gen_session: bool | Unset = UNSET
    """ (0.22.3) Always false. """
    server: str | Unset = UNSET
    """ (0.22.3) The MCP server that hosts the tool; empty to let the service choose. """
    external_user_id: str | Unset = UNSET
    """ Present in the official request model. """
    image_id: str | Unset = UNSET
    """ Present in the official request model. """
    tool: str | Unset = UNSET
    """ Present in the official request model. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authorization = self.authorization

        session_id = self.session_id

        name = self.name

        args = self.args

        auto_gen_session = self.auto_gen_session

        server = self.server

        external_user_id = self.external_user_id

        image_id = self.image_id

        tool = self.tool

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Authorization": authorization,
                "SessionId": session_id,
                "Name": name,
                "Args": args,
            }
        )
        if auto_gen_session is not UNSET:
            field_dict["AutoGenSession"] = auto_gen_session
        if server is not UNSET:
            field_dict["Server"] = server
        if external_user_id is not UNSET:
            field_dict["ExternalUserId"] = external_user_id
        if image_id is not UNSET:
            field_dict["ImageId"] = image_id
        if tool is not UNSET:
            field_dict["Tool"] = tool

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        authorization = d.pop("Authorization")

        session_id = d.pop("SessionId")

        name = d.pop("Name")

        args = d.pop("Args")

        auto_gen_session = d.pop("AutoGenSession", UNSET)

        server = d.pop("Server", UNSET)

        external_user_id = d.pop("ExternalUserId", UNSET)

        image_id = d.pop("ImageId", UNSET)

        tool = d.pop("Tool", UNSET)

        call_mcp_tool_request = cls(
            authorization=authorization,
            session_id=session_id,
            name=name,
            args=args,
            auto_gen_session=auto_gen_session,
            server=server,
            external_user_id=external_user_id,
            image_id=image_id,
            tool=tool,
        )

        call_mcp_tool_request.additional_properties = d
        return call_mcp_tool_request

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
