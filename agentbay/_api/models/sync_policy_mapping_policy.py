from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SyncPolicyMappingPolicy")


@_attrs_define
class SyncPolicyMappingPolicy:
    """(0.22.3) Cross-platform mapping."""

    path: str | Unset = UNSET
    """ The original path on another OS mapped to the mount path. """

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if path is not UNSET:
            field_dict["path"] = path

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path", UNSET)

        sync_policy_mapping_policy = cls(
            path=path,
        )

        return sync_policy_mapping_policy
