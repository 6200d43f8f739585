from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SyncPolicyBwListWhiteListsItem")


@_attrs_define
class SyncPolicyBwListWhiteListsItem:
    path: str | Unset = UNSET
    """ A path relative to the mount (`""` is all of it); no wildcards (0.9 rejects `* ? [ ]`). """
    exclude_paths: list[str] | Unset = UNSET
    """ Paths under `path` (relative to the mount) left out. """
    is_path_regex: bool | Unset = UNSET
    """ (0.22.3) `path` is a regular expression. """
    is_exclude_regex: bool | Unset = UNSET
    """ (0.22.3) `excludePaths` are regular expressions. """

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        exclude_paths: list[str] | Unset = UNSET
        if not isinstance(self.exclude_paths, Unset):
            exclude_paths = self.exclude_paths

        is_path_regex = self.is_path_regex

        is_exclude_regex = self.is_exclude_regex

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if path is not UNSET:
            field_dict["path"] = path
        if exclude_paths is not UNSET:
            field_dict["excludePaths"] = exclude_paths
        if is_path_regex is not UNSET:
            field_dict["isPathRegex"] = is_path_regex
        if is_exclude_regex is not UNSET:
            field_dict["isExcludeRegex"] = is_exclude_regex

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path", UNSET)

        exclude_paths = cast(list[str], d.pop("excludePaths", UNSET))

        is_path_regex = d.pop("isPathRegex", UNSET)

        is_exclude_regex = d.pop("isExcludeRegex", UNSET)

        sync_policy_bw_list_white_lists_item = cls(
            path=path,
            exclude_paths=exclude_paths,
            is_path_regex=is_path_regex,
            is_exclude_regex=is_exclude_regex,
        )

        return sync_policy_bw_list_white_lists_item
