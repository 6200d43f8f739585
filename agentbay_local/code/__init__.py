"""`run_code`: Python and JavaScript programs run inside a session's sandbox.

`CODE_TOOLS` maps the tool's name to its handler (`handler(session_root, args) -> (text, is_error)`,
see `agentbay_local.sandbox`); the server's tool registry includes it. The program runs as a `shell`
command does (see `_run` for the reply formats).
"""

from __future__ import annotations

from ..sandbox import AsyncHandler, _guarded_async
from ._run import run_code

__all__ = ["CODE_TOOLS"]

CODE_TOOLS: dict[str, AsyncHandler] = {"run_code": _guarded_async("run_code", run_code)}
