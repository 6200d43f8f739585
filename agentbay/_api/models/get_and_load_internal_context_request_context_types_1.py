from typing import Literal

GetAndLoadInternalContextRequestContextTypes1 = Literal["file_transfer"]

GET_AND_LOAD_INTERNAL_CONTEXT_REQUEST_CONTEXT_TYPES_1_VALUES: set[GetAndLoadInternalContextRequestContextTypes1] = {
    "file_transfer",
}


def check_get_and_load_internal_context_request_context_types_1(
    value: str,
) -> GetAndLoadInternalContextRequestContextTypes1:
    if value in GET_AND_LOAD_INTERNAL_CONTEXT_REQUEST_CONTEXT_TYPES_1_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {GET_AND_LOAD_INTERNAL_CONTEXT_REQUEST_CONTEXT_TYPES_1_VALUES!r}"
    )
