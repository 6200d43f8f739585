"""Bodies streamed between HTTP and files, for the context URLs (`contexts/_urls.py`) and the object
store (`objectstore/_app.py`): never a whole body in memory, disk work in worker threads."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable

from starlette.concurrency import run_in_threadpool

#: How much is read from a request before it is written, and read from a file per response chunk.
CHUNK_BYTES = 1 << 20


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
