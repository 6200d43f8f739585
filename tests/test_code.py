"""Unit tests of session.code against the fake service (both flavours): the Args sent (the official
SDKs' bytes, from the captures), both reply formats (plain text and the 0.22.3 kernel JSON), failures
with their typed errors, and bad input refused before sending."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentbay import (
    APIConnectionError,
    CodeExecutionResult,
    CommandTimeoutError,
    CreateSessionParams,
    ExecutionResult,
    InvalidInputError,
    SessionClosedError,
    ToolError,
)
from agentbay._code import code_result
from agentbay._wire import ToolOutput

from ._fake import FakeService, envelope

WIRE = Path(__file__).resolve().parent.parent.parent / "shared" / "wire"
if not WIRE.exists():
    WIRE = Path("/work/shared/wire")

CAPTURES = json.loads((WIRE / "tools" / "run_code.json").read_text())["examples"]
KERNEL = next(e for e in CAPTURES if e["sdk_call"].endswith("[JSON result reply]"))


def new_code(bay: Any) -> Any:
    return bay.create(CreateSessionParams()).unwrap().code


@pytest.mark.parametrize("example", CAPTURES, ids=lambda e: f"{e['sdk']}:{e['sdk_call']}")
def test_the_captured_calls_send_the_official_bytes_and_read_the_reply(
    bay: Any, fake: FakeService, example: dict[str, Any]
) -> None:
    code = new_code(bay)
    fake.reply("CallMcpTool:run_code", example["response"]["body"])
    args = example["args"]
    result = code.run_code(args["code"], args["language"], args["timeout_s"])
    sent = fake.sent[-1].form
    assert (sent["Name"], sent["Args"]) == ("run_code", example["request"]["form"]["Args"])
    expected = example["sdk_result"]
    assert result.success is expected["success"] is True
    assert result.request_id == expected["request_id"]
    assert result.result == (expected["result"] if "result" in expected else expected["results"][0]["text"])
    assert result.error is None and result.error_message == ""


def test_a_plain_reply_is_the_output(bay: Any, fake: FakeService) -> None:
    fake.tool("run_code", "out\nerr\n")
    result = new_code(bay).run_code("print('out')", "python")
    assert result == CodeExecutionResult(
        request_id=result.request_id, result="out\nerr\n", stdout="out\nerr\n"
    )
    assert fake.tools()[-1] == ("run_code", {"code": "print('out')", "language": "python", "timeout_s": 60})


def test_the_kernel_json_reply_is_taken_apart(bay: Any, fake: FakeService) -> None:
    fake.reply("CallMcpTool:run_code", KERNEL["response"]["body"])
    result = new_code(bay).run_code("console.log('hi'); 1 + 2", "javascript")
    assert result.success
    assert (result.result, result.stdout, result.stderr) == ("3", "hi\n", "")
    assert result.results == (ExecutionResult(text="3", data={"text/plain": "3"}, is_main_result=True),)
    assert (result.execution_count, result.execution_time) == (1, 0.012)


def kernel_output(data: dict[str, Any], *, is_error: bool = False) -> ToolOutput:
    return ToolOutput(tool="run_code", text=json.dumps(data), is_error=is_error, request_id="r-1")


def test_kernel_replies_rich_results_and_errors() -> None:
    html = {"text/html": "<b>x</b>", "text/plain": "x", "isMainResult": False}
    image = json.dumps(json.dumps({"image/png": "iVBOR", "isMainResult": True}))  # encoded twice
    result = code_result(
        kernel_output(
            {"result": [json.dumps(html), image, "plain"], "stdout": ["a", "b\n"], "stderr": ["w\n"]}
        )
    )
    assert result.success and result.stdout == "ab\n" and result.stderr == "w\n"
    assert [r.data for r in result.results] == [
        {"text/html": "<b>x</b>", "text/plain": "x"},
        {"image/png": "iVBOR"},
        {"text/plain": "plain"},
    ]
    assert [r.is_main_result for r in result.results] == [False, True, False]
    assert result.result == "x"  # the main result has no text: the first result's
    assert code_result(kernel_output({"result": [], "stdout": ["only\n"], "stderr": []})).result == "only\n"
    # An execution error is a failed result that keeps what the program printed.
    error = {"name": "NameError", "value": "name 'x' is not defined", "traceback": ["Traceback...", "  x"]}
    failed = code_result(
        kernel_output({"result": [], "stdout": ["before\n"], "stderr": [], "executionError": error})
    )
    assert not failed.success and isinstance(failed.error, ToolError) and failed.error.tool == "run_code"
    assert failed.error.message == "Traceback...\n  x\nNameError: name 'x' is not defined"
    assert failed.stdout == "before\n" and failed.error_message == str(failed.error)
    text_error = code_result(
        kernel_output({"result": [], "stdout": [], "stderr": [], "executionError": "boom"})
    )
    assert not text_error.success and text_error.error is not None and "boom" in text_error.error_message
    flagged = code_result(kernel_output({"result": [], "stdout": [], "stderr": ["bad\n"]}, is_error=True))
    assert not flagged.success and "bad" in flagged.error_message


def test_a_program_printing_json_is_not_a_kernel_reply() -> None:
    for text in ('{"result": [1]}\n', '{"stdout": [], "stderr": []}', "[1, 2]", "{not json"):
        result = code_result(ToolOutput(tool="run_code", text=text, is_error=False, request_id=""))
        assert (result.result, result.results) == (text, ())


def test_an_error_holds_the_traceback(bay: Any, fake: FakeService) -> None:
    traceback = (
        'Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>\n'
        "NameError: name 'x' is not defined\n"
    )
    fake.tool("run_code", traceback, is_error=True)
    result = new_code(bay).run_code("x", "python")
    assert not result.success and result.result == ""
    assert type(result.error) is ToolError and result.error.tool == "run_code"
    assert result.error.message == traceback
    assert "NameError: name 'x' is not defined" in result.error_message
    with pytest.raises(ToolError, match="NameError"):
        result.raise_for_error()


def test_a_timeout_is_a_command_timeout_error(bay: Any, fake: FakeService) -> None:
    fake.tool("run_code", "Code execution timed out after 2 s\nstarted\n", is_error=True)
    result = new_code(bay).run_code("while True: pass", "python", timeout_s=2)
    assert not result.success
    assert isinstance(result.error, CommandTimeoutError) and result.error.tool == "run_code"
    assert "timed out after 2 s" in result.error_message
    with pytest.raises(CommandTimeoutError):
        result.raise_for_error()


def test_the_http_timeout_outlives_the_program(bay: Any, fake: FakeService) -> None:
    new_code(bay).run_code("print(1)", "python", timeout_s=300)
    assert fake.sent[-1].request.extensions["timeout"]["read"] >= 300 + 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("1", "ruby"), "'python', 'javascript'"),
        (("1", "Python"), "for `language`, got 'Python'"),
        (("1", None), "`language`"),
        ((b"print(1)", "python"), "`code`"),
        (("1", "python", 0), "`timeout_s`"),
        (("1", "python", 3601), "`timeout_s`"),
        (("1", "python", 1.5), "`timeout_s`"),
        (("1", "python", True), "`timeout_s`"),
    ],
)
def test_bad_input_is_refused_before_sending(
    bay: Any, fake: FakeService, args: tuple[Any, ...], message: str
) -> None:
    code = new_code(bay)
    before = len(fake.sent)
    with pytest.raises(InvalidInputError, match=message):
        code.run_code(*args)
    assert len(fake.sent) == before
    assert issubclass(InvalidInputError, ValueError)


def test_a_transport_failure_is_a_failed_result(bay: Any, fake: FakeService) -> None:
    code = new_code(bay)
    fake.fail("CallMcpTool", httpx.ReadError("reset"))  # not retried: the program may have run
    result = code.run_code("print(1)", "python")
    assert not result.success and isinstance(result.error, APIConnectionError)


def test_a_deleted_session_raises(bay: Any, fake: FakeService) -> None:
    session = bay.create(CreateSessionParams()).unwrap()
    session.delete()
    with pytest.raises(SessionClosedError):
        session.code.run_code("print(1)", "python")


def test_the_manager_shows_its_session(bay: Any) -> None:
    session = bay.create(CreateSessionParams()).unwrap()
    assert repr(session.code) in (
        f"Code(session_id={session.session_id!r})",
        f"AsyncCode(session_id={session.session_id!r})",
    )


def test_an_empty_data_reply_is_an_empty_output(bay: Any, fake: FakeService) -> None:
    fake.reply(
        "CallMcpTool:run_code", envelope({"content": [{"type": "text", "text": ""}], "isError": False})
    )
    result = new_code(bay).run_code("pass", "python")
    assert result.success and result.result == ""
