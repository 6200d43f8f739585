from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ContextFileRequest")


@_attrs_define
class ContextFileRequest:
    """A body that names one file of a context (upload/download URL, delete)."""

    authorization: str
    """ `Bearer <api key>`. """
    context_id: str
    """ A context's id, as `GetContext` returned it (`SdkCtx-...`). """
    file_path: str
    """ A file's key in the context, written as a path: `/home/wuying/a.txt` and `home/wuying/a.txt`
    name the same file [local server; the cloud's rule is assumed]. In a mounted session the file
    is at `<mount path>/<key>`; 0.9.0's file transfer uses the absolute sandbox path as the key.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authorization = self.authorization

        context_id = self.context_id

        file_path = self.file_path

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Authorization": authorization,
                "ContextId": context_id,
                "FilePath": file_path,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        authorization = d.pop("Authorization")

        context_id = d.pop("ContextId")

        file_path = d.pop("FilePath")

        context_file_request = cls(
            authorization=authorization,
            context_id=context_id,
            file_path=file_path,
        )

        context_file_request.additional_properties = d
        return context_file_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
