from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ListSessionRequest")


@_attrs_define
class ListSessionRequest:
    authorization: str
    """ `Bearer <api key>`. """
    labels: str | Unset = UNSET
    """ A JSON object of labels every listed session must carry; `{}` lists all. """
    max_results: int | Unset = UNSET
    """ Page size (the official SDK's default is 10). """
    next_token: str | Unset = UNSET
    """ The `NextToken` of the previous page; absent for the first page. """
    status: str | Unset = UNSET
    """ (0.22.3) Only sessions in this status, e.g. `RUNNING`. """
    image_id: str | Unset = UNSET
    """ (0.22.3) Only sessions of this image. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authorization = self.authorization

        labels = self.labels

        max_results = self.max_results

        next_token = self.next_token

        status = self.status

        image_id = self.image_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Authorization": authorization,
            }
        )
        if labels is not UNSET:
            field_dict["Labels"] = labels
        if max_results is not UNSET:
            field_dict["MaxResults"] = max_results
        if next_token is not UNSET:
            field_dict["NextToken"] = next_token
        if status is not UNSET:
            field_dict["Status"] = status
        if image_id is not UNSET:
            field_dict["ImageId"] = image_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        authorization = d.pop("Authorization")

        labels = d.pop("Labels", UNSET)

        max_results = d.pop("MaxResults", UNSET)

        next_token = d.pop("NextToken", UNSET)

        status = d.pop("Status", UNSET)

        image_id = d.pop("ImageId", UNSET)

        list_session_request = cls(
            authorization=authorization,
            labels=labels,
            max_results=max_results,
            next_token=next_token,
            status=status,
            image_id=image_id,
        )

        list_session_request.additional_properties = d
        return list_session_request

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
