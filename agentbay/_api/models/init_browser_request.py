from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="InitBrowserRequest")


@_attrs_define
class InitBrowserRequest:
    authorization: str
    """ `Bearer <api key>`. """
    session_id: str
    """ The session's id, as `CreateMcpSession` returned it (`session-...`). """
    persistent_path: str
    """ The browser's profile directory in the session; the SDKs send the constant `/tmp/agentbay_browser`. """
    browser_option: str
    """ The JSON object (`json.dumps` with default separators) of a `BrowserOption`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authorization = self.authorization

        session_id = self.session_id

        persistent_path = self.persistent_path

        browser_option = self.browser_option

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Authorization": authorization,
                "SessionId": session_id,
                "PersistentPath": persistent_path,
                "BrowserOption": browser_option,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        authorization = d.pop("Authorization")

        session_id = d.pop("SessionId")

        persistent_path = d.pop("PersistentPath")

        browser_option = d.pop("BrowserOption")

        init_browser_request = cls(
            authorization=authorization,
            session_id=session_id,
            persistent_path=persistent_path,
            browser_option=browser_option,
        )

        init_browser_request.additional_properties = d
        return init_browser_request

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
