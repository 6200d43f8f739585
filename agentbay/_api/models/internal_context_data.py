from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="InternalContextData")


@_attrs_define
class InternalContextData:
    """One internal context of a session."""

    context_id: str | Unset = UNSET
    """ The context's id (usable with `GetContextFileUploadUrl` and the others). """
    context_path: str | Unset = UNSET
    """ The absolute sandbox folder where it is mounted. """
    context_type: str | Unset = UNSET
    """ `file_transfer`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        context_id = self.context_id

        context_path = self.context_path

        context_type = self.context_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if context_id is not UNSET:
            field_dict["ContextId"] = context_id
        if context_path is not UNSET:
            field_dict["ContextPath"] = context_path
        if context_type is not UNSET:
            field_dict["ContextType"] = context_type

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        context_id = d.pop("ContextId", UNSET)

        context_path = d.pop("ContextPath", UNSET)

        context_type = d.pop("ContextType", UNSET)

        internal_context_data = cls(
            context_id=context_id,
            context_path=context_path,
            context_type=context_type,
        )

        internal_context_data.additional_properties = d
        return internal_context_data

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
