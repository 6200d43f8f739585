"""pytest fixtures for testing agents offline against a local AgentBay server.

Installing agentbay-python registers this module as a pytest plugin named ``agentbay``: its fixtures
are there in every test without an import. The local server needs the ``[local]`` extra
(``pip install 'agentbay-python[local]'``); without it only the tests that use it fail, saying so.

- `agentbay_server`: one local server (`agentbay_local.LocalServer`) for the whole test session, on a
  free port, with its state in a temporary directory and an API key of its own: an `AgentBayServer`.
- `agent_bay` / `async_agent_bay`: an `AgentBay` / `AsyncAgentBay` on it, closed after the test.
- `agentbay_env`: ``AGENTBAY_ENDPOINT`` and ``AGENTBAY_API_KEY`` set to the server for the test, for
  code under test that makes its own ``AgentBay()``.
- `agentbay_session`: a session made by `agent_bay`, deleted after the test. Its image is the service's
  default (``linux_latest``) unless the test says otherwise, with the ``agentbay`` marker (whose
  keywords are `CreateSessionParams` fields) or an indirect parameter (an image id).

```python
import pytest

from agentbay import AgentBay, AsyncAgentBay, Session
from agentbay.testing import AgentBayServer


def test_my_agent_writes_its_report(agentbay_session: Session) -> None:
    agentbay_session.command.execute_command("echo done > /tmp/report.txt").raise_for_error()
    assert agentbay_session.file_system.read_file("/tmp/report.txt").content == "done\\n"


@pytest.mark.agentbay(image_id="code_latest", labels={"suite": "agents"})
def test_on_a_code_session(agentbay_session: Session, agent_bay: AgentBay) -> None:
    assert agentbay_session.code.run_code("print(6 * 7)", "python").result.strip() == "42"
    found = agent_bay.list(labels={"suite": "agents"})
    assert found.session_ids == [agentbay_session.session_id]


@pytest.mark.parametrize("agentbay_session", ["code_latest", "linux_latest"], indirect=True)
def test_on_each_image(agentbay_session: Session) -> None:
    assert agentbay_session.command.execute_command("pwd").stdout == "/home/wuying\\n"


def test_code_that_makes_its_own_client(agentbay_env: AgentBayServer) -> None:
    with AgentBay() as agent_bay:  # from AGENTBAY_ENDPOINT and AGENTBAY_API_KEY
        assert agent_bay.endpoint == agentbay_env.endpoint


@pytest.mark.anyio  # or pytest-asyncio's @pytest.mark.asyncio: the client suits any event loop
async def test_async(async_agent_bay: AsyncAgentBay) -> None:
    async with (await async_agent_bay.create()).unwrap() as session:
        assert (await session.command.execute_command("echo hi")).stdout == "hi\\n"
```

Configure the server from a ``conftest.py`` by overriding the session-scoped `agentbay_server_options`
fixture, whose keywords go to `LocalServer` (``state_dir`` too); for instance a second API key, to test
that one key never sees another's sessions (the first key is the one the clients use):

```python
@pytest.fixture(scope="session")
def agentbay_server_options() -> dict[str, Any]:
    return {"api_keys": ["akm-test", "akm-other"]}
```

Override it where every test that uses the server sees it (the top-level ``conftest.py``): the server is
made once, with the options of the first test that asks for it.

``pytest --agentbay-endpoint URL`` runs the same fixtures against a server that is already running,
such as the cloud's, with the key from ``AGENTBAY_API_KEY``: then no local server starts and
`AgentBayServer.local`, ``state_dir`` and ``oss_endpoint`` are None. ``pytest -p no:agentbay.testing`` disables
the plugin. The plugin is registered by every install; without the ``[local]`` extra, a test that needs
the local server fails with one line saying what to install (``--agentbay-endpoint`` needs no extra).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# Loading this plugin must cost nothing to test runs that do not use it: the SDK, httpx and the local
# server (which needs the [local] extra) are imported by the fixtures that use them.
if TYPE_CHECKING:
    import httpx

    from agentbay import AgentBay, AsyncAgentBay, CreateSessionParams, Session
    from agentbay_local import LocalServer

__all__ = [
    "AgentBayServer",
    "agent_bay",
    "agentbay_env",
    "agentbay_server",
    "agentbay_server_options",
    "agentbay_session",
    "async_agent_bay",
]

_INSTALL_HINT = "pip install 'agentbay-python[local]'"


@dataclass(frozen=True)
class AgentBayServer:
    """The server the fixtures talk to: where it is and the keys it accepts.

    .. versionadded:: 0.1.0
    """

    endpoint: str
    """``http://127.0.0.1:PORT``: what `AgentBay(endpoint=...)` and ``AGENTBAY_ENDPOINT`` take."""
    api_key: str = field(repr=False)
    """The key the fixtures' clients use: the first of `api_keys`."""
    api_keys: tuple[str, ...] = field(repr=False)
    """Every key the server accepts; each sees only its own sessions and contexts."""
    oss_endpoint: str | None
    """The local object store (`LocalServer.oss_endpoint`), for an OSS client; None for another server."""
    state_dir: Path | None
    """The server's state directory (sessions' files under ``sessions/<id>``); None for another server."""
    local: LocalServer | None
    """The running `LocalServer` itself; None with ``--agentbay-endpoint``."""

    @property
    def env(self) -> dict[str, str]:
        """``AGENTBAY_ENDPOINT`` and ``AGENTBAY_API_KEY`` for this server, for a program of your own:
        ``subprocess.run(argv, env=os.environ | agentbay_server.env)``."""
        return {"AGENTBAY_ENDPOINT": self.endpoint, "AGENTBAY_API_KEY": self.api_key}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("agentbay", "agentbay.testing (AgentBay fixtures)")
    group.addoption(
        "--agentbay-endpoint",
        metavar="URL",
        default=None,
        help="run the AgentBay fixtures against this running server (key: AGENTBAY_API_KEY) "
        "instead of starting a local one",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "agentbay(image_id=None, **params): the CreateSessionParams of the agentbay_session fixture "
        "(e.g. image_id='code_latest')",
    )


@pytest.fixture(scope="session")
def agentbay_server_options() -> Mapping[str, Any]:
    """Keywords for the `LocalServer` of `agentbay_server` (``api_keys``, ``proxy_timeout``,
    ``public_url``, ``host``, ``port``, ``oss_port``) and ``state_dir``; none by default. Override this
    session-scoped fixture in a ``conftest.py`` to set them."""
    return {}


@pytest.fixture(scope="session")
def agentbay_server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    agentbay_server_options: Mapping[str, Any],
) -> Iterator[AgentBayServer]:
    """A local AgentBay server for the test session: a free port, a temporary state directory and a
    generated API key (unless `agentbay_server_options` says otherwise); stopped at the end, which
    ends every session it still runs. With ``--agentbay-endpoint URL``, that server instead."""
    endpoint = request.config.getoption("agentbay_endpoint")
    if endpoint:
        key = os.environ.get("AGENTBAY_API_KEY", "").strip()
        if not key:
            pytest.fail("--agentbay-endpoint needs the API key in AGENTBAY_API_KEY", pytrace=False)
        yield AgentBayServer(
            endpoint=endpoint, api_key=key, api_keys=(key,), oss_endpoint=None, state_dir=None, local=None
        )
        return
    missing: ImportError | None = None
    try:
        from agentbay_local import LocalServer
    except ImportError as exc:
        missing = exc
    if missing is not None:  # failed outside the except block: one line, no chained traceback
        pytest.fail(
            f"agentbay_server runs the local AgentBay server, which needs the [local] extra: "
            f"{_INSTALL_HINT} ({missing}); or give --agentbay-endpoint URL to use a running server",
            pytrace=False,
        )
    options = dict(agentbay_server_options)
    state_dir = options.pop("state_dir", None) or tmp_path_factory.mktemp("agentbay-server")
    with LocalServer(state_dir, **options) as server:
        yield AgentBayServer(
            endpoint=server.endpoint,
            api_key=server.api_keys[0],
            api_keys=tuple(server.api_keys),
            oss_endpoint=server.oss_endpoint,
            state_dir=server.state_dir,
            local=server,
        )


@pytest.fixture
def agentbay_env(agentbay_server: AgentBayServer, monkeypatch: pytest.MonkeyPatch) -> AgentBayServer:
    """Sets ``AGENTBAY_ENDPOINT`` and ``AGENTBAY_API_KEY`` to `agentbay_server` for the test (restored
    after), so that ``AgentBay()`` in the code under test reaches it; returns the server."""
    for name, value in agentbay_server.env.items():
        monkeypatch.setenv(name, value)
    return agentbay_server


@pytest.fixture
def agent_bay(agentbay_server: AgentBayServer) -> Iterator[AgentBay]:
    """An `AgentBay` client on `agentbay_server`, closed after the test."""
    from agentbay import AgentBay

    with AgentBay(agentbay_server.api_key, endpoint=agentbay_server.endpoint) as client:
        yield client


@pytest.fixture
def async_agent_bay(agentbay_server: AgentBayServer) -> Iterator[AsyncAgentBay]:
    """An `AsyncAgentBay` client on `agentbay_server`, closed after the test; for async tests under
    any plugin (anyio's, pytest-asyncio, trio's) and any loop scope.

    It keeps no connection open between requests: a pooled connection belongs to the event loop it
    was opened on, which the test's plugin may close before this fixture's teardown runs (anyio closes
    its loop right after the test), leaving nothing to close it with. Each request's connection is
    closed in the loop that made the request, so nothing outlives the test's loop and teardown needs
    none. A connection to the local server costs well under a millisecond.
    """
    import httpx

    from agentbay import AsyncAgentBay, __version__
    from agentbay._async._transport import CONNECT_TIMEOUT
    from agentbay._config import resolve_config

    # The SDK's own client settings (AGENTBAY_TIMEOUT included) except the pool's keep-alive.
    config = resolve_config(api_key=agentbay_server.api_key, endpoint=agentbay_server.endpoint)
    http = httpx.AsyncClient(
        timeout=httpx.Timeout(config.timeout, connect=min(config.timeout, CONNECT_TIMEOUT)),
        limits=httpx.Limits(max_keepalive_connections=0),
        headers={"User-Agent": f"agentbay-python/{__version__}"},
    )
    try:
        # `timeout` given beside `http_client`: each attempt keeps the SDK's deadline.
        yield AsyncAgentBay(
            agentbay_server.api_key,
            endpoint=agentbay_server.endpoint,
            timeout=config.timeout,
            http_client=http,
        )
    finally:
        _close_idle(http)


def _close_idle(http: httpx.AsyncClient) -> None:
    """Close `http`, whose pool holds no connection, on a loop of its own (the test's may be gone)."""
    import asyncio

    loop = asyncio.new_event_loop()  # not set as the current loop: the test's plugin owns that
    try:
        loop.run_until_complete(http.aclose())
    finally:
        loop.close()


@pytest.fixture
def agentbay_session(request: pytest.FixtureRequest, agent_bay: AgentBay) -> Iterator[Session]:
    """A session made by `agent_bay`, deleted after the test (unless the test deleted it).

    Its parameters come from the closest ``@pytest.mark.agentbay(**params)`` marker (keywords of
    `CreateSessionParams`; a first positional argument is the image id), and its image from an indirect
    parameter (``@pytest.mark.parametrize("agentbay_session", ["code_latest"], indirect=True)``: an
    image id, or a whole `CreateSessionParams`); by default the service's default image.
    """
    result = agent_bay.create(_session_params(request))
    if not result.success and result.session is not None:
        # Made, but a context did not download: unwrap() raises below; leave no session behind.
        result.session.delete()
    with result.unwrap() as session:
        yield session


def _session_params(request: pytest.FixtureRequest) -> CreateSessionParams:
    from agentbay import CreateSessionParams

    param = getattr(request, "param", None)
    if isinstance(param, CreateSessionParams):
        return param
    kwargs: dict[str, Any] = {}
    marker = request.node.get_closest_marker("agentbay")
    if marker is not None:
        if len(marker.args) > 1:
            pytest.fail(
                "@pytest.mark.agentbay takes one positional argument at most: the image id", pytrace=False
            )
        kwargs.update(marker.kwargs)
        if marker.args:
            kwargs["image_id"] = marker.args[0]
    if param is not None:
        if not isinstance(param, str):
            pytest.fail(
                f"agentbay_session's parameter is an image id or a CreateSessionParams, got {param!r}",
                pytrace=False,
            )
        kwargs["image_id"] = param
    try:
        return CreateSessionParams(**kwargs)
    except (TypeError, ValueError) as exc:  # an unknown field, or a value of the wrong kind
        pytest.fail(f"@pytest.mark.agentbay: {exc}", pytrace=False)
