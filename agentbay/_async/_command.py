"""`AsyncCommand`: shell commands in a session (`session.command`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .._command import DEFAULT_TIMEOUT_MS, CommandResult, command_result, http_timeout, shell_args
from .._exceptions import CALL_FAILURES

if TYPE_CHECKING:
    from ._session import AsyncSession

__all__ = ["AsyncCommand"]


class AsyncCommand:
    """Runs shell commands in the session (the `shell` tool)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_id={self._session.session_id!r})"

    async def execute_command(
        self,
        command: str,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
        cwd: str | None = None,
        envs: Mapping[str, str] | None = None,
    ) -> CommandResult:
        """Run `command` with /bin/sh in the session.

        Args:
            command: The command line.
            timeout_ms: Stop the command (its whole process group) after this long; 1..3600000.
            cwd: Working directory in the session (default /home/wuying).
            envs: Extra environment variables.

        Returns:
            `CommandResult` with `stdout`, `stderr`, `output` and `exit_code`. A non-zero exit is a
            result with `success=False` and a `NonZeroExitError`; a timeout gives `CommandTimeoutError`.
            Output the service capped (64 MiB a stream on the local server) has `truncated=True`, and
            `stdout_bytes` / `stderr_bytes` give the sizes the command wrote.
        """
        args = shell_args(command, timeout_ms, cwd, envs)
        try:
            output = await self._session._call_tool(
                "shell", args, timeout=http_timeout(timeout_ms), check=False
            )
        except CALL_FAILURES as exc:
            return CommandResult.failed(exc)
        return command_result(output, timeout_ms)
