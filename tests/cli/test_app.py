"""The root command: global options, errors as one line and an exit code, the light import."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator

import click
import pytest

import agentbay
from agentbay import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BrowserError,
    CommandTimeoutError,
    ContextSyncError,
    InvalidInputError,
    InvalidParameterError,
    NonZeroExitError,
    NoSuchFileError,
    NotFoundError,
    RateLimitError,
    ServerError,
    SessionClosedError,
    ToolError,
)
from agentbay.cli import _app
from agentbay.cli._output import EXIT_CODES, exit_code_for

from .conftest import KEY, Run


@pytest.fixture
def probe() -> Iterator[list[BaseException]]:
    """A hidden `probe` command that raises what the test puts in the list (or prints the state)."""
    raised: list[BaseException] = []

    @click.command("probe", hidden=True)
    @_app.common_options
    @_app.pass_state
    def command(state: _app.State) -> int:
        if raised:
            raise raised[0]
        state.client().list().raise_for_error()
        state.emit({"output": state.output, "verbose": state.verbose}, text="plain")
        return 0

    _app.cli.add_command(command)
    yield raised
    del _app.cli.commands["probe"]


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InvalidInputError("bad"), 2),
        (AuthenticationError("no", code="NOT_LOGIN"), 3),
        (NotFoundError("gone", code="InvalidMcpSession.NotFound"), 4),
        (NoSuchFileError("read_file", "/tmp/x"), 4),
        (InvalidParameterError("no", code="InvalidParameter.ImageId"), 5),
        (RateLimitError("slow down", code="Throttling"), 6),
        (ServerError("boom", http_status=502), 7),
        (APIError("odd", code="Something"), 7),
        (APIConnectionError("could not reach"), 8),
        (CommandTimeoutError("shell", "timed out"), 124),
        (NonZeroExitError(3, "oops"), 9),
        (ToolError("shell", "failed"), 9),
        (ContextSyncError("late", context_id="c", path="/p", task_type="download", status="Failed"), 10),
        (BrowserError("no browser", session_id="s"), 11),
        (SessionClosedError("s-1"), 1),
        (agentbay.AgentBayError("other"), 1),
    ],
)
def test_each_error_class_has_its_exit_code_and_one_line(
    cli: Callable[..., Run], probe: list[BaseException], error: BaseException, code: int
) -> None:
    assert exit_code_for(error) == code
    probe.append(error)
    ran = cli("probe")
    assert ran.code == code
    assert ran.out == ""
    lines = ran.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"agentbay: {type(error).__name__}: ")


def test_the_exit_code_table_lists_every_exported_error() -> None:
    exported = {getattr(agentbay, name) for name in agentbay.__all__ if name.endswith("Error")}
    listed = {kind for kind, _, _ in EXIT_CODES}
    # Every exported error class is reached by the table (itself or a base listed before the root).
    for kind in exported:
        assert any(
            issubclass(kind, listed_kind) for listed_kind in listed - {agentbay.AgentBayError}
        ) or kind in {
            agentbay.AgentBayError,
            agentbay.TransportError,
        }, kind
    # No entry is shadowed by a more general one listed before it.
    for i, (kind, _, _) in enumerate(EXIT_CODES):
        assert not any(issubclass(kind, earlier) for earlier, _, _ in EXIT_CODES[:i]), kind


def test_the_request_id_is_in_the_error_line(cli: Callable[..., Run], probe: list[BaseException]) -> None:
    probe.append(NotFoundError("no such session", code="InvalidMcpSession.NotFound", request_id="REQ-42"))
    ran = cli("probe")
    assert ran.code == 4
    assert "request_id=REQ-42" in ran.err
    assert "[InvalidMcpSession.NotFound] no such session" in ran.err


@pytest.mark.parametrize("where", ["before", "after"])
def test_output_and_verbose_go_before_or_after_the_command(
    cli: Callable[..., Run], probe: list[BaseException], where: str
) -> None:
    options = ["-o", "json", "-v"]
    ran = cli(*options, "probe") if where == "before" else cli("probe", *options)
    assert ran.code == 0, ran.err
    assert json.loads(ran.out) == {"output": "json", "verbose": True}
    # -v: the SDK's request line, with the request id, on stderr; stdout stays one JSON document.
    assert "ListSession -> HTTP 200" in ran.err and "request_id=" in ran.err


def test_without_output_options_people_get_text(cli: Callable[..., Run], probe: list[BaseException]) -> None:
    ran = cli("probe")
    assert (ran.code, ran.out, ran.err) == (0, "plain\n", "")


def test_flags_win_over_the_environment_and_the_key_is_never_shown(
    cli: Callable[..., Run], probe: list[BaseException]
) -> None:
    # A wrong key in the environment, the right one as a flag: the flag wins.
    ran = cli("--api-key", KEY, "probe", env={"AGENTBAY_API_KEY": "akm-wrong-key-shown-nowhere"})
    assert ran.code == 0, ran.err
    # The wrong key alone: an authentication error, exit 3, and the key appears nowhere.
    ran = cli("-v", "probe", env={"AGENTBAY_API_KEY": "akm-wrong-key-shown-nowhere"})
    assert ran.code == 3
    assert "akm-wrong-key-shown-nowhere" not in ran.out + ran.err
    assert KEY not in ran.out + ran.err


def test_a_missing_key_is_a_clear_usage_error(cli: Callable[..., Run], probe: list[BaseException]) -> None:
    ran = cli("probe", env={"AGENTBAY_API_KEY": None})
    assert ran.code == 2
    assert "AGENTBAY_API_KEY" in ran.err


def test_an_unreachable_endpoint_is_exit_8(cli: Callable[..., Run], probe: list[BaseException]) -> None:
    ran = cli("--endpoint", "http://127.0.0.1:9", "probe")
    assert ran.code == 8
    assert ran.err.startswith("agentbay: APIConnectionError: ")


def test_usage_errors_exit_2(cli: Callable[..., Run]) -> None:
    assert cli("no-such-command").code == 2
    assert cli("-o", "xml", "demo").code == 2


def test_help_lists_every_command(cli: Callable[..., Run]) -> None:
    ran = cli("--help")
    assert ran.code == 0
    for name in _app.COMMANDS:
        assert f"  {name} " in ran.out, name
    assert "Exit codes:" in ran.out


def test_version(cli: Callable[..., Run]) -> None:
    ran = cli("--version")
    assert (ran.code, ran.out) == (0, f"agentbay {agentbay.__version__}\n")


def test_importing_agentbay_loads_no_cli_library() -> None:
    check = "import sys, agentbay; print(sorted(m for m in ('click', 'rich', 'agentbay.cli') if m in sys.modules))"
    ran = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "[]"


def test_a_command_loads_only_its_own_module() -> None:
    check = (
        "import sys; from agentbay.cli import main; main(['--version']);"
        " print(sorted(m for m in sys.modules if m.startswith('agentbay.cli.') or m == 'rich'))"
    )
    ran = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert ran.stdout.splitlines()[-1] == "['agentbay.cli._app', 'agentbay.cli._output']"


def test_without_click_the_command_says_what_to_install() -> None:
    check = "import sys; sys.modules['click'] = None; from agentbay.cli import main; sys.exit(main(['--version']))"
    ran = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert ran.returncode == 1
    assert "pip install 'agentbay-python[cli]'" in ran.stderr
