"""The `shell` tool without I/O: arguments, and its reply turned into a `CommandResult`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs

from ._exceptions import CommandTimeoutError, InvalidInputError, NonZeroExitError, ToolError
from ._types import ApiResult
from ._validate import check_non_empty
from ._wire import ToolOutput

__all__ = ["CommandResult"]

DEFAULT_TIMEOUT_MS = 50_000
"""The official SDK's default (0.22.3)."""
MAX_TIMEOUT_MS = 3_600_000
HTTP_GRACE_S = 30.0
"""How much longer than the command the HTTP call may wait, so that the service answers first."""
TIMEOUT_PREFIX = "Command timed out"


@attrs.frozen(kw_only=True)
class CommandResult(ApiResult):
    """What a shell command did. A non-zero exit is a result: `success` is False and `error` a
    `NonZeroExitError`; a timeout gives `CommandTimeoutError`.

    Output is capped by the service (the local server keeps 64 MiB of each stream). A capped stream
    ends in ``"\\n[output truncated]"``, `truncated` is True, and `stdout_bytes` / `stderr_bytes` say
    how much the command really wrote. Some cloud images reply in raw text, stdout and stderr already
    joined: then `stdout` is that text, `stderr` is empty, and the sizes are None.
    """

    output: str = ""
    """stdout followed by stderr (the official SDK's `output`)."""
    exit_code: int | None = None
    """The command's exit code; None when it did not finish (timeout, transport failure)."""
    stdout: str = ""
    stderr: str = ""
    truncated: bool = False
    """Whether the service cut stdout or stderr short (it says so in its reply)."""
    stdout_bytes: int | None = None
    """How many bytes the command wrote to stdout, kept or not; None when the reply does not say."""
    stderr_bytes: int | None = None
    """How many bytes the command wrote to stderr, kept or not; None when the reply does not say."""


def shell_args(
    command: object, timeout_ms: object, cwd: object, envs: Mapping[str, str] | None
) -> dict[str, Any]:
    """The `shell` Args; only the keys given, as the official SDK sends them."""
    check_non_empty(command, "command")
    if (
        isinstance(timeout_ms, bool)
        or not isinstance(timeout_ms, int)
        or not 1 <= timeout_ms <= MAX_TIMEOUT_MS
    ):
        raise InvalidInputError(
            f"Expected an int in 1..{MAX_TIMEOUT_MS} for `timeout_ms`, got {timeout_ms!r}"
        )
    args: dict[str, Any] = {"command": command, "timeout_ms": timeout_ms}
    if cwd is not None:
        args["cwd"] = check_non_empty(cwd, "cwd")
    if envs is not None:
        if not isinstance(envs, Mapping) or not all(
            isinstance(k, str) and k and isinstance(v, str) for k, v in envs.items()
        ):
            raise InvalidInputError(f"Expected a dict of non-empty str to str for `envs`, got {envs!r}")
        args["envs"] = dict(envs)
    return args


def http_timeout(timeout_ms: int) -> float:
    """The read timeout of the CallMcpTool request that runs a command of `timeout_ms`."""
    return timeout_ms / 1000 + HTTP_GRACE_S


@attrs.frozen
class _Payload:
    stdout: str
    stderr: str
    exit_code: int | None
    """None for a raw-text reply, which does not say."""
    truncated: bool = False
    stdout_bytes: int | None = None
    stderr_bytes: int | None = None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _payload(text: str) -> _Payload:
    """A reply taken apart: the wrapped JSON form (the local server's, and that of some cloud images),
    else raw stdout.

    The wrapped form is recognised as strictly as the official SDK does, so that a command printing JSON
    that merely contains a `stdout` key is not mistaken for it. Its keys beyond the official three
    (`truncated`, `stdout_bytes`, `stderr_bytes`: the local server's) are read when well-typed.
    """
    try:
        data = json.loads(text) if text.startswith("{") else None
    except ValueError:
        data = None
    if isinstance(data, dict):
        code = data.get("exit_code")
        has_code = isinstance(code, int) and not isinstance(code, bool)
        out, err = data.get("stdout"), data.get("stderr")
        if (has_code and (isinstance(out, str) or isinstance(err, str))) or (
            isinstance(out, str) and isinstance(err, str)
        ):
            return _Payload(
                out if isinstance(out, str) else "",
                err if isinstance(err, str) else "",
                code if isinstance(code, int) else 0,
                truncated=data.get("truncated") is True,
                stdout_bytes=_int(data.get("stdout_bytes")),
                stderr_bytes=_int(data.get("stderr_bytes")),
            )
    return _Payload(text, "", None)


def command_result(output: ToolOutput, timeout_ms: int) -> CommandResult:
    """The result of one `shell` call."""
    payload = _payload(output.text)
    stdout, stderr, code = payload.stdout, payload.stderr, payload.exit_code
    if not output.is_error:
        exit_code = 0 if code is None else code
        error: ToolError | None = None
        if exit_code != 0:
            error = NonZeroExitError(exit_code, stderr, request_id=output.request_id)
        return CommandResult(
            success=error is None,
            request_id=output.request_id,
            error_message=str(error) if error else "",
            error=error,
            output=stdout + stderr,
            exit_code=exit_code,
            stdout=stdout,
            stderr=stderr,
            truncated=payload.truncated,
            stdout_bytes=payload.stdout_bytes,
            stderr_bytes=payload.stderr_bytes,
        )
    if output.text.startswith(TIMEOUT_PREFIX):
        error = CommandTimeoutError("shell", output.text, request_id=output.request_id)
        return CommandResult.failed(error)
    # A failed run that still says how it ended: a non-zero exit (raw-text images report it this way).
    exit_code = code if code not in (None, 0) else 1
    stderr = stderr or (output.text if code is None else "")
    error = NonZeroExitError(exit_code, stderr, request_id=output.request_id)
    return CommandResult(
        success=False,
        request_id=output.request_id,
        error_message=str(error),
        error=error,
        output=stdout + stderr,
        exit_code=exit_code,
        stdout=stdout if code is not None else "",
        stderr=stderr,
        truncated=payload.truncated,
        stdout_bytes=payload.stdout_bytes,
        stderr_bytes=payload.stderr_bytes,
    )
