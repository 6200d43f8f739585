from typing import Literal

SyncPolicyUploadPolicyUploadMode = Literal["Archive", "File"]

SYNC_POLICY_UPLOAD_POLICY_UPLOAD_MODE_VALUES: set[SyncPolicyUploadPolicyUploadMode] = {
    "Archive",
    "File",
}


def check_sync_policy_upload_policy_upload_mode(value: str) -> SyncPolicyUploadPolicyUploadMode:
    if value in SYNC_POLICY_UPLOAD_POLICY_UPLOAD_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SYNC_POLICY_UPLOAD_POLICY_UPLOAD_MODE_VALUES!r}")
