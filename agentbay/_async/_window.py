"""`AsyncWindowManager`: the windows of a desktop session (`session.window`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from .. import _window as win
from .._command import http_timeout
from .._files import BoolResult
from .._types import ApiResult
from .._window import DEFAULT_TIMEOUT_MS, WindowInfoResult, WindowListResult

if TYPE_CHECKING:
    from ._session import AsyncSession

__all__ = ["AsyncWindowManager"]

R = TypeVar("R", bound=ApiResult)


class AsyncWindowManager:
    """Lists, focuses, moves between states, resizes and closes the windows of a desktop session
    (image ``linux_latest``). Window ids are those `list_root_windows` reports."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_id={self._session.session_id!r})"

    async def _act(self, name: str, args: Mapping[str, Any]) -> BoolResult:
        return await self._session._query(name, args, win.done, BoolResult)

    async def list_root_windows(self, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> WindowListResult:
        """The top-level windows: id, title, position, size, process and child windows of each.

        Args:
            timeout_ms: How long the service may take to answer, 1..600000.
        """
        args = win.timeout_args(timeout_ms)
        return await self._session._query(
            "list_root_windows",
            args,
            win.window_list_result,
            WindowListResult,
            timeout=http_timeout(timeout_ms),
        )

    async def get_active_window(self, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> WindowInfoResult:
        """The window that has the focus; a failed result (a `ToolError`) when none has it.

        Args:
            timeout_ms: How long the service may take to answer, 1..600000.
        """
        args = win.timeout_args(timeout_ms)
        return await self._session._query(
            "get_active_window",
            args,
            win.window_info_result,
            WindowInfoResult,
            timeout=http_timeout(timeout_ms),
        )

    async def activate_window(self, window_id: int) -> BoolResult:
        """Raise the window and give it the focus."""
        return await self._act("activate_window", win.window_args(window_id))

    async def maximize_window(self, window_id: int) -> BoolResult:
        """Maximize the window."""
        return await self._act("maximize_window", win.window_args(window_id))

    async def minimize_window(self, window_id: int) -> BoolResult:
        """Minimize (iconify) the window."""
        return await self._act("minimize_window", win.window_args(window_id))

    async def restore_window(self, window_id: int) -> BoolResult:
        """Bring a maximized, minimized or fullscreen window back to its normal state."""
        return await self._act("restore_window", win.window_args(window_id))

    async def close_window(self, window_id: int) -> BoolResult:
        """Close the window (as its close button does: the application may ask first)."""
        return await self._act("close_window", win.window_args(window_id))

    async def fullscreen_window(self, window_id: int) -> BoolResult:
        """Make the window fullscreen."""
        return await self._act("fullscreen_window", win.window_args(window_id))

    async def resize_window(self, window_id: int, width: int, height: int) -> BoolResult:
        """Resize the window to `width` x `height` pixels (both at least 1)."""
        return await self._act("resize_window", win.resize_args(window_id, width, height))

    async def focus_mode(self, on: bool) -> BoolResult:
        """Turn focus mode on (other windows do not take the focus) or off."""
        return await self._act("focus_mode", win.focus_args(on))
