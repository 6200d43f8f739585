from typing import Literal

UiElementsArgsFormat = Literal["json", "xml"]

UI_ELEMENTS_ARGS_FORMAT_VALUES: set[UiElementsArgsFormat] = {
    "json",
    "xml",
}


def check_ui_elements_args_format(value: str) -> UiElementsArgsFormat:
    if value in UI_ELEMENTS_ARGS_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {UI_ELEMENTS_ARGS_FORMAT_VALUES!r}")
