"""`agentbay exec ID -- CMD...` in-process: streams, exit codes, quoting, options, timeouts, -o json."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from agentbay import Command, CommandResult, NonZeroExitError
from agentbay.cli._exec import command_line, exit_status, parse_env

from .conftest import Run

CLI = Callable[..., Run]


def test_stdout_and_stderr_go_to_their_streams_and_the_exit_code_is_the_commands(
    cli: CLI, session_id: str
) -> None:
    ran = cli("exec", session_id, "--", "printf out; printf err >&2; exit 7")
    assert ran.code == 7
    # As they are: no newline added to either.
    assert ran.out == "out"
    assert ran.err == "err"


def test_a_successful_command_exits_0_and_keeps_its_newlines(cli: CLI, session_id: str) -> None:
    ran = cli("exec", session_id, "--", "echo one; echo; echo two")
    assert (ran.code, ran.out, ran.err) == (0, "one\n\ntwo\n", "")


def test_one_word_is_a_shell_line(cli: CLI, session_id: str) -> None:
    ran = cli("exec", session_id, "--", "printf 'a\\nb\\nc\\n' | wc -l")
    assert ran.code == 0
    assert ran.out.strip() == "3"


def test_several_words_are_quoted_one_by_one(cli: CLI, session_id: str) -> None:
    # Unquoted, `a;b` would run a command `b` and `my dir` would be two arguments.
    ran = cli("exec", session_id, "--", "printf", "[%s]\\n", "my dir", "a;b", "$HOME")
    assert ran.code == 0, ran.err
    assert ran.out == "[my dir]\n[a;b]\n[$HOME]\n"


def test_words_without_dashes_are_the_command_too(cli: CLI, session_id: str) -> None:
    ran = cli("exec", session_id, "echo", "hi")
    assert (ran.code, ran.out) == (0, "hi\n")


def test_output_is_written_as_utf8_bytes(cli: CLI, session_id: str) -> None:
    ran = cli("exec", session_id, "--", "printf 'h\\303\\251llo \\342\\234\\223'")
    assert ran.out_bytes == "héllo ✓".encode()


def test_cwd_and_env(cli: CLI, session_id: str) -> None:
    ran = cli(
        "exec", session_id, "--cwd", "/tmp", "--env", "A=1", "--env", "B=x=y", "--env", "C=", "--",
        'pwd; echo "$A|$B|$C|"',
    )  # fmt: skip
    assert ran.code == 0, ran.err
    assert ran.out == "/tmp\n1|x=y||\n"


def test_a_later_env_wins(cli: CLI, session_id: str) -> None:
    ran = cli("exec", session_id, "--env", "A=1", "--env", "A=2", "--", "echo $A")
    assert ran.out == "2\n"


@pytest.mark.parametrize("bad", ["NOEQUALS", "=value"])
def test_a_malformed_env_is_a_usage_error(cli: CLI, session_id: str, bad: str) -> None:
    ran = cli("exec", session_id, "--env", bad, "--", "true")
    assert ran.code == 2
    assert "NAME=VALUE" in ran.err


def test_a_timeout_exits_124_with_one_line(cli: CLI, session_id: str) -> None:
    ran = cli("exec", session_id, "--timeout", "0.5", "--", "sleep 10")
    assert ran.code == 124
    assert ran.out == ""
    assert ran.err.count("\n") == 1
    assert ran.err.startswith("agentbay: CommandTimeoutError: ")


@pytest.mark.parametrize("bad", ["0", "-1", "3601", "soon"])
def test_a_timeout_out_of_range_is_a_usage_error(cli: CLI, session_id: str, bad: str) -> None:
    assert cli("exec", session_id, "--timeout", bad, "--", "true").code == 2


def test_a_killed_command_exits_as_a_shell_reports_it(cli: CLI, session_id: str) -> None:
    assert cli("exec", session_id, "--", "kill -9 $$").code == 128 + 9


def test_json_is_one_document_and_the_exit_code_is_still_the_commands(cli: CLI, session_id: str) -> None:
    ran = cli("exec", session_id, "-o", "json", "--", "printf out; printf err >&2; exit 3")
    assert ran.code == 3
    document = ran.json()
    assert set(document) == {
        "exit_code", "stdout", "stderr", "truncated", "stdout_bytes", "stderr_bytes", "request_id",
    }  # fmt: skip
    assert document["exit_code"] == 3
    assert (document["stdout"], document["stderr"]) == ("out", "err")
    assert document["truncated"] is False
    assert (document["stdout_bytes"], document["stderr_bytes"]) == (3, 3)
    assert document["request_id"]
    assert ran.err == ""


def test_a_missing_session_exits_4(cli: CLI) -> None:
    ran = cli("exec", "session-does-not-exist", "--", "true")
    assert ran.code == 4
    assert ran.err.startswith("agentbay: ") and ran.err.count("\n") == 1


def test_no_command_is_a_usage_error(cli: CLI, session_id: str) -> None:
    assert cli("exec", session_id).code == 2
    assert cli("exec", session_id, "--").code == 2


def test_help_shows_the_form(cli: CLI) -> None:
    ran = cli("exec", "--help")
    assert ran.code == 0
    assert "-- CMD..." in ran.out and "--timeout" in ran.out and "124" in ran.out


@pytest.fixture
def truncated_reply(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """`execute_command` answers as the service does for a capped output (64 MiB a stream on the local
    server: making one really would cost seconds and hundreds of MiB here); records its arguments."""
    calls: list[dict[str, Any]] = []

    def execute_command(self: Command, command: str, **kwargs: Any) -> CommandResult:
        calls.append({"command": command, **kwargs})
        return CommandResult(
            success=False,
            request_id="REQ-1",
            error=NonZeroExitError(1, "e"),
            exit_code=1,
            stdout="abc\n[output truncated]",
            stderr="e",
            output="abc\n[output truncated]e",
            truncated=True,
            stdout_bytes=70_000_000,
            stderr_bytes=1,
        )

    monkeypatch.setattr(Command, "execute_command", execute_command)
    return calls


def test_a_truncated_output_is_printed_and_said_on_stderr(
    cli: CLI, session_id: str, truncated_reply: list[dict[str, Any]]
) -> None:
    ran = cli("exec", session_id, "--timeout", "2.5", "--", "yes")
    assert ran.code == 1
    assert ran.out == "abc\n[output truncated]"
    # The command's stderr, then the note on a line of its own.
    assert ran.err == (
        "e\nagentbay: the service truncated the output (the command wrote stdout 70000000 bytes, "
        "stderr 1 bytes)\n"
    )
    # --timeout is seconds, the SDK's is milliseconds; no --cwd/--env: the service's defaults.
    assert truncated_reply == [{"command": "yes", "timeout_ms": 2500, "cwd": None, "envs": None}]


def test_a_truncated_output_in_json(cli: CLI, session_id: str, truncated_reply: list[dict[str, Any]]) -> None:
    ran = cli("exec", session_id, "-o", "json", "--", "yes")
    document = ran.json()
    assert document["truncated"] is True
    assert document["stdout_bytes"] == 70_000_000
    assert "truncated" in ran.err


def test_the_default_timeout_is_the_sdks(
    cli: CLI, session_id: str, truncated_reply: list[dict[str, Any]]
) -> None:
    cli("exec", session_id, "--", "yes")
    assert truncated_reply[0]["timeout_ms"] == 50_000


def test_command_line() -> None:
    assert command_line(("ls | wc -l",)) == "ls | wc -l"
    assert command_line(("ls", "-la", "my dir")) == "ls -la 'my dir'"


def test_parse_env() -> None:
    assert parse_env(("A=1", "B=", "C=x=y")) == {"A": "1", "B": "", "C": "x=y"}


@pytest.mark.parametrize(("code", "status"), [(0, 0), (7, 7), (255, 255), (-9, 137), (-15, 143), (256, 1)])
def test_exit_status(code: int, status: int) -> None:
    assert exit_status(code) == status
