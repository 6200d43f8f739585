"""The processes of each session: what commands leave running, and ending it all with the session.

A session is a machine: a command may leave processes running (`nohup python3 -m http.server 8080 &`,
`setsid daemon`) and they keep running after the command returns, until the session is deleted
(`end_session`) or the server stops (`end_all`). This module keeps, per session directory, what it
takes to find them again:

- Under bubblewrap, a `SessionNamespace`: the PID namespace (and user namespace) that all commands of
  the session join, kept alive by a holder process (see `_shell`). A process cannot leave its PID
  namespace, and killing the namespace's pid 1 makes the kernel kill every process in it, so ending the
  session is one SIGKILL, `setsid` daemons included. The namespace's pid 1 is held as a pidfd, a
  handle that never names a recycled pid. The holder also ends the namespace by itself when the server
  process dies, however it dies (its stdin is a pipe from the server: see `SessionNamespace`).
- Without bubblewrap (the host fallback), the process group of each command. Ending the session kills
  those groups and, to catch processes that left their group (`setsid`), every process of ours whose
  working or root directory is inside the session's directory. That directory scan is only made for
  sessions that ran fallback commands in this process, so that a host process that merely `cd`ed into
  a session directory is left alone otherwise. The fallback is not isolated, and its limits are
  those of the host: a `setsid` daemon that also left the session's directory is not found, and a
  recorded group is forgotten only when seen empty (at the session's next command or its end), so in
  between its id could in theory be reused by an unrelated group.

`starting()` holds a session while a command starts, so that a deletion either comes first (and the
command is refused) or finds the command's processes (and kills them).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ._args import ToolFailure

__all__ = ["SessionNamespace", "Start", "end_all", "end_session", "starting"]

#: How long ending a session waits for its processes to be gone.
_END_TIMEOUT_S = 5.0
_POLL_S = 0.01
#: ioctl on a namespace fd: a new fd of the user namespace that owns it (linux/nsfs.h).
_NS_GET_USERNS = 0xB701


def _own_namespace(kind: str) -> int:
    return os.stat(f"/proc/self/ns/{kind}").st_ino


class SessionNamespace:
    """The PID namespace of a session, created by `monitor` (the holder's bwrap, our child process).

    `reaper` is the host pid of the namespace's pid 1, whose PID namespace has the inode `pid_namespace`.
    `lifeline` is the write end of the holder's stdin: the holder waits for EOF on it and then kills
    every process in the namespace, so the namespace ends when this is closed, and also when the
    server process dies without closing it. Raises ProcessLookupError if the reaper is already gone
    (the caller then still owns `monitor` and `lifeline`); from then on, `close()` releases them.
    """

    def __init__(
        self, monitor: subprocess.Popen[bytes], reaper: int, pid_namespace: int, lifeline: int
    ) -> None:
        self.monitor = monitor
        self.reaper = reaper
        self.pid_namespace = pid_namespace
        self.lifeline: int | None = lifeline
        try:
            self.pidfd: int | None = os.pidfd_open(reaper)
        except ProcessLookupError:
            raise
        except OSError:  # Linux < 5.3: the pid alone, checked against the namespace before each use
            self.pidfd = None
        if not (self._is_reaper() and self.alive()):  # the caller still owns `monitor` and `lifeline`
            if self.pidfd is not None:
                os.close(self.pidfd)
            raise ProcessLookupError(reaper)

    def _is_reaper(self) -> bool:
        try:
            return (
                os.stat(f"/proc/{self.reaper}/ns/pid").st_ino == self.pid_namespace != _own_namespace("pid")
            )
        except OSError:
            return False

    def alive(self) -> bool:
        """Whether the namespace's pid 1 still runs (so the namespace accepts new processes)."""
        if self.pidfd is None:
            return (
                self.lifeline is not None
                and self._is_reaper()
                and _state(self.reaper) not in ("Z", "X", None)
            )
        poller = select.poll()
        poller.register(self.pidfd, select.POLLIN)
        return not poller.poll(0)  # a pidfd becomes readable when its process has exited

    def join_fds(self) -> tuple[int | None, int | None, int]:
        """Fresh fds for bwrap's `--userns`, `--userns2` and `--pidns` (the caller closes them): the user
        namespace owning the PID namespace (None if it is ours), the one the holder's processes run in
        (None if the same: unprivileged bwrap nests one more to map the uid back), and the PID
        namespace. Raises ProcessLookupError if the namespace has ended."""
        fds: list[int] = []
        try:
            pid = os.open(f"/proc/{self.reaper}/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
            fds.append(pid)
            owner = fcntl.ioctl(pid, _NS_GET_USERNS)
            os.set_inheritable(owner, False)
            fds.append(owner)
            current = os.open(f"/proc/{self.reaper}/ns/user", os.O_RDONLY | os.O_CLOEXEC)
            fds.append(current)
            # Opened while the reaper was alive (checked after opening): they are its namespaces.
            if os.fstat(pid).st_ino != self.pid_namespace or not self.alive():
                raise ProcessLookupError(self.reaper)
        except BaseException:
            for fd in fds:
                os.close(fd)
            raise
        userns: int | None = owner
        userns2: int | None = current
        if os.fstat(current).st_ino == os.fstat(owner).st_ino:
            os.close(current)
            userns2 = None
        if os.fstat(owner).st_ino == _own_namespace("user"):
            os.close(owner)
            userns = None
            if userns2 is not None:  # a nested namespace without an outer one: not something bwrap makes
                os.close(userns2)
                userns2 = None
        return userns, userns2, pid

    def kill(self) -> None:
        """SIGKILL the namespace's pid 1, and with it every process in the namespace."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if self.pidfd is not None:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            elif self.alive():
                os.kill(self.reaper, signal.SIGKILL)
        if self.lifeline is not None:
            os.close(self.lifeline)
            self.lifeline = None

    def close(self) -> None:
        """Kill the namespace and release everything held for it (reaping the holder's bwrap)."""
        self.kill()
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None
        try:
            self.monitor.wait(_END_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.monitor.kill()
            self.monitor.wait()


def _state(pid: int) -> str | None:
    """The state letter of `pid` (R, S, Z, ...), or None if it is gone."""
    stat = _stat(pid)
    return None if stat is None else stat[0]


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, process group) of `pid`, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rpartition(")")[2].split()
        return fields[0], int(fields[2])
    except (OSError, IndexError, ValueError):
        return None


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class _Session:
    lock: threading.Lock = field(default_factory=threading.Lock)
    ended: bool = False
    fallback: bool = False  # ran commands on the host: found by directory too
    namespace: SessionNamespace | None = None
    groups: set[int] = field(default_factory=set)


_lock = threading.Lock()
_sessions: dict[str, _Session] = {}


def _key(session_root: Path | str) -> str:
    return os.path.realpath(os.fspath(session_root))


def _session(key: str) -> _Session:
    with _lock:
        found = _sessions.get(key)
        if found is None:
            found = _sessions[key] = _Session()
        return found


class Start:
    """A command starting in a session (see `starting`)."""

    def __init__(self, session: _Session) -> None:
        self._session = session

    @property
    def namespace(self) -> SessionNamespace | None:
        """The session's namespace (when started with `make_namespace`)."""
        return self._session.namespace

    def add_group(self, pgid: int) -> None:
        """Record the process group of a command run on the host."""
        self._session.groups.add(pgid)


@contextlib.contextmanager
def starting(
    session_root: Path | str, make_namespace: Callable[[], SessionNamespace] | None = None
) -> Iterator[Start]:
    """Hold the session while one of its commands starts; refuse if the session has ended.

    With `make_namespace` (bubblewrap), the session's namespace is made first if there is none (or the
    last one has ended); without, the command runs on the host and records its process group.
    Processes started inside the `with` are found by `end_session`, which waits for the `with` to end.
    """
    session = _session(_key(session_root))
    with session.lock:
        if session.ended:
            raise ToolFailure("The session has been deleted")
        if make_namespace is not None:
            if session.namespace is not None and not session.namespace.alive():
                session.namespace.close()  # everything in it has exited (or been killed)
                session.namespace = None
            if session.namespace is None:
                session.namespace = make_namespace()
        else:
            session.fallback = True
            session.groups = {pgid for pgid in session.groups if _group_alive(pgid)}
        yield Start(session)


def _works_in(pid: int, prefixes: tuple[str, ...]) -> bool:
    """Whether `pid`'s working or root directory is inside one of the directories `prefixes` (which
    end in a separator)."""
    for link in ("cwd", "root"):
        try:
            target = os.readlink(f"/proc/{pid}/{link}").removesuffix(" (deleted)")
        except OSError:
            continue
        if any(target == prefix[:-1] or target.startswith(prefix) for prefix in prefixes):
            return True
    return False


def _scan(groups: set[int], prefixes: tuple[str, ...]) -> list[int]:
    """Live processes (not zombies) in one of `groups` or working inside one of `prefixes`."""
    own = os.getpid()
    found = []
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == own:
                continue
            pid = int(entry)
            stat = _stat(pid)
            if stat is None or stat[0] in ("Z", "X"):
                continue
            if stat[1] in groups or (prefixes and _works_in(pid, prefixes)):
                found.append(pid)
    return found


def _end(sessions: dict[str, _Session], mark_ended: bool, timeout: float) -> None:
    """Kill every process of `sessions` (by key) and wait until they are gone, up to `timeout`."""
    namespaces: list[SessionNamespace] = []
    groups: set[int] = set()
    prefixes: list[str] = []
    for key, session in sessions.items():
        with session.lock:  # waits for a command that is starting
            session.ended = session.ended or mark_ended
            if session.namespace is not None:
                namespaces.append(session.namespace)
                session.namespace = None
            groups |= session.groups
            session.groups = set()
            if session.fallback:
                prefixes.append(key + os.sep)
    for namespace in namespaces:
        namespace.kill()
    for pgid in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    # The host fallback: kill what the scan finds until it finds nothing (a process forked between two
    # scans is found by the next one; SIGKILLed processes soon turn into zombies, which do not match).
    while groups or prefixes:
        pids = _scan(groups, tuple(prefixes))
        if not pids or time.monotonic() >= deadline:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(_POLL_S)
    # Under bwrap: the namespace's pid 1 exits once the kernel has killed (and it has reaped) every
    # process in it.
    while any(namespace.alive() for namespace in namespaces) and time.monotonic() < deadline:
        time.sleep(_POLL_S)
    for namespace in namespaces:
        namespace.close()


def end_session(session_root: Path | str, timeout: float = _END_TIMEOUT_S) -> None:
    """Kill every process of the session and wait (up to `timeout`) until they are gone.

    The session stays ended in this process: its commands are refused from now on.
    """
    key = _key(session_root)
    _end({key: _session(key)}, True, timeout)


def end_all(sessions_dir: Path | str, timeout: float = _END_TIMEOUT_S) -> None:
    """Kill every process of every session under `sessions_dir` (the server is stopping).

    The sessions are not ended: a server started again on the same state runs their commands.
    """
    parent = _key(sessions_dir) + os.sep
    with _lock:
        sessions = {key: session for key, session in _sessions.items() if key.startswith(parent)}
    _end(sessions, False, timeout)
