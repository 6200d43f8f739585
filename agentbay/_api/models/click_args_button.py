from typing import Literal

ClickArgsButton = Literal["left", "middle", "right"]

CLICK_ARGS_BUTTON_VALUES: set[ClickArgsButton] = {
    "left",
    "middle",
    "right",
}


def check_click_args_button(value: str) -> ClickArgsButton:
    if value in CLICK_ARGS_BUTTON_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CLICK_ARGS_BUTTON_VALUES!r}")
