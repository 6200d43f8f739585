from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.get_cdp_link_data import GetCdpLinkData


T = TypeVar("T", bound="GetCdpLinkResponse")


@_attrs_define
class GetCdpLinkResponse:
    request_id: str | Unset = UNSET
    """ The service's id for this request; quote it in support tickets. """
    success: bool | Unset = UNSET
    """ `false` signals a business failure inside an HTTP 200. """
    code: str | Unset = UNSET
    """ `ok` on success, else an error code such as `QuotaExceeded`. """
    message: str | Unset = UNSET
    """ A human-readable message. """
    http_status_code: int | Unset = UNSET
    """ The HTTP status the failure would have had. """
    data: GetCdpLinkData | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.get_cdp_link_data import GetCdpLinkData

        request_id = self.request_id

        success = self.success

        code = self.code

        message = self.message

        http_status_code = self.http_status_code

        data: dict[str, Any] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, GetCdpLinkData):
            data = self.data.to_dict()
        else:
            data = self.data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if request_id is not UNSET:
            field_dict["RequestId"] = request_id
        if success is not UNSET:
            field_dict["Success"] = success
        if code is not UNSET:
            field_dict["Code"] = code
        if message is not UNSET:
            field_dict["Message"] = message
        if http_status_code is not UNSET:
            field_dict["HttpStatusCode"] = http_status_code
        if data is not UNSET:
            field_dict["Data"] = data

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.get_cdp_link_data import GetCdpLinkData

        d = dict(src_dict)
        request_id = d.pop("RequestId", UNSET)

        success = d.pop("Success", UNSET)

        code = d.pop("Code", UNSET)

        message = d.pop("Message", UNSET)

        http_status_code = d.pop("HttpStatusCode", UNSET)

        def _parse_data(data: object) -> GetCdpLinkData | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = GetCdpLinkData.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GetCdpLinkData | None | Unset, data)

        data = _parse_data(d.pop("Data", UNSET))

        get_cdp_link_response = cls(
            request_id=request_id,
            success=success,
            code=code,
            message=message,
            http_status_code=http_status_code,
            data=data,
        )

        get_cdp_link_response.additional_properties = d
        return get_cdp_link_response

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
