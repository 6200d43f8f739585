"""One X display per desktop session: Xvfb and the jwm window manager, started at create, stopped at
release and when the server stops.

The display runs on the host, outside the session's sandbox, as the server's children: Xvfb listens on
its abstract socket `@/tmp/.X11-unix/X<N>` (no TCP), which sandboxed commands reach because the
sandbox shares the host's network namespace, so `DISPLAY=:N` works inside the session. Access needs
the display's cookie (`-auth`): other sessions share that socket namespace, and without a cookie one
session could read another's screen. The cookie is in the session's `~/.Xauthority` (what X clients
in the session read) and in `<session>/desktop/Xauthority` (what the server's X programs use; the
session cannot change it).

jwm is the window manager: small, EWMH (`_NET_CLIENT_LIST`, `_NET_ACTIVE_WINDOW`, `_NET_WM_STATE`,
`_NET_CLOSE_WINDOW`), which is everything the window tools need; its configuration has no tray, so a
maximized window fills the screen.

A restart of the server starts the displays of running desktop sessions again (`restore`): a new
display, empty, as the session's processes were ended when the server stopped. Leftovers of a server
that died without stopping are killed first (their pids are in `<session>/desktop/pids`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import select
import shutil
import signal
import struct
import subprocess
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..sandbox import set_session_env

__all__ = [
    "DESKTOP_IMAGES",
    "DesktopUnavailable",
    "Display",
    "get",
    "missing_packages",
    "restore",
    "start",
    "stop",
    "stop_all",
]

logger = logging.getLogger("agentbay_local.desktop")

#: The images whose sessions get a desktop.
DESKTOP_IMAGES = frozenset({"linux_latest"})
#: The programs a desktop needs, with the Debian/Ubuntu package of each.
REQUIRED_PROGRAMS = {
    "Xvfb": "xvfb",
    "jwm": "jwm",
    "xdotool": "xdotool",
    "wmctrl": "wmctrl",
    "xprop": "x11-utils",
    "xwininfo": "x11-utils",
    "xwd": "x11-apps",
}
SCREEN_SIZE = (1024, 768)
#: How long Xvfb and the window manager may take to come up.
START_TIMEOUT_S = 10.0
#: How long a stopped Xvfb or window manager may take to exit after SIGTERM (then SIGKILL).
_STOP_TIMEOUT_S = 2.0
#: How many displays a server start brings back at once.
_RESTORE_WORKERS = 4
_JWMRC = """<?xml version="1.0"?>
<JWM>
  <Desktops width="1" height="1"/>
  <FocusModel>click</FocusModel>
</JWM>
"""
_COOKIE_NAME = b"MIT-MAGIC-COOKIE-1"
_FAMILY_WILD = 65535


class DesktopUnavailable(Exception):
    """A desktop cannot start here; the message says why (and what to install)."""


def missing_packages() -> list[str]:
    """The packages to install for desktops to run here (none: they can), in a stable order."""
    return sorted(
        {package for program, package in REQUIRED_PROGRAMS.items() if shutil.which(program) is None}
    )


@dataclass(eq=False)
class Display:
    """A session's running display. `number` N is `DISPLAY=:N`; `directory` holds its cookie, logs,
    pids and screenshots; `base_url` is the server as the session's client reaches it (screenshot URLs)."""

    session_root: Path
    number: int
    directory: Path
    width: int
    height: int
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    base_url: str = ""

    @property
    def name(self) -> str:
        """`:N`, the value of DISPLAY."""
        return f":{self.number}"

    @property
    def session_id(self) -> str:
        return self.session_root.name

    @property
    def screens(self) -> Path:
        """Where the session's screenshots are stored."""
        return self.directory / "screens"

    def env(self) -> dict[str, str]:
        """The environment of the server's X programs on this display."""
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DISPLAY": self.name,
            "XAUTHORITY": str(self.directory / "Xauthority"),
            "HOME": str(self.directory),
            "LANG": "C.UTF-8",
        }


_lock = threading.Lock()
_displays: dict[Path, Display] = {}
#: Sessions whose desktop was lost (a restart could not start it again), with the reason.
_lost: dict[Path, str] = {}


def _key(session_root: Path) -> Path:
    return Path(os.path.abspath(session_root))


def get(session_root: Path) -> Display | None:
    """The running display of a session, or None (no desktop)."""
    with _lock:
        return _displays.get(_key(session_root))


def lost_reason(session_root: Path) -> str | None:
    """Why a desktop session has no display any more (a restart failed), or None."""
    with _lock:
        return _lost.get(_key(session_root))


def _xauth_entry(number: str, cookie: bytes) -> bytes:
    """One Xauthority record: any host (FamilyWild), display `number`, an MIT cookie."""

    def counted(data: bytes) -> bytes:
        return struct.pack(">H", len(data)) + data

    return struct.pack(">H", _FAMILY_WILD) + b"".join(
        counted(part) for part in (b"", number.encode(), _COOKIE_NAME, cookie)
    )


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)


def _read_display_number(fd: int, xvfb: subprocess.Popen[bytes], deadline: float) -> int:
    """The display number Xvfb writes to `-displayfd` once it accepts connections."""
    text = b""
    while not text.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or xvfb.poll() is not None:
            break
        ready, _, _ = select.select([fd], [], [], min(remaining, 0.1))
        if ready:
            chunk = os.read(fd, 64)
            if not chunk:
                break
            text += chunk
    if not text.strip().isdigit():
        raise DesktopUnavailable("Xvfb did not start")
    return int(text)


def _wait_for_wm(display: Display, wm: subprocess.Popen[bytes], deadline: float) -> None:
    """Wait until the window manager has claimed the screen (it sets _NET_SUPPORTING_WM_CHECK)."""
    while time.monotonic() < deadline:
        if wm.poll() is not None:
            raise DesktopUnavailable(f"the window manager exited with status {wm.returncode}")
        check = subprocess.run(
            ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"],
            env=display.env(),
            capture_output=True,
            timeout=START_TIMEOUT_S,
            check=False,
        )
        if check.returncode == 0 and b"window id" in check.stdout:
            return
        time.sleep(0.01)
    raise DesktopUnavailable("the window manager did not start in time")


def start(session_root: Path, base_url: str = "") -> Display:
    """Start the session's display (Xvfb, then jwm) and register it; blocks up to START_TIMEOUT_S.
    DesktopUnavailable if the programs are missing or do not start (nothing is left running)."""
    missing = missing_packages()
    if missing:
        raise DesktopUnavailable(unavailable_message(missing))
    root = _key(session_root)
    directory = root / "desktop"
    directory.mkdir(parents=True, exist_ok=True)
    home = root / "home" / "wuying"
    home.mkdir(parents=True, exist_ok=True)
    cookie = secrets.token_bytes(16)
    # The server reads every cookie in its -auth file, whatever display number the record names.
    _write_private(directory / "server.auth", _xauth_entry("0", cookie))
    width, height = SCREEN_SIZE
    deadline = time.monotonic() + START_TIMEOUT_S
    read_fd, write_fd = os.pipe()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        with open(directory / "xvfb.log", "wb") as log:
            xvfb = subprocess.Popen(
                [
                    "Xvfb",
                    "-displayfd",
                    str(write_fd),
                    "-screen",
                    "0",
                    f"{width}x{height}x24",
                    "-nolisten",
                    "tcp",
                    # Without it the server resets when its last client leaves, and a client that
                    # connects meanwhile (the window manager, just started) is turned away.
                    "-noreset",
                    "-auth",
                    str(directory / "server.auth"),
                    # Sandboxed apps have their own IPC namespace: shared memory with Xvfb would fail.
                    "-extension",
                    "MIT-SHM",
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                pass_fds=(write_fd,),
                cwd=directory,
            )
        processes.append(xvfb)
        os.close(write_fd)
        write_fd = -1
        number = _read_display_number(read_fd, xvfb, deadline)
        entry = _xauth_entry(str(number), cookie)
        _write_private(directory / "Xauthority", entry)
        _write_private(home / ".Xauthority", entry)
        display = Display(root, number, directory, width, height, processes, base_url)
        (directory / "jwmrc").write_text(_JWMRC, encoding="utf-8")
        with open(directory / "wm.log", "wb") as log:
            wm = subprocess.Popen(
                ["jwm", "-f", str(directory / "jwmrc")],
                env=display.env(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                cwd=directory,
            )
        processes.append(wm)
        (directory / "pids").write_text(" ".join(str(proc.pid) for proc in processes), encoding="ascii")
        _wait_for_wm(display, wm, deadline)
    except BaseException as error:
        _end(processes)
        if write_fd >= 0:
            os.close(write_fd)
        if isinstance(error, DesktopUnavailable | OSError | subprocess.SubprocessError):
            log_text = _tail(directory / "xvfb.log") + _tail(directory / "wm.log")
            raise DesktopUnavailable(f"the desktop did not start: {error}{log_text}") from None
        raise
    finally:
        os.close(read_fd)
    with _lock:
        _displays[root] = display
        _lost.pop(root, None)
    set_session_env(root, {"DISPLAY": display.name})
    return display


def _tail(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""
    return f" ({path.name}: {text[-300:]})" if text else ""


def unavailable_message(missing: Iterable[str]) -> str:
    """Why desktops cannot run here, naming the packages to install."""
    names = " ".join(missing)
    return (
        f"Desktop sessions (image linux_latest) need X programs this machine lacks; install the "
        f"packages {names} (Debian/Ubuntu: apt-get install {names}). Sessions of image code_latest "
        "run without a desktop."
    )


def _end(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM the window manager, then Xvfb (last started first); SIGKILL what is left; reap all."""
    for proc in reversed(processes):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in reversed(processes):
        try:
            proc.wait(_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def stop(session_root: Path) -> None:
    """Stop the session's display, if it has one, and wait for its processes to exit. Blocks."""
    root = _key(session_root)
    with _lock:
        display = _displays.pop(root, None)
        _lost.pop(root, None)
    set_session_env(root, None)
    if display is not None:
        _end(display.processes)
        (display.directory / "pids").unlink(missing_ok=True)


def stop_all(sessions_dir: Path) -> None:
    """Stop the displays of every session under `sessions_dir` (the server stops). Blocks."""
    parent = _key(sessions_dir)
    with _lock:
        roots = [root for root in (*_displays, *_lost) if root.parent == parent]
    for root in roots:
        stop(root)


def _kill_leftovers(directory: Path) -> None:
    """Kill the Xvfb and window manager of a server that died without stopping them: the pids in
    `pids` that still run one of our programs with this session's files."""
    try:
        pids = [int(word) for word in (directory / "pids").read_text(encoding="ascii").split()]
    except (OSError, ValueError):
        return
    for pid in pids:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if str(directory).encode() in cmdline:  # Xvfb's -auth and jwm's -f name files in `directory`
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def restore(session_roots: Iterable[Path], base_url: str = "") -> None:
    """At server start: start the displays of these running desktop sessions again (empty: the
    session's apps ended with the server), a few at a time. A display that cannot start marks its
    session lost: desktop tools then say so. Blocks."""

    def again(root: Path) -> None:
        _kill_leftovers(_key(root) / "desktop")
        try:
            start(root, base_url)
        except DesktopUnavailable as error:
            logger.warning("the desktop of session %s could not be started again: %s", root.name, error)
            with _lock:
                _lost[_key(root)] = str(error)

    with ThreadPoolExecutor(_RESTORE_WORKERS, thread_name_prefix="agentbay-desktop") as pool:
        list(pool.map(again, session_roots))
