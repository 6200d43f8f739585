from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ReadMultipleFilesArgs")


@_attrs_define
class ReadMultipleFilesArgs:
    """`read_multiple_files`: several files in one call; replies a section per path, in order, joined by `
    ---
    `: `path:
    content
    `, or `path: Error - why` for a file it could not read.

    """

    paths: list[str]

    def to_dict(self) -> dict[str, Any]:
        paths = self.paths

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "paths": paths,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        paths = cast(list[str], d.pop("paths"))

        read_multiple_files_args = cls(
            paths=paths,
        )

        return read_multiple_files_args
