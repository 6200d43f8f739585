from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="GetFileChangeArgs")


@_attrs_define
class GetFileChangeArgs:
    """`get_file_change`: the changes under the directory `path` (recursively) since the previous call for the same session
    and path; the first call starts the watch and replies `[]`. Replies a JSON list `[{"eventType": "create" | "modify"
    | "delete", "path": absolute session path, "pathType": "file" | "directory"}]`; a `modify` per completed write. The
    watch ends with the session.

    """

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

        get_file_change_args = cls(
            path=path,
        )

        return get_file_change_args
