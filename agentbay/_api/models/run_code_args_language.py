from typing import Literal

RunCodeArgsLanguage = Literal["javascript", "python"]

RUN_CODE_ARGS_LANGUAGE_VALUES: set[RunCodeArgsLanguage] = {
    "javascript",
    "python",
}


def check_run_code_args_language(value: str) -> RunCodeArgsLanguage:
    if value in RUN_CODE_ARGS_LANGUAGE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RUN_CODE_ARGS_LANGUAGE_VALUES!r}")
