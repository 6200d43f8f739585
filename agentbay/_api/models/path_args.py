from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PathArgs")


@_attrs_define
class PathArgs:
    """A tool that takes one session path (`create_directory`, `get_file_info`, `list_directory`, `delete_file`)."""

    path: str
    """ An absolute path inside the session, e.g. `/home/wuying/notes.txt` or `/tmp/x`. """

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "path": path,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path")

        path_args = cls(
            path=path,
        )

        return path_args
