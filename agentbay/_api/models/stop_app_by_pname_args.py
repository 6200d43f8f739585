from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="StopAppByPnameArgs")


@_attrs_define
class StopAppByPnameArgs:
    """`stop_app_by_pname`: end the session's processes of this name; the reply text is not read."""

    pname: str
    """ The process name (`/proc/<pid>/comm`). """

    def to_dict(self) -> dict[str, Any]:
        pname = self.pname

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "pname": pname,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        pname = d.pop("pname")

        stop_app_by_pname_args = cls(
            pname=pname,
        )

        return stop_app_by_pname_args
