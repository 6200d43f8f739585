from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PersistenceData")


@_attrs_define
class PersistenceData:
    """One item of `CreateMcpSession.PersistenceDataList` (a context mount)."""

    context_id: str
    """ A context's id, as `GetContext` returned it (`SdkCtx-...`). """
    path: str
    """ The absolute sandbox path the context is mounted at, e.g. `/home/wuying/data`. """
    policy: str | Unset = UNSET
    """ The JSON string of a `SyncPolicy` (json.dumps, default separators); absent means the service's defaults. """

    def to_dict(self) -> dict[str, Any]:
        context_id = self.context_id

        path = self.path

        policy = self.policy

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ContextId": context_id,
                "Path": path,
            }
        )
        if policy is not UNSET:
            field_dict["Policy"] = policy

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        context_id = d.pop("ContextId")

        path = d.pop("Path")

        policy = d.pop("Policy", UNSET)

        persistence_data = cls(
            context_id=context_id,
            path=path,
            policy=policy,
        )

        return persistence_data
