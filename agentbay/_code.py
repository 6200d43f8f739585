"""The `run_code` tool without I/O (`session.code`): its Args, and its reply as a `CodeExecutionResult`.

Two reply formats reach a client:
- plain text (the local server's, and the cloud's as captured with every SDK version): the program's
  output, stdout then stderr; a failed run (`isError`) is the output ending in the traceback;
- a notebook kernel's JSON (0.22.3 parses it, captured from a cloud image): ``{"result": [JSON strings
  of {mime type: value, "isMainResult"}], "stdout": [str], "stderr": [str], "executionError",
  "execution_count", "execution_time"}``. It is recognised strictly (`result`, `stdout` and
  `stderr` lists), so that a program that prints a JSON object is not mistaken for it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal, get_args

import attrs

from ._exceptions import CommandTimeoutError, InvalidInputError, ToolError
from ._types import ApiResult
from ._wire import ToolOutput

__all__ = ["CodeExecutionResult", "ExecutionResult", "Language"]

Language = Literal["python", "javascript"]
"""What `run_code` runs: ``python`` (python3) or ``javascript`` (node)."""
LANGUAGES: tuple[str, ...] = get_args(Language)
DEFAULT_TIMEOUT_S = 60
"""The official SDK's default since 0.9 (the cloud's gateway cuts a request at about 60 s)."""
MAX_TIMEOUT_S = 3600
HTTP_GRACE_S = 30.0
"""How much longer than the program the HTTP call may wait, so that the service answers first."""
TIMEOUT_PREFIX = "Code execution timed out"
"""How the local server's reply to a program killed at its timeout begins."""
TOOL = "run_code"


@attrs.frozen(kw_only=True)
class ExecutionResult:
    """One value a notebook kernel displayed (JSON replies only), e.g. the last expression's."""

    text: str | None = None
    """Its ``text/plain`` form, if it has one."""
    data: Mapping[str, Any] = attrs.field(factory=dict)
    """Every form, by mime type as sent (``text/plain``, ``text/html``, ``image/png`` in base64, ...)."""
    is_main_result: bool = False
    """Whether it is the cell's result (its last expression) rather than a value displayed on the way."""


@attrs.frozen(kw_only=True)
class CodeExecutionResult(ApiResult):
    """What a program run by `run_code` did.

    A run that failed (a syntax error, an uncaught exception: the program exited non-zero) has
    `success` False and a `ToolError` whose message holds the output and the traceback (e.g.
    ``NameError: name 'x' is not defined``); a run killed at its timeout has a `CommandTimeoutError`.
    """

    result: str = ""
    """The official SDK's `result`: the program's output (stdout then stderr); for a kernel's JSON
    reply, the text of its main result, else its stdout."""
    stdout: str = ""
    """What the program wrote to stdout: the whole output for a plain-text reply, which does not tell
    the streams apart (`stderr` is "" then)."""
    stderr: str = ""
    results: tuple[ExecutionResult, ...] = ()
    """The values a notebook kernel displayed (JSON replies only)."""
    execution_count: int | None = None
    """The kernel's cell number (JSON replies only)."""
    execution_time: float | None = None
    """Seconds the kernel says the run took (JSON replies only)."""


def run_code_args(code: object, language: object, timeout_s: object) -> dict[str, Any]:
    """The `run_code` Args, in the official SDK's order; refused before sending when invalid."""
    if not isinstance(code, str):
        raise InvalidInputError(f"Expected a str for `code`, got {type(code).__name__}")
    if language not in LANGUAGES:
        raise InvalidInputError(
            f"Expected one of {', '.join(map(repr, LANGUAGES))} for `language`, got {language!r}"
        )
    if isinstance(timeout_s, bool) or not isinstance(timeout_s, int) or not 1 <= timeout_s <= MAX_TIMEOUT_S:
        raise InvalidInputError(f"Expected an int in 1..{MAX_TIMEOUT_S} for `timeout_s`, got {timeout_s!r}")
    return {"code": code, "language": language, "timeout_s": timeout_s}


def http_timeout(timeout_s: int) -> float:
    """The read timeout of the CallMcpTool request that runs a program of `timeout_s`."""
    return timeout_s + HTTP_GRACE_S


def _kernel_reply(text: str) -> dict[str, Any] | None:
    """The kernel's JSON reply, or None for plain text."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, dict) and all(
        isinstance(data.get(key), list) for key in ("result", "stdout", "stderr")
    ):
        return data
    return None


def _display(item: object) -> ExecutionResult:
    """One entry of `result`: a JSON string of a mime bundle (maybe encoded twice), or the bundle."""
    for _ in range(2):
        if not isinstance(item, str):
            break
        try:
            item = json.loads(item)
        except ValueError:
            break
    if not isinstance(item, dict):
        return ExecutionResult(text=str(item), data={"text/plain": str(item)})
    text = item.get("text/plain", item.get("text"))
    main = item.get("isMainResult", item.get("is_main_result", False))
    data = {key: value for key, value in item.items() if key not in ("isMainResult", "is_main_result")}
    return ExecutionResult(
        text=text if isinstance(text, str) else None, data=data, is_main_result=main is True
    )


def _lines(value: list[Any]) -> str:
    return "".join(part if isinstance(part, str) else str(part) for part in value)


def _error_text(error: object) -> str:
    """A kernel's `executionError`: a text, or ``{"name", "value", "traceback"}``."""
    if isinstance(error, dict):
        head = ": ".join(str(error[key]) for key in ("name", "value") if error.get(key))
        trace = error.get("traceback")
        trace = "\n".join(map(str, trace)) if isinstance(trace, list) else str(trace or "")
        return "\n".join(part for part in (trace, head) if part) or json.dumps(error)
    return str(error)


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _from_kernel(data: dict[str, Any], output: ToolOutput) -> CodeExecutionResult:
    results = tuple(_display(item) for item in data["result"])
    stdout, stderr = _lines(data["stdout"]), _lines(data["stderr"])
    main = next((r.text for r in results if r.is_main_result and r.text), None)
    first = results[0].text if results and results[0].text else None
    count = data.get("execution_count")
    error: ToolError | None = None
    if data.get("executionError"):
        error = ToolError(TOOL, _error_text(data["executionError"]), request_id=output.request_id)
    elif output.is_error:
        error = ToolError(
            TOOL, stderr or stdout or "the tool reported an error", request_id=output.request_id
        )
    return CodeExecutionResult(
        success=error is None,
        request_id=output.request_id,
        error_message=str(error) if error else "",
        error=error,
        result=main or first or stdout,
        stdout=stdout,
        stderr=stderr,
        results=results,
        execution_count=count if isinstance(count, int) and not isinstance(count, bool) else None,
        execution_time=_number(data.get("execution_time")),
    )


def code_result(output: ToolOutput) -> CodeExecutionResult:
    """The result of one `run_code` call."""
    kernel = _kernel_reply(output.text)
    if kernel is not None:
        return _from_kernel(kernel, output)
    if not output.is_error:
        return CodeExecutionResult(request_id=output.request_id, result=output.text, stdout=output.text)
    if output.text.startswith(TIMEOUT_PREFIX):
        return CodeExecutionResult.failed(
            CommandTimeoutError(TOOL, output.text, request_id=output.request_id)
        )
    return CodeExecutionResult.failed(output.error())
