from typing import Literal

ClickMouseArgsButton = Literal["double_left", "left", "middle", "right"]

CLICK_MOUSE_ARGS_BUTTON_VALUES: set[ClickMouseArgsButton] = {
    "double_left",
    "left",
    "middle",
    "right",
}


def check_click_mouse_args_button(value: str) -> ClickMouseArgsButton:
    if value in CLICK_MOUSE_ARGS_BUTTON_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CLICK_MOUSE_ARGS_BUTTON_VALUES!r}")
