from typing import Literal

WriteFileArgsFormat = Literal["binary", "text"]

WRITE_FILE_ARGS_FORMAT_VALUES: set[WriteFileArgsFormat] = {
    "binary",
    "text",
}


def check_write_file_args_format(value: str) -> WriteFileArgsFormat:
    if value in WRITE_FILE_ARGS_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {WRITE_FILE_ARGS_FORMAT_VALUES!r}")
