"""The `oss_*` tools: a session's object storage client (oss2, run inside the session's sandbox).

`OSS_TOOLS` maps each tool's name to its handler (`handler(session_root, args) -> (text, is_error)`,
see `agentbay_local.sandbox`); the server's tool registry includes it.

- `oss_env_init(access_key_id, access_key_secret, security_token|null, endpoint?, region?)` keeps the
  session's settings in the server's memory (`_config`), out of the session's reach; without an
  endpoint, the session uses the local server's object store, which the server records before each
  `oss_env_init` with `bind_session(session_root, url)` (`forget_session` at delete drops both).
- `oss_upload` / `oss_download(bucket, object, path)` run oss2 inside the session (`_agent.py`, see
  `_tools`): `Upload success: ...` / `Download success: ...`, or a tool error with the cause (the OSS
  error code, message and HTTP status; the OS error on the session path; the connection error).
- `oss_upload_annon` / `oss_download_annon(url, path)`: a plain HTTP PUT / GET from inside the
  session; 2xx is success, anything else a tool error with the status and the start of the body.

The secret and the token never appear in a reply or a log record.
"""

from __future__ import annotations

from ._config import bind_session, forget_session
from ._tools import OSS_TOOLS

__all__ = ["OSS_TOOLS", "bind_session", "forget_session"]
