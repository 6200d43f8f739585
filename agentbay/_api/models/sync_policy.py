from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sync_policy_bw_list import SyncPolicyBwList
    from ..models.sync_policy_delete_policy import SyncPolicyDeletePolicy
    from ..models.sync_policy_download_policy import SyncPolicyDownloadPolicy
    from ..models.sync_policy_extract_policy import SyncPolicyExtractPolicy
    from ..models.sync_policy_mapping_policy import SyncPolicyMappingPolicy
    from ..models.sync_policy_recycle_policy import SyncPolicyRecyclePolicy
    from ..models.sync_policy_upload_policy import SyncPolicyUploadPolicy


T = TypeVar("T", bound="SyncPolicy")


@_attrs_define
class SyncPolicy:
    """How a mounted context syncs (camelCase keys, as the official SDKs send them). The default
    (0.8.0) is `{"uploadPolicy":{"autoUpload":true,"uploadStrategy":"UploadBeforeResourceRelease",
    "period":30},"downloadPolicy":{"autoDownload":true,"downloadStrategy":"DownloadAsync"},
    "deletePolicy":{"syncLocalFile":true},"extractPolicy":{"extract":true,"deleteSrcFile":true,
    "extractToCurrentFolder":false},"bwList":{"whiteLists":[{"path":"","excludePaths":[]}]}}`;
    0.9 drops `period` and adds `recyclePolicy`; 0.22.3 adds `uploadMode`, `isPathRegex`,
    `isExcludeRegex` and (optional) `mappingPolicy`.

    """

    upload_policy: SyncPolicyUploadPolicy | Unset = UNSET
    download_policy: SyncPolicyDownloadPolicy | Unset = UNSET
    delete_policy: SyncPolicyDeletePolicy | Unset = UNSET
    extract_policy: SyncPolicyExtractPolicy | Unset = UNSET
    recycle_policy: SyncPolicyRecyclePolicy | Unset = UNSET
    """ (0.9+) How long the context's data is kept. """
    bw_list: SyncPolicyBwList | Unset = UNSET
    mapping_policy: SyncPolicyMappingPolicy | Unset = UNSET
    """ (0.22.3) Cross-platform mapping. """

    def to_dict(self) -> dict[str, Any]:
        upload_policy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.upload_policy, Unset):
            upload_policy = self.upload_policy.to_dict()

        download_policy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.download_policy, Unset):
            download_policy = self.download_policy.to_dict()

        delete_policy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.delete_policy, Unset):
            delete_policy = self.delete_policy.to_dict()

        extract_policy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extract_policy, Unset):
            extract_policy = self.extract_policy.to_dict()

        recycle_policy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.recycle_policy, Unset):
            recycle_policy = self.recycle_policy.to_dict()

        bw_list: dict[str, Any] | Unset = UNSET
        if not isinstance(self.bw_list, Unset):
            bw_list = self.bw_list.to_dict()

        mapping_policy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.mapping_policy, Unset):
            mapping_policy = self.mapping_policy.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if upload_policy is not UNSET:
            field_dict["uploadPolicy"] = upload_policy
        if download_policy is not UNSET:
            field_dict["downloadPolicy"] = download_policy
        if delete_policy is not UNSET:
            field_dict["deletePolicy"] = delete_policy
        if extract_policy is not UNSET:
            field_dict["extractPolicy"] = extract_policy
        if recycle_policy is not UNSET:
            field_dict["recyclePolicy"] = recycle_policy
        if bw_list is not UNSET:
            field_dict["bwList"] = bw_list
        if mapping_policy is not UNSET:
            field_dict["mappingPolicy"] = mapping_policy

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.sync_policy_bw_list import SyncPolicyBwList
        from ..models.sync_policy_delete_policy import SyncPolicyDeletePolicy
        from ..models.sync_policy_download_policy import SyncPolicyDownloadPolicy
        from ..models.sync_policy_extract_policy import SyncPolicyExtractPolicy
        from ..models.sync_policy_mapping_policy import SyncPolicyMappingPolicy
        from ..models.sync_policy_recycle_policy import SyncPolicyRecyclePolicy
        from ..models.sync_policy_upload_policy import SyncPolicyUploadPolicy

        d = dict(src_dict)
        _upload_policy = d.pop("uploadPolicy", UNSET)
        upload_policy: SyncPolicyUploadPolicy | Unset
        if isinstance(_upload_policy, Unset):
            upload_policy = UNSET
        else:
            upload_policy = SyncPolicyUploadPolicy.from_dict(_upload_policy)

        _download_policy = d.pop("downloadPolicy", UNSET)
        download_policy: SyncPolicyDownloadPolicy | Unset
        if isinstance(_download_policy, Unset):
            download_policy = UNSET
        else:
            download_policy = SyncPolicyDownloadPolicy.from_dict(_download_policy)

        _delete_policy = d.pop("deletePolicy", UNSET)
        delete_policy: SyncPolicyDeletePolicy | Unset
        if isinstance(_delete_policy, Unset):
            delete_policy = UNSET
        else:
            delete_policy = SyncPolicyDeletePolicy.from_dict(_delete_policy)

        _extract_policy = d.pop("extractPolicy", UNSET)
        extract_policy: SyncPolicyExtractPolicy | Unset
        if isinstance(_extract_policy, Unset):
            extract_policy = UNSET
        else:
            extract_policy = SyncPolicyExtractPolicy.from_dict(_extract_policy)

        _recycle_policy = d.pop("recyclePolicy", UNSET)
        recycle_policy: SyncPolicyRecyclePolicy | Unset
        if isinstance(_recycle_policy, Unset):
            recycle_policy = UNSET
        else:
            recycle_policy = SyncPolicyRecyclePolicy.from_dict(_recycle_policy)

        _bw_list = d.pop("bwList", UNSET)
        bw_list: SyncPolicyBwList | Unset
        if isinstance(_bw_list, Unset):
            bw_list = UNSET
        else:
            bw_list = SyncPolicyBwList.from_dict(_bw_list)

        _mapping_policy = d.pop("mappingPolicy", UNSET)
        mapping_policy: SyncPolicyMappingPolicy | Unset
        if isinstance(_mapping_policy, Unset):
            mapping_policy = UNSET
        else:
            mapping_policy = SyncPolicyMappingPolicy.from_dict(_mapping_policy)

        sync_policy = cls(
            upload_policy=upload_policy,
            download_policy=download_policy,
            delete_policy=delete_policy,
            extract_policy=extract_policy,
            recycle_policy=recycle_policy,
            bw_list=bw_list,
            mapping_policy=mapping_policy,
        )

        return sync_policy
