"""session.code, sync and async, against the local server: real python3 and node in the session."""

from __future__ import annotations

from typing import Any

import pytest

from agentbay import (
    CodeExecutionResult,
    CommandTimeoutError,
    InvalidInputError,
    SessionClosedError,
    ToolError,
)
from agentbay_local import LocalServer

from .conftest import session_dir


def test_python_and_javascript_output(session: Any) -> None:
    result = session.code.run_code("import sys\nprint('out')\nprint('err', file=sys.stderr)", "python")
    assert result == CodeExecutionResult(
        request_id=result.request_id, result="out\nerr\n", stdout="out\nerr\n"
    )
    assert result.success and result.request_id
    js = session.code.run_code("console.log([1, 2].map(x => x * 2).join(','))", "javascript", timeout_s=30)
    assert js.success and js.result == "2,4\n"


def test_the_session_files_are_the_programs_files(session: Any, server: LocalServer) -> None:
    session.file_system.write_file("/home/wuying/in.txt", "from the facade")
    result = session.code.run_code("print(open('in.txt').read().upper())", "python")
    assert result.result == "FROM THE FACADE\n"
    session.code.run_code("require('fs').writeFileSync('/tmp/out.txt', 'from node')", "javascript")
    assert session.file_system.read_file("/tmp/out.txt").content == "from node"
    assert (session_dir(server, session.session_id) / "tmp" / "out.txt").read_text() == "from node"
    # The program and shell commands run in the same sandbox, as the same user.
    uid = session.command.execute_command("id -u").stdout.strip()
    assert session.code.run_code("import os; print(os.getuid())", "python").result.strip() == uid


def test_a_runtime_error_is_a_failed_result_with_the_traceback(session: Any) -> None:
    result = session.code.run_code("print('before')\nundefined_name", "python")
    assert not result.success and type(result.error) is ToolError
    assert result.error.tool == "run_code"
    assert "before\nTraceback (most recent call last):" in result.error.message
    assert "NameError: name 'undefined_name' is not defined" in result.error_message
    syntax = session.code.run_code("def (", "python")
    assert not syntax.success and "SyntaxError" in syntax.error_message
    js = session.code.run_code("null.x", "javascript")
    assert not js.success and "TypeError" in js.error_message
    with pytest.raises(ToolError, match="NameError"):
        result.raise_for_error()


def test_a_timeout_is_a_command_timeout_error(session: Any) -> None:
    result = session.code.run_code(
        "import time\nprint('started', flush=True)\ntime.sleep(30)", "python", timeout_s=1
    )
    assert not result.success and isinstance(result.error, CommandTimeoutError)
    assert result.error.tool == "run_code"
    assert result.error.message == "Code execution timed out after 1 s\nstarted\n"
    # The session goes on.
    assert session.code.run_code("print('after')", "python").result == "after\n"


def test_unknown_languages_are_refused_before_sending(session: Any) -> None:
    with pytest.raises(InvalidInputError, match="`language`"):
        session.code.run_code("puts 1", "ruby")


def test_a_deleted_session_raises(live: Any) -> None:
    session = live.create().unwrap()
    session.delete()
    with pytest.raises(SessionClosedError):
        session.code.run_code("print(1)", "python")
