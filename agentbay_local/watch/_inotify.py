"""Linux inotify through ctypes on libc: no dependency, three system calls and a record parser.

`Inotify()` is one inotify instance (its fd is non-blocking and close-on-exec); `add(path, mask)`
returns a watch descriptor, `read()` the queued events (an empty list when none are queued, never
blocking), `close()` releases the instance and every watch it holds.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
from dataclasses import dataclass

__all__ = [
    "IN_CLOSE_WRITE",
    "IN_CREATE",
    "IN_DELETE",
    "IN_DELETE_SELF",
    "IN_IGNORED",
    "IN_ISDIR",
    "IN_MOVED_FROM",
    "IN_MOVED_TO",
    "IN_MOVE_SELF",
    "IN_Q_OVERFLOW",
    "Event",
    "Inotify",
]

# <sys/inotify.h>
IN_CLOSE_WRITE = 0x00000008
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ONLYDIR = 0x01000000
IN_EXCL_UNLINK = 0x04000000
IN_ISDIR = 0x40000000
IN_NONBLOCK = os.O_NONBLOCK
IN_CLOEXEC = os.O_CLOEXEC

#: struct inotify_event { int wd; uint32_t mask; uint32_t cookie; uint32_t len; char name[len]; }
_HEADER = struct.Struct("iIII")
#: Enough for hundreds of events a read; the kernel never splits an event across reads.
_READ_SIZE = 64 * 1024

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
_libc.inotify_init1.argtypes = [ctypes.c_int]
_libc.inotify_init1.restype = ctypes.c_int
_libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
_libc.inotify_add_watch.restype = ctypes.c_int
_libc.inotify_rm_watch.argtypes = [ctypes.c_int, ctypes.c_int]
_libc.inotify_rm_watch.restype = ctypes.c_int


def _check(result: int) -> int:
    if result < 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error))
    return result


@dataclass(frozen=True)
class Event:
    """One inotify record: `name` is the entry's name inside the watched directory ("" for the
    directory itself), as bytes (file names need not be UTF-8)."""

    wd: int
    mask: int
    cookie: int
    name: bytes


class Inotify:
    """One inotify instance. Not thread-safe: its owner serialises calls."""

    def __init__(self) -> None:
        self.fd: int | None = _check(_libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC))

    def add(self, path: str, mask: int) -> int:
        """Watch the directory `path` (followed if a link: callers pass `/proc/self/fd/N` of a directory
        they opened safely); the watch descriptor. Raises `OSError`."""
        if self.fd is None:
            raise OSError(9, "inotify instance is closed")
        return _check(_libc.inotify_add_watch(self.fd, os.fsencode(path), mask | IN_ONLYDIR | IN_EXCL_UNLINK))

    def remove(self, wd: int) -> None:
        """Stop the watch `wd`; one already gone (its directory deleted) is fine."""
        if self.fd is not None:
            _libc.inotify_rm_watch(self.fd, wd)

    def read(self) -> list[Event]:
        """Every event queued now, in order; never blocks."""
        events: list[Event] = []
        if self.fd is None:
            return events
        while True:
            try:
                data = os.read(self.fd, _READ_SIZE)
            except BlockingIOError:
                return events
            if not data:
                return events
            offset = 0
            while offset + _HEADER.size <= len(data):
                wd, mask, cookie, length = _HEADER.unpack_from(data, offset)
                offset += _HEADER.size
                name = data[offset : offset + length].split(b"\0", 1)[0]
                offset += length
                events.append(Event(wd, mask, cookie, name))

    def close(self) -> None:
        """Release the instance and its watches; idempotent."""
        fd, self.fd = self.fd, None
        if fd is not None:
            os.close(fd)
