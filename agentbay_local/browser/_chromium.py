"""The browser of a session: the system's Chromium, headless, started and stopped in the session.

Chromium runs inside the session's sandbox like any process a command leaves running (started by a
short script through `sandbox.run_program`, in a process session of its own by `setsid`), so the
session's deletion kills it and every process it started, and a server that dies takes it along.
Its DevTools port is chosen by the kernel (`--remote-debugging-port=0`, bound on 127.0.0.1): the
script waits for Chromium to write it to `DevToolsActivePort` in the profile, then the server waits
for `/json/version` to answer. Session processes share the host's network, so the server (and its
link proxy) reaches that port directly.

The profile is the `PersistentPath` the SDKs send (`/tmp/agentbay_browser`), a session path: a
browser context mounted there (the SDKs' `browser_context`) brings the previous session's cookies
and local storage. Its `Singleton*` lock files are removed before a start: a profile that comes
from another session would otherwise be refused as "in use by another computer".

Stopping asks Chromium to close over CDP (`Browser.close`): it then shuts down cleanly and writes
its cookies to disk, which it otherwise does only every 30 s (a signal, even SIGTERM, loses them).
Whatever still runs after `STOP_GRACE_S` gets SIGTERM, then its process group SIGKILL.

One `Browser` is known per session directory, in this process only: a restarted server has killed
the old browsers and starts a new one at the next InitBrowser.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import WebSocketException

from ..sandbox import bwrap_executable, run_program
from ..sandbox._args import ToolFailure
from ..sandbox._paths import SessionFS, resolve
from ..sandbox._shell import BASE_PATH

__all__ = [
    "BROWSER_IMAGES",
    "PACKAGE",
    "START_TIMEOUT_S",
    "STOP_GRACE_S",
    "BadOption",
    "Browser",
    "BrowserFailed",
    "chromium_args",
    "chromium_executable",
    "forget",
    "forget_all",
    "running",
    "start",
    "stop",
    "unavailable_message",
]

#: The images whose sessions have a browser.
BROWSER_IMAGES = frozenset({"browser_latest"})
#: The Debian package of the browser, named in the refusal when it is missing.
PACKAGE = "chromium"
#: The names the browser's executable goes by; it must be under a directory the sandbox shows (/usr).
EXECUTABLES = ("chromium", "chromium-browser")
#: How long Chromium may take to open its DevTools endpoint.
START_TIMEOUT_S = 30.0
#: How long a stopped Chromium has to exit after SIGTERM before its process group is SIGKILLed.
STOP_GRACE_S = 5.0
#: The Chromium log, in the session's /tmp (not in the profile, which a context may upload).
LOG_PATH = "/tmp/.agentbay_chromium.log"
_POLL_S = 0.05

#: Flags every browser gets. --no-sandbox: bubblewrap is the sandbox (Chromium's own needs privileges
#: the session's user namespace does not give); the rest keep a headless browser quiet and offline.
_BASE_FLAGS = (
    "--headless=new",
    "--remote-debugging-port=0",
    "--remote-debugging-address=127.0.0.1",
    "--no-sandbox",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--password-store=basic",
)
#: Flags a `cmdArgs` entry may not override: the server depends on them.
_RESERVED = ("--remote-debugging-", "--user-data-dir", "--headless")

# $1 the profile, $2 the log, $3 the extension directory ("-" for none), then Chromium's argv. Prints
# "pid N", then "port N" and "path /devtools/browser/<id>" once Chromium has written them.
_START_SCRIPT = r"""
profile=$1 log=$2 ext=$3
shift 3
mkdir -p -- "$profile" || exit 2
rm -f -- "$profile/DevToolsActivePort" "$profile/SingletonLock" "$profile/SingletonSocket" \
  "$profile/SingletonCookie"
extensions=
if [ "$ext" != - ] && [ -d "$ext" ]; then
  for d in "$ext"/*/; do [ -f "$d/manifest.json" ] && extensions="$extensions${extensions:+,}${d%/}"; done
fi
if [ -n "$extensions" ]; then
  set -- "$@" "--disable-features=DisableLoadExtensionCommandLineSwitch" "--load-extension=$extensions"
fi
setsid "$@" "--user-data-dir=$profile" </dev/null >"$log" 2>&1 &
pid=$!
echo "pid $pid"
i=0
while [ $i -lt {rounds} ]; do
  if [ -s "$profile/DevToolsActivePort" ]; then
    { read -r port; read -r path; } < "$profile/DevToolsActivePort"
    if [ -n "$port" ] && [ -n "$path" ]; then echo "port $port"; echo "path $path"; exit 0; fi
  fi
  st=; read -r st < "/proc/$pid/stat" 2>/dev/null; rest=${st##*) }
  if [ -z "$st" ] || [ "${rest%% *}" = Z ]; then
    wait "$pid"; echo "Chromium exited at once with status $?:" >&2; tail -n 15 "$log" >&2; exit 1
  fi
  sleep {poll}
  i=$((i + 1))
done
kill -KILL -"$pid" 2>/dev/null
echo "Chromium did not open its DevTools port within {timeout} s:" >&2; tail -n 15 "$log" >&2
exit 1
"""

# $1 Chromium's pid (the leader of its process group), $2 how many polls it has to exit by itself
# (it was asked to close): then SIGTERM, a second to exit, and SIGKILL for the group.
_STOP_SCRIPT = r"""
pid=$1
alive() { st=; read -r st < "/proc/$1/stat" 2>/dev/null || return 1; rest=${st##*) }; [ "${rest%% *}" != Z ]; }
i=0
while [ $i -lt "$2" ] && alive "$pid"; do sleep {poll}; i=$((i + 1)); done
kill -TERM "$pid" 2>/dev/null
i=0
while [ $i -lt 20 ] && alive "$pid"; do sleep {poll}; i=$((i + 1)); done
kill -KILL -"$pid" 2>/dev/null
i=0
while [ $i -lt 100 ] && kill -0 -"$pid" 2>/dev/null; do sleep {poll}; i=$((i + 1)); done
exit 0
"""


class BadOption(ValueError):
    """A BrowserOption that cannot be honoured; the message names the key."""


class BrowserFailed(Exception):
    """The browser could not start; the message says why (Chromium's last log lines included)."""


@dataclass(frozen=True)
class Browser:
    """A running browser: its pid as the session sees it, its DevTools port and browser target path."""

    pid: int
    port: int
    path: str  # "/devtools/browser/<id>"


@dataclass
class _Slot:
    lock: asyncio.Lock
    browser: Browser | None = None


_slots: dict[str, _Slot] = {}


def _key(session_root: Path | str) -> str:
    return os.path.realpath(os.fspath(session_root))


def _slot(session_root: Path | str) -> _Slot:
    key = _key(session_root)
    slot = _slots.get(key)
    if slot is None:
        slot = _slots[key] = _Slot(asyncio.Lock())
    return slot


def chromium_executable() -> str | None:
    """The system's Chromium, or None. Only under /usr (and /bin): the sandbox shows nothing else."""
    for name in EXECUTABLES:
        found = shutil.which(name, path=BASE_PATH)
        if found is not None:
            return found
    return None


def unavailable_message() -> str:
    """Why browser sessions are refused here, and what to install."""
    return (
        "Browser sessions (image browser_latest) need Chromium, which is not installed on the server: "
        f"install the Debian package {PACKAGE} (apt-get install {PACKAGE})."
    )


# ---- options --------------------------------------------------------------------------------------


def _size(option: dict[str, Any], key: str) -> tuple[int, int] | None:
    value = option.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadOption(f"BrowserOption.{key} must be an object with width and height.")
    width, height = value.get("width"), value.get("height")
    for name, number in (("width", width), ("height", height)):
        if type(number) is not int or not 1 <= number <= 100_000:
            raise BadOption(f"BrowserOption.{key}.{name} must be a positive integer.")
    assert isinstance(width, int) and isinstance(height, int)
    return width, height


def _text(option: dict[str, Any], key: str) -> str | None:
    value = option.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or "\x00" in value:
        raise BadOption(f"BrowserOption.{key} must be a string.")
    return value


def chromium_args(option: dict[str, Any]) -> list[str]:
    """Chromium's flags for what BrowserOption asks that Chromium has a flag for.

    `viewport` is the window size, `screen` the screen's (`--screen-info`), `userAgent`, `useStealth`
    (no `navigator.webdriver`), a `custom` proxy's `server` (Chromium takes no proxy credentials on
    its command line: they are not used), `cmdArgs` (but flags the server depends on) and
    `defaultNavigateUrl` (the first page, else about:blank). The cloud's own services (`fingerprint`, `solveCaptchas`,
    `autoLogin`, `callForUser`, `enableRecord`, `wuying` and `managed` proxies...) are accepted and
    have no effect here.
    """
    flags: list[str] = []
    viewport = _size(option, "viewport")
    if viewport is not None:
        flags.append(f"--window-size={viewport[0]},{viewport[1]}")
    screen = _size(option, "screen")
    if screen is not None:
        flags.append(f"--screen-info={{{screen[0]}x{screen[1]}}}")
    user_agent = _text(option, "userAgent")
    if user_agent:
        flags.append(f"--user-agent={user_agent}")
    if option.get("useStealth") is True:
        flags.append("--disable-blink-features=AutomationControlled")
    proxies = option.get("proxies")
    if proxies is not None:
        if not isinstance(proxies, list) or not all(isinstance(proxy, dict) for proxy in proxies):
            raise BadOption("BrowserOption.proxies must be a list of objects.")
        for proxy in proxies:
            if proxy.get("type") == "custom":
                server = _text(proxy, "server")
                if not server:
                    raise BadOption("BrowserOption.proxies: a custom proxy needs its server.")
                flags.append(f"--proxy-server={server}")
    cmd_args = option.get("cmdArgs")
    if cmd_args is not None:
        if not isinstance(cmd_args, list) or not all(isinstance(arg, str) for arg in cmd_args):
            raise BadOption("BrowserOption.cmdArgs must be a list of strings.")
        for arg in cmd_args:
            if "\x00" in arg or not arg.startswith("--"):
                raise BadOption(f"BrowserOption.cmdArgs: {arg[:100]!r} is not a --flag.")
            if not arg.startswith(_RESERVED):
                flags.append(arg)
    # The first page: about:blank unless asked, not Chromium's new tab page (a heavier WebUI page that
    # a CDP client such as Playwright attaches to and waits for).
    flags.append(_text(option, "defaultNavigateUrl") or "about:blank")
    return flags


# ---- starting and stopping --------------------------------------------------------------------------


def _script(template: str, rounds: float, timeout: float) -> str:
    return (
        template.replace("{rounds}", str(max(1, int(rounds))))
        .replace("{poll}", str(_POLL_S))
        .replace("{timeout}", f"{timeout:g}")
    )


def _in_session(session_root: Path, path: str, what: str) -> str:
    """`path` as the browser's processes see it: the session path under bubblewrap, else the host's."""
    try:
        location = resolve(SessionFS.open(session_root), path)
    except ToolFailure as failure:
        raise BadOption(f"{what}: {failure.message}") from None
    return location.session_path if bwrap_executable() is not None else location.host_path


async def _answers(browser: Browser, timeout: float) -> bool:
    """Whether the browser's /json/version answers (within `timeout`) as this very browser."""
    url = f"http://127.0.0.1:{browser.port}/json/version"
    try:
        # Plain HTTP on loopback: verify=False only spares building a TLS context (60 ms) per check.
        async with httpx.AsyncClient(trust_env=False, verify=False, timeout=timeout) as client:
            reply = await client.get(url)
            found = reply.json().get("webSocketDebuggerUrl", "")
    except (httpx.HTTPError, ValueError, AttributeError):
        return False
    return isinstance(found, str) and found.endswith(browser.path)


async def _launch(session_root: Path, option: dict[str, Any], persistent_path: str) -> Browser:
    executable = chromium_executable()
    if executable is None:
        raise BrowserFailed(unavailable_message())
    flags = chromium_args(option)
    profile = _in_session(session_root, persistent_path, "PersistentPath")
    log = _in_session(session_root, LOG_PATH, "log")
    extension_path = _text(option, "extensionPath")
    extensions = (
        _in_session(session_root, extension_path, "BrowserOption.extensionPath") if extension_path else "-"
    )
    script = _script(_START_SCRIPT, START_TIMEOUT_S / _POLL_S, START_TIMEOUT_S)
    argv = ["/bin/sh", "-c", script, "sh", profile, log, extensions, executable, *_BASE_FLAGS, *flags]
    try:
        result = await run_program(session_root, argv, timeout_s=START_TIMEOUT_S + 10)
    except ToolFailure as failure:
        raise BrowserFailed(failure.message) from None
    facts = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    if result.exit_code != 0 or not facts.get("port", "").isdigit() or not facts.get("pid", "").isdigit():
        raise BrowserFailed(
            result.stderr.strip() or f"the start script exited with status {result.exit_code}"
        )
    browser = Browser(int(facts["pid"]), int(facts["port"]), facts.get("path", ""))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + START_TIMEOUT_S
    while not await _answers(browser, 2.0):
        if loop.time() >= deadline:
            await _kill(session_root, browser, closing=False)
            raise BrowserFailed(f"Chromium's DevTools endpoint on port {browser.port} did not answer")
        await asyncio.sleep(_POLL_S)
    return browser


async def _close(browser: Browser) -> bool:
    """Ask the browser to close over CDP; whether it said it will."""
    try:
        async with asyncio.timeout(STOP_GRACE_S):
            async with ws_connect(f"ws://127.0.0.1:{browser.port}{browser.path}", max_size=None) as socket:
                await socket.send(json.dumps({"id": 1, "method": "Browser.close"}))
                while True:  # events may come first
                    reply = json.loads(await socket.recv())
                    if isinstance(reply, dict) and reply.get("id") == 1:
                        return "error" not in reply
    except (OSError, TimeoutError, ValueError, WebSocketException):
        return False


async def _kill(session_root: Path, browser: Browser, *, closing: bool) -> None:
    """End the browser's processes: those of a `closing` browser get `STOP_GRACE_S` to exit."""
    rounds = str(int(STOP_GRACE_S / _POLL_S) if closing else 0)
    script = _script(_STOP_SCRIPT, 1, STOP_GRACE_S)
    with contextlib.suppress(ToolFailure):  # the session is gone: so is the browser
        await run_program(
            session_root,
            ["/bin/sh", "-c", script, "sh", str(browser.pid), rounds],
            timeout_s=STOP_GRACE_S + 15,
        )


async def start(session_root: Path, option: dict[str, Any], persistent_path: str) -> Browser:
    """The session's browser, started with `option` unless it runs already (then as it is).

    Raises BadOption for an option or path that cannot be used, BrowserFailed when Chromium is missing
    or does not start (then nothing of it is left running).
    """
    slot = _slot(session_root)
    async with slot.lock:
        if slot.browser is not None and await _answers(slot.browser, 2.0):
            return slot.browser
        slot.browser = await _launch(session_root, option, persistent_path)
        return slot.browser


async def running(session_root: Path) -> Browser | None:
    """The session's browser if it runs and answers (it may have crashed, or been closed over CDP)."""
    slot = _slots.get(_key(session_root))
    if slot is None or slot.browser is None:
        return None
    browser = slot.browser
    if await _answers(browser, 2.0):
        return browser
    if slot.browser is browser:
        slot.browser = None
    return None


async def stop(session_root: Path) -> bool:
    """Stop the session's browser (cleanly: see the module docstring); False if none was running."""
    slot = _slots.get(_key(session_root))
    if slot is None:
        return False
    async with slot.lock:
        browser, slot.browser = slot.browser, None
        if browser is None:
            return False
        await _kill(session_root, browser, closing=await _close(browser))
        return True


def forget(session_root: Path | str) -> None:
    """Forget the session's browser (the session is deleted and its processes killed)."""
    _slots.pop(_key(session_root), None)


def forget_all(sessions_dir: Path | str) -> None:
    """Forget the browsers of every session under `sessions_dir` (the server stops)."""
    parent = _key(sessions_dir) + os.sep
    for key in [key for key in _slots if key.startswith(parent)]:
        del _slots[key]
