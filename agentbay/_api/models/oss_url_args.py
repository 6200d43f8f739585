from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="OssUrlArgs")


@_attrs_define
class OssUrlArgs:
    """`oss_upload_annon` (an HTTP PUT of the session file at `path` to `url`) and `oss_download_annon` (an HTTP GET of
    `url` into the session file at `path`), without credentials: `url` is a signed URL or a context's upload/download
    URL; the reply contains `Upload success` / `Download success`; a failure is a tool error with the cause.

    """

    url: str
    """ An http(s) URL the session can reach. """
    path: str
    """ An absolute path inside the session, e.g. `/home/wuying/notes.txt` or `/tmp/x`. """

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        path = self.path

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
                "path": path,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        url = d.pop("url")

        path = d.pop("path")

        oss_url_args = cls(
            url=url,
            path=path,
        )

        return oss_url_args
