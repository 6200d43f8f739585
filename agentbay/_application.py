"""The application tools without I/O (`session.application`): result types, argument checks and the
parsers of their replies (JSON lists of applications or processes)."""

from __future__ import annotations

import json
from typing import Any

import attrs

from ._exceptions import InvalidInputError, ServerError
from ._types import ApiResult
from ._validate import check_non_empty
from ._wire import ToolOutput

__all__ = [
    "AppOperationResult",
    "InstalledApp",
    "InstalledAppListResult",
    "Process",
    "ProcessListResult",
]


@attrs.frozen(kw_only=True)
class InstalledApp:
    """An application installed in the session (a `.desktop` file on Linux)."""

    name: str
    start_cmd: str
    """The command that starts it (a `.desktop` Exec line as written, field codes such as ``%U`` included)."""
    stop_cmd: str | None = None
    """The command that stops it; None (or "") when the service names none."""
    work_directory: str | None = None
    """The directory it starts in; None (or "") when the service names none."""


@attrs.frozen(kw_only=True)
class Process:
    """A process of the session."""

    pname: str
    """Its name (``/proc/<pid>/comm``)."""
    pid: int
    """Its pid as the session sees it (what `stop_app_by_pid` takes)."""
    cmdline: str | None = None
    """Its command line; None when the service does not say."""


@attrs.frozen(kw_only=True)
class InstalledAppListResult(ApiResult):
    """The result of `get_installed_apps`."""

    data: list[InstalledApp] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class ProcessListResult(ApiResult):
    """The result of `start_app` (the processes it started) and `list_visible_apps`."""

    data: list[Process] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class AppOperationResult(ApiResult):
    """The result of a `stop_app_*` call."""

    message: str = ""
    """What the tool said (the official SDKs do not read it)."""


# ---- arguments -----------------------------------------------------------------------------------


def check_bool(value: object, name: str) -> bool:
    """`value` if it is a bool, else InvalidInputError (a 0/1 or a string is a mistake, not a flag)."""
    if not isinstance(value, bool):
        raise InvalidInputError(f"Expected a bool for `{name}`, got {value!r}")
    return value


def check_int(value: object, name: str, minimum: int) -> int:
    """`value` if it is an int (not a bool) of at least `minimum`, else InvalidInputError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidInputError(f"Expected an int >= {minimum} for `{name}`, got {value!r}")
    return value


def installed_apps_args(start_menu: object, desktop: object, ignore_system_apps: object) -> dict[str, Any]:
    # 0.8/0.9's key; 0.22.3 spells it `ignore_system_app` (the local server takes both).
    return {
        "start_menu": check_bool(start_menu, "start_menu"),
        "desktop": check_bool(desktop, "desktop"),
        "ignore_system_apps": check_bool(ignore_system_apps, "ignore_system_apps"),
    }


def start_app_args(start_cmd: object, work_directory: object, activity: object) -> dict[str, Any]:
    """`start_app`'s Args: the optional keys only when not empty, as the official SDKs send them."""
    args: dict[str, Any] = {"start_cmd": check_non_empty(start_cmd, "start_cmd")}
    for name, value in (("work_directory", work_directory), ("activity", activity)):
        if not isinstance(value, str):
            raise InvalidInputError(f"Expected a str for `{name}`, got {value!r}")
        if value:
            args[name] = value
    return args


# ---- replies -------------------------------------------------------------------------------------


def _json_list(output: ToolOutput) -> list[dict[str, Any]]:
    """The reply's JSON list of objects, else a ServerError saying the reply is malformed."""
    try:
        data = json.loads(output.text)
    except ValueError:
        data = None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ServerError(
            f"malformed reply: {output.tool} did not return a JSON list of objects: {output.text[:200]!r}",
            http_status=200,
            request_id=output.request_id,
            action="CallMcpTool",
        )
    return data


def _str(value: object, default: str | None = "") -> str | None:
    return value if isinstance(value, str) else default


def _pid(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def installed_apps_result(output: ToolOutput) -> InstalledAppListResult:
    apps = [
        InstalledApp(
            name=_str(item.get("name")) or "",
            start_cmd=_str(item.get("start_cmd")) or "",
            stop_cmd=_str(item.get("stop_cmd"), None),
            work_directory=_str(item.get("work_directory"), None),
        )
        for item in _json_list(output)
    ]
    return InstalledAppListResult(request_id=output.request_id, data=apps)


def process_list_result(output: ToolOutput) -> ProcessListResult:
    processes = [
        Process(
            pname=_str(item.get("pname")) or "",
            pid=_pid(item.get("pid")),
            cmdline=_str(item.get("cmdline"), None),
        )
        for item in _json_list(output)
    ]
    return ProcessListResult(request_id=output.request_id, data=processes)


def operation_result(output: ToolOutput) -> AppOperationResult:
    return AppOperationResult(request_id=output.request_id, message=output.text)
