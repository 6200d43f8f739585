"""The window tools without I/O (`session.window`): the `Window` type, argument checks and the parsers
of their replies (a JSON list of windows, or one window)."""

from __future__ import annotations

import json
from typing import Any

import attrs

from ._application import check_bool, check_int
from ._exceptions import InvalidInputError, ServerError
from ._files import BoolResult
from ._types import ApiResult
from ._wire import ToolOutput

__all__ = ["Window", "WindowInfoResult", "WindowListResult"]

DEFAULT_TIMEOUT_MS = 3000
"""The official SDKs' `timeout_ms` of `list_root_windows` and `get_active_window`."""
MAX_TIMEOUT_MS = 600_000
"""A bound on how long a window query may run: the HTTP call waits that long, and no more."""
_MAX_DEPTH = 32
"""How deep `child_windows` may nest in a reply before it is taken as malformed."""


@attrs.frozen(kw_only=True)
class Window:
    """A window of the session's desktop, as `list_root_windows` and `get_active_window` report it."""

    window_id: int
    """Its X window id: what `activate_window` and the others take."""
    title: str = ""
    absolute_upper_left_x: int | None = None
    """Where its upper left corner is on the screen, in pixels."""
    absolute_upper_left_y: int | None = None
    width: int | None = None
    height: int | None = None
    pid: int | None = None
    """The pid of its process, as the session sees it."""
    pname: str | None = None
    """The name of its process."""
    child_windows: list[Window] = attrs.field(factory=list)
    state: str | None = None
    """``normal``, ``maximized``, ``minimized`` or ``fullscreen``: the local server says it, the cloud
    does not (None then)."""


@attrs.frozen(kw_only=True)
class WindowListResult(ApiResult):
    """The result of `list_root_windows`."""

    windows: list[Window] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class WindowInfoResult(ApiResult):
    """The result of `get_active_window`: the window, or a failed result when none has the focus."""

    window: Window | None = None


# ---- arguments -----------------------------------------------------------------------------------


def timeout_args(timeout_ms: object) -> dict[str, Any]:
    if (
        isinstance(timeout_ms, bool)
        or not isinstance(timeout_ms, int)
        or not 1 <= timeout_ms <= MAX_TIMEOUT_MS
    ):
        raise InvalidInputError(
            f"Expected an int in 1..{MAX_TIMEOUT_MS} for `timeout_ms`, got {timeout_ms!r}"
        )
    return {"timeout_ms": timeout_ms}


def window_args(window_id: object) -> dict[str, Any]:
    return {"window_id": check_int(window_id, "window_id", 0)}


def resize_args(window_id: object, width: object, height: object) -> dict[str, Any]:
    return {
        "window_id": check_int(window_id, "window_id", 0),
        "width": check_int(width, "width", 1),
        "height": check_int(height, "height", 1),
    }


def focus_args(on: object) -> dict[str, Any]:
    return {"on": check_bool(on, "on")}


# ---- replies -------------------------------------------------------------------------------------


def _malformed(output: ToolOutput, why: str) -> ServerError:
    return ServerError(
        f"malformed reply: {output.tool} {why}: {output.text[:200]!r}",
        http_status=200,
        request_id=output.request_id,
        action="CallMcpTool",
    )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _window(data: dict[str, Any], output: ToolOutput, depth: int = 0) -> Window:
    """One window of a reply. Its title is `title` (0.8/0.9) or `window_title` (0.22.3)."""
    window_id = _int(data.get("window_id"))
    children = data.get("child_windows") or []
    if window_id is None or not isinstance(children, list) or depth > _MAX_DEPTH:
        raise _malformed(output, "returned a window without an int window_id or with bad child_windows")
    if not all(isinstance(child, dict) for child in children):
        raise _malformed(output, "returned child_windows that are not objects")
    title = data.get("title", data.get("window_title"))
    pname, state = data.get("pname"), data.get("state")
    return Window(
        window_id=window_id,
        title=title if isinstance(title, str) else "",
        absolute_upper_left_x=_int(data.get("absolute_upper_left_x")),
        absolute_upper_left_y=_int(data.get("absolute_upper_left_y")),
        width=_int(data.get("width")),
        height=_int(data.get("height")),
        pid=_int(data.get("pid")),
        pname=pname if isinstance(pname, str) else None,
        child_windows=[_window(child, output, depth + 1) for child in children],
        state=state if isinstance(state, str) else None,
    )


def _json(output: ToolOutput) -> Any:
    try:
        return json.loads(output.text)
    except ValueError:
        raise _malformed(output, "did not return JSON") from None


def window_list_result(output: ToolOutput) -> WindowListResult:
    data = _json(output)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise _malformed(output, "did not return a JSON list of windows")
    return WindowListResult(request_id=output.request_id, windows=[_window(w, output) for w in data])


def window_info_result(output: ToolOutput) -> WindowInfoResult:
    data = _json(output)
    if not isinstance(data, dict):
        raise _malformed(output, "did not return a window")
    return WindowInfoResult(request_id=output.request_id, window=_window(data, output))


def done(output: ToolOutput) -> BoolResult:
    """A window action's result: the official SDKs ignore the text and report `data=True`."""
    return BoolResult(request_id=output.request_id, data=True, message=output.text)
