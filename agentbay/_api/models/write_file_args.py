from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.write_file_args_format import (
    WriteFileArgsFormat,
    check_write_file_args_format,
)
from ..models.write_file_args_mode import WriteFileArgsMode, check_write_file_args_mode
from ..types import UNSET, Unset

T = TypeVar("T", bound="WriteFileArgs")


@_attrs_define
class WriteFileArgs:
    """`write_file`: write text (or bytes as base64, with `format: binary`); content over about 50 KiB travels as a first
    chunk with `mode`, then `append` chunks.

    """

    path: str
    """ An absolute path inside the session, e.g. `/home/wuying/notes.txt` or `/tmp/x`. """
    content: str
    """ The text to write (base64 of the bytes when `format` is `binary`). """
    mode: WriteFileArgsMode
    """ Replace the file, or add to its end. """
    format_: WriteFileArgsFormat | Unset = UNSET
    """ [assumed] `binary`: `content` is base64, for files that are not UTF-8 text (mirrors read_file's `format`).
    """

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        content = self.content

        mode: str = self.mode

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "path": path,
                "content": content,
                "mode": mode,
            }
        )
        if format_ is not UNSET:
            field_dict["format"] = format_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path")

        content = d.pop("content")

        mode = check_write_file_args_mode(d.pop("mode"))

        _format_ = d.pop("format", UNSET)
        format_: WriteFileArgsFormat | Unset
        if isinstance(_format_, Unset):
            format_ = UNSET
        else:
            format_ = check_write_file_args_format(_format_)

        write_file_args = cls(
            path=path,
            content=content,
            mode=mode,
            format_=format_,
        )

        return write_file_args
