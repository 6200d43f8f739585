from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.sync_policy_upload_policy_upload_mode import (
    SyncPolicyUploadPolicyUploadMode,
    check_sync_policy_upload_policy_upload_mode,
)
from ..models.sync_policy_upload_policy_upload_strategy import (
    SyncPolicyUploadPolicyUploadStrategy,
    check_sync_policy_upload_policy_upload_strategy,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="SyncPolicyUploadPolicy")


@_attrs_define
class SyncPolicyUploadPolicy:
    auto_upload: bool | Unset = UNSET
    """ Upload the mount back to the context when the session is released. """
    upload_strategy: SyncPolicyUploadPolicyUploadStrategy | Unset = UNSET
    """ When to upload; only this one exists. """
    period: int | Unset = UNSET
    """ (0.8.0) Upload period in minutes for periodic uploads; ignored. """
    upload_mode: SyncPolicyUploadPolicyUploadMode | Unset = UNSET
    """ (0.22.3) Upload file by file, or as one archive. """

    def to_dict(self) -> dict[str, Any]:
        auto_upload = self.auto_upload

        upload_strategy: str | Unset = UNSET
        if not isinstance(self.upload_strategy, Unset):
            upload_strategy = self.upload_strategy

        period = self.period

        upload_mode: str | Unset = UNSET
        if not isinstance(self.upload_mode, Unset):
            upload_mode = self.upload_mode

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if auto_upload is not UNSET:
            field_dict["autoUpload"] = auto_upload
        if upload_strategy is not UNSET:
            field_dict["uploadStrategy"] = upload_strategy
        if period is not UNSET:
            field_dict["period"] = period
        if upload_mode is not UNSET:
            field_dict["uploadMode"] = upload_mode

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        auto_upload = d.pop("autoUpload", UNSET)

        _upload_strategy = d.pop("uploadStrategy", UNSET)
        upload_strategy: SyncPolicyUploadPolicyUploadStrategy | Unset
        if isinstance(_upload_strategy, Unset):
            upload_strategy = UNSET
        else:
            upload_strategy = check_sync_policy_upload_policy_upload_strategy(_upload_strategy)

        period = d.pop("period", UNSET)

        _upload_mode = d.pop("uploadMode", UNSET)
        upload_mode: SyncPolicyUploadPolicyUploadMode | Unset
        if isinstance(_upload_mode, Unset):
            upload_mode = UNSET
        else:
            upload_mode = check_sync_policy_upload_policy_upload_mode(_upload_mode)

        sync_policy_upload_policy = cls(
            auto_upload=auto_upload,
            upload_strategy=upload_strategy,
            period=period,
            upload_mode=upload_mode,
        )

        return sync_policy_upload_policy
