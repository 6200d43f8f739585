"""The mouse, keyboard and screen tools without I/O (`session.computer`, and the screenshots
`session.ui` shares): enums, argument checks, reply parsers, result types, the PNG check."""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import attrs

from ._exceptions import (
    APIError,
    InvalidInputError,
    NotFoundError,
    ServerError,
)
from ._types import ApiResult
from ._wire import ToolOutput

__all__ = [
    "CursorPositionResult",
    "Key",
    "MouseButton",
    "ScreenSizeResult",
    "ScreenshotImageResult",
    "ScreenshotResult",
    "ScrollDirection",
]


class MouseButton(StrEnum):
    """A mouse button (the official SDK 0.9's names and wire values)."""

    LEFT = "left"
    RIGHT = "right"
    MIDDLE = "middle"
    DOUBLE_LEFT = "double_left"
    """A double click of the left button (`click_mouse` only)."""


class ScrollDirection(StrEnum):
    """Which way `scroll` turns the wheel."""

    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"


class Key(StrEnum):
    """Key names for `press_keys` / `release_keys`, spelled as the service expects them (a letter or
    digit is itself: ``"a"``, ``"7"``). Plain strings work too; the case of the names below is fixed up
    (``"ctrl"`` is sent as ``"Ctrl"``), as the official SDK 0.22 does."""

    CTRL = "Ctrl"
    ALT = "Alt"
    SHIFT = "Shift"
    META = "Meta"
    SUPER = "Super"
    WIN = "Win"
    TAB = "Tab"
    ENTER = "Enter"
    ESCAPE = "Escape"
    BACKSPACE = "Backspace"
    DELETE = "Delete"
    INSERT = "Insert"
    HOME = "Home"
    END = "End"
    PAGE_UP = "PageUp"
    PAGE_DOWN = "PageDown"
    SPACE = "Space"
    ARROW_UP = "ArrowUp"
    ARROW_DOWN = "ArrowDown"
    ARROW_LEFT = "ArrowLeft"
    ARROW_RIGHT = "ArrowRight"
    F1 = "F1"
    F2 = "F2"
    F3 = "F3"
    F4 = "F4"
    F5 = "F5"
    F6 = "F6"
    F7 = "F7"
    F8 = "F8"
    F9 = "F9"
    F10 = "F10"
    F11 = "F11"
    F12 = "F12"


# The official SDK 0.22's spellings of the names it fixes up (its key_normalizer), keyed by lower case.
_KEY_ALIASES = {
    **{k.value.lower(): k.value for k in Key},
    "control": "Ctrl",
    "windows": "Win",
    "command": "Command",
    "cmd": "Command",
    "return": "Enter",
    "esc": "Escape",
    "del": "Delete",
    "ins": "Insert",
    "pgup": "PageUp",
    "pgdn": "PageDown",
    "up": "ArrowUp",
    "down": "ArrowDown",
    "left": "ArrowLeft",
    "right": "ArrowRight",
    **{f"f{i}": f"F{i}" for i in range(13, 25)},
}

CLICK_BUTTONS = (MouseButton.LEFT, MouseButton.RIGHT, MouseButton.MIDDLE)
"""The buttons a drag (and `ui.click`) can use: a double click is not a button to hold."""
MAX_SCREENSHOT_BYTES = 64 * 1024 * 1024
"""A screenshot bigger than this is not one (a 4K PNG is about 25 MB at worst): stop reading."""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# ---- argument checks ------------------------------------------------------------------------------


def check_int(value: object, name: str, minimum: int = 0) -> int:
    """`value` if it is an int (not a bool) of at least `minimum`, else InvalidInputError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidInputError(f"Expected an int >= {minimum} for `{name}`, got {value!r}")
    return value


def check_point(x: object, y: object, prefix: str = "") -> tuple[int, int]:
    """Screen coordinates: ints >= 0 (the top-left pixel is 0, 0)."""
    return check_int(x, f"{prefix}x"), check_int(y, f"{prefix}y")


def check_button(button: object, allowed: Sequence[MouseButton] = tuple(MouseButton)) -> str:
    """The wire value of `button` (a `MouseButton` or its value), if it is one of `allowed`."""
    for choice in allowed:
        if button == choice or button == choice.value:
            return choice.value
    names = ", ".join(repr(b.value) for b in allowed)
    raise InvalidInputError(f"Expected a MouseButton ({names}) for `button`, got {button!r}")


def check_direction(direction: object) -> str:
    for choice in ScrollDirection:
        if direction == choice or direction == choice.value:
            return choice.value
    names = ", ".join(repr(d.value) for d in ScrollDirection)
    raise InvalidInputError(f"Expected a ScrollDirection ({names}) for `direction`, got {direction!r}")


def check_text(text: object) -> str:
    """Text to type: a non-empty str (spaces alone are text too)."""
    if not isinstance(text, str) or not text:
        raise InvalidInputError(f"Expected a non-empty str for `text`, got {text!r}")
    return text


def normalize_key(key: str) -> str:
    """A key name as the service spells it: known names in their case (``ctrl`` → ``Ctrl``), a single
    letter in lower case, anything else as given (as the official SDK 0.22 sends them)."""
    if len(key) == 1:
        return key.lower() if key.isalpha() else key
    return _KEY_ALIASES.get(key.lower(), key)


def check_keys(keys: object) -> list[str]:
    """A non-empty list of key names (`Key` members or str), normalized; a bare str is refused (it
    would be read as one key per character)."""
    if isinstance(keys, str) or not isinstance(keys, Sequence) or not keys:
        raise InvalidInputError(f"Expected a non-empty list of key names for `keys`, got {keys!r}")
    out = []
    for key in keys:
        name = key.value if isinstance(key, Key) else key
        if not isinstance(name, str) or not name.strip():
            raise InvalidInputError(f"Expected non-empty key names in `keys`, got {key!r}")
        out.append(normalize_key(name))
    return out


# ---- tool arguments (the official SDK's keys and order) -------------------------------------------


def click_mouse_args(x: object, y: object, button: object) -> dict[str, Any]:
    x, y = check_point(x, y)
    return {"x": x, "y": y, "button": check_button(button)}


def move_mouse_args(x: object, y: object) -> dict[str, Any]:
    x, y = check_point(x, y)
    return {"x": x, "y": y}


def drag_mouse_args(
    from_x: object, from_y: object, to_x: object, to_y: object, button: object
) -> dict[str, Any]:
    from_x, from_y = check_point(from_x, from_y, "from_")
    to_x, to_y = check_point(to_x, to_y, "to_")
    button = check_button(button, CLICK_BUTTONS)
    return {"from_x": from_x, "from_y": from_y, "to_x": to_x, "to_y": to_y, "button": button}


def scroll_args(x: object, y: object, direction: object, amount: object) -> dict[str, Any]:
    x, y = check_point(x, y)
    return {"x": x, "y": y, "direction": check_direction(direction), "amount": check_int(amount, "amount", 1)}


def press_keys_args(keys: object, hold: object) -> dict[str, Any]:
    if not isinstance(hold, bool):
        raise InvalidInputError(f"Expected a bool for `hold`, got {hold!r}")
    return {"keys": check_keys(keys), "hold": hold}


def release_keys_args(keys: object) -> dict[str, Any]:
    return {"keys": check_keys(keys)}


def input_text_args(text: object) -> dict[str, Any]:
    return {"text": check_text(text)}


# ---- results and reply parsers --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ScreenSizeResult(ApiResult):
    """The screen's size in pixels (`get_screen_size`)."""

    width: int = 0
    height: int = 0
    dpi_scaling_factor: float = 1.0
    """The display's scaling (1.0: one screen pixel per coordinate)."""


@attrs.frozen(kw_only=True)
class CursorPositionResult(ApiResult):
    """Where the mouse pointer is, in screen pixels from the top-left corner (`get_cursor_position`)."""

    x: int = 0
    y: int = 0


@attrs.frozen(kw_only=True)
class ScreenshotResult(ApiResult):
    """A screenshot taken by the service: `url` is where to download the PNG, as the service gave it
    (`data` is the same, the official SDK's name). Anyone holding the URL can read the image; on the
    local server it stops working when the session is deleted."""

    url: str = ""

    @property
    def data(self) -> str:
        """The URL (the official SDK's `OperationResult.data`)."""
        return self.url


@attrs.frozen(kw_only=True)
class ScreenshotImageResult(ApiResult):
    """A screenshot downloaded: the PNG's bytes and size (`screenshot_bytes`, `save_screenshot`)."""

    content: bytes = attrs.field(default=b"", repr=lambda b: f"<{len(b)} bytes>")
    """The PNG file's bytes."""
    width: int = 0
    height: int = 0
    path: Path | None = None
    """Where `save_screenshot` wrote it; None for `screenshot_bytes`."""


def _json_object(output: ToolOutput, keys: Sequence[str]) -> dict[str, Any]:
    """The reply's JSON object with int `keys`, else a ServerError naming the tool and the text."""
    try:
        data = json.loads(output.text)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(k), int) and not isinstance(data.get(k), bool) for k in keys
    ):
        raise ServerError(
            f"{output.tool} replied {output.text[:200]!r}, not a JSON object with {', '.join(keys)}",
            request_id=output.request_id,
            action=f"CallMcpTool:{output.tool}",
        )
    return data


def screen_size(output: ToolOutput) -> ScreenSizeResult:
    """``{"width": 1024, "height": 768, "dpiScalingFactor": 1.0}``"""
    data = _json_object(output, ("width", "height"))
    scale = data.get("dpiScalingFactor")
    return ScreenSizeResult(
        request_id=output.request_id,
        width=data["width"],
        height=data["height"],
        dpi_scaling_factor=float(scale)
        if isinstance(scale, int | float) and not isinstance(scale, bool)
        else 1.0,
    )


def cursor_position(output: ToolOutput) -> CursorPositionResult:
    """``{"x": 512, "y": 384}``"""
    data = _json_object(output, ("x", "y"))
    return CursorPositionResult(request_id=output.request_id, x=data["x"], y=data["y"])


def screenshot_url(output: ToolOutput) -> ScreenshotResult:
    """`system_screenshot`'s reply: the URL of the PNG, as text."""
    url = output.text.strip()
    if not url.startswith(("http://", "https://")):
        raise ServerError(
            f"system_screenshot replied {url[:200]!r}, not the URL of an image",
            request_id=output.request_id,
            action="CallMcpTool:system_screenshot",
        )
    return ScreenshotResult(request_id=output.request_id, url=url)


# ---- the downloaded image -------------------------------------------------------------------------

_ACTION = "GET screenshot URL"


def png_size(data: bytes) -> tuple[int, int]:
    """`(width, height)` of a PNG from its IHDR chunk; ServerError if `data` is not a PNG."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        start = data[:16]
        raise ServerError(f"the screenshot URL served {len(data)} bytes that are not a PNG (they start {start!r})",
                          action=_ACTION)  # fmt: skip
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def image_result(data: bytes, request_id: str, path: Path | None = None) -> ScreenshotImageResult:
    width, height = png_size(data)
    return ScreenshotImageResult(request_id=request_id, content=data, width=width, height=height, path=path)


def url_error(status: int) -> APIError:
    """The typed error of a screenshot GET that did not answer 200. The URL is never quoted: it is a
    credential while it lives."""
    message = f"the screenshot URL answered HTTP {status}"
    if status in (403, 404):
        cls: type[APIError] = NotFoundError if status == 404 else APIError
        message += " (it expired, or its session was deleted)"
    else:
        cls = ServerError if status >= 500 else APIError
    return cls(message, http_status=status, action=_ACTION)


def too_big() -> ServerError:
    return ServerError(f"the screenshot URL served more than {MAX_SCREENSHOT_BYTES} bytes", action=_ACTION)


def check_path(path: object) -> Path:
    """Where to save a screenshot: a path whose folder exists."""
    raw = os.fspath(path) if isinstance(path, str | os.PathLike) else None
    if not isinstance(raw, str) or not raw:
        raise InvalidInputError(f"Expected a file path for `path`, got {path!r}")
    target = Path(raw)
    if not target.parent.is_dir():
        raise InvalidInputError(f"The folder of {str(target)!r} does not exist")
    if target.is_dir():
        raise InvalidInputError(f"{str(target)!r} is a folder")
    return target
