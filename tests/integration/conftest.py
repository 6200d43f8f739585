"""A local AgentBay server for the whole integration run, and clients of both flavours against it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agentbay import AgentBay, AsyncAgentBay
from agentbay_local import LocalServer

from .._synced import Synced

KEY = "akm-integration-key"
OTHER_KEY = "akm-integration-other"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    state = tmp_path_factory.mktemp("agentbay-local")
    with LocalServer(state, api_keys=[KEY, OTHER_KEY]) as running:
        yield running


@pytest.fixture
def live(server: LocalServer, flavour: str) -> Iterator[Any]:
    """A client of the current flavour on the local server (async ones wrapped in `Synced`)."""
    if flavour == "sync":
        with AgentBay(api_key=KEY, endpoint=server.endpoint) as bay:
            yield bay
        return
    loop = asyncio.new_event_loop()
    bay = Synced(AsyncAgentBay(api_key=KEY, endpoint=server.endpoint), loop)
    try:
        yield bay
    finally:
        bay.close()
        loop.close()


@pytest.fixture
def session(live: Any) -> Iterator[Any]:
    """A fresh session, deleted afterwards."""
    created = live.create()
    assert created.success, created.error_message
    with created.session as s:
        yield s


def session_dir(server: LocalServer, session_id: str) -> Path:
    return Path(server.state_dir) / "sessions" / session_id
