"""pytest fixtures for testing agents offline against a local AgentBay server.

Installing agentbay-python registers this module as a pytest plugin named ``agentbay``: its fixtures
are there in every test, with nothing to import. The server itself needs the ``[local]`` extra
(``pip install 'agentbay-python[local]'``); without it the module still imports, and only the tests
that use a fixture fail, saying so. A run that uses none of them starts nothing and prints nothing;
``pytest -p no:agentbay`` turns the plugin off.

- ``agentbay_server`` (one per test session): a local server on a free port, with its state in a
  temporary directory and an API key of its own; an `AgentBayServer` (``endpoint``, ``api_key``,
  ``oss_endpoint``, ``state_dir``, ``env``, and the running ``local_server``).
- ``agentbay_server_options`` (session): the `agentbay_local.LocalServer` options of that server;
  override it in a ``conftest.py`` to give it API keys of your own (the first is the clients' key),
  a ``state_dir`` or a ``proxy_timeout``.
- ``agent_bay`` / ``async_agent_bay``: an `AgentBay` / `AsyncAgentBay` on the server, closed after the
  test. The async one is a plain fixture that works in any async test (anyio's
  ``@pytest.mark.anyio``, pytest-asyncio, any event loop): its connections are not kept between
  requests, so none is left on a loop that has ended.
- ``agentbay_session``: a session of ``agent_bay``, deleted after the test. Choose its image (or any
  `CreateSessionParams` field) with ``@pytest.mark.agentbay(image_id="code_latest")``, or per
  parameter with ``@pytest.mark.parametrize("agentbay_session", ["code_latest"], indirect=True)``
  (an image id, or a whole `CreateSessionParams`). By default: the service's default image, as
  ``agent_bay.create()``.
- ``agentbay_env``: sets ``AGENTBAY_ENDPOINT`` and ``AGENTBAY_API_KEY`` for the test, for code that
  builds its own ``AgentBay()``.

```python
import pytest

from agentbay import AgentBay, AsyncAgentBay, Session


def test_the_agent_writes_its_report(agentbay_session: Session) -> None:
    agentbay_session.command.execute_command("echo done > /tmp/report.txt").raise_for_error()
    assert agentbay_session.file_system.read_file("/tmp/report.txt").content == "done\\n"


@pytest.mark.agentbay(image_id="code_latest", labels={"suite": "agents"})
def test_code_runs(agentbay_session: Session) -> None:
    assert agentbay_session.code.run_code("print(6 * 7)", "python").result.strip() == "42"


def test_sessions_are_listed(agent_bay: AgentBay, agentbay_session: Session) -> None:
    listed = [summary.session_id for summary in agent_bay.list_all()]
    assert agentbay_session.session_id in listed


@pytest.mark.anyio
async def test_async(async_agent_bay: AsyncAgentBay) -> None:
    async with (await async_agent_bay.create()).unwrap() as session:
        result = await session.command.execute_command("echo hello")
        assert result.stdout == "hello\\n"
```

A second key on the same server, in a ``conftest.py``:

```python
@pytest.fixture(scope="session")
def agentbay_server_options() -> dict[str, Any]:
    return {"api_keys": ["akm-main", "akm-other"]}
```
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from agentbay_local import LocalServer

    from . import AgentBay, AsyncAgentBay, CreateSessionParams, Session

__all__ = [
    "AgentBayServer",
    "agent_bay",
    "agentbay_env",
    "agentbay_server",
    "agentbay_server_options",
    "agentbay_session",
    "async_agent_bay",
]

# Imports stay inside the fixtures: pytest loads this plugin in every run where agentbay-python is
# installed, and a run that uses none of them should pay for nothing (nor need the [local] extra).

MARKER = "agentbay"
_MARKER_HELP = (
    f"{MARKER}(image_id=None, **params): the CreateSessionParams of the agentbay_session fixture's "
    "session, e.g. @pytest.mark.agentbay(image_id='code_latest') (agentbay.testing)"
)
_INSTALL_LOCAL = "pip install 'agentbay-python[local]'"


def pytest_configure(config: pytest.Config) -> None:
    # Registered, so that --strict-markers accepts it.
    config.addinivalue_line("markers", _MARKER_HELP)


@dataclasses.dataclass(frozen=True)
class AgentBayServer:
    """The running local server of the ``agentbay_server`` fixture."""

    endpoint: str
    """``http://127.0.0.1:PORT``: what ``AgentBay(endpoint=...)`` or ``AGENTBAY_ENDPOINT`` takes."""
    api_key: str = dataclasses.field(repr=False)
    """The key the fixtures' clients use: the server's generated key, or the first of the
    ``api_keys`` in `agentbay_server_options`."""
    oss_endpoint: str
    """The local object store's endpoint, for an OSS client (``oss2``)."""
    state_dir: Path
    """The server's state: ``sessions/<session_id>`` is each session's file system."""
    local_server: LocalServer = dataclasses.field(repr=False)
    """The running `agentbay_local.LocalServer`, for anything else (``api_keys``, ``host``, ``port``)."""

    @property
    def env(self) -> dict[str, str]:
        """``AGENTBAY_ENDPOINT`` and ``AGENTBAY_API_KEY`` for the server, for a program of your own:
        ``subprocess.run(argv, env=os.environ | agentbay_server.env)``."""
        return {"AGENTBAY_ENDPOINT": self.endpoint, "AGENTBAY_API_KEY": self.api_key}


@pytest.fixture(scope="session")
def agentbay_server_options() -> Mapping[str, Any]:
    """Keyword arguments of the `agentbay_local.LocalServer` behind ``agentbay_server``: override this
    fixture (session-scoped) in a ``conftest.py``, e.g. ``{"api_keys": ["akm-main", "akm-other"]}``.
    ``state_dir`` is a temporary directory unless given."""
    return {}


@pytest.fixture(scope="session")
def agentbay_server(
    agentbay_server_options: Mapping[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AgentBayServer]:
    """A local AgentBay server for the whole test session (one per xdist worker), stopped at its end
    with every process its sessions still run."""
    try:
        from agentbay_local import LocalServer
    except ImportError as exc:
        pytest.fail(
            f"the agentbay_server fixture runs a local AgentBay server, which needs the [local] extra: "
            f"{_INSTALL_LOCAL} ({type(exc).__name__}: {exc})",
            pytrace=False,
        )
    options = dict(agentbay_server_options)
    state_dir = options.pop("state_dir", None) or tmp_path_factory.mktemp("agentbay-server")
    with LocalServer(state_dir, **options) as server:
        yield AgentBayServer(
            endpoint=server.endpoint,
            api_key=server.generated_key or server.api_keys[0],
            oss_endpoint=server.oss_endpoint,
            state_dir=Path(server.state_dir),
            local_server=server,
        )


@pytest.fixture
def agentbay_env(agentbay_server: AgentBayServer, monkeypatch: pytest.MonkeyPatch) -> AgentBayServer:
    """``AGENTBAY_ENDPOINT`` and ``AGENTBAY_API_KEY`` set to the server for the test (restored
    after), so that ``AgentBay()`` in the code under test reaches it; returns the server."""
    for name, value in agentbay_server.env.items():
        monkeypatch.setenv(name, value)
    return agentbay_server


@pytest.fixture
def agent_bay(agentbay_server: AgentBayServer) -> Iterator[AgentBay]:
    """An `AgentBay` client on the local server, closed after the test."""
    from . import AgentBay

    with AgentBay(agentbay_server.api_key, endpoint=agentbay_server.endpoint) as client:
        yield client


@pytest.fixture
def async_agent_bay(agentbay_server: AgentBayServer) -> Iterator[AsyncAgentBay]:
    """An `AsyncAgentBay` client on the local server, closed after the test; usable from any event loop.

    Its connections are not kept between requests (each request opens its own): a pooled connection
    belongs to the event loop it was opened on, and pytest's async plugins end that loop before a
    fixture's teardown, where it could no longer be closed. So this fixture needs no async plugin
    of its own and works with anyio's, with pytest-asyncio's (strict or auto, any loop scope) and with
    a loop of your own. Close the streams you open (watchers, downloads) within the test.
    """
    import asyncio

    import httpx

    from . import AsyncAgentBay, __version__
    from ._config import resolve_config

    # The client's own settings, as AsyncAgentBay would make them, but for the kept connections.
    config = resolve_config(api_key=agentbay_server.api_key, endpoint=agentbay_server.endpoint)
    http = httpx.AsyncClient(
        limits=httpx.Limits(max_keepalive_connections=0),
        headers={"User-Agent": f"agentbay-python/{__version__}"},
    )
    try:
        # `timeout`: the SDK's timeouts per request, rather than httpx's 5 s default.
        yield AsyncAgentBay(
            config.api_key, endpoint=config.endpoint, timeout=config.timeout, http_client=http
        )
    finally:
        # No connection is left open, so closing the pool touches no event loop: a fresh one does.
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(http.aclose())
        finally:
            loop.close()


@pytest.fixture
def agentbay_session(request: pytest.FixtureRequest, agent_bay: AgentBay) -> Iterator[Session]:
    """A session of ``agent_bay``, deleted after the test.

    Its `CreateSessionParams`: the fields of the closest ``@pytest.mark.agentbay(...)`` marker (a lone
    positional argument is the image id), then an indirect parameter: an image id (over the marker's)
    or a whole `CreateSessionParams` (instead of it).
    """
    result = agent_bay.create(_session_params(request))
    if not result.success and result.session is not None:
        # Created, but its contexts did not download: unwrap() raises below; leave nothing behind.
        result.session.delete()
    with result.unwrap() as session:
        yield session


def _session_params(request: pytest.FixtureRequest) -> CreateSessionParams:
    """The params of ``agentbay_session``'s session: the marker's, then an indirect parameter."""
    from . import CreateSessionParams

    fields: dict[str, Any] = {}
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        fields.update(marker.kwargs)
        if len(marker.args) > 1 or (marker.args and "image_id" in fields):
            pytest.fail(f"@pytest.mark.{MARKER}: only the image id may be positional", pytrace=False)
        if marker.args:
            fields["image_id"] = marker.args[0]
    param = getattr(request, "param", None)
    if isinstance(param, CreateSessionParams):
        return param
    if isinstance(param, str):
        fields["image_id"] = param
    elif param is not None:
        pytest.fail(
            f"agentbay_session: expected an image id or CreateSessionParams as parameter, got {param!r}",
            pytrace=False,
        )
    try:
        return CreateSessionParams(**fields)
    except TypeError as exc:
        pytest.fail(f"@pytest.mark.{MARKER}: {exc}", pytrace=False)
