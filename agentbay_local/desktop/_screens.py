"""Screenshots: the session's screen as a PNG with the pointer drawn in, stored with the session and
served at an unguessable URL.

`await capture(display)` grabs the screen (`xwd -root`) and the pointer position (xdotool) at once,
draws an arrow at the pointer (Xvfb does not put the cursor into the screen's pixels), encodes the
PNG (zlib level 1: screens are mostly flat colour, so it is small anyway and fast) in a worker
thread, stores it as `<session>/desktop/screens/<token>.png` and returns
`<server>/desktop/screens/<session id>/<token>.png`. The token (24 random bytes) is the capability:
anyone with the URL may GET it, as with the cloud's screenshot URLs, no API key needed. The URL
answers 404 once the session is deleted (its files go with it). A session keeps its last
`KEEP_SCREENSHOTS` screenshots; older ones are removed, and their URLs answer 404.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from ..sandbox._args import ToolFailure
from . import _x as x
from ._display import Display

__all__ = ["KEEP_SCREENSHOTS", "URL_PATH", "ScreenUrls", "capture", "encode_png"]

URL_PATH = "/desktop/screens/"
KEEP_SCREENSHOTS = 32
#: Whether a session exists and is not deleted, by id.
SessionCheck = Callable[[str], bool]
_NAME = re.compile(r"[A-Za-z0-9_-]{32}\.png")
_XWD_HEADER = struct.Struct(">25I")

# The arrow drawn at the pointer: '#' black outline, '.' white fill, anything else transparent.
_ARROW = (
    "#",
    "##",
    "#.#",
    "#..#",
    "#...#",
    "#....#",
    "#.....#",
    "#......#",
    "#.......#",
    "#........#",
    "#.....#####",
    "#..#..#",
    "#.# #..#",
    "##  #..#",
    "#    #..#",
    "     #..#",
    "      ##",
)
_ARROW_PIXELS = tuple(
    (dx, dy, b"\x00\x00\x00" if ch == "#" else b"\xff\xff\xff")
    for dy, row in enumerate(_ARROW)
    for dx, ch in enumerate(row)
    if ch in "#."
)


def _channel_offsets(header: tuple[int, ...]) -> tuple[int, int, int]:
    """The byte offsets of red, green and blue within a 32-bit pixel of this XWD image."""
    byte_order, red, green, blue = header[7], header[14], header[15], header[16]

    def offset(mask: int) -> int:
        shift = (mask & -mask).bit_length() - 1
        if mask >> shift != 0xFF or shift % 8:
            raise ToolFailure("the screen's pixel format is not supported")
        lsb_index = shift // 8
        return lsb_index if byte_order == 0 else 3 - lsb_index

    return offset(red), offset(green), offset(blue)


def encode_png(xwd: bytes, pointer: tuple[int, int] | None) -> tuple[bytes, int, int]:
    """An `xwd` dump (32 bits per pixel, ZPixmap) as PNG bytes with the arrow at `pointer`: (png,
    width, height)."""
    if len(xwd) < _XWD_HEADER.size:
        raise ToolFailure("xwd returned no image")
    header = _XWD_HEADER.unpack_from(xwd)
    header_size, pixmap_format, width, height = header[0], header[2], header[4], header[5]
    bits_per_pixel, bytes_per_line, ncolors = header[11], header[12], header[19]
    if pixmap_format != 2 or bits_per_pixel != 32:
        raise ToolFailure("the screen's pixel format is not supported")
    red, green, blue = _channel_offsets(header)
    start = header_size + 12 * ncolors
    pixels = memoryview(xwd)[start : start + bytes_per_line * height]
    if len(pixels) < bytes_per_line * height:
        raise ToolFailure("xwd returned a truncated image")
    row_bytes = width * 4
    if bytes_per_line != row_bytes:  # padded rows: drop the padding first
        pixels = memoryview(
            b"".join(pixels[y * bytes_per_line : y * bytes_per_line + row_bytes] for y in range(height))
        )
    # Slicing with a step runs in C: 32-bit pixels to RGB without a Python loop per pixel.
    rgb = bytearray(width * height * 3)
    rgb[0::3] = pixels[red::4]
    rgb[1::3] = pixels[green::4]
    rgb[2::3] = pixels[blue::4]
    if pointer is not None:
        px, py = pointer
        for dx, dy, colour in _ARROW_PIXELS:
            cx, cy = px + dx, py + dy
            if 0 <= cx < width and 0 <= cy < height:
                at = (cy * width + cx) * 3
                rgb[at : at + 3] = colour
    stride = width * 3
    view = memoryview(rgb)
    raw = b"".join(b"\x00" + view[y * stride : (y + 1) * stride] for y in range(height))
    png = b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            _chunk(b"IDAT", zlib.compress(raw, 1)),
            _chunk(b"IEND", b""),
        )
    )
    return png, width, height


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _store(directory: Path, png: bytes) -> str:
    """Write the PNG under a fresh token; prune the oldest beyond KEEP_SCREENSHOTS. The file name."""
    directory.mkdir(parents=True, exist_ok=True)
    name = secrets.token_urlsafe(24) + ".png"
    partial = directory / (name + ".part")
    partial.write_bytes(png)
    os.replace(partial, directory / name)  # a reader never sees half a file
    shots = sorted(
        (entry for entry in os.scandir(directory) if entry.name.endswith(".png")),
        key=lambda entry: entry.stat().st_mtime_ns,
    )
    for entry in shots[:-KEEP_SCREENSHOTS]:
        Path(entry.path).unlink(missing_ok=True)
    return name


async def capture_png(display: Display) -> bytes:
    """The screen now, as PNG bytes with the pointer drawn in."""
    dump, where = await asyncio.gather(x.run_status(display, "xwd", "-root", "-silent"), x.pointer(display))
    status, out, err = dump
    if status != 0:
        raise ToolFailure(f"xwd failed: {err.decode('utf-8', 'replace').strip()[:300]}")
    png, _, _ = await run_in_threadpool(encode_png, out, where)
    return png


async def capture(display: Display) -> str:
    """Take a screenshot, store it with the session, and return its URL."""
    png = await capture_png(display)
    name = await run_in_threadpool(_store, display.screens, png)
    return f"{display.base_url}{URL_PATH}{display.session_id}/{name}"


class ScreenUrls:
    """Serves the stored screenshots: `GET /desktop/screens/<session id>/<token>.png`."""

    def __init__(self, sessions_dir: Path, session_running: SessionCheck) -> None:
        self.sessions_dir = sessions_dir
        self.session_running = session_running

    async def endpoint(self, request: Request) -> Response:
        session_id = str(request.path_params["session_id"])
        name = str(request.path_params["name"])
        # The name is checked before any path is built from it: no traversal, no other files.
        if (
            _NAME.fullmatch(name)
            and session_id.isascii()
            and "/" not in session_id
            and session_id not in (".", "..")
        ):
            path = self.sessions_dir / session_id / "desktop" / "screens" / name
            if self.session_running(session_id) and path.is_file():
                return FileResponse(path, media_type="image/png", headers={"Cache-Control": "no-store"})
        return Response(b"Not Found", 404, media_type="text/plain")
