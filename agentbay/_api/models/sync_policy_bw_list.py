from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sync_policy_bw_list_white_lists_item import (
        SyncPolicyBwListWhiteListsItem,
    )


T = TypeVar("T", bound="SyncPolicyBwList")


@_attrs_define
class SyncPolicyBwList:
    white_lists: list[SyncPolicyBwListWhiteListsItem] | Unset = UNSET
    """ What syncs; no list, or an item with path `""`, syncs everything. """

    def to_dict(self) -> dict[str, Any]:
        white_lists: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.white_lists, Unset):
            white_lists = []
            for white_lists_item_data in self.white_lists:
                white_lists_item = white_lists_item_data.to_dict()
                white_lists.append(white_lists_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if white_lists is not UNSET:
            field_dict["whiteLists"] = white_lists

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.sync_policy_bw_list_white_lists_item import (
            SyncPolicyBwListWhiteListsItem,
        )

        d = dict(src_dict)
        _white_lists = d.pop("whiteLists", UNSET)
        white_lists: list[SyncPolicyBwListWhiteListsItem] | Unset = UNSET
        if _white_lists is not UNSET:
            white_lists = []
            for white_lists_item_data in _white_lists:
                white_lists_item = SyncPolicyBwListWhiteListsItem.from_dict(white_lists_item_data)

                white_lists.append(white_lists_item)

        sync_policy_bw_list = cls(
            white_lists=white_lists,
        )

        return sync_policy_bw_list
