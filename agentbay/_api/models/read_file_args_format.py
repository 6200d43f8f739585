from typing import Literal

ReadFileArgsFormat = Literal["binary", "text"]

READ_FILE_ARGS_FORMAT_VALUES: set[ReadFileArgsFormat] = {
    "binary",
    "text",
}


def check_read_file_args_format(value: str) -> ReadFileArgsFormat:
    if value in READ_FILE_ARGS_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {READ_FILE_ARGS_FORMAT_VALUES!r}")
