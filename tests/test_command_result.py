"""session.command's parsing of the shell reply: stdout and stderr apart, truncation (both flavours)."""

from __future__ import annotations

import json
from typing import Any

from agentbay import CreateSessionParams, NonZeroExitError

from ._fake import FakeService

MARK = "\n[output truncated]"


def run(bay: Any, fake: FakeService, reply: dict[str, Any] | str, *, is_error: bool = False) -> Any:
    fake.tool("shell", reply if isinstance(reply, str) else json.dumps(reply), is_error=is_error)
    return bay.create(CreateSessionParams()).unwrap().command.execute_command("x")


def test_the_facade_asks_for_the_structured_reply(bay: Any, fake: FakeService) -> None:
    run(bay, fake, "hi\n")
    (call,) = [s for s in fake.sent if s.action == "CallMcpTool"]
    assert call.form["AutoGenSession"] == "False"  # as 0.22.3 sends it on every tool call


def test_stdout_and_stderr_apart_on_success(bay: Any, fake: FakeService) -> None:
    reply = {"stdout": "out\n", "stderr": "err\n", "exit_code": 0, "truncated": False}
    result = run(bay, fake, {**reply, "stdout_bytes": 4, "stderr_bytes": 4})
    assert result.success and (result.stdout, result.stderr, result.output) == (
        "out\n",
        "err\n",
        "out\nerr\n",
    )
    assert (result.truncated, result.stdout_bytes, result.stderr_bytes) == (False, 4, 4)


def test_truncation_is_visible(bay: Any, fake: FakeService) -> None:
    reply = {"stdout": "a" * 10 + MARK, "stderr": "", "exit_code": 0}
    result = run(bay, fake, {**reply, "truncated": True, "stdout_bytes": 70_000_000, "stderr_bytes": 0})
    assert result.success and result.truncated
    assert (result.stdout, result.stdout_bytes, result.stderr_bytes) == ("a" * 10 + MARK, 70_000_000, 0)


def test_truncation_of_a_failed_command_is_visible(bay: Any, fake: FakeService) -> None:
    reply = {"stdout": "", "stderr": "e" + MARK, "exit_code": 2, "truncated": True, "stderr_bytes": 9}
    result = run(bay, fake, reply, is_error=True)
    assert isinstance(result.error, NonZeroExitError) and result.exit_code == 2
    assert (result.stderr, result.truncated, result.stdout_bytes, result.stderr_bytes) == (
        "e" + MARK,
        True,
        None,
        9,
    )


def test_a_raw_reply_says_nothing_of_sizes(bay: Any, fake: FakeService) -> None:
    result = run(bay, fake, "out\nerr\n")  # what some cloud images send: the streams already joined
    assert (result.stdout, result.stderr, result.output) == ("out\nerr\n", "", "out\nerr\n")
    assert (result.truncated, result.stdout_bytes, result.stderr_bytes) == (False, None, None)


def test_ill_typed_size_keys_are_ignored(bay: Any, fake: FakeService) -> None:
    reply = {"stdout": "o", "stderr": "", "exit_code": 0, "truncated": "yes"}
    result = run(bay, fake, {**reply, "stdout_bytes": True, "stderr_bytes": -1})
    assert result.success and result.stdout == "o"
    assert (result.truncated, result.stdout_bytes, result.stderr_bytes) == (False, None, None)
