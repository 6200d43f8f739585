"""The MCP tools a local session runs: `shell` and the file tools, confined to the session.

```python
from agentbay_local.sandbox import TOOLS

args = {"path": "/home/wuying/a.txt", "content": "hi", "mode": "overwrite"}
text, is_error = TOOLS["write_file"](session_root, args)  # ("Successfully wrote to /home/wuying/a.txt", False)
```

Each handler is `handler(session_root, args) -> (text, is_error)`: `session_root` is the session's
host directory (it gets `home/wuying/` and `tmp/` when they are missing), `args` the parsed `Args`
object of `CallMcpTool`, and the result becomes `Data = {"content": [{"type": "text", "text": text}],
"isError": is_error}`. Handlers block (run them in a thread pool) and never raise: bad arguments, paths
outside the session, missing files and even unexpected failures come back as `(message, True)`.
`ASYNC_TOOLS` holds the same `shell` as a coroutine, for a server: a command can run for an hour, and
waiting for it on the event loop holds no thread (`TOOLS["shell"]` runs that coroutine to completion).

Processes a `shell` command leaves running keep running (a session is a machine) until
`end_session(session_root)` (the session is deleted) or `end_all(sessions_dir)` (the server stops)
kills them.

`run_program(session_root, argv, timeout_s=..., stdin=..., env=..., ro_binds=...)` runs a program
(no shell) in the session the same way, for tools built on it (`run_code`, the oss tools).

Modules: `_paths` (session paths and the confinement rules), `_files` (the file tools), `_shell`
(commands, bubblewrap), `_procs` (the processes of each session), `_utf8` (byte ranges that respect
characters), `_args` (argument checks).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from . import _shell
from ._args import ToolFailure
from ._files import FILE_TOOLS
from ._paths import SessionFS
from ._procs import end_all, end_session
from ._shell import (
    MAX_OUTPUT_BYTES,
    SandboxWarning,
    ShellResult,
    bwrap_executable,
    check_sandbox,
    run_program,
    set_session_env,
)

__all__ = [
    "ASYNC_TOOLS",
    "MAX_OUTPUT_BYTES",
    "TOOLS",
    "AsyncHandler",
    "Handler",
    "SandboxWarning",
    "ShellResult",
    "bwrap_executable",
    "check_sandbox",
    "end_all",
    "end_session",
    "run_program",
    "set_session_env",
    "shell_structured",
    "shell_structured_async",
]

logger = logging.getLogger("agentbay_local.sandbox")

#: `handler(session_root, args) -> (reply text, is_error)`.
Handler = Callable[[Path, dict[str, Any]], tuple[str, bool]]
#: The same, as a coroutine function.
AsyncHandler = Callable[[Path, dict[str, Any]], Coroutine[Any, Any, tuple[str, bool]]]


def _reply_to_failure(name: str, error: Exception) -> tuple[str, bool]:
    """A handler's exception as its reply: a `ToolFailure` is its message; anything else is logged."""
    if isinstance(error, ToolFailure):
        return error.message, True
    logger.exception("tool %s failed unexpectedly", name)
    return f"Internal error in {name}: {type(error).__name__}: {error}", True


def _guarded(name: str, run: Handler) -> Handler:
    """`run` made total: a `ToolFailure` is its message; anything else is logged and reported."""

    def handler(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
        try:
            if not isinstance(args, dict):
                raise ToolFailure("Args must be a JSON object")
            return run(session_root, args)
        except Exception as error:  # the server must get a reply, never a traceback
            return _reply_to_failure(name, error)

    handler.__name__ = handler.__qualname__ = name
    handler.__doc__ = run.__doc__
    return handler


def _guarded_async(name: str, run: AsyncHandler) -> AsyncHandler:
    """`_guarded` for a coroutine function."""

    async def handler(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
        try:
            if not isinstance(args, dict):
                raise ToolFailure("Args must be a JSON object")
            return await run(session_root, args)
        except Exception as error:
            return _reply_to_failure(name, error)

    handler.__name__ = handler.__qualname__ = name
    handler.__doc__ = run.__doc__
    return handler


def _blocking(run: AsyncHandler) -> Handler:
    """A coroutine handler run to completion in the calling thread (which has no event loop)."""

    def handler(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
        return asyncio.run(run(session_root, args))

    handler.__name__ = handler.__qualname__ = getattr(run, "__name__", "handler")
    handler.__doc__ = run.__doc__
    return handler


def _file_tool(run: Callable[[SessionFS, dict[str, Any]], str]) -> Handler:
    def handler(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
        return run(SessionFS.open(session_root), args), False

    handler.__doc__ = run.__doc__
    return handler


#: The tools that wait (a command), as coroutine functions: a server awaits them on its event loop.
ASYNC_TOOLS: dict[str, AsyncHandler] = {"shell": _guarded_async("shell", _shell.shell_async)}

#: Every tool by its MCP name, blocking.
TOOLS: dict[str, Handler] = {
    "shell": _blocking(ASYNC_TOOLS["shell"]),
    **{name: _guarded(name, _file_tool(run)) for name, run in FILE_TOOLS.items()},
}

#: `shell` replying the JSON `{"stdout", "stderr", "exit_code", ...}` for every exit status, for a
#: caller that knows its client parses it (see `_shell`); guarded like the others.
shell_structured_async: AsyncHandler = _guarded_async("shell", _shell.shell_structured_async)
shell_structured: Handler = _blocking(shell_structured_async)
