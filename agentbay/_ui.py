"""The `ui` tools without I/O: key codes, the UI element tree, argument checks and reply parsers.
(Its screenshots are the `computer` ones: see `_computer`.)"""

from __future__ import annotations

import json
import re
from enum import IntEnum
from typing import Any

import attrs

from ._computer import CLICK_BUTTONS, check_button, check_int, check_point
from ._exceptions import InvalidInputError, ServerError
from ._types import ApiResult
from ._wire import ToolOutput

__all__ = ["Bounds", "KeyCode", "UIElement", "UIElementListResult"]

DEFAULT_TIMEOUT_MS = 2000
"""The official SDKs' wait for the element tree."""
DEFAULT_SWIPE_MS = 300


class KeyCode(IntEnum):
    """The key codes `send_key` takes: the service's (Android ``KeyEvent``) codes. The first six are
    the official SDK's; the rest are the keyboard's codes under Android's names (the local server maps
    them to the desktop's keys: BACK is Escape, HOME the Super key)."""

    HOME = 3
    BACK = 4
    VOLUME_UP = 24
    VOLUME_DOWN = 25
    POWER = 26
    MENU = 82
    DPAD_UP = 19
    DPAD_DOWN = 20
    DPAD_LEFT = 21
    DPAD_RIGHT = 22
    TAB = 61
    SPACE = 62
    ENTER = 66
    DEL = 67
    """Backspace: deletes backwards."""
    PAGE_UP = 92
    PAGE_DOWN = 93
    ESCAPE = 111
    FORWARD_DEL = 112
    """Delete: deletes forwards."""
    MOVE_HOME = 122
    MOVE_END = 123


@attrs.frozen(kw_only=True)
class Bounds:
    """An element's rectangle in screen pixels: left and top inclusive, right and bottom exclusive."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def center(self) -> tuple[int, int]:
        """The point to click to hit the element."""
        return (self.left + self.right) // 2, (self.top + self.bottom) // 2


@attrs.frozen(kw_only=True)
class UIElement:
    """One element of the screen's UI tree, with the service's fields under Python names."""

    bounds: str = ""
    """As the service sent it: ``"[0,0][1080,2400]"`` or ``"48,90,1032,630"``; `bounds_rect` parses it."""
    bounds_rect: Bounds | None = None
    """`bounds` as numbers; None when the service sent none, or a form not known here."""
    class_name: str = ""
    """``className``: e.g. a window's X class on a Linux desktop."""
    text: str = ""
    """The element's text: e.g. a window's title."""
    type: str = ""
    resource_id: str = ""
    """``resourceId``."""
    index: int = -1
    is_parent: bool = False
    """``isParent``: the element has children."""
    children: list[UIElement] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class UIElementListResult(ApiResult):
    """UI elements (`get_clickable_ui_elements`, `get_all_ui_elements`)."""

    elements: list[UIElement] = attrs.field(factory=list)


# ---- arguments -------------------------------------------------------------------------------------


def elements_args(timeout_ms: object) -> dict[str, Any]:
    return {"timeout_ms": check_int(timeout_ms, "timeout_ms", 1)}


def send_key_args(key: object) -> dict[str, Any]:
    """A `KeyCode`, or another of the service's key codes as an int."""
    if isinstance(key, bool) or not isinstance(key, int) or key < 0:
        raise InvalidInputError(f"Expected a KeyCode (or an int key code >= 0) for `key`, got {key!r}")
    return {"key": int(key)}


def swipe_args(
    start_x: object, start_y: object, end_x: object, end_y: object, duration_ms: object
) -> dict[str, Any]:
    start_x, start_y = check_point(start_x, start_y, "start_")
    end_x, end_y = check_point(end_x, end_y, "end_")
    duration_ms = check_int(duration_ms, "duration_ms")
    return {
        "start_x": start_x,
        "start_y": start_y,
        "end_x": end_x,
        "end_y": end_y,
        "duration_ms": duration_ms,
    }


def click_args(x: object, y: object, button: object) -> dict[str, Any]:
    x, y = check_point(x, y)
    return {"x": x, "y": y, "button": check_button(button, CLICK_BUTTONS)}


# ---- replies --------------------------------------------------------------------------------------

_NUMBER = re.compile(r"-?\d+")


def parse_bounds(bounds: str) -> Bounds | None:
    """``"[l,t][r,b]"`` (Android's) or ``"l,t,r,b"``: four numbers either way."""
    numbers = [int(n) for n in _NUMBER.findall(bounds)]
    if len(numbers) != 4:
        return None
    return Bounds(left=numbers[0], top=numbers[1], right=numbers[2], bottom=numbers[3])


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def parse_element(item: dict[str, Any]) -> UIElement:
    """One element (and its children), missing fields at the official SDK's defaults."""
    bounds = item.get("bounds")
    if isinstance(bounds, dict):  # an already split rectangle
        bounds = ",".join(str(bounds.get(k, "")) for k in ("left", "top", "right", "bottom"))
    bounds = _str(bounds)
    index = item.get("index")
    children = item.get("children")
    return UIElement(
        bounds=bounds,
        bounds_rect=parse_bounds(bounds),
        class_name=_str(item.get("className")),
        text=_str(item.get("text")),
        type=_str(item.get("type")),
        resource_id=_str(item.get("resourceId")),
        index=index if isinstance(index, int) and not isinstance(index, bool) else -1,
        is_parent=item.get("isParent") is True,
        children=[parse_element(c) for c in children if isinstance(c, dict)]
        if isinstance(children, list)
        else [],
    )


def elements(output: ToolOutput) -> UIElementListResult:
    """The reply's JSON list of elements; anything else is a ServerError naming the tool."""
    try:
        items = json.loads(output.text) if output.text.strip() else []
    except ValueError:
        items = None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ServerError(
            f"{output.tool} replied {output.text[:200]!r}, not a JSON list of elements",
            request_id=output.request_id,
            action=f"CallMcpTool:{output.tool}",
        )
    return UIElementListResult(request_id=output.request_id, elements=[parse_element(i) for i in items])
