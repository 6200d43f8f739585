"""`get_file_change`: the file system events of a session's directory since the previous poll.

`WATCH_TOOLS` maps the tool's name to its handler (`handler(session_root, args) -> (text, is_error)`,
see `agentbay_local.sandbox`); the server's tool registry includes it.
"""

from __future__ import annotations

from typing import Any

WATCH_TOOLS: dict[str, Any] = {}
