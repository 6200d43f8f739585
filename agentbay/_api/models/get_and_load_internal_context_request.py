from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.get_and_load_internal_context_request_context_types_1 import (
    GetAndLoadInternalContextRequestContextTypes1,
    check_get_and_load_internal_context_request_context_types_1,
)

T = TypeVar("T", bound="GetAndLoadInternalContextRequest")


@_attrs_define
class GetAndLoadInternalContextRequest:
    """The GetAndLoadInternalContext form (0.22.3 sends `Authorization`, `ContextTypes.1`, `SessionId`)."""

    authorization: str
    """ `Bearer <api key>`. """
    session_id: str
    """ The session's id, as `CreateMcpSession` returned it (`session-...`). """
    context_types_1: GetAndLoadInternalContextRequestContextTypes1
    """ The first (and only) context type asked for; `file_transfer` is the one known. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authorization = self.authorization

        session_id = self.session_id

        context_types_1: str = self.context_types_1

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Authorization": authorization,
                "SessionId": session_id,
                "ContextTypes.1": context_types_1,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        authorization = d.pop("Authorization")

        session_id = d.pop("SessionId")

        context_types_1 = check_get_and_load_internal_context_request_context_types_1(d.pop("ContextTypes.1"))

        get_and_load_internal_context_request = cls(
            authorization=authorization,
            session_id=session_id,
            context_types_1=context_types_1,
        )

        get_and_load_internal_context_request.additional_properties = d
        return get_and_load_internal_context_request

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
