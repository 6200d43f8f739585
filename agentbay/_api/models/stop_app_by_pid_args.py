from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="StopAppByPidArgs")


@_attrs_define
class StopAppByPidArgs:
    """`stop_app_by_pid`: end one process of the session (and its children); the reply text is not read."""

    pid: int
    """ The pid as the session sees it. """

    def to_dict(self) -> dict[str, Any]:
        pid = self.pid

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "pid": pid,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        pid = d.pop("pid")

        stop_app_by_pid_args = cls(
            pid=pid,
        )

        return stop_app_by_pid_args
