from typing import Literal

SyncPolicyDownloadPolicyDownloadStrategy = Literal["DownloadAsync"]

SYNC_POLICY_DOWNLOAD_POLICY_DOWNLOAD_STRATEGY_VALUES: set[SyncPolicyDownloadPolicyDownloadStrategy] = {
    "DownloadAsync",
}


def check_sync_policy_download_policy_download_strategy(value: str) -> SyncPolicyDownloadPolicyDownloadStrategy:
    if value in SYNC_POLICY_DOWNLOAD_POLICY_DOWNLOAD_STRATEGY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SYNC_POLICY_DOWNLOAD_POLICY_DOWNLOAD_STRATEGY_VALUES!r}"
    )
