from typing import Literal

SyncPolicyUploadPolicyUploadStrategy = Literal["UploadBeforeResourceRelease"]

SYNC_POLICY_UPLOAD_POLICY_UPLOAD_STRATEGY_VALUES: set[SyncPolicyUploadPolicyUploadStrategy] = {
    "UploadBeforeResourceRelease",
}


def check_sync_policy_upload_policy_upload_strategy(value: str) -> SyncPolicyUploadPolicyUploadStrategy:
    if value in SYNC_POLICY_UPLOAD_POLICY_UPLOAD_STRATEGY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SYNC_POLICY_UPLOAD_POLICY_UPLOAD_STRATEGY_VALUES!r}")
