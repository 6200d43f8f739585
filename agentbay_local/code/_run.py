"""`run_code`: a Python or JavaScript program run in the session, as `shell` runs a command.

The program is the system's `python3` (`python3 -`) or `node` (`node -`) in the session's sandbox
(`agentbay_local.sandbox.run_program`: same namespaces, user, files and environment as `shell`,
working directory `/home/wuying`, killed with the session), reading its source from stdin. Stdin
rather than `-c <code>`: an argument is limited to 128 KiB by the kernel, and stdin also keeps the
code out of `ps`. The program's own stdin is then at its end (`input()` raises EOFError), as a
notebook cell has no input either.

Replies (the official SDKs take the text as the result, `isError` as a failure; capabilities.md §2):
- exit status 0: the output, stdout then stderr, `isError: false`;
- any other exit (a syntax error, an uncaught exception): `isError: true` with the same output, which
  ends in the interpreter's traceback (`NameError: name 'x' is not defined`); an exit that printed
  nothing says its status instead;
- longer than `timeout_s`: the program's process group is killed and the reply is `isError: true`,
  starting with exactly `Code execution timed out after <timeout_s> s` (the SDK facade builds its
  `CommandTimeoutError` on that prefix), followed by the output so far, if any;
- an unknown language or a bad `timeout_s`: `isError: true` saying so.
Output is capped as `shell`'s: 64 MiB of each stream, ending in `\\n[output truncated]` when cut.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..sandbox import run_program
from ..sandbox._args import ToolFailure, get_int, get_str

__all__ = ["DEFAULT_TIMEOUT_S", "LANGUAGES", "MAX_TIMEOUT_S", "TIMEOUT_PREFIX", "run_code"]

#: The interpreter of each language, looked up on the sandbox's PATH as `shell` would.
LANGUAGES = {"python": ("python3", "-"), "javascript": ("node", "-")}
DEFAULT_TIMEOUT_S = 60
#: Longer runs are cut to this, as `shell` caps `timeout_ms`.
MAX_TIMEOUT_S = 3600
TIMEOUT_PREFIX = "Code execution timed out after"


def _timeout_s(args: dict[str, Any]) -> int:
    timeout_s = get_int(args, "timeout_s", default=DEFAULT_TIMEOUT_S)
    if timeout_s <= 0:
        raise ToolFailure("Argument 'timeout_s' must be a positive number of seconds")
    return min(timeout_s, MAX_TIMEOUT_S)


async def run_code(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    """The `run_code` tool (see the module docstring)."""
    code = get_str(args, "code")
    language = get_str(args, "language")
    if language not in LANGUAGES:
        names = " and ".join(f"'{name}'" for name in LANGUAGES)
        raise ToolFailure(f"Unsupported language: {language[:100]!r}. Supported languages are {names}")
    timeout_s = _timeout_s(args)
    result = await run_program(
        session_root, LANGUAGES[language], timeout_s=timeout_s, stdin=code.encode("utf-8", "surrogatepass")
    )
    output = result.stdout + result.stderr
    if result.timed_out:
        return f"{TIMEOUT_PREFIX} {timeout_s} s" + (f"\n{output}" if output else ""), True
    if result.exit_code != 0:
        return output or f"The program exited with status {result.exit_code}", True
    return output, False
