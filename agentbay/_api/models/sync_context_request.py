from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.sync_context_request_mode import (
    SyncContextRequestMode,
    check_sync_context_request_mode,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="SyncContextRequest")


@_attrs_define
class SyncContextRequest:
    """The SyncContext form; note there is no `Authorization` here (it travels in the query)."""

    session_id: str
    """ The session's id, as `CreateMcpSession` returned it (`session-...`). """
    context_id: str | Unset = UNSET
    """ A context's id, as `GetContext` returned it (`SdkCtx-...`). """
    path: str | Unset = UNSET
    """ Only this absolute sandbox path: a mount path or a path under one (the keys under it), or,
    for 0.9.0's file transfer, any path (its key is the path without the leading `/`) [local server].
     """
    mode: SyncContextRequestMode | Unset = UNSET
    """ `upload` (session to context; the default when absent) or `download` (context to session). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        context_id = self.context_id

        path = self.path

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "SessionId": session_id,
            }
        )
        if context_id is not UNSET:
            field_dict["ContextId"] = context_id
        if path is not UNSET:
            field_dict["Path"] = path
        if mode is not UNSET:
            field_dict["Mode"] = mode

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        session_id = d.pop("SessionId")

        context_id = d.pop("ContextId", UNSET)

        path = d.pop("Path", UNSET)

        _mode = d.pop("Mode", UNSET)
        mode: SyncContextRequestMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = check_sync_context_request_mode(_mode)

        sync_context_request = cls(
            session_id=session_id,
            context_id=context_id,
            path=path,
            mode=mode,
        )

        sync_context_request.additional_properties = d
        return sync_context_request

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
