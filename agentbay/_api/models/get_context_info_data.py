from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GetContextInfoData")


@_attrs_define
class GetContextInfoData:
    context_status: str | Unset = UNSET
    """ A JSON string of `[{"type": "data", "data": "<JSON string of [item, ...]>"}]`; each item is
    `{"contextId", "path", "status", "taskType", "startTime", "finishTime", "errorMessage"}`:
    `status` is `Pending`, `Running`, `Success` or `Failed`; `taskType` is `upload` or
    `download`; the times are Unix seconds; `errorMessage` is `""` unless the task failed.
    `""` or an empty list means there is nothing to wait for.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        context_status = self.context_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if context_status is not UNSET:
            field_dict["ContextStatus"] = context_status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        context_status = d.pop("ContextStatus", UNSET)

        get_context_info_data = cls(
            context_status=context_status,
        )

        get_context_info_data.additional_properties = d
        return get_context_info_data

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
