"""Each session's object storage settings, held by the server (never where the session can read them).

`bind_session(session_root, url)` records the local object store's URL for a session (the default
endpoint of its `oss_env_init`; the server binds it as each `oss_env_init` comes, so a session made
before a restart gets the store of the running server, whose port may have changed); `oss_env_init`
stores the credentials with `configure`; `forget_session` drops both when the session is deleted. They
live in the server's memory only: the secret is never written to disk, and a restarted server asks
for `oss_env_init` again.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["OssConfig", "bind_session", "config", "configure", "default_endpoint", "forget_session", "scrub"]


@dataclass(frozen=True)
class OssConfig:
    """A session's OSS client settings. The secret and the token stay out of `repr`."""

    access_key_id: str
    access_key_secret: str = field(repr=False)
    security_token: str | None = field(repr=False)
    endpoint: str
    region: str | None = None

    def secrets(self) -> tuple[str, ...]:
        """What must never appear in a reply or a log record."""
        return tuple(value for value in (self.access_key_secret, self.security_token) if value)


_lock = threading.Lock()
_endpoints: dict[str, str] = {}
_configs: dict[str, OssConfig] = {}


def _key(session_root: Path | str) -> str:
    return os.path.abspath(session_root)


def bind_session(session_root: Path | str, url: str | None) -> None:
    """Record the object store the session uses when `oss_env_init` names no endpoint (None: none)."""
    with _lock:
        if url:
            _endpoints[_key(session_root)] = url
        else:
            _endpoints.pop(_key(session_root), None)


def forget_session(session_root: Path | str) -> None:
    """Drop everything held for a deleted session (its endpoint and its credentials)."""
    with _lock:
        _endpoints.pop(_key(session_root), None)
        _configs.pop(_key(session_root), None)


def default_endpoint(session_root: Path | str) -> str | None:
    with _lock:
        return _endpoints.get(_key(session_root))


def configure(session_root: Path | str, settings: OssConfig) -> None:
    with _lock:
        _configs[_key(session_root)] = settings


def config(session_root: Path | str) -> OssConfig | None:
    with _lock:
        return _configs.get(_key(session_root))


#: Shorter secrets are not scrubbed (as in the facade's redactor): "s" would mangle every word, and
#: no real access key secret or token is that short.
MIN_SCRUBBED = 8


def scrub(text: str, secrets: tuple[str, ...]) -> str:
    """`text` with every secret replaced by `***` (an exception may quote a header or a URL)."""
    for secret in secrets:
        if len(secret) >= MIN_SCRUBBED:
            text = text.replace(secret, "***")
    return text
