from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GetLabelRequest")


@_attrs_define
class GetLabelRequest:
    authorization: str
    """ `Bearer <api key>`. """
    session_id: str
    """ The session's id, as `CreateMcpSession` returned it (`session-...`). """
    max_results: int | Unset = UNSET
    """ Present in the official request model; not sent by the SDKs. """
    next_token: str | Unset = UNSET
    """ Present in the official request model; not sent by the SDKs. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authorization = self.authorization

        session_id = self.session_id

        max_results = self.max_results

        next_token = self.next_token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Authorization": authorization,
                "SessionId": session_id,
            }
        )
        if max_results is not UNSET:
            field_dict["MaxResults"] = max_results
        if next_token is not UNSET:
            field_dict["NextToken"] = next_token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        authorization = d.pop("Authorization")

        session_id = d.pop("SessionId")

        max_results = d.pop("MaxResults", UNSET)

        next_token = d.pop("NextToken", UNSET)

        get_label_request = cls(
            authorization=authorization,
            session_id=session_id,
            max_results=max_results,
            next_token=next_token,
        )

        get_label_request.additional_properties = d
        return get_label_request

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
