from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.context_file_data import ContextFileData


T = TypeVar("T", bound="DescribeContextFilesResponse")


@_attrs_define
class DescribeContextFilesResponse:
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
    data: list[ContextFileData] | None | Unset = UNSET
    count: int | Unset = UNSET
    """ How many entries the folder has, over all pages. """
    next_token: str | Unset = UNSET
    """ (0.22.3 model) not used by the SDKs. """
    max_results: int | Unset = UNSET
    """ (0.22.3 model) not used by the SDKs. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_id = self.request_id

        success = self.success

        code = self.code

        message = self.message

        http_status_code = self.http_status_code

        data: list[dict[str, Any]] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, list):
            data = []
            for data_type_0_item_data in self.data:
                data_type_0_item = data_type_0_item_data.to_dict()
                data.append(data_type_0_item)

        else:
            data = self.data

        count = self.count

        next_token = self.next_token

        max_results = self.max_results

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
        if count is not UNSET:
            field_dict["Count"] = count
        if next_token is not UNSET:
            field_dict["NextToken"] = next_token
        if max_results is not UNSET:
            field_dict["MaxResults"] = max_results

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.context_file_data import ContextFileData

        d = dict(src_dict)
        request_id = d.pop("RequestId", UNSET)

        success = d.pop("Success", UNSET)

        code = d.pop("Code", UNSET)

        message = d.pop("Message", UNSET)

        http_status_code = d.pop("HttpStatusCode", UNSET)

        def _parse_data(data: object) -> list[ContextFileData] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                data_type_0 = []
                _data_type_0 = data
                for data_type_0_item_data in _data_type_0:
                    data_type_0_item = ContextFileData.from_dict(data_type_0_item_data)

                    data_type_0.append(data_type_0_item)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ContextFileData] | None | Unset, data)

        data = _parse_data(d.pop("Data", UNSET))

        count = d.pop("Count", UNSET)

        next_token = d.pop("NextToken", UNSET)

        max_results = d.pop("MaxResults", UNSET)

        describe_context_files_response = cls(
            request_id=request_id,
            success=success,
            code=code,
            message=message,
            http_status_code=http_status_code,
            data=data,
            count=count,
            next_token=next_token,
            max_results=max_results,
        )

        describe_context_files_response.additional_properties = d
        return describe_context_files_response

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
