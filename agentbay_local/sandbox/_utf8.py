"""UTF-8 character boundaries in byte streams.

The SDKs read a file in 50 KiB byte ranges (`offset`, `length` after `get_file_info`'s byte `size`)
and join the decoded pieces. A range edge that falls inside a multi-byte character must not turn into
two replacement characters. The rule: every byte position is moved forward to the next character
boundary (`next_boundary`). A range `[offset, offset + length)` is sent as
`[next_boundary(offset), next_boundary(offset + length))`, so the character straddling an edge goes
wholly to the range on its left and the next range skips its tail. Because both ranges move the same
edge the same way, consecutive ranges still partition the file exactly, and joining the pieces gives
the whole text.
"""

from __future__ import annotations

__all__ = ["next_boundary", "sequence_length", "trim_partial_tail"]


def sequence_length(lead: int) -> int:
    """The length of the UTF-8 sequence that `lead` starts: 1 to 4, or 0 for a continuation byte."""
    if lead < 0x80:
        return 1
    if lead < 0xC0:
        return 0
    if lead < 0xE0:
        return 2
    if lead < 0xF0:
        return 3
    if lead < 0xF8:
        return 4
    return 1  # not UTF-8 at all: a byte on its own


def _is_continuation(byte: int) -> bool:
    return 0x80 <= byte < 0xC0


def next_boundary(window: bytes, pos: int) -> int:
    """The first character boundary at or after index `pos` of `window`.

    `window` must hold at least the 3 bytes before `pos` (or start at the data's start) and the 3
    after it (or end at the data's end). Invalid UTF-8 leaves `pos` where it is: it cannot be decoded
    faithfully anyway, and moving edges around in binary data would only lose bytes.
    """
    if pos <= 0 or pos >= len(window):
        return max(0, min(pos, len(window)))
    start = pos - 1
    while start > max(0, pos - 4) and _is_continuation(window[start]):
        start -= 1
    length = sequence_length(window[start])
    end = start + length
    if length < 2 or end <= pos:
        return pos  # `pos` already starts a character (or the bytes before it are not UTF-8)
    end = min(end, len(window))
    if all(_is_continuation(byte) for byte in window[pos:end]):
        return end
    return pos


def trim_partial_tail(data: bytes) -> bytes:
    """`data` without a multi-byte character cut short at its end (for output capped at N bytes)."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if _is_continuation(byte):
            continue
        length = sequence_length(byte)
        return data[:-back] if length > back else data
    return data
