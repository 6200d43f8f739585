"""`AsyncApplicationManager`: the applications of a desktop session (`session.application`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from .. import _application as app
from .._application import AppOperationResult, InstalledAppListResult, ProcessListResult
from .._types import ApiResult
from .._validate import check_non_empty

if TYPE_CHECKING:
    from ._session import AsyncSession

__all__ = ["AsyncApplicationManager"]

R = TypeVar("R", bound=ApiResult)


class AsyncApplicationManager:
    """Lists, starts and stops the applications of a desktop session (image ``linux_latest``)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_id={self._session.session_id!r})"

    async def get_installed_apps(
        self, start_menu: bool = True, desktop: bool = False, ignore_system_apps: bool = True
    ) -> InstalledAppListResult:
        """The installed applications: `data` lists each one's `name`, `start_cmd`, `stop_cmd` and
        `work_directory`.

        Args:
            start_menu: Include the start menu's applications.
            desktop: Include the desktop's applications.
            ignore_system_apps: Leave system applications out.
        """
        args = app.installed_apps_args(start_menu, desktop, ignore_system_apps)
        return await self._session._query(
            "get_installed_apps", args, app.installed_apps_result, InstalledAppListResult
        )

    async def start_app(
        self, start_cmd: str, work_directory: str = "", activity: str = ""
    ) -> ProcessListResult:
        """Start an application; `data` lists the processes it started (`pname`, `pid`, `cmdline`).

        Args:
            start_cmd: The command, e.g. an `InstalledApp.start_cmd`.
            work_directory: The directory to start it in ("": the service's default).
            activity: (mobile images) the activity to launch.
        """
        args = app.start_app_args(start_cmd, work_directory, activity)
        return await self._session._query("start_app", args, app.process_list_result, ProcessListResult)

    async def stop_app_by_pname(self, pname: str) -> AppOperationResult:
        """Stop the session's processes named `pname`."""
        args = {"pname": check_non_empty(pname, "pname")}
        return await self._session._query("stop_app_by_pname", args, app.operation_result, AppOperationResult)

    async def stop_app_by_pid(self, pid: int) -> AppOperationResult:
        """Stop the process `pid` (a pid as the session sees it, e.g. from `start_app`)."""
        args = {"pid": app.check_int(pid, "pid", 1)}
        return await self._session._query("stop_app_by_pid", args, app.operation_result, AppOperationResult)

    async def stop_app_by_cmd(self, stop_cmd: str) -> AppOperationResult:
        """Run `stop_cmd` (e.g. an `InstalledApp.stop_cmd`, or ``pkill gedit``) in the session."""
        args = {"stop_cmd": check_non_empty(stop_cmd, "stop_cmd")}
        return await self._session._query("stop_app_by_cmd", args, app.operation_result, AppOperationResult)

    async def list_visible_apps(self) -> ProcessListResult:
        """The processes that own a visible window."""
        return await self._session._query("list_visible_apps", {}, app.process_list_result, ProcessListResult)
