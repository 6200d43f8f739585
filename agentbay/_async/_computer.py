"""`AsyncComputer`: the mouse, keyboard and screen of a desktop session (`session.computer`)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from .. import _computer as computer
from .._computer import (
    CursorPositionResult,
    Key,
    MouseButton,
    ScreenshotImageResult,
    ScreenshotResult,
    ScreenSizeResult,
    ScrollDirection,
)
from .._exceptions import CALL_FAILURES
from .._files import BoolResult
from .._transfer import url_transport_error
from .._types import ApiResult
from .._wire import ToolOutput

if TYPE_CHECKING:
    from ._session import AsyncSession

__all__ = ["AsyncComputer"]

R = TypeVar("R", bound=ApiResult)


def done(output: ToolOutput) -> BoolResult:
    """A tool whose reply text says nothing more than that it acted."""
    return BoolResult(request_id=output.request_id, data=True, message=output.text)


async def act(session: AsyncSession, name: str, args: Mapping[str, Any]) -> BoolResult:
    return await session._query(name, args, done, BoolResult)


async def screenshot(session: AsyncSession) -> ScreenshotResult:
    return await session._query("system_screenshot", {}, computer.screenshot_url, ScreenshotResult)


async def screenshot_image(session: AsyncSession, path: Path | None = None) -> ScreenshotImageResult:
    """Take a screenshot and download it through the client's connection pool, with no API key on
    the request; with `path`, also write it there (whole, or not at all)."""
    shot = await screenshot(session)
    if shot.error is not None:
        return ScreenshotImageResult.failed(shot.error)
    client, timeout = session._transport.http_client, session._transport.url_timeout
    try:
        try:
            async with client.stream("GET", shot.url, timeout=timeout) as response:
                if response.status_code != 200:
                    raise computer.url_error(response.status_code)
                data = bytearray()
                async for piece in response.aiter_bytes():
                    data += piece
                    if len(data) > computer.MAX_SCREENSHOT_BYTES:
                        raise computer.too_big()
        except httpx.TransportError as exc:
            raise url_transport_error(exc, "GET of the screenshot URL", shot.url) from None
        result = computer.image_result(bytes(data), shot.request_id, path)
    except CALL_FAILURES as exc:
        return ScreenshotImageResult.failed(exc)
    if path is not None:
        partial = path.with_name(f".{path.name}.part")
        try:
            partial.write_bytes(result.content)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return result


class AsyncComputer:
    """The mouse, keyboard and screen of the session's desktop (the official SDK 0.9's `computer`).

    Coordinates are screen pixels from the top-left corner (0, 0). Bad arguments raise
    `InvalidInputError` before anything is sent; a failure of the call is a result with `success`
    False and the typed `error`.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_id={self._session.session_id!r})"

    async def click_mouse(self, x: int, y: int, button: MouseButton | str = MouseButton.LEFT) -> BoolResult:
        """Click at (`x`, `y`): `MouseButton.LEFT`, `RIGHT`, `MIDDLE`, or `DOUBLE_LEFT` (a double click)."""
        return await act(self._session, "click_mouse", computer.click_mouse_args(x, y, button))

    async def move_mouse(self, x: int, y: int) -> BoolResult:
        """Move the pointer to (`x`, `y`)."""
        return await act(self._session, "move_mouse", computer.move_mouse_args(x, y))

    async def drag_mouse(
        self, from_x: int, from_y: int, to_x: int, to_y: int, button: MouseButton | str = MouseButton.LEFT
    ) -> BoolResult:
        """Press `button` at (`from_x`, `from_y`), move to (`to_x`, `to_y`), release (not `DOUBLE_LEFT`)."""
        args = computer.drag_mouse_args(from_x, from_y, to_x, to_y, button)
        return await act(self._session, "drag_mouse", args)

    async def scroll(
        self, x: int, y: int, direction: ScrollDirection | str = ScrollDirection.UP, amount: int = 1
    ) -> BoolResult:
        """Turn the wheel `amount` notches (>= 1) in `direction` with the pointer at (`x`, `y`)."""
        return await act(self._session, "scroll", computer.scroll_args(x, y, direction, amount))

    async def input_text(self, text: str) -> BoolResult:
        """Type `text` into the focused window."""
        return await act(self._session, "input_text", computer.input_text_args(text))

    async def press_keys(self, keys: Sequence[Key | str], hold: bool = False) -> BoolResult:
        """Press `keys` together (e.g. ``[Key.CTRL, "a"]``) and release them, or keep them down with
        `hold` until `release_keys`. Known names are sent in the service's case (``ctrl`` → ``Ctrl``)."""
        return await act(self._session, "press_keys", computer.press_keys_args(keys, hold))

    async def release_keys(self, keys: Sequence[Key | str]) -> BoolResult:
        """Release keys that `press_keys(..., hold=True)` holds down."""
        return await act(self._session, "release_keys", computer.release_keys_args(keys))

    async def get_cursor_position(self) -> CursorPositionResult:
        """Where the pointer is: `x`, `y`."""
        parse = computer.cursor_position
        return await self._session._query("get_cursor_position", {}, parse, CursorPositionResult)

    async def get_screen_size(self) -> ScreenSizeResult:
        """The screen's `width` and `height` in pixels, and its `dpi_scaling_factor`."""
        return await self._session._query("get_screen_size", {}, computer.screen_size, ScreenSizeResult)

    async def screenshot(self) -> ScreenshotResult:
        """Take a screenshot: its `url` (also `data`), as the service returns it. Anyone holding the URL
        can download the PNG while it lives; `screenshot_bytes` downloads it for you."""
        return await screenshot(self._session)

    async def screenshot_bytes(self) -> ScreenshotImageResult:
        """Take a screenshot and download it: the PNG's bytes (`content`), `width` and `height`. The
        download goes through the client's connection pool and timeout, with no API key on it; a
        refused download, or one that is not a PNG, fails the result with a typed error."""
        return await screenshot_image(self._session)

    async def save_screenshot(self, path: str | os.PathLike[str]) -> ScreenshotImageResult:
        """Take a screenshot and write the PNG to `path` (replaced whole; nothing is written on failure)."""
        return await screenshot_image(self._session, computer.check_path(path))
