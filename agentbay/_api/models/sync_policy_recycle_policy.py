from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.sync_policy_recycle_policy_lifecycle import (
    SyncPolicyRecyclePolicyLifecycle,
    check_sync_policy_recycle_policy_lifecycle,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="SyncPolicyRecyclePolicy")


@_attrs_define
class SyncPolicyRecyclePolicy:
    """(0.9+) How long the context's data is kept."""

    lifecycle: SyncPolicyRecyclePolicyLifecycle | Unset = UNSET
    paths: list[str] | Unset = UNSET
    """ Exact folders (relative to the mount) the lifecycle applies to; `""` is all. """

    def to_dict(self) -> dict[str, Any]:
        lifecycle: str | Unset = UNSET
        if not isinstance(self.lifecycle, Unset):
            lifecycle = self.lifecycle

        paths: list[str] | Unset = UNSET
        if not isinstance(self.paths, Unset):
            paths = self.paths

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if lifecycle is not UNSET:
            field_dict["lifecycle"] = lifecycle
        if paths is not UNSET:
            field_dict["paths"] = paths

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _lifecycle = d.pop("lifecycle", UNSET)
        lifecycle: SyncPolicyRecyclePolicyLifecycle | Unset
        if isinstance(_lifecycle, Unset):
            lifecycle = UNSET
        else:
            lifecycle = check_sync_policy_recycle_policy_lifecycle(_lifecycle)

        paths = cast(list[str], d.pop("paths", UNSET))

        sync_policy_recycle_policy = cls(
            lifecycle=lifecycle,
            paths=paths,
        )

        return sync_policy_recycle_policy
