"""The `oss_*` tool handlers: settings kept by the server, transfers run inside the session.

A transfer is `_agent.py` run by the server's own interpreter in the session's sandbox
(`sandbox.run_program`), as the session's user and on the session's files, so a downloaded file belongs
to the session and lands where the session sees it. The interpreter, its standard library and the
directories of oss2 and its dependencies are bound read-only into the sandbox; `-I -S` keeps anything
else (PYTHONPATH, site-packages, .pth files) out. The request, credentials included, goes through the
program's stdin: never argv, the environment or a file, which every process of the session could
read (while the program runs, its memory is the session user's, as with OSS's own client in a cloud
session: the credentials are the session's to use).

Every reply is scrubbed of the session's secret and token, and no log record carries a tool's
arguments.
"""

from __future__ import annotations

import asyncio
import functools
import importlib.metadata
import json
import logging
import os
import re
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from ..sandbox import _shell, run_program
from ..sandbox._args import ToolFailure, get_str
from ..sandbox._paths import HOME, SessionFS, display, resolve
from . import _config
from ._config import OssConfig

logger = logging.getLogger("agentbay_local.oss")

#: How long one transfer may take before its program is killed.
TRANSFER_TIMEOUT_S = 600.0
#: How long connecting to the endpoint (or URL) may take, and how long it may then stay silent.
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 60.0
#: Host directories the sandbox sees anyway (see `sandbox._shell`): no bind needed under them.
_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc")
_AGENT = Path(__file__).with_name("_agent.py")
_NOT_CONFIGURED = "OSS is not configured for this session: call oss_env_init first"
#: What a requirement string of package metadata names: `requests (>=2.0)`, `six; extra == "x"`.
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")

Handler = Callable[[Path, dict[str, Any]], Awaitable[tuple[str, bool]]]


# ---- the program ---------------------------------------------------------------------------------


@functools.cache
def _agent_source() -> str:
    return _AGENT.read_text(encoding="utf-8")


@functools.cache
def library_dirs() -> tuple[str, ...]:
    """The directories that hold oss2 and everything it needs (usually one site-packages)."""
    dirs: list[str] = []
    pending, seen = ["oss2"], set()
    while pending:
        name = pending.pop()
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # an optional dependency that is not installed
        where = os.path.realpath(str(dist.locate_file("")))
        if where not in dirs:
            dirs.append(where)
        for requirement in dist.requires or ():
            match = _REQUIREMENT.match(requirement)
            if match and "extra ==" not in requirement:
                pending.append(match.group(1))
    return tuple(dirs)


def _under(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


@functools.cache
def _binds() -> tuple[str, ...]:
    """What the sandbox must see to run this interpreter with oss2: the smallest set of directories."""
    wanted = [
        os.path.realpath(sys.prefix),
        os.path.realpath(sys.base_prefix),
        os.path.dirname(os.path.realpath(sys.executable)),
        *library_dirs(),
    ]
    if sys.prefix != os.path.realpath(sys.prefix):  # the venv's own path (its bin/python) as given
        wanted.append(sys.prefix)
    binds: list[str] = []
    for path in sorted(set(wanted), key=len):
        if any(_under(path, d) for d in (*_SYSTEM_DIRS, *binds)):
            continue
        binds.append(path)
    return tuple(binds)


def _argv() -> list[str]:
    return [sys.executable, "-I", "-S", "-c", _agent_source(), *library_dirs()]


async def _transfer(
    session_root: Path, request: dict[str, Any], secrets: tuple[str, ...]
) -> tuple[str, bool]:
    """Run one transfer in the session; its reply, scrubbed of `secrets`."""
    request = {**request, "connect_timeout": CONNECT_TIMEOUT_S, "read_timeout": READ_TIMEOUT_S}
    result = await run_program(
        session_root,
        _argv(),
        timeout_s=TRANSFER_TIMEOUT_S,
        stdin=json.dumps(request).encode(),
        ro_binds=_binds(),
    )
    if result.timed_out:
        return f"The transfer did not finish within {TRANSFER_TIMEOUT_S:g} s and was stopped", True
    lines = result.stdout.strip().splitlines()
    try:
        reply = json.loads(lines[-1]) if lines else None
    except ValueError:
        reply = None
    if not isinstance(reply, dict) or not isinstance(reply.get("text"), str):
        tail = result.stderr.strip().splitlines()[-3:]
        why = " ".join(tail) or f"exit status {result.exit_code}"
        return _config.scrub(f"The transfer program failed: {why}", secrets), True
    return _config.scrub(reply["text"], secrets), reply.get("ok") is not True


def _session_path(session_root: Path, raw: str) -> tuple[str, str]:
    """(the path as the program sees it, as the caller wrote it, made absolute).

    In the sandbox the program sees the session's file system, so the path goes as it is. Without
    bubblewrap it runs on the host: the path is resolved in the session, as the file tools do."""
    if not raw:
        raise ToolFailure("Argument 'path' must not be empty")
    if "\x00" in raw:
        raise ToolFailure("Argument 'path' contains a null byte")
    shown = raw if raw.startswith("/") else f"{HOME}/{raw}"
    if _shell.bwrap_executable() is not None:
        return shown, shown
    return resolve(SessionFS.open(session_root), raw).host_path, shown


def _required(args: dict[str, Any], key: str) -> str:
    value = get_str(args, key)
    if not value:
        raise ToolFailure(f"Argument '{key}' must not be empty")
    return value


def _configured(session_root: Path) -> OssConfig:
    settings = _config.config(session_root)
    if settings is None:
        raise ToolFailure(_NOT_CONFIGURED)
    return settings


# ---- the tools -----------------------------------------------------------------------------------


async def oss_env_init(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    """Keep the session's OSS settings; no endpoint: the local server's object store."""
    access_key_id = _required(args, "access_key_id")
    secret = _required(args, "access_key_secret")
    token = args.get("security_token")
    if token is not None and not isinstance(token, str):
        raise ToolFailure("Argument 'security_token' must be a string or null")
    endpoint = get_str(args, "endpoint", default="").strip()
    region = get_str(args, "region", default="").strip() or None
    if not endpoint:
        endpoint = _config.default_endpoint(session_root) or ""
        if not endpoint:
            raise ToolFailure(
                "No endpoint given, and this server has no object store for the session: "
                "pass the endpoint of your object storage"
            )
    _config.configure(session_root, OssConfig(access_key_id, secret, token or None, endpoint, region))
    return f"Set oss config successfully: endpoint {endpoint}", False


async def oss_upload(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    """Upload a session file (or every file of a directory) as an object, with oss2."""
    return await _oss_transfer("upload", session_root, args)


async def oss_download(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    """Download an object to a session file, with oss2."""
    return await _oss_transfer("download", session_root, args)


async def _oss_transfer(op: str, session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    bucket, key = _required(args, "bucket"), _required(args, "object")
    # In a thread: the first call probes bubblewrap, and the fallback resolves the path on disk.
    path, shown = await asyncio.to_thread(_session_path, session_root, get_str(args, "path"))
    settings = _configured(session_root)
    request = {
        "op": op,
        "endpoint": settings.endpoint,
        "access_key_id": settings.access_key_id,
        "access_key_secret": settings.access_key_secret,
        "security_token": settings.security_token,
        "bucket": bucket,
        "object": key,
        "path": path,
        "shown": shown,
    }
    return await _transfer(session_root, request, settings.secrets())


async def oss_upload_annon(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    """PUT a session file to a URL (a signed URL, say), from inside the session."""
    return await _url_transfer("put_url", session_root, args)


async def oss_download_annon(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    """GET a URL into a session file, from inside the session."""
    return await _url_transfer("get_url", session_root, args)


async def _url_transfer(op: str, session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    url = _required(args, "url")
    if not url.lower().startswith(("http://", "https://")):
        raise ToolFailure(f"Argument 'url' must be an http:// or https:// URL, not {display(url)!r}")
    path, shown = await asyncio.to_thread(_session_path, session_root, get_str(args, "path"))
    request = {"op": op, "url": url, "path": path, "shown": shown}
    return await _transfer(session_root, request, ())


def _guarded(name: str, run: Handler) -> Handler:
    """`run` made total: a `ToolFailure` is its message; anything else is logged (without the
    arguments, which hold secrets) and reported. Both scrubbed of the call's secrets."""

    async def handler(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
        secrets: tuple[str, ...] = ()
        try:
            if not isinstance(args, dict):
                raise ToolFailure("Args must be a JSON object")
            settings = _config.config(session_root)
            given = (args.get("access_key_secret"), args.get("security_token"))
            secrets = (
                *(settings.secrets() if settings else ()),
                *(s for s in given if isinstance(s, str) and s),
            )
            return await run(session_root, args)
        except ToolFailure as failure:
            return _config.scrub(failure.message, secrets), True
        except Exception as error:  # the server must get a reply, never a traceback
            text = _config.scrub(f"{type(error).__name__}: {error}", secrets)
            logger.error("tool %s failed unexpectedly: %s", name, text)
            return f"Internal error in {name}: {text}", True

    handler.__name__ = handler.__qualname__ = name
    handler.__doc__ = run.__doc__
    return handler


OSS_TOOLS: dict[str, Handler] = {
    name: _guarded(name, run)
    for name, run in {
        "oss_env_init": oss_env_init,
        "oss_upload": oss_upload,
        "oss_upload_annon": oss_upload_annon,
        "oss_download": oss_download,
        "oss_download_annon": oss_download_annon,
    }.items()
}
