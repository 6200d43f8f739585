"""Shared fixtures: a clean environment, a fake service, and the facade in both flavours."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from agentbay import AgentBay, AsyncAgentBay

# The pytest plugin users get, its fixtures and hooks taken in here rather than by its entry point (see
# addopts in pyproject.toml); `pytest_plugins` would be blocked by the same name.
from agentbay.testing import *  # noqa: F403
from agentbay.testing import pytest_addoption, pytest_configure  # noqa: F401

from ._fake import API_KEY, FakeService
from ._synced import Synced


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's AGENTBAY_* settings."""
    import os

    for name in list(os.environ):
        if name.startswith("AGENTBAY_"):
            monkeypatch.delenv(name)


@pytest.fixture
def fake() -> FakeService:
    return FakeService()


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_bay(flavour: str, fake: FakeService) -> Iterator[Callable[..., Any]]:
    """Build a client of the current flavour talking to `fake`; async clients are wrapped in `Synced`."""
    loop = asyncio.new_event_loop()
    made: list[Any] = []

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("api_key", API_KEY)
        kwargs.setdefault("endpoint", "http://agentbay.test")
        transport = httpx.MockTransport(fake.handler)
        if flavour == "sync":
            bay: Any = AgentBay(http_client=httpx.Client(transport=transport), **kwargs)
            bay._transport.sleep = lambda _s: None
        else:
            abay = AsyncAgentBay(http_client=httpx.AsyncClient(transport=transport), **kwargs)

            async def no_sleep(_s: float) -> None:
                return None

            abay._transport.sleep = no_sleep
            bay = Synced(abay, loop)
        made.append(bay)
        return bay

    yield make
    for bay in made:
        client = bay._transport._client if isinstance(bay, AgentBay) else bay.wrapped._transport._client
        if isinstance(client, httpx.AsyncClient):
            loop.run_until_complete(client.aclose())
        else:
            client.close()
    loop.close()


@pytest.fixture
def bay(make_bay: Callable[..., Any]) -> Any:
    return make_bay()
