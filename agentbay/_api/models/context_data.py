from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ContextData")


@_attrs_define
class ContextData:
    """A context, as `GetContext` and `ListContexts` describe it."""

    id: str
    """ The context's id (`SdkCtx-...`). """
    name: str | Unset = UNSET
    """ Its name. """
    state: str | Unset = UNSET
    """ `available` (others [assumed], e.g. `in-use` while a session mounts it). """
    create_time: str | Unset = UNSET
    """ When it was created, UTC `%Y-%m-%dT%H:%M:%SZ`. """
    last_used_time: str | Unset = UNSET
    """ When a session last used it, same format. """
    os_type: None | str | Unset = UNSET
    """ The OS of the sessions that used it; null for none. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        state = self.state

        create_time = self.create_time

        last_used_time = self.last_used_time

        os_type: None | str | Unset
        if isinstance(self.os_type, Unset):
            os_type = UNSET
        else:
            os_type = self.os_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Id": id,
            }
        )
        if name is not UNSET:
            field_dict["Name"] = name
        if state is not UNSET:
            field_dict["State"] = state
        if create_time is not UNSET:
            field_dict["CreateTime"] = create_time
        if last_used_time is not UNSET:
            field_dict["LastUsedTime"] = last_used_time
        if os_type is not UNSET:
            field_dict["OsType"] = os_type

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("Id")

        name = d.pop("Name", UNSET)

        state = d.pop("State", UNSET)

        create_time = d.pop("CreateTime", UNSET)

        last_used_time = d.pop("LastUsedTime", UNSET)

        def _parse_os_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        os_type = _parse_os_type(d.pop("OsType", UNSET))

        context_data = cls(
            id=id,
            name=name,
            state=state,
            create_time=create_time,
            last_used_time=last_used_time,
            os_type=os_type,
        )

        context_data.additional_properties = d
        return context_data

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
