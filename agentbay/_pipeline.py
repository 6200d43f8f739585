"""Several calls in flight, their results taken in order: an async flavour and a sync one.

`AsyncPipeline` runs the calls as asyncio tasks; `Pipeline` runs them on a small thread pool. They have
the same shape, so the async facade's `AsyncPipeline` becomes `Pipeline` in the generated sync twin
(scripts/unasync.py maps ``AsyncX`` to ``X``). Both start at most `depth` calls ahead of the result being
taken, so memory stays bounded (`depth` results) whatever the number of items; used as a context
manager, leaving the block (a failed call, the consumer's own error) cancels the calls not yet begun
and waits for those running, so none outlives the block.

Depth 1 is sequential: each call starts when the previous result is taken (no task, no thread).
"""

from __future__ import annotations

import asyncio
import collections
import itertools
from collections.abc import Awaitable, Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Generic, Self, TypeVar

__all__ = ["AsyncPipeline", "Pipeline"]

T = TypeVar("T")
R = TypeVar("R")


class AsyncPipeline(Generic[T, R]):
    """``async with AsyncPipeline(call, items, depth) as results: async for result in results: ...``"""

    def __init__(self, call: Callable[[T], Awaitable[R]], items: Iterable[T], depth: int) -> None:
        if depth < 1:
            raise ValueError("depth must be at least 1")
        self._call = call
        self._items = iter(items)
        self._depth = depth
        self._pending: collections.deque[asyncio.Task[R]] = collections.deque()

    async def _call_one(self, item: T) -> R:
        return await self._call(item)

    def _fill(self) -> None:
        for item in itertools.islice(self._items, self._depth - len(self._pending)):
            self._pending.append(asyncio.ensure_future(self._call_one(item)))

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        pending, self._pending = list(self._pending), collections.deque()
        self._items = iter(())
        for task in pending:
            task.cancel()
        # Wait for the cancellations; their own errors are not the caller's (one of them already is).
        await asyncio.gather(*pending, return_exceptions=True)

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> R:
        if self._depth == 1:
            for item in self._items:
                return await self._call(item)
            raise StopAsyncIteration
        self._fill()
        if not self._pending:
            raise StopAsyncIteration
        task = self._pending[0]
        result = await task
        self._pending.popleft()
        self._fill()  # the next calls start before the consumer handles this result
        return result


class Pipeline(Generic[T, R]):
    """``with Pipeline(call, items, depth) as results: for result in results: ...`` on `depth` threads.

    `call` must be safe to run from several threads at once (the sync transport's httpx.Client is).
    """

    def __init__(self, call: Callable[[T], R], items: Iterable[T], depth: int) -> None:
        if depth < 1:
            raise ValueError("depth must be at least 1")
        self._call = call
        self._items = iter(items)
        self._depth = depth
        self._pending: collections.deque[Future[R]] = collections.deque()
        self._pool = ThreadPoolExecutor(depth, thread_name_prefix="agentbay-pipeline") if depth > 1 else None

    def _fill(self) -> None:
        assert self._pool is not None
        for item in itertools.islice(self._items, self._depth - len(self._pending)):
            self._pending.append(self._pool.submit(self._call, item))

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._items = iter(())
        self._pending.clear()
        if self._pool is not None:
            # Calls not begun are dropped; running ones are waited for (each is bounded by its timeout).
            self._pool.shutdown(wait=True, cancel_futures=True)

    def __iter__(self) -> Iterator[R]:
        return self

    def __next__(self) -> R:
        if self._pool is None:
            for item in self._items:
                return self._call(item)
            raise StopIteration
        self._fill()
        if not self._pending:
            raise StopIteration
        result = self._pending[0].result()
        self._pending.popleft()
        self._fill()
        return result
