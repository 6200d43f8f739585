"""Fixtures: one local server per test module, and per test a wire client with keys of its own.

Starting and stopping uvicorn costs ~0.2 s, so the tests of a module share its server. They stay
independent because each test gets two fresh API keys, and the server's per-key isolation (itself
under test in test_auth.py) means a test only ever sees its own sessions. Tests that need a server
of their own (restarts, key files) start one on `state_dir`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agentbay_local import LocalServer

from ._wire import KEY, OTHER_KEY, Wire

# Enough pairs for the largest module; a module that outgrows it fails loudly in `wire`.
_POOL = [f"akm-test-pool-{n:04d}" for n in range(1000)]


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    """A fresh state directory for a server of the test's own."""
    return tmp_path / "state"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """The module's server; it accepts KEY, OTHER_KEY and every key of the pool."""
    with LocalServer(tmp_path_factory.mktemp("state"), api_keys=[KEY, OTHER_KEY, *_POOL]) as running:
        yield running


@pytest.fixture(scope="module")
def key_pairs() -> Iterator[tuple[str, str]]:
    """The module's unused key pairs."""
    return zip(_POOL[0::2], _POOL[1::2], strict=True)


@pytest.fixture
def wire(server: LocalServer, key_pairs: Iterator[tuple[str, str]]) -> Iterator[Wire]:
    """A raw client whose two keys no other test of the module uses."""
    pair = next(key_pairs, None)
    if pair is None:
        pytest.fail("the key pool is exhausted: enlarge _POOL in tests/local/conftest.py")
    with httpx.Client(base_url=server.endpoint, timeout=30) as client:
        yield Wire(client, *pair)
