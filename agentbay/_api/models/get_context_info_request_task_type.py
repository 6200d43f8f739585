from typing import Literal

GetContextInfoRequestTaskType = Literal["download", "upload"]

GET_CONTEXT_INFO_REQUEST_TASK_TYPE_VALUES: set[GetContextInfoRequestTaskType] = {
    "download",
    "upload",
}


def check_get_context_info_request_task_type(value: str) -> GetContextInfoRequestTaskType:
    if value in GET_CONTEXT_INFO_REQUEST_TASK_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_CONTEXT_INFO_REQUEST_TASK_TYPE_VALUES!r}")
