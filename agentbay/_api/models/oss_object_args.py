from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="OssObjectArgs")


@_attrs_define
class OssObjectArgs:
    """`oss_upload` (the session file at `path` to object `object` of `bucket`) and `oss_download` (the object to the
    session file at `path`), with the credentials of `oss_env_init`; the reply contains `Upload success` / `Download
    success`; a failure is a tool error with the cause (OSS error code and message, HTTP status, or the OS error).

    """

    bucket: str
    """ The bucket's name. """
    object_: str
    """ The object's key, e.g. `dir/file.txt`. """
    path: str
    """ An absolute path inside the session, e.g. `/home/wuying/notes.txt` or `/tmp/x`. """

    def to_dict(self) -> dict[str, Any]:
        bucket = self.bucket

        object_ = self.object_

        path = self.path

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "bucket": bucket,
                "object": object_,
                "path": path,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        bucket = d.pop("bucket")

        object_ = d.pop("object")

        path = d.pop("path")

        oss_object_args = cls(
            bucket=bucket,
            object_=object_,
            path=path,
        )

        return oss_object_args
