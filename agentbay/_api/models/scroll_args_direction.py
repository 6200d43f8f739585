from typing import Literal

ScrollArgsDirection = Literal["down", "left", "right", "up"]

SCROLL_ARGS_DIRECTION_VALUES: set[ScrollArgsDirection] = {
    "down",
    "left",
    "right",
    "up",
}


def check_scroll_args_direction(value: str) -> ScrollArgsDirection:
    if value in SCROLL_ARGS_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SCROLL_ARGS_DIRECTION_VALUES!r}")
