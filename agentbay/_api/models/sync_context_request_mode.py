from typing import Literal

SyncContextRequestMode = Literal["download", "upload"]

SYNC_CONTEXT_REQUEST_MODE_VALUES: set[SyncContextRequestMode] = {
    "download",
    "upload",
}


def check_sync_context_request_mode(value: str) -> SyncContextRequestMode:
    if value in SYNC_CONTEXT_REQUEST_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SYNC_CONTEXT_REQUEST_MODE_VALUES!r}")
