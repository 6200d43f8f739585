"""Characters off the keyboard map put onto spare keycodes before `input_text` types them (and
`is_keysym`, which tells X keysym names for `press_keys`).

xdotool types a character the keyboard map lacks (anything not ASCII on Xvfb's US map) by mapping it
onto a spare keycode, pressing that, and mapping it back at once. The app looks the key up only when it
reads the event: if it is behind (still handling the keys before, say a few hundred ASCII ones), the
map has changed back by then and the character is lost. No delay between keystrokes is enough for
every backlog. So the characters are mapped here first, on keycodes of their own that stay mapped;
xdotool then finds them on the map and types them like ASCII, with no remapping at all.

Each display has a pool of the keycodes that had no keysym when it was first used (about 17 on Xvfb;
all but the two lowest, which xdotool keeps for its own remapping). A keycode takes another character
only SETTLE_S after its last was typed, so a text with more different characters than the pool (say
Chinese) is typed in groups, waiting for the oldest keycode to settle: dozens of characters a second
rather than thousands. Control characters are left to xdotool's remapping (typed slowly). Done with libX11 through ctypes, in a worker thread, on a connection of
its own: libX11 comes with xdotool, and a few requests take well under a millisecond.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import functools
import struct
import threading
import time
import weakref

from ._display import Display

__all__ = ["SETTLE_S", "is_keysym", "keysym_of", "map_characters", "typed"]

#: How long a keycode stays with a character after it was typed, before it may take another: the app
#: reads its keys when it can, and one that is behind must still find the character there.
SETTLE_S = 1.0
#: Free keycodes left to xdotool, which remaps the lowest free one for characters not on the map.
_LEFT_TO_XDOTOOL = 2
_COOKIE_NAME = b"MIT-MAGIC-COOKIE-1"


def keysym_of(char: str) -> int:
    """The X keysym of a character: Latin-1 ones are their code point, others 0x01000000 + it."""
    code = ord(char)
    return code if 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFF else 0x01000000 + code


@functools.cache
def _xlib() -> ctypes.CDLL:
    lib = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    p = ctypes.c_void_p
    lib.XOpenDisplay.restype, lib.XOpenDisplay.argtypes = p, [ctypes.c_char_p]
    lib.XSetAuthorization.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.XDisplayKeycodes.argtypes = [p, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int)]
    lib.XGetKeyboardMapping.restype = ctypes.POINTER(ctypes.c_ulong)
    lib.XGetKeyboardMapping.argtypes = [p, ctypes.c_ubyte, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
    lib.XChangeKeyboardMapping.argtypes = [
        p,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.POINTER(ctypes.c_ulong),
        ctypes.c_int,
    ]
    lib.XStringToKeysym.restype, lib.XStringToKeysym.argtypes = ctypes.c_ulong, [ctypes.c_char_p]
    lib.XSync.argtypes = [p, ctypes.c_int]
    lib.XFree.argtypes = [p]
    lib.XCloseDisplay.argtypes = [p]
    return lib


def is_keysym(name: str) -> bool:
    """Whether X knows this keysym name (no display needed); False without libX11."""
    try:
        lib = _xlib()
    except OSError:
        return False
    return name.isascii() and bool(lib.XStringToKeysym(name.encode()))


def _cookie(display: Display) -> bytes:
    """The MIT cookie of the display's Xauthority file (one record: family, address, number, name, data)."""
    data = (display.directory / "Xauthority").read_bytes()
    offset, fields = 2, []
    for _ in range(4):
        (length,) = struct.unpack_from(">H", data, offset)
        fields.append(data[offset + 2 : offset + 2 + length])
        offset += 2 + length
    return fields[3]


class _Keymap:
    """A display's pool of spare keycodes and the characters on them, with when each was last typed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pool: list[int] | None = None
        self.mapped: dict[str, int] = {}
        self.last_typed: dict[str, float] = {}


_keymaps: weakref.WeakKeyDictionary[Display, _Keymap] = weakref.WeakKeyDictionary()
_keymaps_lock = threading.Lock()
# XSetAuthorization is process-wide: the cookie and the connection it is for go together.
_open_lock = threading.Lock()


def _keymap(display: Display) -> _Keymap:
    with _keymaps_lock:
        return _keymaps.setdefault(display, _Keymap())


def _free_keycodes(lib: ctypes.CDLL, dpy: int) -> list[int]:
    low, high = ctypes.c_int(), ctypes.c_int()
    lib.XDisplayKeycodes(dpy, ctypes.byref(low), ctypes.byref(high))
    count, per = high.value - low.value + 1, ctypes.c_int()
    syms = lib.XGetKeyboardMapping(dpy, low.value, count, ctypes.byref(per))
    try:
        return [
            low.value + i for i in range(count) if not any(syms[i * per.value + j] for j in range(per.value))
        ]
    finally:
        lib.XFree(syms)


def _map(display: Display, chars: list[str]) -> set[str]:
    """Map what it can of `chars` (distinct, in order); the ones on the map now."""
    keymap, lib = _keymap(display), _xlib()
    with keymap.lock:
        wanted = [c for c in chars if c not in keymap.mapped]
        if not wanted:
            return set(chars)
        cookie = _cookie(display)
        with _open_lock:
            lib.XSetAuthorization(_COOKIE_NAME, len(_COOKIE_NAME), cookie, len(cookie))
            dpy = lib.XOpenDisplay(display.name.encode())
        if not dpy:
            return {c for c in chars if c in keymap.mapped}
        try:
            if keymap.pool is None:
                keymap.pool = _free_keycodes(lib, dpy)[_LEFT_TO_XDOTOOL:]
            used = set(keymap.mapped.values())
            free = [k for k in keymap.pool if k not in used]
            # Others than these, longest untyped first.
            evictable = sorted(
                (c for c in keymap.mapped if c not in chars), key=lambda c: keymap.last_typed.get(c, 0.0)
            )
            for char in wanted:
                if free:
                    keycode = free.pop()
                elif evictable:
                    old = evictable.pop(0)
                    # The app may not have read the keys typed with it yet: give it SETTLE_S.
                    wait = keymap.last_typed.get(old, 0.0) + SETTLE_S - time.monotonic()
                    if wait > 0:
                        time.sleep(wait)
                    keycode = keymap.mapped.pop(old)
                else:
                    break  # every keycode holds a character of this text
                keysym = (ctypes.c_ulong * 1)(keysym_of(char))
                lib.XChangeKeyboardMapping(dpy, keycode, 1, keysym, 1)
                keymap.mapped[char] = keycode
            lib.XSync(dpy, 0)
        finally:
            lib.XCloseDisplay(dpy)
        return {c for c in chars if c in keymap.mapped}


async def map_characters(display: Display, text: str) -> set[str]:
    """Put the characters of `text` on the display's keyboard map, as many as fit (those typed less
    than SETTLE_S ago are not replaced before then: this may wait); the ones on the map now."""
    distinct = [c for c in dict.fromkeys(text) if c.isprintable()]  # control characters: xdotool's way
    if not distinct:
        return set()
    try:
        return await asyncio.to_thread(_map, display, distinct)
    except OSError:  # no libX11, or no cookie file: xdotool remaps them as before
        return set()


def typed(display: Display, text: str) -> None:
    """Note that the characters of `text` were just typed (their keycodes are not reused for SETTLE_S)."""
    keymap, now = _keymap(display), time.monotonic()
    with keymap.lock:
        for char in text:
            if char in keymap.mapped:
                keymap.last_typed[char] = now
