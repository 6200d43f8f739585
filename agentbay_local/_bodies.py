"""Bodies streamed between HTTP and files, for the context URLs (`contexts/_urls.py`) and the object
store (`objectstore/_app.py`): never a whole body in memory, disk work in worker threads."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Callable, Collection

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

#: How much is read from a request before it is written, and read from a file per response chunk.
CHUNK_BYTES = 1 << 20
#: How much of an unwanted body is read and dropped before the connection is closed instead.
LINGER_BYTES = 1 << 20


async def receive_into(
    stream: AsyncIterator[bytes],
    write: Callable[[bytes], object],
    *,
    limit: int | None = None,
    too_large: Callable[[], Exception] | None = None,
) -> None:
    """Stream a request body into `write`, a megabyte per call. A write runs in a worker thread while
    the next megabyte arrives (one write at a time, in order), so hashing and writing overlap receiving.
    More than `limit` bytes raises `too_large()`. No write is still running when this returns or
    raises."""
    writing: asyncio.Future[object] | None = None
    pending: list[bytes] = []
    buffered = total = 0
    try:
        async for chunk in stream:
            pending.append(chunk)
            buffered += len(chunk)
            total += len(chunk)
            if limit is not None and total > limit and too_large is not None:
                raise too_large()
            if buffered >= CHUNK_BYTES:
                if writing is not None:
                    await writing
                writing = asyncio.ensure_future(run_in_threadpool(write, b"".join(pending)))
                pending, buffered = [], 0
        if writing is not None:
            await writing
        if pending:
            await run_in_threadpool(write, b"".join(pending))
    finally:
        if writing is not None and not writing.done():
            # The body failed (the client went away) while a write runs: let it end before the caller
            # discards what was written; its own error, if any, does not matter any more.
            await asyncio.wait([writing])
            if not writing.cancelled():
                writing.exception()


async def file_chunks(fd: int, start: int, end: int) -> AsyncIterator[bytes]:
    """Bytes [start, end) of the open file, a megabyte at a time; closes it. A file cut short meanwhile
    ends the body early rather than hanging."""
    try:
        offset = start
        while offset < end:
            chunk = await run_in_threadpool(os.pread, fd, min(CHUNK_BYTES, end - offset), offset)
            if not chunk:
                break
            offset += len(chunk)
            yield chunk
    finally:
        os.close(fd)


def free_bytes(path: os.PathLike[str] | str) -> int:
    """Free space on the disk of `path` (0 when it cannot be told)."""
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return 0


async def drained(
    request: Request,
    response: Response,
    expected: int | None = None,
    *,
    methods: Collection[str] = ("PUT",),
) -> Response:
    """The response to a request whose body is not wanted: read and drop the body first (for
    `methods`), up to `LINGER_BYTES`, so the client (still sending) gets to read the reply; beyond it,
    or when the body's `expected` length is already beyond it, the connection is closed."""
    if request.method not in methods:
        return response
    if expected is not None and expected > LINGER_BYTES:
        response.headers["Connection"] = "close"
        return response
    remaining = LINGER_BYTES
    try:
        async for chunk in request.stream():
            remaining -= len(chunk)
            if remaining < 0:
                response.headers["Connection"] = "close"
                break
    except ClientDisconnect:
        pass
    except RuntimeError:  # Starlette's "Stream consumed": the body had all arrived already
        pass
    return response
