from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="StartAppArgs")


@_attrs_define
class StartAppArgs:
    """`start_app`: run an application's command in the session; replies a JSON list of the processes it started,
    `[{"pname", "pid", "cmdline"}]`.

    """

    start_cmd: str
    """ The command line (a `.desktop` Exec line's field codes such as `%U` are dropped). """
    work_directory: str | Unset = UNSET
    """ Working directory in the session; sent only when not empty. """
    activity: str | Unset = UNSET
    """ (mobile) The activity to launch; sent only when not empty. """

    def to_dict(self) -> dict[str, Any]:
        start_cmd = self.start_cmd

        work_directory = self.work_directory

        activity = self.activity

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "start_cmd": start_cmd,
            }
        )
        if work_directory is not UNSET:
            field_dict["work_directory"] = work_directory
        if activity is not UNSET:
            field_dict["activity"] = activity

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        start_cmd = d.pop("start_cmd")

        work_directory = d.pop("work_directory", UNSET)

        activity = d.pop("activity", UNSET)

        start_app_args = cls(
            start_cmd=start_cmd,
            work_directory=work_directory,
            activity=activity,
        )

        return start_app_args
