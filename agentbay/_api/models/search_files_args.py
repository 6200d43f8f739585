from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SearchFilesArgs")


@_attrs_define
class SearchFilesArgs:
    """`search_files`: paths under `path` whose names match `pattern` (the reference MCP filesystem server's rules);
    replies one path a line, or exactly `No matches found`.

    """

    path: str
    """ An absolute path inside the session, e.g. `/home/wuying/notes.txt` or `/tmp/x`. """
    pattern: str
    """ A case-insensitive part of the name (`""` matches every name); with `*` or `?` a glob (0.22.3 documents
    wildcards). """
    exclude_patterns: list[str] | str | Unset = UNSET
    """ Globs (minimatch, on the path relative to `path`) to leave out with everything below; one without `*` means
    `**/<it>/**`. A comma-joined string (0.9+) or a list (0.8). """

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        pattern = self.pattern

        exclude_patterns: list[str] | str | Unset
        if isinstance(self.exclude_patterns, Unset):
            exclude_patterns = UNSET
        elif isinstance(self.exclude_patterns, list):
            exclude_patterns = self.exclude_patterns

        else:
            exclude_patterns = self.exclude_patterns

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "path": path,
                "pattern": pattern,
            }
        )
        if exclude_patterns is not UNSET:
            field_dict["excludePatterns"] = exclude_patterns

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path")

        pattern = d.pop("pattern")

        def _parse_exclude_patterns(data: object) -> list[str] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                exclude_patterns_type_1 = cast(list[str], data)

                return exclude_patterns_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | str | Unset, data)

        exclude_patterns = _parse_exclude_patterns(d.pop("excludePatterns", UNSET))

        search_files_args = cls(
            path=path,
            pattern=pattern,
            exclude_patterns=exclude_patterns,
        )

        return search_files_args
