from typing import Literal

SyncPolicyRecyclePolicyLifecycle = Literal[
    "Lifecycle_10Days",
    "Lifecycle_15Days",
    "Lifecycle_180Days",
    "Lifecycle_1Day",
    "Lifecycle_30Days",
    "Lifecycle_360Days",
    "Lifecycle_3Days",
    "Lifecycle_5Days",
    "Lifecycle_90Days",
    "Lifecycle_Forever",
]

SYNC_POLICY_RECYCLE_POLICY_LIFECYCLE_VALUES: set[SyncPolicyRecyclePolicyLifecycle] = {
    "Lifecycle_10Days",
    "Lifecycle_15Days",
    "Lifecycle_180Days",
    "Lifecycle_1Day",
    "Lifecycle_30Days",
    "Lifecycle_360Days",
    "Lifecycle_3Days",
    "Lifecycle_5Days",
    "Lifecycle_90Days",
    "Lifecycle_Forever",
}


def check_sync_policy_recycle_policy_lifecycle(value: str) -> SyncPolicyRecyclePolicyLifecycle:
    if value in SYNC_POLICY_RECYCLE_POLICY_LIFECYCLE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SYNC_POLICY_RECYCLE_POLICY_LIFECYCLE_VALUES!r}")
