from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SessionSummary")


@_attrs_define
class SessionSummary:
    """One session of a `ListSession` page."""

    session_id: str
    session_status: str | Unset = UNSET
    """ (0.9+) e.g. `RUNNING`. """
    image_id: str | Unset = UNSET
    app_instance_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        session_status = self.session_status

        image_id = self.image_id

        app_instance_id = self.app_instance_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "SessionId": session_id,
            }
        )
        if session_status is not UNSET:
            field_dict["SessionStatus"] = session_status
        if image_id is not UNSET:
            field_dict["ImageId"] = image_id
        if app_instance_id is not UNSET:
            field_dict["AppInstanceId"] = app_instance_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        session_id = d.pop("SessionId")

        session_status = d.pop("SessionStatus", UNSET)

        image_id = d.pop("ImageId", UNSET)

        app_instance_id = d.pop("AppInstanceId", UNSET)

        session_summary = cls(
            session_id=session_id,
            session_status=session_status,
            image_id=image_id,
            app_instance_id=app_instance_id,
        )

        session_summary.additional_properties = d
        return session_summary

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
