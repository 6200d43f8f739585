"""`run_code`: Python and JavaScript programs run inside a session's sandbox.

`CODE_TOOLS` maps the tool's name to its handler (`handler(session_root, args) -> (text, is_error)`,
see `agentbay_local.sandbox`); the server's tool registry includes it.
"""

from __future__ import annotations

from typing import Any

CODE_TOOLS: dict[str, Any] = {}
