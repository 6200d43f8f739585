from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="StopAppByCmdArgs")


@_attrs_define
class StopAppByCmdArgs:
    """`stop_app_by_cmd`: run a stop command (e.g. `pkill gedit`) in the session; the reply text is not read."""

    stop_cmd: str
    """ The command line. """

    def to_dict(self) -> dict[str, Any]:
        stop_cmd = self.stop_cmd

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "stop_cmd": stop_cmd,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        stop_cmd = d.pop("stop_cmd")

        stop_app_by_cmd_args = cls(
            stop_cmd=stop_cmd,
        )

        return stop_app_by_cmd_args
