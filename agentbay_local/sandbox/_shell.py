"""The `shell` tool: `/bin/sh -c <command>` in the session, inside bubblewrap when it works here.

Sandbox. Where `bwrap` exists and a probe run succeeds (once per process, cached), each command runs
in fresh namespaces (`--unshare-all`, network shared on purpose so that session processes can listen
on ports the server proxies to), seeing read-only `/usr`, `/bin`, `/lib*`, `/etc`, a private `/proc`
and `/dev`, and the session's two trees bound at `/home/wuying` and `/tmp`: the same files the file
tools see, and nothing else of the host. Without a working bwrap, commands run directly on the host
with the cwd and `HOME` mapped into the session and one `SandboxWarning` saying they are not isolated
(the file tools still confine their paths either way).

Lifetime. A command runs in its own process group (and, under bwrap, its own PID namespace). When
the shell exits, whatever it left running is killed: under bwrap the PID namespace dies with its
init anyway, and the fallback kills the group so that both modes behave alike and nothing outlives
the call on the host. On timeout the whole group is SIGKILLed and the reply starts exactly
`Command timed out after <timeout_ms> ms` (the SDK facade builds `CommandTimeoutError` on that).

Output. stdout and stderr are read as they come, each capped at 1 MiB (the rest is drained and
dropped, so a chatty command never blocks on a full pipe); a capped stream ends in
`\\n[output truncated]`.

Reply format (justified by wire/tools/shell.json and wire/errors.json):
- Exit status 0: the raw text `stdout + stderr`, `isError: false`. SDK 0.8.0 and 0.9.0 take the text
  verbatim as `CommandResult.output` (captures: `"hello\\n"` -> `output == "hello\\n"`), so a JSON
  reply would reach their users as a JSON string. 0.22.3 tries `json.loads` first and falls back to the
  raw text as `output` (capture: `"raw\\n"`), so raw text is the one format all three accept.
  `stdout + stderr` is what 0.22.3 itself calls `output` "for backward compatibility".
- Non-zero exit status: `isError: true` with the JSON text `{"stdout", "stderr", "exit_code"}`. The
  official SDKs treat a non-zero exit as a failure: 0.22.3 sets `success = exit_code == 0` and, for an
  error reply, parses exactly this JSON into `exit_code`, `stdout` and `stderr`. errors.json's
  `false` case (an `isError` reply) is read as a failed `CommandResult` by all three versions, and
  0.22.3 gives it `exit_code` 1.
  A raw-text, `isError: false` reply would make all three report success with the exit status lost.
  0.8.0/0.9.0 show it as `error_message = "Error in response: {...json...}"`.
- `shell_structured` (not in `TOOLS`) always replies with the JSON, for a caller that knows its client
  parses it (0.22.3 and later send `AutoGenSession` in the form, 0.8/0.9 do not).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import _utf8
from ._args import ToolFailure, get_int, get_str
from ._paths import HOME, TMP, SessionFS, display, resolve

__all__ = [
    "DEFAULT_TIMEOUT_MS",
    "MAX_OUTPUT_BYTES",
    "MAX_TIMEOUT_MS",
    "SandboxWarning",
    "ShellResult",
    "bwrap_executable",
    "run_command",
    "shell",
    "shell_structured",
]

logger = logging.getLogger("agentbay_local.sandbox")

DEFAULT_TIMEOUT_MS = 50_000
MAX_TIMEOUT_MS = 60 * 60 * 1000
MAX_OUTPUT_BYTES = 1 << 20
TRUNCATION_MARK = "\n[output truncated]"
BASE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#: After the shell exits (and its leftovers are killed), how long to wait for the pipes to close. Only
#: a process that left the group (setsid) can hold them open longer; it is not waited for.
_DRAIN_GRACE_S = 1.0
_PROBE_TIMEOUT_S = 10.0
_READ_CHUNK = 64 * 1024
# Host directories the sandbox sees read-only (those that exist); a symlink (merged /usr) stays one.
_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class SandboxWarning(UserWarning):
    """Shell commands run on the host without isolation (bubblewrap is missing or does not work)."""


@dataclass(frozen=True)
class ShellResult:
    """What a command did. `exit_code` follows the shell's convention: 128 + N for a signal N."""

    stdout: str
    stderr: str
    exit_code: int
    timed_out: bool


# ---- bubblewrap ---------------------------------------------------------------------------------

_probe_lock = threading.Lock()
_probe_done = False
_probe_result: str | None = None
_probe_problem = "bwrap (bubblewrap) is not installed"
_fallback_warned = False


def _bwrap_argv(bwrap: str, fs: SessionFS, cwd: str, command: str) -> list[str]:
    argv = [bwrap, "--unshare-all", "--share-net", "--die-with-parent", "--new-session"]
    for directory in _SYSTEM_DIRS:
        if os.path.islink(directory):
            argv += ["--symlink", os.readlink(directory), directory]
        elif os.path.isdir(directory):
            argv += ["--ro-bind", directory, directory]
    # /etc/resolv.conf is often a link into /run (systemd-resolved); bind its target so DNS works.
    resolv = os.path.realpath("/etc/resolv.conf")
    if not resolv.startswith(("/etc/", "/usr/")) and os.path.isfile(resolv):
        argv += ["--ro-bind", resolv, resolv]
    argv += ["--proc", "/proc", "--dev", "/dev", "--bind", fs.home, HOME, "--bind", fs.tmp, TMP]
    argv += ["--chdir", cwd, "--", "/bin/sh", "-c", command]
    return argv


def _probe(bwrap: str) -> str | None:
    """None if bwrap runs a command with our exact flags here, else why not."""
    with tempfile.TemporaryDirectory(prefix="agentbay-bwrap-probe-") as scratch:
        fs = SessionFS.open(Path(scratch))
        argv = _bwrap_argv(bwrap, fs, HOME, "test -d /home/wuying && test -d /tmp")
        try:
            done = subprocess.run(
                argv,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=_PROBE_TIMEOUT_S,
                env={"PATH": BASE_PATH},
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as error:
            return f"bwrap at {bwrap} could not be run: {error}"
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", errors="replace").strip() or f"exit status {done.returncode}"
        return f"bwrap at {bwrap} does not work here: {reason}"
    return None


def bwrap_executable() -> str | None:
    """The bwrap to sandbox commands with, or None; found and probed once per process."""
    global _probe_done, _probe_result, _probe_problem
    with _probe_lock:
        if not _probe_done:
            found = shutil.which("bwrap")
            if found is not None:
                problem = _probe(found)
                if problem is None:
                    _probe_result = found
                else:
                    _probe_problem = problem
            _probe_done = True
            logger.info("shell sandbox: %s", _probe_result or f"none ({_probe_problem})")
        return _probe_result


def _warn_fallback() -> None:
    global _fallback_warned
    if _fallback_warned:
        return
    _fallback_warned = True
    message = (
        f"agentbay_local: {_probe_problem}; shell commands run directly on this host, NOT isolated "
        "(only their working directory and HOME are in the session; the file tools stay confined)"
    )
    logger.warning("%s", message)
    warnings.warn(message, SandboxWarning, stacklevel=3)


# ---- running a command --------------------------------------------------------------------------


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _has_exited(pid: int) -> bool:
    """Whether `pid` has exited, *without* reaping it: while it is a zombie its process-group id
    cannot be reused, so killing the group afterwards can never hit an unrelated process."""
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None


class _Capture:
    """One output stream, kept up to a byte cap; the rest is read and dropped."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.data = bytearray()
        self.truncated = False

    def feed(self, chunk: bytes) -> None:
        room = self.cap - len(self.data)
        if len(chunk) > room:
            self.truncated = True
            chunk = chunk[: max(room, 0)]
        self.data += chunk

    def text(self) -> str:
        data = bytes(self.data)
        if self.truncated:
            data = _utf8.trim_partial_tail(data)
        text = data.decode("utf-8", errors="replace")
        return text + TRUNCATION_MARK if self.truncated else text


def run_command(
    argv: list[str], *, env: dict[str, str], cwd: str, timeout_s: float, cap: int = MAX_OUTPUT_BYTES
) -> ShellResult:
    """Run `argv` in a new session (process group), capturing output, killing the group on timeout."""
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        start_new_session=True,
        close_fds=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    out, err = _Capture(cap), _Capture(cap)
    captures = {proc.stdout.fileno(): out, proc.stderr.fileno(): err}
    deadline = time.monotonic() + timeout_s
    exited_at: float | None = None
    timed_out = False
    with selectors.DefaultSelector() as selector:
        for fd in captures:
            os.set_blocking(fd, False)
            selector.register(fd, selectors.EVENT_READ)
        try:
            while True:
                now = time.monotonic()
                if exited_at is None and _has_exited(proc.pid):
                    exited_at = now
                    _kill_group(proc.pid)  # leftovers die with the command, as under bwrap
                if exited_at is not None and (not selector.get_map() or now >= exited_at + _DRAIN_GRACE_S):
                    break
                if exited_at is None and now >= deadline:
                    timed_out = True
                    _kill_group(proc.pid)
                    break
                if not selector.get_map():
                    # Both pipes closed but the shell is still running: just wait for it (or the deadline).
                    time.sleep(min(0.05, max(deadline - now, 0)))
                    continue
                # Wake up now and then to notice the exit while a leftover still holds a pipe open.
                for key, _events in selector.select(timeout=min(0.05, max(deadline - now, 0))):
                    fd = int(key.fd)
                    try:
                        chunk = os.read(fd, _READ_CHUNK)
                    except BlockingIOError:
                        continue
                    if chunk:
                        captures[fd].feed(chunk)
                    else:
                        selector.unregister(fd)
        finally:
            if proc.poll() is None:
                _kill_group(proc.pid)
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()
    code = proc.returncode
    return ShellResult(out.text(), err.text(), 128 - code if code < 0 else code, timed_out)


# ---- the tool -----------------------------------------------------------------------------------


def _parse_envs(args: dict[str, Any]) -> dict[str, str]:
    envs = args.get("envs")
    if envs is None:
        return {}
    if not isinstance(envs, dict):
        raise ToolFailure("Argument 'envs' must be an object of string values")
    for name, value in envs.items():
        if not isinstance(name, str) or not _ENV_NAME.match(name):
            raise ToolFailure(f"Argument 'envs' has an invalid variable name: {display(str(name))!r}")
        if not isinstance(value, str):
            raise ToolFailure(f"Argument 'envs.{name}' must be a string")
        if "\x00" in value:
            raise ToolFailure(f"Argument 'envs.{name}' contains a null byte")
    return dict(envs)


def _execute(session_root: Path, args: dict[str, Any]) -> tuple[ShellResult, int]:
    command = get_str(args, "command")
    if not command.strip():
        raise ToolFailure("Argument 'command' must not be empty")
    if "\x00" in command:
        raise ToolFailure("Argument 'command' contains a null byte")
    timeout_ms = get_int(args, "timeout_ms", default=DEFAULT_TIMEOUT_MS)
    if timeout_ms <= 0:
        raise ToolFailure("Argument 'timeout_ms' must be a positive number of milliseconds")
    timeout_ms = min(timeout_ms, MAX_TIMEOUT_MS)
    envs = _parse_envs(args)
    fs = SessionFS.open(session_root)
    workdir = resolve(fs, get_str(args, "cwd", default=HOME))
    if not os.path.isdir(workdir.host_path) or os.path.islink(workdir.host_path):
        raise ToolFailure(f"Not a directory: {display(workdir.shown)} (argument 'cwd')")

    bwrap = bwrap_executable()
    env = {"PATH": BASE_PATH, "HOME": HOME, "LANG": "C.UTF-8", "USER": "wuying"}
    if bwrap is not None:
        # The resolved, symlink-free session path: inside the sandbox it names the directory checked.
        argv = _bwrap_argv(bwrap, fs, workdir.session_path, command)
        host_cwd = fs.home
    else:
        _warn_fallback()
        argv = ["/bin/sh", "-c", command]
        host_cwd = workdir.host_path
        env.update(HOME=fs.home, TMPDIR=fs.tmp)
    env.update(envs)
    try:
        result = run_command(argv, env=env, cwd=host_cwd, timeout_s=timeout_ms / 1000)
    except OSError as error:
        raise ToolFailure(f"Could not start the command: {os.strerror(error.errno or 0)}") from None
    return result, timeout_ms


def _timed_out(timeout_ms: int) -> str:
    return f"Command timed out after {timeout_ms} ms"


def shell(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    """The `shell` tool, in the reply format every official SDK accepts (see the module docstring)."""
    result, timeout_ms = _execute(session_root, args)
    if result.timed_out:
        return _timed_out(timeout_ms), True
    if result.exit_code == 0:
        return result.stdout + result.stderr, False
    return _json_reply(result), True


def shell_structured(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    """`shell` replying `{"stdout", "stderr", "exit_code"}` for every exit status (0.22.3+ parse it)."""
    result, timeout_ms = _execute(session_root, args)
    if result.timed_out:
        return _timed_out(timeout_ms), True
    return _json_reply(result), result.exit_code != 0


def _json_reply(result: ShellResult) -> str:
    return json.dumps(
        {"stdout": result.stdout, "stderr": result.stderr, "exit_code": result.exit_code}, ensure_ascii=False
    )
