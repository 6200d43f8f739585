"""The `shell` tool: `/bin/sh -c <command>` in the session, inside bubblewrap when it works here.

Sandbox. Where `bwrap` exists and a probe run succeeds (once per process, cached), commands run in
namespaces of their own (network shared on purpose, so that session processes can listen on ports
the server proxies to), seeing read-only `/usr`, `/bin`, `/lib*`, `/etc`, a private `/proc` and
`/dev`, and the session's two trees bound at `/home/wuying` and `/tmp`: the same files the file tools
see, and nothing else of the host. Without a working bwrap, commands run directly on the host with the
cwd and `HOME` mapped into the session and one `SandboxWarning` saying they are not isolated (the file
tools still confine their paths either way).

Lifetime. A session is a machine: processes a command leaves running (`nohup python3 -m http.server
8080 >/tmp/log 2>&1 &`, `setsid daemon`) keep running after the command returns, later commands see
them (`ps`, `kill`), and they end when the session is deleted or the server stops
(`_procs.end_session`, `end_all`). Under bwrap, the design is one PID namespace per session:
- Its first command starts the session's *holder*: `bwrap --unshare-all --share-net` running a shell
  that only waits for EOF on its stdin (a pipe whose other end the server keeps). bwrap's pid 1 in
  that namespace is a reaper that adopts every orphan of the session and lives as long as anything
  runs in it; there is no --die-with-parent, which would tie it to the thread that started it.
- Every command is its own short-lived bwrap that joins the holder's user and PID namespaces
  (`--userns`, `--userns2`, `--pidns`) and makes its own mount namespace with the same binds, so
  bwrap still does all the setup (capabilities, no_new_privs) and the command sees the session's
  processes. bwrap exits with the shell's status as soon as the shell exits; what the shell leaves
  running stays in the namespace.
- Deleting the session SIGKILLs the reaper: the kernel then kills every process in the namespace,
  `setsid` daemons included (no process can leave its PID namespace). If the server process dies
  instead, however it dies, the holder sees EOF and kills the namespace itself.
This keeps bwrap doing all the sandboxing (no `nsenter` into namespaces with capabilities to drop, no
helper program inside the sandbox), and gives a handle on the session's processes that none of them
can escape. Without bwrap, each command's process group is recorded instead (see `_procs` for what
the fallback can and cannot find).

The call returns once the shell has exited and its output pipes are closed, or `_DRAIN_GRACE_S`
after the exit when a background process still holds them open: a background child never holds up
the reply. Its inherited stdout and stderr are then closed pipes (writing to them fails with EPIPE),
so background processes should redirect their output, as with any shell session that ends. On
timeout the command's process group is SIGKILLed (its shell and the background children that stayed
in its group; bwrap's --new-session gives each command a group of its own), and the reply is exactly
`Command timed out after <timeout_ms> ms` (the SDK facade builds `CommandTimeoutError` on it).

Waiting costs no thread. A command is started in a small pool of its own (`_STARTER`: checks, the
fork, a new session's sandbox), then its pipes are read by the event loop and its exit is awaited
through a pidfd, so a thousand `sleep`s hold no thread and file tools stay fast whatever runs.
`shell_async` is the tool; `shell` runs it to completion for a caller without an event loop.

Output. stdout and stderr are read as they come, each kept up to `MAX_OUTPUT_BYTES` (64 MiB); the
rest is counted and dropped, so a chatty command never blocks on a full pipe and memory stays
bounded. A capped stream ends in `\\n[output truncated]`, and the JSON reply says so.

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
- `shell_structured` (not in `TOOLS`) always replies with the JSON, stdout and stderr apart, for a
  caller that knows its client parses it (0.22.3 and later, and our SDK, send `AutoGenSession` in the
  form; 0.8/0.9 do not). With exit status 0 it is `isError: false`, which 0.22.3 parses the same way.
- The JSON carries three keys of ours beside the official three, which 0.22.3 ignores (it reads only
  `stdout`, `stderr`, `exit_code`, `errorCode`, `traceId`): `truncated` (a stream was capped) and
  `stdout_bytes` / `stderr_bytes` (every byte the command wrote to each, kept or not).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
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
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from . import _procs, _utf8
from ._args import ToolFailure, get_int, get_str
from ._paths import HOME, TMP, SessionFS, display, resolve

__all__ = [
    "DEFAULT_TIMEOUT_MS",
    "MAX_OUTPUT_BYTES",
    "MAX_TIMEOUT_MS",
    "SandboxWarning",
    "ShellResult",
    "bwrap_executable",
    "check_sandbox",
    "run_command",
    "run_program",
    "set_session_env",
    "shell",
    "shell_async",
    "shell_structured",
    "shell_structured_async",
]

logger = logging.getLogger("agentbay_local.sandbox")

DEFAULT_TIMEOUT_MS = 50_000
MAX_TIMEOUT_MS = 60 * 60 * 1000
#: What is kept of each of stdout and stderr; the rest is counted and dropped.
MAX_OUTPUT_BYTES = 64 << 20
TRUNCATION_MARK = "\n[output truncated]"
BASE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#: After the shell exits, how long to keep reading output that is still on its way; a background process
#: that holds the pipes open is not waited for beyond this.
_DRAIN_GRACE_S = 0.1
#: After a timeout, how long to wait for bwrap to report its namespace if it has not done so yet.
_INFO_GRACE_S = 2.0
_MAX_INFO_BYTES = 64 * 1024
#: How long bwrap may take to set up a session's namespace.
_HOLDER_START_TIMEOUT_S = 10.0
#: The holder's command: say it runs, then wait for EOF on stdin (the server closed its end, or died)
#: and kill every process of the namespace; the namespace ends when the last of them is gone.
_HOLDER_SCRIPT = "printf r; exec >&-; while read -r _; do :; done; kill -KILL -1 2>/dev/null"
_PROBE_TIMEOUT_S = 10.0
#: Variables a session's commands get besides the defaults, by session directory: a desktop session's
#: DISPLAY while its display runs (`set_session_env`). The command's own `envs` win over these.
_SESSION_ENV: dict[str, dict[str, str]] = {}


def set_session_env(session_root: Path, env: Mapping[str, str] | None) -> None:
    """Give the session's next commands these variables (None or empty: none any more)."""
    key = os.path.abspath(session_root)
    if env:
        _SESSION_ENV[key] = dict(env)
    else:
        _SESSION_ENV.pop(key, None)


_READ_CHUNK = 64 * 1024
#: How often an exit is polled where there is no pidfd (Linux < 5.3).
_POLL_S = 0.05
#: Threads that start commands (argument checks, a fork, a new session's sandbox): short work, and
#: never the server's own pool, so file tools never wait behind commands starting.
_STARTER = ThreadPoolExecutor(max_workers=8, thread_name_prefix="agentbay-shell-start")
# Host directories the sandbox sees read-only (those that exist); a symlink (merged /usr) stays one.
_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: The uid (and gid) of a root server's session commands inside their sandbox (see `_user_options`).
SANDBOX_UID = 1000


class SandboxWarning(UserWarning):
    """Shell commands run on the host without isolation (bubblewrap is missing or does not work)."""


@dataclass(frozen=True)
class ShellResult:
    """What a command did. `exit_code` follows the shell's convention: 128 + N for a signal N.
    `stdout_bytes` and `stderr_bytes` count every byte the command wrote, kept or not."""

    stdout: str
    stderr: str
    exit_code: int
    timed_out: bool
    stdout_bytes: int = 0
    stderr_bytes: int = 0
    truncated: bool = False
    """Whether either stream was longer than what was kept (each ends in `TRUNCATION_MARK` then)."""


# ---- bubblewrap ---------------------------------------------------------------------------------

_probe_lock = threading.Lock()
_probe_done = False
_probe_result: str | None = None
_probe_problem = "bwrap (bubblewrap) is not installed"
_fallback_warned = False


def _mounts(fs: SessionFS, ro_binds: Sequence[str] = ()) -> list[str]:
    """bwrap's options for the sandbox's file system: the read-only system, the session's trees, and
    `ro_binds` (host paths, seen read-only at the same path: the server's own files a program needs)."""
    argv: list[str] = []
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
    for path in ro_binds:
        argv += ["--ro-bind", path, path]
    return argv


def _user_options() -> list[str]:
    """A server running as root runs the session's commands as `SANDBOX_UID` in their user namespace
    (mapped to root outside): as uid 0 there, programs that think they are root call setgroups(),
    which a user namespace refuses, and fail (xterm exits at once). Other servers keep their uid.
    Only the holder says so: bwrap then nests a user namespace with that mapping, which the commands
    join as their `--userns2` (see `SessionNamespace.join_fds`)."""
    if os.getuid() != 0:
        return []
    return ["--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID)]


def _holder_argv(bwrap: str, fs: SessionFS, info_fd: int) -> list[str]:
    """The session's holder: new namespaces (network shared on purpose, so that session processes can
    listen on ports the server proxies to), and no --die-with-parent (it lives as long as the session)."""
    return [
        bwrap,
        "--unshare-all",
        "--share-net",
        *_user_options(),
        "--new-session",
        *_mounts(fs),
        "--info-fd",
        str(info_fd),
        "--chdir",
        HOME,
        "--",
        "/bin/sh",
        "-c",
        _HOLDER_SCRIPT,
    ]


def _command_argv(
    bwrap: str,
    fs: SessionFS,
    cwd: str,
    program: Sequence[str],
    *,
    namespaces: tuple[int | None, int | None, int],
    info_fd: int,
    ro_binds: Sequence[str] = (),
) -> list[str]:
    """One program (`/bin/sh -c <command>` for `shell`), in the session's user and PID namespaces
    (`SessionNamespace.join_fds`) and a mount namespace of its own (the same binds: the same files,
    plus `ro_binds`), the others unshared as by --unshare-all."""
    userns, userns2, pidns = namespaces
    argv = [bwrap]
    if userns is not None:
        argv += ["--userns", str(userns)]
    if userns2 is not None:
        argv += ["--userns2", str(userns2)]
    argv += ["--pidns", str(pidns), "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--new-session"]
    argv += _mounts(fs, ro_binds)
    return [*argv, "--info-fd", str(info_fd), "--chdir", cwd, "--", *program]


def _start_namespace(bwrap: str, fs: SessionFS) -> _procs.SessionNamespace:
    """Start the session's holder and return its namespace, once set up; ToolFailure if bwrap fails."""
    info_read, info_write = os.pipe()
    lifeline_read, lifeline_write = os.pipe()
    try:
        monitor = subprocess.Popen(
            _holder_argv(bwrap, fs, info_write),
            stdin=lifeline_read,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={"PATH": BASE_PATH},
            cwd=fs.home,
            start_new_session=True,
            pass_fds=(info_write,),
        )
    except OSError as error:
        os.close(info_read)
        os.close(lifeline_write)
        raise ToolFailure(f"Could not start the sandbox: {os.strerror(error.errno or 0)}") from None
    finally:
        os.close(info_write)
        os.close(lifeline_read)
    assert monitor.stdout is not None and monitor.stderr is not None
    deadline = time.monotonic() + _HOLDER_START_TIMEOUT_S
    report = _Report(info_read)
    report.wait(_HOLDER_START_TIMEOUT_S)
    report.close()
    try:
        # The holder's shell says it runs: bwrap has finished setting up (the user namespaces too).
        ready = selectors.DefaultSelector()
        with ready:
            ready.register(monitor.stdout, selectors.EVENT_READ)
            if not ready.select(max(deadline - time.monotonic(), 0)) or monitor.stdout.read(1) != b"r":
                raise ProcessLookupError
        if report.pid is None or report.pid_namespace is None:
            raise ProcessLookupError
        namespace = _procs.SessionNamespace(monitor, report.pid, report.pid_namespace, lifeline_write)
    except ProcessLookupError:
        os.close(lifeline_write)
        _kill_group(monitor.pid)
        if report.pid is not None:
            _kill_group(report.pid)
        monitor.wait()
        reason = monitor.stderr.read().decode("utf-8", errors="replace").strip()
        monitor.stdout.close()
        monitor.stderr.close()
        raise ToolFailure(
            f"Could not start the sandbox: {reason or f'exit status {monitor.returncode}'}"
        ) from None
    monitor.stdout.close()  # nothing more is written to either once the holder runs
    monitor.stderr.close()
    return namespace


def _start_in(
    namespace: _procs.SessionNamespace,
    bwrap: str,
    fs: SessionFS,
    cwd: str,
    program: Sequence[str],
    env: dict[str, str],
    *,
    ro_binds: Sequence[str] = (),
    stdin: bool = False,
) -> tuple[subprocess.Popen[bytes], _Report]:
    """Start `program` in the session's namespace: the process (bwrap) and its info report. `stdin`:
    whether the program's stdin is a pipe (`proc.stdin`) rather than /dev/null."""
    try:
        namespaces = namespace.join_fds()
    except ProcessLookupError:
        raise ToolFailure("The session's sandbox ended while the command was starting") from None
    info_read, info_write = os.pipe()
    fds = tuple(fd for fd in (*namespaces, info_write) if fd is not None)
    try:
        argv = _command_argv(
            bwrap, fs, cwd, program, namespaces=namespaces, info_fd=info_write, ro_binds=ro_binds
        )
        proc = _start_command(argv, env, fs.home, fds, stdin=stdin)
    except BaseException:
        os.close(info_read)
        raise
    finally:
        for fd in fds:
            os.close(fd)
    return proc, _Report(info_read)


def _probe(bwrap: str) -> str | None:
    """None if bwrap runs a session's commands with our exact flags here, else why not."""
    with tempfile.TemporaryDirectory(prefix="agentbay-bwrap-probe-") as scratch:
        fs = SessionFS.open(Path(scratch))
        try:
            namespace = _start_namespace(bwrap, fs)
            try:
                check = "test -d /home/wuying && test -d /tmp && test $$ != 1"
                program = ["/bin/sh", "-c", check]
                proc, report = _start_in(namespace, bwrap, fs, HOME, program, {"PATH": BASE_PATH})
                done = asyncio.run(_collect(proc, _PROBE_TIMEOUT_S, report=report))
            finally:
                namespace.close()
        except ToolFailure as failure:
            return f"bwrap at {bwrap} does not work here: {failure.message}"
        except (OSError, subprocess.SubprocessError) as error:
            return f"bwrap at {bwrap} could not be run: {error}"
    if done.exit_code != 0:
        reason = done.stderr.strip() or f"exit status {done.exit_code}"
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


def check_sandbox() -> str | None:
    """Probe for bubblewrap now and, if commands will run on the host, warn now (`SandboxWarning` and a
    log line, once per process) rather than at the first command. For a server's start-up. Blocks
    for the probe (once per process, up to seconds): call it from a thread. Returns the bwrap used."""
    bwrap = bwrap_executable()
    if bwrap is None:
        _warn_fallback()
    return bwrap


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


# ---- running a command ---------------------------------------------------------------------------


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


class _Capture:
    """One output stream, kept up to a byte cap; the rest is read, counted and dropped."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.data = bytearray()
        self.size = 0  # every byte the command wrote, kept or not
        self.truncated = False

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        room = self.cap - len(self.data)
        if len(chunk) > room:
            self.truncated = True
            chunk = chunk[: max(room, 0)]
        self.data += chunk

    def text(self) -> str:
        """The kept bytes as text (a capped stream ends in `TRUNCATION_MARK`); releases the bytes."""
        end = len(self.data)
        if self.truncated:  # never end in half a character
            tail = bytes(self.data[-4:])
            end -= len(tail) - len(_utf8.trim_partial_tail(tail))
        # Decoded from a view: no copy of the bytes on the way (the cap is tens of MiB).
        text = str(memoryview(self.data)[:end], "utf-8", "replace")
        self.data = bytearray()
        return text + TRUNCATION_MARK if self.truncated else text


class _Report:
    """bwrap's `--info-fd` report, read as it comes: the host pid of its child (and its PID namespace)."""

    def __init__(self, fd: int) -> None:
        self.fd: int | None = fd
        os.set_blocking(fd, False)
        self.data = bytearray()
        self.done = False
        self.pid: int | None = None
        self.pid_namespace: int | None = None

    def read(self) -> bool:
        """Read what is there; True once the report is complete or the pipe is done (`done`)."""
        assert self.fd is not None
        while not self.done:
            try:
                chunk = os.read(self.fd, _READ_CHUNK)
            except BlockingIOError:
                return False
            self.data += chunk
            self.done = self._parse() or not chunk or len(self.data) > _MAX_INFO_BYTES
        return True

    def _parse(self) -> bool:
        try:
            report = json.loads(self.data)
        except ValueError:  # not complete yet
            return False
        if isinstance(report, dict):
            pid, namespace = report.get("child-pid"), report.get("pid-namespace")
            self.pid = pid if isinstance(pid, int) and pid > 1 else None
            self.pid_namespace = namespace if isinstance(namespace, int) else None
        return True

    def wait(self, timeout_s: float) -> None:
        """Block up to `timeout_s` for the report (the holder's start, in a worker thread)."""
        deadline = time.monotonic() + timeout_s
        with selectors.DefaultSelector() as selector:
            assert self.fd is not None
            selector.register(self.fd, selectors.EVENT_READ)
            while not self.done and time.monotonic() < deadline:
                if selector.select(max(deadline - time.monotonic(), 0)):
                    self.read()

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _spawn(
    argv: list[str],
    env: dict[str, str],
    cwd: str,
    pass_fds: tuple[int, ...] = (),
    *,
    stdin: bool = False,
) -> subprocess.Popen[bytes]:
    """Start `argv` as the leader of a new session (so of a new process group), output piped; its
    stdin is a pipe if `stdin` (fed by `_collect`), else /dev/null (a command reading it gets EOF)."""
    return subprocess.Popen(
        argv,
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        start_new_session=True,
        close_fds=True,
        pass_fds=pass_fds,
    )


class _Feed:
    """A program's stdin pipe, written by the event loop as the program reads it, then closed: a
    program that reads nothing never blocks the server, and a program that exits early (EPIPE) ends
    the feed quietly."""

    def __init__(self, loop: asyncio.AbstractEventLoop, pipe: IO[bytes], data: bytes) -> None:
        self._loop = loop
        self._pipe: IO[bytes] | None = pipe
        self._data = memoryview(data)
        self._fd = pipe.fileno()
        if data:
            os.set_blocking(self._fd, False)
            loop.add_writer(self._fd, self._write)
            self._writing = True
        else:
            self._writing = False
            self.close()

    def _write(self) -> None:
        try:
            written = os.write(self._fd, self._data[:_READ_CHUNK])
        except BlockingIOError:
            return
        except OSError:  # EPIPE: the program closed its stdin or exited; the rest is not wanted
            written = len(self._data)
        self._data = self._data[written:]
        if not self._data:
            self.close()

    def close(self) -> None:
        if self._writing:
            self._loop.remove_writer(self._fd)
            self._writing = False
        if self._pipe is not None:
            with contextlib.suppress(OSError):
                self._pipe.close()
            self._pipe = None
        self._data = memoryview(b"")


class _Exit:
    """The exit of a child process, awaited on the event loop without reaping it: while it is a zombie
    its process-group id cannot be reused, so killing the group afterwards never hits another process.

    A pidfd (Linux 5.3+) becomes readable when the process exits; without one, `waitid(WNOWAIT)` is
    polled."""

    def __init__(self, loop: asyncio.AbstractEventLoop, pid: int) -> None:
        self._loop = loop
        self._pid = pid
        self._exited = asyncio.Event()
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except (AttributeError, OSError):  # not Linux, or Linux < 5.3
            self._pidfd = None
        else:
            loop.add_reader(self._pidfd, self._on_exit)

    def _on_exit(self) -> None:
        if self._pidfd is not None:
            self._loop.remove_reader(self._pidfd)  # it stays readable: one call is enough
        self._exited.set()

    def has_exited(self) -> bool:
        if not self._exited.is_set():
            try:
                exited = os.waitid(os.P_PID, self._pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
            except ChildProcessError:  # reaped already
                exited = True
            if exited:
                self._exited.set()
        return self._exited.is_set()

    async def wait(self, timeout_s: float) -> bool:
        """Whether the process exits within `timeout_s`."""
        deadline = self._loop.time() + timeout_s
        while not self.has_exited():
            left = deadline - self._loop.time()
            if left <= 0:
                return False
            wait = left if self._pidfd is not None else min(left, _POLL_S)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._exited.wait(), wait)
        return True

    def close(self) -> None:
        if self._pidfd is not None:
            self._loop.remove_reader(self._pidfd)
            os.close(self._pidfd)
            self._pidfd = None


class _Readers:
    """The output pipes (and bwrap's report) read by the event loop as data comes."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._fds: set[int] = set()
        self.changed = asyncio.Event()

    def add_stream(self, fd: int, capture: _Capture) -> None:
        def ready() -> None:
            try:
                chunk = os.read(fd, _READ_CHUNK)
            except BlockingIOError:
                return
            except OSError:
                chunk = b""
            if chunk:
                capture.feed(chunk)
            else:
                self._remove(fd)

        self._add(fd, ready)

    def add_report(self, report: _Report) -> None:
        assert report.fd is not None
        fd = report.fd

        def ready() -> None:
            if report.read():
                self._remove(fd)

        self._add(fd, ready)

    def _add(self, fd: int, ready: Callable[[], None]) -> None:
        os.set_blocking(fd, False)
        self._fds.add(fd)
        self._loop.add_reader(fd, ready)

    def _remove(self, fd: int) -> None:
        if fd in self._fds:
            self._fds.discard(fd)
            self._loop.remove_reader(fd)
            self.changed.set()

    def is_open(self, fd: int) -> bool:
        return fd in self._fds

    async def wait_closed(self, fds: tuple[int, ...], timeout_s: float) -> None:
        """Until none of `fds` is still read (their writers closed them), or `timeout_s`."""
        deadline = self._loop.time() + timeout_s
        while any(fd in self._fds for fd in fds):
            self.changed.clear()
            left = deadline - self._loop.time()
            if left <= 0:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), left)

    def close(self) -> None:
        for fd in list(self._fds):
            self._remove(fd)


async def _collect(
    proc: subprocess.Popen[bytes],
    timeout_s: float,
    cap: int | None = None,
    report: _Report | None = None,
    stdin: bytes = b"",
) -> ShellResult:
    """Capture `proc`'s output until it exits (plus a short drain), killing its group on timeout.

    Nothing blocks: the pipes are read by the event loop and the exit is awaited, so a waiting command
    holds no thread. `report` is bwrap's info pipe for a sandboxed command: the shell inside runs in a
    process group of its own (bwrap's --new-session), named by the pid reported there, and a timeout
    kills that group too. Processes left running are not waited for (nor killed). If `proc` has a
    stdin pipe, `stdin` is written to it as the program reads, then it is closed (EOF).
    """
    assert proc.stdout is not None and proc.stderr is not None
    loop = asyncio.get_running_loop()
    cap = MAX_OUTPUT_BYTES if cap is None else cap
    out, err = _Capture(cap), _Capture(cap)
    streams = (proc.stdout.fileno(), proc.stderr.fileno())
    readers = _Readers(loop)
    exit_ = _Exit(loop, proc.pid)
    feed = _Feed(loop, proc.stdin, stdin) if proc.stdin is not None else None
    timed_out = False
    try:
        readers.add_stream(streams[0], out)
        readers.add_stream(streams[1], err)
        if report is not None and report.fd is not None and not report.done:
            readers.add_report(report)
        if await exit_.wait(timeout_s):
            # A background child may hold the pipes open: its output is not waited for beyond this.
            await readers.wait_closed(streams, _DRAIN_GRACE_S)
        else:
            timed_out = True
            if report is not None and report.fd is not None:
                # A timeout right at the start: bwrap reports the shell as soon as it has made it.
                await readers.wait_closed((report.fd,), _INFO_GRACE_S)
            if report is not None and report.pid is not None:
                _kill_group(report.pid)
                # Let bwrap reap its shell and exit by itself: killed first, it would leave the
                # shell's zombie to the host's init.
                await exit_.wait(_INFO_GRACE_S)
            _kill_group(proc.pid)
    finally:
        readers.close()
        if feed is not None:
            feed.close()
        if not exit_.has_exited():
            _kill_group(proc.pid)
        exit_.close()
        proc.wait()  # exited, or SIGKILLed just now: this returns at once
        proc.stdout.close()
        proc.stderr.close()
        if report is not None:
            report.close()
    code = proc.returncode
    return ShellResult(
        out.text(),
        err.text(),
        128 - code if code < 0 else code,
        timed_out,
        stdout_bytes=out.size,
        stderr_bytes=err.size,
        truncated=out.truncated or err.truncated,
    )


def run_command(
    argv: list[str], *, env: dict[str, str], cwd: str, timeout_s: float, cap: int | None = None
) -> ShellResult:
    """Run `argv` in a new session (process group), capturing its output until it exits; on timeout
    its process group is killed. What it leaves running keeps running (and is not tracked). Blocks
    (runs an event loop of its own): not for a coroutine."""
    return asyncio.run(_collect(_spawn(argv, env, cwd), timeout_s, cap))


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


@dataclass(frozen=True)
class _Started:
    proc: subprocess.Popen[bytes]
    report: _Report | None
    timeout_ms: int


def _start(session_root: Path, args: dict[str, Any]) -> _Started:
    """Check the arguments and start the command (and the session's sandbox if it has none yet).

    Blocking but short (file checks, a fork, a new sandbox's setup): run in `_STARTER`'s threads.
    """
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
    proc, report = _launch(session_root, ["/bin/sh", "-c", command], get_str(args, "cwd", default=HOME), envs)
    return _Started(proc, report, timeout_ms)


def _launch(
    session_root: Path,
    program: Sequence[str],
    cwd: str,
    envs: Mapping[str, str],
    *,
    ro_binds: Sequence[str] = (),
    stdin: bool = False,
) -> tuple[subprocess.Popen[bytes], _Report | None]:
    """Start `program` in the session (its sandbox, started if it has none yet; or the host fallback),
    tracked, with the session's environment and `envs` on top, in the session directory `cwd`.

    Blocking but short (file checks, a fork, a new sandbox's setup): run in `_STARTER`'s threads.
    """
    for path in ro_binds:
        if not os.path.exists(path):  # bwrap would fail with a less clear message
            raise ToolFailure(f"Could not start the program: {path} does not exist on the server")
    fs = SessionFS.open(session_root)
    workdir = resolve(fs, cwd)
    if not os.path.isdir(workdir.host_path) or os.path.islink(workdir.host_path):
        raise ToolFailure(f"Not a directory: {display(workdir.shown)} (argument 'cwd')")

    bwrap = bwrap_executable()
    env = {"PATH": BASE_PATH, "HOME": HOME, "LANG": "C.UTF-8", "USER": "wuying"}
    env.update(_SESSION_ENV.get(os.path.abspath(session_root), {}))
    if bwrap is None:
        _warn_fallback()
        env.update(HOME=fs.home, TMPDIR=fs.tmp)
        env.update(envs)
        # Not isolated: the host's files are all visible, `ro_binds` included (and writable if the
        # host lets the server write them).
        with _procs.starting(session_root) as start:
            proc = _start_command(list(program), env, workdir.host_path, stdin=stdin)
            start.add_group(proc.pid)  # under the session's hold: a deletion finds the group
        return proc, None
    env.update(envs)
    with _procs.starting(session_root, lambda: _start_namespace(bwrap, fs)) as start:
        assert start.namespace is not None
        # The resolved, symlink-free session path: inside the sandbox it names the directory checked.
        return _start_in(
            start.namespace, bwrap, fs, workdir.session_path, program, env, ro_binds=ro_binds, stdin=stdin
        )


async def run_program(
    session_root: Path,
    argv: Sequence[str],
    *,
    timeout_s: float,
    stdin: bytes = b"",
    env: Mapping[str, str] | None = None,
    cwd: str = HOME,
    ro_binds: Sequence[str] = (),
) -> ShellResult:
    """Run `argv` (no shell) in the session exactly as `shell` runs a command: in its sandbox (same
    namespaces, user and session environment such as DISPLAY, `env` on top), tracked so that the
    session's deletion kills it, its output captured and capped as `shell`'s, and its process group
    killed after `timeout_s` (`result.timed_out`). `stdin` is written to its stdin, which is then
    closed (empty: /dev/null). `ro_binds` are host paths (absolute, existing) that the program sees
    read-only at the same path, e.g. the server's own libraries; without bubblewrap the program runs
    on the host (with `shell`'s `SandboxWarning`) and sees them anyway. `cwd` is a session path.

    Raises `ToolFailure` when the program cannot start (the session was deleted, no such program,
    `cwd` is not a directory) and ValueError for arguments a caller should never pass.
    """
    if not argv or any(not part or "\x00" in part for part in argv):
        raise ValueError("argv must be non-empty strings without null bytes")
    if not timeout_s > 0:
        raise ValueError("timeout_s must be positive")
    if not all(os.path.isabs(path) for path in ro_binds):
        raise ValueError(f"ro_binds must be absolute host paths: {list(ro_binds)!r}")
    envs = dict(env or {})
    for name, value in envs.items():
        if not _ENV_NAME.match(name) or "\x00" in value:
            raise ValueError(f"invalid environment variable: {name!r}")
    loop = asyncio.get_running_loop()
    proc, report = await loop.run_in_executor(
        _STARTER,
        functools.partial(
            _launch, session_root, list(argv), cwd, envs, ro_binds=tuple(ro_binds), stdin=bool(stdin)
        ),
    )
    return await _collect(proc, timeout_s, report=report, stdin=stdin)


async def _execute(session_root: Path, args: dict[str, Any]) -> tuple[ShellResult, int]:
    started = await asyncio.get_running_loop().run_in_executor(_STARTER, _start, session_root, args)
    result = await _collect(started.proc, started.timeout_ms / 1000, report=started.report)
    return result, started.timeout_ms


def _start_command(
    argv: list[str], env: dict[str, str], cwd: str, pass_fds: tuple[int, ...] = (), *, stdin: bool = False
) -> subprocess.Popen[bytes]:
    try:
        return _spawn(argv, env, cwd, pass_fds, stdin=stdin)
    except OSError as error:
        raise ToolFailure(f"Could not start the command: {os.strerror(error.errno or 0)}") from None


def _timed_out(timeout_ms: int) -> str:
    return f"Command timed out after {timeout_ms} ms"


async def shell_async(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    """The `shell` tool, in the reply format every official SDK accepts (see the module docstring)."""
    result, timeout_ms = await _execute(session_root, args)
    if result.timed_out:
        return _timed_out(timeout_ms), True
    if result.exit_code == 0:
        return result.stdout + result.stderr, False
    return _json_reply(result), True


async def shell_structured_async(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    """`shell` replying the JSON object for every exit status (for 0.22.3 and later, and our SDK)."""
    result, timeout_ms = await _execute(session_root, args)
    if result.timed_out:
        return _timed_out(timeout_ms), True
    return _json_reply(result), result.exit_code != 0


def shell(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    """`shell_async`, blocking (for a script or a worker thread: not for a coroutine)."""
    return asyncio.run(shell_async(session_root, args))


def shell_structured(session_root: Path, args: dict[str, Any]) -> tuple[str, bool]:
    """`shell_structured_async`, blocking (for a script or a worker thread: not for a coroutine)."""
    return asyncio.run(shell_structured_async(session_root, args))


def _json_reply(result: ShellResult) -> str:
    reply: dict[str, Any] = {"stdout": result.stdout, "stderr": result.stderr, "exit_code": result.exit_code}
    # Ours, beside the official keys (0.22.3 reads only those): how much each stream really wrote.
    reply.update(
        truncated=result.truncated, stdout_bytes=result.stdout_bytes, stderr_bytes=result.stderr_bytes
    )
    return json.dumps(reply, ensure_ascii=False)
