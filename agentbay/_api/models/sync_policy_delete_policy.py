from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SyncPolicyDeletePolicy")


@_attrs_define
class SyncPolicyDeletePolicy:
    sync_local_file: bool | Unset = UNSET
    """ An upload deletes the context's files that are gone from the session. """

    def to_dict(self) -> dict[str, Any]:
        sync_local_file = self.sync_local_file

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if sync_local_file is not UNSET:
            field_dict["syncLocalFile"] = sync_local_file

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        sync_local_file = d.pop("syncLocalFile", UNSET)

        sync_policy_delete_policy = cls(
            sync_local_file=sync_local_file,
        )

        return sync_policy_delete_policy
