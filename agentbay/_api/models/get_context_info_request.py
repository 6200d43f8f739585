from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.get_context_info_request_task_type import (
    GetContextInfoRequestTaskType,
    check_get_context_info_request_task_type,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="GetContextInfoRequest")


@_attrs_define
class GetContextInfoRequest:
    authorization: str
    """ `Bearer <api key>`. """
    session_id: str
    """ The session's id, as `CreateMcpSession` returned it (`session-...`). """
    context_id: str | Unset = UNSET
    """ A context's id, as `GetContext` returned it (`SdkCtx-...`). """
    path: str | Unset = UNSET
    """ Only the tasks of this sandbox path (a mount path, or the path of a sync). """
    task_type: GetContextInfoRequestTaskType | Unset = UNSET
    """ Only tasks of this type. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authorization = self.authorization

        session_id = self.session_id

        context_id = self.context_id

        path = self.path

        task_type: str | Unset = UNSET
        if not isinstance(self.task_type, Unset):
            task_type = self.task_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Authorization": authorization,
                "SessionId": session_id,
            }
        )
        if context_id is not UNSET:
            field_dict["ContextId"] = context_id
        if path is not UNSET:
            field_dict["Path"] = path
        if task_type is not UNSET:
            field_dict["TaskType"] = task_type

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        authorization = d.pop("Authorization")

        session_id = d.pop("SessionId")

        context_id = d.pop("ContextId", UNSET)

        path = d.pop("Path", UNSET)

        _task_type = d.pop("TaskType", UNSET)
        task_type: GetContextInfoRequestTaskType | Unset
        if isinstance(_task_type, Unset):
            task_type = UNSET
        else:
            task_type = check_get_context_info_request_task_type(_task_type)

        get_context_info_request = cls(
            authorization=authorization,
            session_id=session_id,
            context_id=context_id,
            path=path,
            task_type=task_type,
        )

        get_context_info_request.additional_properties = d
        return get_context_info_request

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
