"""The `oss_*` tools: a session's object storage client (oss2, run inside the session's sandbox).

`OSS_TOOLS` maps each tool's name to its handler (`handler(session_root, args) -> (text, is_error)`,
see `agentbay_local.sandbox`); the server's tool registry includes it.
"""

from __future__ import annotations

from typing import Any

OSS_TOOLS: dict[str, Any] = {}
