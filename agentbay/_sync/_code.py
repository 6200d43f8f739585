# Generated from agentbay/_async/_code.py by scripts/unasync.py. Do not edit: edit the async source.
"""`Code`: programs run in a session (`session.code`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._code import DEFAULT_TIMEOUT_S, CodeExecutionResult, Language, code_result, http_timeout, run_code_args
from .._exceptions import CALL_FAILURES

if TYPE_CHECKING:
    from ._session import Session

__all__ = ["Code"]


class Code:
    """Runs Python and JavaScript programs in the session (the `run_code` tool)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_id={self._session.session_id!r})"

    def run_code(
        self, code: str, language: Language, timeout_s: int = DEFAULT_TIMEOUT_S
    ) -> CodeExecutionResult:
        """Run `code` in the session: ``python`` with python3, ``javascript`` with node, in
        /home/wuying with the session's files (as `command.execute_command` runs commands).

        Args:
            code: The program's source.
            language: ``"python"`` or ``"javascript"``; anything else raises `InvalidInputError`
                before sending.
            timeout_s: Kill the program (its whole process group) after this many seconds; 1..3600.
                The cloud's gateway cuts a request at about 60 s.

        Returns:
            `CodeExecutionResult` with `result`, the program's output (stdout then stderr). A program
            that fails (a syntax error, an uncaught exception) is a result with `success=False` and a
            `ToolError` whose message holds the traceback; a timeout gives `CommandTimeoutError`.
        """
        args = run_code_args(code, language, timeout_s)
        try:
            output = self._session._call_tool(
                "run_code", args, timeout=http_timeout(timeout_s), check=False
            )
        except CALL_FAILURES as exc:
            return CodeExecutionResult.failed(exc)
        return code_result(output)
