"""The integration run's server and clients: the fixtures of `agentbay.testing` (our pytest plugin), which
users get too, with a second API key on the server and both client flavours behind one `live` fixture."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from agentbay.testing import AgentBayServer
from agentbay_local import LocalServer

from .._synced import Synced

KEY = "akm-integration-key"
OTHER_KEY = "akm-integration-other"


@pytest.fixture(scope="session")
def agentbay_server_options() -> Mapping[str, Any]:
    # KEY first: the plugin's clients use the first key; OTHER_KEY is the stranger whose sessions,
    # contexts and buckets KEY must never see.
    return {"api_keys": [KEY, OTHER_KEY]}


@pytest.fixture(scope="session")
def server(agentbay_server: AgentBayServer) -> LocalServer:
    """The plugin's local server (tests reach into its state directory)."""
    if agentbay_server.local is None:
        pytest.skip("the integration tests need the local server, not --agentbay-endpoint")
    # The plugin makes one server per test run, with the options of the first test that asked for it.
    if agentbay_server.api_keys != (KEY, OTHER_KEY):
        pytest.fail(
            "agentbay_server was made without KEY and OTHER_KEY (by a test outside tests/integration?): "
            "override agentbay_server_options in tests/conftest.py instead",
            pytrace=False,
        )
    return agentbay_server.local


@pytest.fixture
def live(server: LocalServer, flavour: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A client of the current flavour on the local server: the plugin's `agent_bay`, or its
    `async_agent_bay` wrapped in `Synced` to run on a loop of this test's own."""
    if flavour == "sync":
        yield request.getfixturevalue("agent_bay")
        return
    # async_agent_bay keeps no connection between requests, so closing this loop leaves nothing open;
    # the plugin closes the client itself.
    loop = asyncio.new_event_loop()
    try:
        yield Synced(request.getfixturevalue("async_agent_bay"), loop)
    finally:
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
