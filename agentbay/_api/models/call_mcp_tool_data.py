from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.mcp_content import McpContent


T = TypeVar("T", bound="CallMcpToolData")


@_attrs_define
class CallMcpToolData:
    """An MCP tool result."""

    content: list[McpContent] | Unset = UNSET
    is_error: bool | Unset = UNSET
    """ `true` when the tool failed; `content` says why. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.content, Unset):
            content = []
            for content_item_data in self.content:
                content_item = content_item_data.to_dict()
                content.append(content_item)

        is_error = self.is_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if content is not UNSET:
            field_dict["content"] = content
        if is_error is not UNSET:
            field_dict["isError"] = is_error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.mcp_content import McpContent

        d = dict(src_dict)
        _content = d.pop("content", UNSET)
        content: list[McpContent] | Unset = UNSET
        if _content is not UNSET:
            content = []
            for content_item_data in _content:
                content_item = McpContent.from_dict(content_item_data)

                content.append(content_item)

        is_error = d.pop("isError", UNSET)

        call_mcp_tool_data = cls(
            content=content,
            is_error=is_error,
        )

        call_mcp_tool_data.additional_properties = d
        return call_mcp_tool_data

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
