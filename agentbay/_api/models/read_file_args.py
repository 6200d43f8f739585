from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.read_file_args_format import (
    ReadFileArgsFormat,
    check_read_file_args_format,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReadFileArgs")


@_attrs_define
class ReadFileArgs:
    """`read_file`: read a file, or `length` bytes of it from byte `offset` (the SDKs read 50 KiB chunks after
    `get_file_info`).

    """

    path: str
    """ An absolute path inside the session, e.g. `/home/wuying/notes.txt` or `/tmp/x`. """
    offset: int | Unset = UNSET
    """ Byte offset to start at. """
    length: int | Unset = UNSET
    """ Bytes to read; 0 reads to the end. """
    format_: ReadFileArgsFormat | Unset = UNSET
    """ (0.22.3) `binary` returns the bytes as base64. """

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        offset = self.offset

        length = self.length

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "path": path,
            }
        )
        if offset is not UNSET:
            field_dict["offset"] = offset
        if length is not UNSET:
            field_dict["length"] = length
        if format_ is not UNSET:
            field_dict["format"] = format_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path")

        offset = d.pop("offset", UNSET)

        length = d.pop("length", UNSET)

        _format_ = d.pop("format", UNSET)
        format_: ReadFileArgsFormat | Unset
        if isinstance(_format_, Unset):
            format_ = UNSET
        else:
            format_ = check_read_file_args_format(_format_)

        read_file_args = cls(
            path=path,
            offset=offset,
            length=length,
            format_=format_,
        )

        return read_file_args
