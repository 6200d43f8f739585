from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MoveFileArgs")


@_attrs_define
class MoveFileArgs:
    """`move_file`: move or rename a file or directory."""

    source: str
    """ An absolute path inside the session, e.g. `/home/wuying/notes.txt` or `/tmp/x`. """
    destination: str
    """ An absolute path inside the session, e.g. `/home/wuying/notes.txt` or `/tmp/x`. """

    def to_dict(self) -> dict[str, Any]:
        source = self.source

        destination = self.destination

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "source": source,
                "destination": destination,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        source = d.pop("source")

        destination = d.pop("destination")

        move_file_args = cls(
            source=source,
            destination=destination,
        )

        return move_file_args
