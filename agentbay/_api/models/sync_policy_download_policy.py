from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.sync_policy_download_policy_download_strategy import (
    SyncPolicyDownloadPolicyDownloadStrategy,
    check_sync_policy_download_policy_download_strategy,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="SyncPolicyDownloadPolicy")


@_attrs_define
class SyncPolicyDownloadPolicy:
    auto_download: bool | Unset = UNSET
    """ Download the context into the mount when the session starts. """
    download_strategy: SyncPolicyDownloadPolicyDownloadStrategy | Unset = UNSET
    """ How; only this one exists. """

    def to_dict(self) -> dict[str, Any]:
        auto_download = self.auto_download

        download_strategy: str | Unset = UNSET
        if not isinstance(self.download_strategy, Unset):
            download_strategy = self.download_strategy

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if auto_download is not UNSET:
            field_dict["autoDownload"] = auto_download
        if download_strategy is not UNSET:
            field_dict["downloadStrategy"] = download_strategy

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        auto_download = d.pop("autoDownload", UNSET)

        _download_strategy = d.pop("downloadStrategy", UNSET)
        download_strategy: SyncPolicyDownloadPolicyDownloadStrategy | Unset
        if isinstance(_download_strategy, Unset):
            download_strategy = UNSET
        else:
            download_strategy = check_sync_policy_download_policy_download_strategy(_download_strategy)

        sync_policy_download_policy = cls(
            auto_download=auto_download,
            download_strategy=download_strategy,
        )

        return sync_policy_download_policy
