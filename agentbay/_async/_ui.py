"""`AsyncUI`: the seed-era UI tools of a session (`session.ui`): elements, keys, text, taps, screenshots."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .. import _computer as computer
from .. import _ui as ui
from .._computer import MouseButton, ScreenshotImageResult, ScreenshotResult
from .._files import BoolResult
from .._ui import DEFAULT_SWIPE_MS, DEFAULT_TIMEOUT_MS, KeyCode, UIElementListResult
from ._computer import act, screenshot, screenshot_image

if TYPE_CHECKING:
    from ._session import AsyncSession

__all__ = ["AsyncUI"]


class AsyncUI:
    """The session's UI (the official SDK 0.8's `ui`). On a Linux desktop `session.computer` has the
    fuller mouse and keyboard; both share the screenshots.

    Coordinates are screen pixels from the top-left corner (0, 0). Bad arguments raise
    `InvalidInputError` before anything is sent; a failure of the call is a result with `success`
    False and the typed `error`.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_id={self._session.session_id!r})"

    async def get_clickable_ui_elements(self, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> UIElementListResult:
        """The elements that take a click, as `UIElement`s (bounds, class, text, ...)."""
        args = ui.elements_args(timeout_ms)
        return await self._session._query("get_clickable_ui_elements", args, ui.elements, UIElementListResult)

    async def get_all_ui_elements(self, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> UIElementListResult:
        """Every element, as a tree of `UIElement`s (each with its `children`)."""
        args = ui.elements_args(timeout_ms)
        return await self._session._query("get_all_ui_elements", args, ui.elements, UIElementListResult)

    async def send_key(self, key: KeyCode | int) -> BoolResult:
        """Press the key of code `key` (a `KeyCode`, e.g. ``KeyCode.BACK``)."""
        return await act(self._session, "send_key", ui.send_key_args(key))

    async def input_text(self, text: str) -> BoolResult:
        """Type `text` into the focused window."""
        return await act(self._session, "input_text", computer.input_text_args(text))

    async def swipe(
        self, start_x: int, start_y: int, end_x: int, end_y: int, duration_ms: int = DEFAULT_SWIPE_MS
    ) -> BoolResult:
        """Press at the start point, move to the end point over `duration_ms`, release."""
        args = ui.swipe_args(start_x, start_y, end_x, end_y, duration_ms)
        return await act(self._session, "swipe", args)

    async def click(self, x: int, y: int, button: MouseButton | str = "left") -> BoolResult:
        """Click at (`x`, `y`) with `button`: ``"left"``, ``"middle"`` or ``"right"`` (or a `MouseButton`)."""
        return await act(self._session, "click", ui.click_args(x, y, button))

    async def screenshot(self) -> ScreenshotResult:
        """Take a screenshot: its `url` (also `data`), as the service returns it."""
        return await screenshot(self._session)

    async def screenshot_bytes(self) -> ScreenshotImageResult:
        """Take a screenshot and download it: see `AsyncComputer.screenshot_bytes`."""
        return await screenshot_image(self._session)

    async def save_screenshot(self, path: str | os.PathLike[str]) -> ScreenshotImageResult:
        """Take a screenshot and write the PNG to `path`: see `AsyncComputer.save_screenshot`."""
        return await screenshot_image(self._session, computer.check_path(path))
