from typing import Literal

DragMouseArgsButton = Literal["left", "middle", "right"]

DRAG_MOUSE_ARGS_BUTTON_VALUES: set[DragMouseArgsButton] = {
    "left",
    "middle",
    "right",
}


def check_drag_mouse_args_button(value: str) -> DragMouseArgsButton:
    if value in DRAG_MOUSE_ARGS_BUTTON_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DRAG_MOUSE_ARGS_BUTTON_VALUES!r}")
