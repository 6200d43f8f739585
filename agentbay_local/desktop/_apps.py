"""The application tools of a desktop session: installed apps, starting and stopping them.

Processes are seen from inside the session: every process operation is a short script run in the
session's sandbox (the `shell` machinery), so pids are the ones the session's own commands see (`ps`,
`kill`, and `_NET_WM_PID` of its windows) and nothing outside the session can be listed or stopped.

- `get_installed_apps(start_menu, desktop, ignore_system_apps)`: the `.desktop` files of type
  Application. `start_menu` reads the menu directories (`/usr/local/share/applications`,
  `/usr/share/applications`, and the session's `~/.local/share/applications`), `desktop` the
  session's `~/Desktop`. Entries marked `NoDisplay` or `Hidden` are never listed (they are not in
  menus). `ignore_system_apps` leaves out settings and system tools: entries whose `Categories`
  include `Settings` or `System`, terminal emulators excepted (an agent needs a terminal). Each app is
  `{"name", "start_cmd", "stop_cmd", "work_directory"}`: `Name`, `Exec` verbatim (field codes such as
  `%U` included, as the cloud reports them), `""`, and `Path` (or `""`). The wire key
  `ignore_system_app` (singular, what 0.22 sends) is read too.
- `start_app(start_cmd, work_directory, activity)`: runs `start_cmd` with `/bin/sh` in a new session
  (`setsid`) in the sandbox, with the desktop's `DISPLAY`, output discarded; `.desktop` field codes
  (`%U`, `%f`, ...) are removed first, so a `start_cmd` from `get_installed_apps` starts as it is.
  After `START_SETTLE_S` it replies the processes the command started (those of its new session) as
  `[{"pname", "pid", "cmdline"}]`; a command that has exited by then with a non-zero status (and left
  nothing running) is a tool error with that status. `activity` (an Android notion) is ignored.
- `stop_app_by_pid(pid)` / `stop_app_by_pname(pname)`: SIGTERM, then SIGKILL what is still there after
  `STOP_GRACE_S`; a pid or name that matches no process of the session is a tool error.
  `stop_app_by_cmd(stop_cmd)` runs the command in the session; a non-zero exit is a tool error.
- `list_visible_apps()` (in `_windows`, which reads the windows): the processes that own a window on
  the desktop that is not minimized (by `_NET_WM_PID`, else by `WM_COMMAND`).

`pname` is the kernel's name of the process (`/proc/<pid>/comm`, at most 15 characters: what `ps`
and `pkill` show); `cmdline` its arguments joined by spaces.
"""

from __future__ import annotations

import asyncio
import configparser
import json
import os
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..sandbox import bwrap_executable, shell_structured_async
from ..sandbox._args import ToolFailure, get_bool, get_int, get_str
from ..sandbox._paths import SessionFS
from ._display import Display
from ._tools import desktop_tool

__all__ = ["Proc", "installed_apps", "processes_reply", "run_in_session", "session_processes"]

#: How long `start_app` lets a command run before it lists what it started.
START_SETTLE_S = 0.5
#: How long a stopped process has to exit after SIGTERM before it is SIGKILLed.
STOP_GRACE_S = 2.0
#: How long `stop_app_by_cmd`'s command may run.
STOP_CMD_TIMEOUT_MS = 30_000
_SCRIPT_TIMEOUT_MS = 15_000
#: The menu directories of the session's image, in XDG precedence order.
MENU_DIRS = ("/usr/local/share/applications", "/usr/share/applications")
_SYSTEM_CATEGORIES = frozenset({"Settings", "System"})
_FIELD_CODE = re.compile(r"%[fFuUdDnNickvm%]")
#: A command that is one simple command (no shell syntax): `exec`ed, so the app is the process started.
_SIMPLE_COMMAND = re.compile(r"[^;&|<>()$`\\\n*?\[\]{}~#=!]+(?:[ \t][^;&|<>()$`\\\n*?\[\]{}~#!]*)*")

# One line per live process of the session: pid, session id, name, arguments (tab separated; tabs and
# newlines in the arguments become spaces). Reads /proc with shell builtins and one `tr` per process.
_LIST_SCRIPT = r"""
for d in /proc/[0-9]*; do
  p=${d#/proc/}
  [ "$p" = "$$" ] && continue
  read -r st < "$d/stat" 2>/dev/null || continue
  rest=${st##*) }
  set -- $rest
  [ "$1" = Z ] && continue
  IFS= read -r n < "$d/comm" 2>/dev/null || continue
  a=$(tr '\0\t\n' '   ' < "$d/cmdline" 2>/dev/null)
  printf '%s\t%s\t%s\t%s\n' "$p" "$4" "$n" "${a% }"
done
"""

# Stop the pids in $PIDS: SIGTERM, then SIGKILL whatever still runs after the grace period.
_STOP_SCRIPT = r"""
alive() { read -r st < /proc/$1/stat 2>/dev/null || return 1; rest=${st##*) }; [ "${rest%% *}" != Z ]; }
kill -TERM $PIDS 2>/dev/null
i=0
while [ $i -lt {rounds} ]; do
  left=
  for p in $PIDS; do alive $p && left="$left $p"; done
  [ -z "$left" ] && exit 0
  sleep 0.05
  i=$((i + 1))
done
kill -KILL $left 2>/dev/null
exit 0
"""


@dataclass(frozen=True)
class Proc:
    """A process as the session sees it."""

    pid: int
    sid: int
    pname: str
    cmdline: str

    def to_wire(self) -> dict[str, Any]:
        return {"pname": self.pname, "pid": self.pid, "cmdline": self.cmdline}


# ---- running scripts in the session ---------------------------------------------------------------


async def run_in_session(
    display: Display, script: str, *, timeout_ms: int = _SCRIPT_TIMEOUT_MS
) -> tuple[str, str, int]:
    """Run `script` with `/bin/sh` in the session's sandbox (which has `DISPLAY`): (stdout, stderr,
    exit code). A timeout or a sandbox that cannot start is a ToolFailure."""
    args: dict[str, Any] = {"command": script, "timeout_ms": timeout_ms}
    text, _ = await shell_structured_async(display.session_root, args)
    try:
        reply = json.loads(text)
    except ValueError:  # a timeout or a failure to start: the text says what happened
        raise ToolFailure(text) from None
    return reply["stdout"], reply["stderr"], int(reply["exit_code"])


def _parse_processes(text: str) -> list[Proc]:
    procs = []
    for line in text.splitlines():
        fields = line.split("\t", 3)
        if len(fields) != 4 or not fields[0].isdigit() or not fields[1].lstrip("-").isdigit():
            continue
        procs.append(Proc(int(fields[0]), int(fields[1]), fields[2], fields[3]))
    return procs


def working_in(procs: list[Proc], session_root: Path) -> list[Proc]:
    """The processes (host pids) whose working directory is inside the session's directory."""
    directory = os.path.realpath(session_root)
    found = []
    for proc in procs:
        try:
            cwd = os.readlink(f"/proc/{proc.pid}/cwd")
        except OSError:
            continue
        if cwd == directory or cwd.startswith(directory + os.sep):
            found.append(proc)
    return found


async def session_processes(display: Display) -> list[Proc]:
    """Every live process of the session (but the script's own shell).

    Without bubblewrap the script sees every process of the host: then only those working inside the
    session's directory count (as `sandbox._procs` finds them), so that stopping an app by name never
    reaches the server or anything else of the host."""
    out, err, code = await run_in_session(display, _LIST_SCRIPT)
    if code != 0:
        raise ToolFailure(f"Could not list the session's processes: {err.strip() or f'exit status {code}'}")
    return _session_only(display, _parse_processes(out))


def _session_only(display: Display, procs: list[Proc]) -> list[Proc]:
    """`procs`, or without bubblewrap (which lists the host's) those working in the session."""
    return working_in(procs, display.session_root) if bwrap_executable() is None else procs


async def _stop(display: Display, pids: Iterable[int]) -> None:
    rounds = max(1, round(STOP_GRACE_S / 0.05))
    script = f"PIDS={shlex.quote(' '.join(str(pid) for pid in pids))}\n" + _STOP_SCRIPT.replace(
        "{rounds}", str(rounds)
    )
    _, err, code = await run_in_session(display, script)
    if code != 0:
        raise ToolFailure(f"Could not stop the processes: {err.strip() or f'exit status {code}'}")


# ---- installed apps -------------------------------------------------------------------------------


def _read_entry(path: Path) -> dict[str, str] | None:
    """The `[Desktop Entry]` group of a `.desktop` file, or None if it is not a readable one."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment, method-assign]  # keys are case-sensitive
    try:
        parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None
    if not parser.has_section("Desktop Entry"):
        return None
    return dict(parser.items("Desktop Entry"))


def _is_listed(entry: dict[str, str], ignore_system_apps: bool) -> bool:
    if entry.get("Type") != "Application" or not entry.get("Name") or not entry.get("Exec"):
        return False
    if entry.get("NoDisplay", "").lower() == "true" or entry.get("Hidden", "").lower() == "true":
        return False
    if ignore_system_apps:
        categories = set(filter(None, entry.get("Categories", "").split(";")))
        if categories & _SYSTEM_CATEGORIES and "TerminalEmulator" not in categories:
            return False
    return True


def _desktop_files(directories: Iterable[Path]) -> list[Path]:
    """The `.desktop` files of `directories`, the first of each desktop-file id (XDG precedence)."""
    seen: set[str] = set()
    files = []
    for directory in directories:
        try:
            found = sorted(directory.rglob("*.desktop"))
        except OSError:
            continue
        for path in found:
            file_id = path.relative_to(directory).as_posix().replace("/", "-")
            if file_id not in seen and path.is_file():
                seen.add(file_id)
                files.append(path)
    return files


def installed_apps(
    session_root: Path,
    *,
    start_menu: bool,
    desktop: bool,
    ignore_system_apps: bool,
    menu_dirs: Iterable[str] = MENU_DIRS,
) -> list[dict[str, str]]:
    """The apps `get_installed_apps` lists (see the module docstring), sorted by name."""
    home = Path(SessionFS.open(session_root).home)
    directories: list[Path] = []
    if start_menu:
        directories += [home / ".local" / "share" / "applications", *map(Path, menu_dirs)]
    if desktop:
        directories.append(home / "Desktop")
    apps = []
    for path in _desktop_files(directories):
        entry = _read_entry(path)
        if entry is not None and _is_listed(entry, ignore_system_apps):
            apps.append(
                {
                    "name": entry["Name"],
                    "start_cmd": entry["Exec"],
                    "stop_cmd": "",
                    "work_directory": entry.get("Path", ""),
                }
            )
    return sorted(apps, key=lambda app: (app["name"].lower(), app["start_cmd"]))


@desktop_tool("get_installed_apps")
async def get_installed_apps(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    """The `get_installed_apps` tool: a JSON list of apps."""
    ignore = get_bool(args, "ignore_system_apps", default=get_bool(args, "ignore_system_app", default=True))
    apps = await asyncio.to_thread(
        installed_apps,
        display.session_root,
        start_menu=get_bool(args, "start_menu", default=True),
        desktop=get_bool(args, "desktop", default=False),
        ignore_system_apps=ignore,
    )
    return json.dumps(apps, ensure_ascii=False), False


# ---- starting and stopping ------------------------------------------------------------------------


def strip_field_codes(command: str) -> str:
    """`command` without the `.desktop` Exec field codes (`%U`, `%f`, ...); `%%` becomes `%`."""
    stripped = _FIELD_CODE.sub(lambda match: "%" if match.group() == "%%" else "", command)
    return " ".join(stripped.split()) if stripped != command else command


@desktop_tool("start_app")
async def start_app(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    """The `start_app` tool: a JSON list of the processes the command started."""
    command = strip_field_codes(get_str(args, "start_cmd"))
    if not command.strip():
        raise ToolFailure("Argument 'start_cmd' must not be empty")
    if "\x00" in command:
        raise ToolFailure("Argument 'start_cmd' contains a null byte")
    work_directory = get_str(args, "work_directory", default="")
    if "\x00" in work_directory:
        raise ToolFailure("Argument 'work_directory' contains a null byte")
    get_str(args, "activity", default="")  # Android only: checked, then ignored
    lines = []
    if work_directory:
        quoted = shlex.quote(work_directory)
        lines.append(f"cd -- {quoted} 2>/dev/null || {{ echo 'No such directory: '{quoted} >&2; exit 2; }}")
    if _SIMPLE_COMMAND.fullmatch(command):  # the app itself then leads the new session, no shell
        command = "exec " + command
    lines += [
        f"setsid /bin/sh -c {shlex.quote(command)} </dev/null >/dev/null 2>&1 &",
        "leader=$!",
        f"sleep {START_SETTLE_S}",
        # Exited already (reaped by the shell, or a zombie): `wait` gives its status, e.g. 127 for a
        # missing program.
        'st=; read -r st < "/proc/$leader/stat" 2>/dev/null; rest=${st##*) }',
        'if [ -z "$st" ] || [ "${rest%% *}" = Z ]; then wait "$leader"; echo "exited $?" >&2; fi',
        'echo "leader $leader" >&2',
        _LIST_SCRIPT,
    ]
    out, err, code = await run_in_session(display, "\n".join(lines))
    facts = dict(line.split(" ", 1) for line in err.splitlines() if line.startswith(("leader ", "exited ")))
    if code != 0 or not facts.get("leader", "").isdigit():
        raise ToolFailure(f"Could not start the app: {err.strip() or f'exit status {code}'}")
    leader = int(facts["leader"])
    started = [proc for proc in _session_only(display, _parse_processes(out)) if proc.sid == leader]
    status = int(facts.get("exited", "0"))
    if not started and status != 0:
        why = " (command not found)" if status == 127 else ""
        raise ToolFailure(f"The app exited at once with status {status}{why}")
    return processes_reply(started), False


def _positive_pid(args: dict[str, Any]) -> int:
    if args.get("pid") is None:
        raise ToolFailure("Missing required argument 'pid'")
    pid = get_int(args, "pid", default=0)
    if pid <= 0:
        raise ToolFailure("Argument 'pid' must be a positive integer")
    return pid


@desktop_tool("stop_app_by_pid")
async def stop_app_by_pid(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    """The `stop_app_by_pid` tool: stops one process of the session."""
    pid = _positive_pid(args)
    if pid not in {proc.pid for proc in await session_processes(display)}:
        raise ToolFailure(f"No process with pid {pid} in this session")
    await _stop(display, [pid])
    return "ok", False


@desktop_tool("stop_app_by_pname")
async def stop_app_by_pname(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    """The `stop_app_by_pname` tool: stops every process of the session with that name."""
    pname = get_str(args, "pname")
    if not pname.strip():
        raise ToolFailure("Argument 'pname' must not be empty")
    pids = [proc.pid for proc in await session_processes(display) if proc.pname == pname]
    if not pids:
        raise ToolFailure(f"No process named {pname!r} in this session")
    await _stop(display, pids)
    return "ok", False


@desktop_tool("stop_app_by_cmd")
async def stop_app_by_cmd(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    """The `stop_app_by_cmd` tool: runs the stop command in the session."""
    command = get_str(args, "stop_cmd")
    if not command.strip():
        raise ToolFailure("Argument 'stop_cmd' must not be empty")
    if "\x00" in command:
        raise ToolFailure("Argument 'stop_cmd' contains a null byte")
    out, err, code = await run_in_session(display, command, timeout_ms=STOP_CMD_TIMEOUT_MS)
    if code != 0:
        detail = (err or out).strip()
        raise ToolFailure(
            f"The stop command failed with exit status {code}" + (f": {detail}" if detail else "")
        )
    return "ok", False


def processes_reply(procs: Iterable[Proc]) -> str:
    """A JSON list of processes `[{"pname", "pid", "cmdline"}]`, by pid."""
    return json.dumps([proc.to_wire() for proc in sorted(procs, key=lambda p: p.pid)], ensure_ascii=False)
