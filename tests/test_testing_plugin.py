"""The pytest plugin `agentbay.testing`, as users meet it: their own test files, run by pytest (pytester).

Each run is a fresh interpreter, as a user's is: a run in this process would import modules (httpcore,
the SDK's lazily imported ones) that pytester then drops, leaving this process with two copies of their
classes. Every run uses `-W error`: a connection or event loop left open (a ResourceWarning) fails it.
"""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import agentbay.testing
from agentbay import AgentBay
from agentbay_local import LocalServer

pytest_plugins = ["pytester"]

FLAGS = ("-p", "no:cacheprovider", "-W", "error", "--strict-markers")
SEEN = "seen.txt"
"""The file where a user's test leaves what a later test (or this module) checks."""


def run(pytester: pytest.Pytester, *args: str, asyncio: bool = False) -> pytest.RunResult:
    # pytest-asyncio, where installed, is kept out of the runs not about it (it warns when unconfigured).
    return pytester.runpytest_subprocess(
        *FLAGS, *(() if asyncio else ("-p", "no:asyncio")), *args, timeout=120
    )


def test_the_module_docstring_example_passes(pytester: pytest.Pytester) -> None:
    doc = agentbay.testing.__doc__ or ""
    example = re.search(r"```python\n(.*?)```", doc, re.DOTALL)
    assert example is not None
    pytester.makepyfile(test_example=example.group(1))
    # Every fixture, the marker and an indirect parameter (two images), and an anyio test.
    run(pytester).assert_outcomes(passed=6)


def test_one_server_for_the_run_and_each_session_deleted_after_its_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_first=f"""
        from pathlib import Path

        from agentbay import AgentBay, Session
        from agentbay.testing import AgentBayServer


        def test_gets_a_session(agentbay_server: AgentBayServer, agentbay_session: Session) -> None:
            assert agentbay_session.image_id == "linux_latest"  # the service's default
            assert (agentbay_server.state_dir / "sessions" / agentbay_session.session_id).is_dir()
            Path("server.txt").write_text(f"{{agentbay_server.endpoint}} {{id(agentbay_server.local)}}")
            Path("{SEEN}").write_text(agentbay_session.session_id)


        def test_that_session_is_gone(agentbay_server: AgentBayServer, agent_bay: AgentBay) -> None:
            session_id = Path("{SEEN}").read_text()
            assert not (agentbay_server.state_dir / "sessions" / session_id).exists()
            assert not agent_bay.get(session_id).success
            assert agent_bay.list().session_ids == []


        def test_a_failing_test(agentbay_session: Session) -> None:
            Path("{SEEN}").write_text(agentbay_session.session_id)
            raise AssertionError("on purpose")


        def test_a_test_that_deletes_its_session(agentbay_session: Session, agent_bay: AgentBay) -> None:
            assert not agent_bay.get(Path("{SEEN}").read_text()).success  # the failed test's session
            agentbay_session.delete().raise_for_error()
        """,
        test_second="""
        from pathlib import Path

        from agentbay import AgentBay
        from agentbay.testing import AgentBayServer


        def test_another_module_the_same_server(agentbay_server: AgentBayServer, agent_bay: AgentBay) -> None:
            assert Path("server.txt").read_text() == f"{agentbay_server.endpoint} {id(agentbay_server.local)}"
            assert agent_bay.list().session_ids == []
        """,
    )
    result = run(pytester)
    result.assert_outcomes(passed=4, failed=1)
    assert "on purpose" in result.stdout.str()
    # The server stopped with the run.
    endpoint, _ = (pytester.path / "server.txt").read_text().split()
    assert endpoint.startswith("http://127.0.0.1:")
    with pytest.raises(httpx.ConnectError):
        httpx.post(endpoint)


def test_a_run_that_asks_for_none_of_the_fixtures_starts_nothing_and_prints_nothing(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile("def test_plain() -> None:\n    pass\n")
    result = run(pytester, "-q", f"--basetemp={pytester.path / 'tmp'}")
    result.assert_outcomes(passed=1)
    assert "agentbay" not in result.stdout.str().lower() + result.stderr.str().lower()
    assert not list((pytester.path / "tmp").glob("agentbay*"))


ASYNC_TESTS = """
import asyncio
import gc

import pytest

from agentbay import AsyncAgentBay, CreateSessionParams


@pytest.mark.anyio
async def test_a_session(async_agent_bay: AsyncAgentBay) -> None:
    params = CreateSessionParams(image_id="code_latest")
    async with (await async_agent_bay.create(params)).unwrap() as session:
        assert (await session.command.execute_command("echo hi")).stdout == "hi\\n"


@pytest.mark.anyio
async def test_the_next_anyio_test(async_agent_bay: AsyncAgentBay) -> None:
    assert (await async_agent_bay.list()).session_ids == []


def test_a_sync_test_with_loops_of_its_own(async_agent_bay: AsyncAgentBay) -> None:
    asyncio.run(async_agent_bay.list()).raise_for_error()
    asyncio.run(async_agent_bay.list()).raise_for_error()


def test_nothing_left_to_collect() -> None:
    gc.collect()  # an unclosed socket, transport or loop warns now
"""


def test_the_async_client_works_on_each_tests_loop_and_leaves_nothing_open(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_async=ASYNC_TESTS)
    run(pytester).assert_outcomes(passed=4)


def test_a_pooled_async_client_in_the_same_tests_is_caught(pytester: pytest.Pytester) -> None:
    # The check above can fail: the SDK's own client keeps its connection after an anyio test, whose
    # loop anyio then closes; the connection cannot be closed any more and is reported.
    pytester.makeconftest(
        """
        import asyncio
        from collections.abc import Iterator

        import pytest

        from agentbay import AsyncAgentBay
        from agentbay.testing import AgentBayServer


        @pytest.fixture
        def async_agent_bay(agentbay_server: AgentBayServer) -> Iterator[AsyncAgentBay]:
            client = AsyncAgentBay(agentbay_server.api_key, endpoint=agentbay_server.endpoint)
            yield client
            loop = asyncio.new_event_loop()
            try:
                loop.run_until_complete(client.aclose())
            finally:
                loop.close()
        """
    )
    pytester.makepyfile(test_async=ASYNC_TESTS)
    result = run(pytester)
    assert result.ret != 0
    assert "Event loop is closed" in result.stdout.str()


def test_the_async_client_under_pytest_asyncio(pytester: pytest.Pytester) -> None:
    pytest.importorskip("pytest_asyncio")  # not one of our dependencies
    pytester.makepyfile(
        """
        import pytest

        from agentbay import AsyncAgentBay


        @pytest.mark.asyncio
        async def test_function_loop(async_agent_bay: AsyncAgentBay) -> None:
            async with (await async_agent_bay.create()).unwrap() as session:
                assert (await session.command.execute_command("echo hi")).stdout == "hi\\n"


        @pytest.mark.asyncio(loop_scope="module")
        async def test_module_loop(async_agent_bay: AsyncAgentBay) -> None:
            (await async_agent_bay.list()).raise_for_error()


        def test_nothing_left_to_collect() -> None:
            import gc

            gc.collect()
        """
    )
    for mode in ("strict", "auto"):
        run(
            pytester,
            "-o",
            f"asyncio_mode={mode}",
            "-o",
            "asyncio_default_fixture_loop_scope=function",
            asyncio=True,
        ).assert_outcomes(passed=3)


def test_the_marker_and_indirect_parameters_choose_the_session(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        from agentbay import AgentBay, CreateSessionParams, Session


        @pytest.mark.agentbay("code_latest")
        def test_a_positional_image(agentbay_session: Session) -> None:
            assert agentbay_session.image_id == "code_latest"


        @pytest.mark.agentbay(image_id="linux_latest", labels={"team": "a"})
        class TestAClassMarker:
            def test_image_and_labels(self, agentbay_session: Session) -> None:
                assert agentbay_session.image_id == "linux_latest"
                assert agentbay_session.get_labels() == {"team": "a"}

            @pytest.mark.parametrize("agentbay_session", ["code_latest"], indirect=True)
            def test_a_parameter_chooses_the_image_and_keeps_the_labels(self, agentbay_session: Session) -> None:
                assert agentbay_session.image_id == "code_latest"
                assert agentbay_session.get_labels() == {"team": "a"}


        @pytest.mark.parametrize(
            "agentbay_session", [CreateSessionParams(image_id="code_latest", labels={"team": "b"})], indirect=True
        )
        def test_whole_params(agentbay_session: Session) -> None:
            assert (agentbay_session.image_id, agentbay_session.get_labels()) == ("code_latest", {"team": "b"})


        @pytest.mark.agentbay(image="code_latest")
        def test_a_misspelt_field(agentbay_session: Session) -> None:
            pass


        @pytest.mark.agentbay(image_id="windows_latest")
        def test_an_image_the_server_refuses(agentbay_session: Session) -> None:
            pass
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=4, errors=2)
    result.stdout.fnmatch_lines(["*@pytest.mark.agentbay: *unexpected keyword argument 'image'*"])
    result.stdout.fnmatch_lines(["*windows_latest*"])
    markers = run(pytester, "--markers")
    markers.stdout.fnmatch_lines(["@pytest.mark.agentbay(image_id=None, **params): *agentbay_session*"])


def test_the_default_server(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import os

        from agentbay import AgentBay
        from agentbay.testing import AgentBayServer


        def test_it(agentbay_server: AgentBayServer, agent_bay: AgentBay, tmp_path_factory) -> None:
            local = agentbay_server.local
            assert local is not None and local.running
            assert agentbay_server.endpoint == local.endpoint == agent_bay.endpoint
            assert agentbay_server.oss_endpoint == local.oss_endpoint
            # A key of its own, generated in a temporary state directory.
            assert agentbay_server.api_keys == (agentbay_server.api_key,) == (local.generated_key,)
            assert agentbay_server.state_dir == local.state_dir
            assert agentbay_server.state_dir.parent == tmp_path_factory.getbasetemp()
            assert agentbay_server.api_key not in repr(agentbay_server)


        def test_the_env_fixture(agentbay_env: AgentBayServer) -> None:
            assert {k: os.environ[k] for k in agentbay_env.env} == {
                "AGENTBAY_ENDPOINT": agentbay_env.endpoint, "AGENTBAY_API_KEY": agentbay_env.api_key
            }


        def test_the_env_restored_after() -> None:
            assert "AGENTBAY_ENDPOINT" not in os.environ and "AGENTBAY_API_KEY" not in os.environ
        """
    )
    run(pytester).assert_outcomes(passed=3)


def test_a_conftest_sets_the_servers_options(pytester: pytest.Pytester, tmp_path: Path) -> None:
    state = tmp_path / "state"
    pytester.makeconftest(
        f"""
        from typing import Any

        import pytest


        @pytest.fixture(scope="session")
        def agentbay_server_options() -> dict[str, Any]:
            return {{"api_keys": ["akm-first", "akm-second"], "proxy_timeout": 7.0, "state_dir": {str(state)!r}}}
        """
    )
    pytester.makepyfile(
        f"""
        from pathlib import Path

        from agentbay import AgentBay, Session
        from agentbay.testing import AgentBayServer


        def test_it(agentbay_server: AgentBayServer, agentbay_session: Session) -> None:
            assert (agentbay_server.api_key, agentbay_server.api_keys) == ("akm-first", ("akm-first", "akm-second"))
            assert agentbay_server.state_dir == Path({str(state)!r})
            assert agentbay_server.local is not None and agentbay_server.local.proxy_timeout == 7.0
            with AgentBay("akm-second", endpoint=agentbay_server.endpoint) as other:
                assert other.list().session_ids == []
                assert not other.get(agentbay_session.session_id).success
        """
    )
    run(pytester).assert_outcomes(passed=1)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[LocalServer]:
    with LocalServer(tmp_path / "running", api_keys=["akm-running"]) as server:
        yield server


def test_an_endpoint_option_uses_a_running_server(
    pytester: pytest.Pytester, running: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = running.state_dir / "sessions"
    pytester.makepyfile(
        f"""
        from pathlib import Path

        from agentbay import Session
        from agentbay.testing import AgentBayServer


        def test_it(agentbay_server: AgentBayServer, agentbay_session: Session) -> None:
            assert (agentbay_server.endpoint, agentbay_server.api_key) == ({running.endpoint!r}, "akm-running")
            assert agentbay_server.local is agentbay_server.state_dir is agentbay_server.oss_endpoint is None
            assert (Path({str(sessions)!r}) / agentbay_session.session_id).is_dir()
        """
    )
    monkeypatch.setenv("AGENTBAY_API_KEY", "akm-running")
    run(pytester, f"--agentbay-endpoint={running.endpoint}").assert_outcomes(passed=1)
    with AgentBay("akm-running", endpoint=running.endpoint) as bay:
        assert bay.list().session_ids == []  # the session was made there, and deleted

    monkeypatch.delenv("AGENTBAY_API_KEY")
    result = run(pytester, f"--agentbay-endpoint={running.endpoint}")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*--agentbay-endpoint needs the API key in AGENTBAY_API_KEY*"])


def test_without_the_local_extra_the_plugin_loads_and_the_server_fixture_says_what_to_install(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        def test_plain() -> None:
            pass


        def test_with_a_client(agent_bay: object) -> None:
            pass
        """
    )
    # A fresh interpreter where starlette and uvicorn cannot be imported, as without the extra.
    program = textwrap.dedent(
        f"""
        import sys

        sys.modules["starlette"] = sys.modules["uvicorn"] = None
        import pytest

        raise SystemExit(pytest.main({[*FLAGS, "-p", "no:asyncio", "-rE"]!r}))
        """
    )
    result = pytester.run(sys.executable, "-c", program, timeout=120)
    result.assert_outcomes(passed=1, errors=1)
    out = result.stdout.str()
    assert "agentbay_server runs the local AgentBay server, which needs the [local] extra: " in out
    assert "pip install 'agentbay-python[local]' (No module named 'starlette" in out
    assert "Traceback" not in out and "During handling" not in out


def test_p_no_agentbay_disables_the_plugin(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_it(agent_bay: object) -> None:\n    pass\n")
    result = run(pytester, "-p", "no:agentbay.testing")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'agent_bay' not found*"])
    assert (
        run(pytester, "-p", "no:agentbay.testing", "--agentbay-endpoint=http://x").ret
        == pytest.ExitCode.USAGE_ERROR
    )
