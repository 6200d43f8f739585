from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SyncPolicyExtractPolicy")


@_attrs_define
class SyncPolicyExtractPolicy:
    extract: bool | Unset = UNSET
    """ Extract archives after download. """
    delete_src_file: bool | Unset = UNSET
    """ Delete an archive once extracted. """
    extract_to_current_folder: bool | Unset = UNSET
    """ Extract into the archive's folder rather than a folder of its name. """

    def to_dict(self) -> dict[str, Any]:
        extract = self.extract

        delete_src_file = self.delete_src_file

        extract_to_current_folder = self.extract_to_current_folder

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if extract is not UNSET:
            field_dict["extract"] = extract
        if delete_src_file is not UNSET:
            field_dict["deleteSrcFile"] = delete_src_file
        if extract_to_current_folder is not UNSET:
            field_dict["extractToCurrentFolder"] = extract_to_current_folder

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        extract = d.pop("extract", UNSET)

        delete_src_file = d.pop("deleteSrcFile", UNSET)

        extract_to_current_folder = d.pop("extractToCurrentFolder", UNSET)

        sync_policy_extract_policy = cls(
            extract=extract,
            delete_src_file=delete_src_file,
            extract_to_current_folder=extract_to_current_folder,
        )

        return sync_policy_extract_policy
