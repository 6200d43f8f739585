from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ListContextsRequest")


@_attrs_define
class ListContextsRequest:
    authorization: str
    """ `Bearer <api key>`. """
    max_results: int | Unset = UNSET
    """ Page size (the official SDKs' default is 10). """
    next_token: str | Unset = UNSET
    """ The `NextToken` of the previous page; absent for the first page. """
    session_id: str | Unset = UNSET
    """ (0.22.3 model; not sent by the SDKs) Only the contexts bound to this session [assumed]. """
    context_type: str | Unset = UNSET
    """ (0.22.3 model; not sent by the SDKs) Only contexts of this type [assumed]. """
    login_region_id: str | Unset = UNSET
    """ (0.22.3) The region the caller logged in to; 0.22.3 sends it when it creates a context. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authorization = self.authorization

        max_results = self.max_results

        next_token = self.next_token

        session_id = self.session_id

        context_type = self.context_type

        login_region_id = self.login_region_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Authorization": authorization,
            }
        )
        if max_results is not UNSET:
            field_dict["MaxResults"] = max_results
        if next_token is not UNSET:
            field_dict["NextToken"] = next_token
        if session_id is not UNSET:
            field_dict["SessionId"] = session_id
        if context_type is not UNSET:
            field_dict["ContextType"] = context_type
        if login_region_id is not UNSET:
            field_dict["LoginRegionId"] = login_region_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        authorization = d.pop("Authorization")

        max_results = d.pop("MaxResults", UNSET)

        next_token = d.pop("NextToken", UNSET)

        session_id = d.pop("SessionId", UNSET)

        context_type = d.pop("ContextType", UNSET)

        login_region_id = d.pop("LoginRegionId", UNSET)

        list_contexts_request = cls(
            authorization=authorization,
            max_results=max_results,
            next_token=next_token,
            session_id=session_id,
            context_type=context_type,
            login_region_id=login_region_id,
        )

        list_contexts_request.additional_properties = d
        return list_contexts_request

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
