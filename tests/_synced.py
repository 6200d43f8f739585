"""Run the async facade through the same test code as the sync one."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import attrs

from agentbay import SessionResult


class Synced:
    """Wraps an async facade object: its coroutine methods run to completion on `loop`."""

    def __init__(self, obj: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._obj = obj
        self._loop = loop

    @property
    def wrapped(self) -> Any:
        return self._obj

    def _wrap(self, value: Any) -> Any:
        # Every async facade object (the client, sessions and their managers): its class is an
        # agentbay `Async*` one.
        kind = type(value)
        if kind.__module__.startswith("agentbay") and kind.__name__.startswith("Async"):
            return Synced(value, self._loop)
        if isinstance(value, SessionResult) and value.session is not None:
            return attrs.evolve(value, session=Synced(value.session, self._loop))
        return value

    def _run(self, value: Any) -> Any:
        if inspect.iscoroutine(value):
            return self._wrap(self._loop.run_until_complete(value))
        if inspect.isasyncgen(value):
            return iter(self._loop.run_until_complete(_collect(value)))
        return self._wrap(value)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._obj, name)
        if inspect.ismethod(attr):
            return lambda *a, **k: self._run(attr(*unwrap(a), **k))
        return self._wrap(attr)

    def __repr__(self) -> str:
        return repr(self._obj)

    def __enter__(self) -> Synced:
        self._loop.run_until_complete(self._obj.__aenter__())
        return self

    def __exit__(self, *exc: Any) -> None:
        self._loop.run_until_complete(self._obj.__aexit__(*exc))

    def close(self) -> None:
        self._loop.run_until_complete(self._obj.aclose())


def unwrap(args: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(a.wrapped if isinstance(a, Synced) else a for a in args)


async def _collect(agen: Any) -> list[Any]:
    return [item async for item in agen]
