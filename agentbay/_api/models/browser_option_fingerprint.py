from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.browser_option_fingerprint_devices_item import (
    BrowserOptionFingerprintDevicesItem,
    check_browser_option_fingerprint_devices_item,
)
from ..models.browser_option_fingerprint_operating_systems_item import (
    BrowserOptionFingerprintOperatingSystemsItem,
    check_browser_option_fingerprint_operating_systems_item,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="BrowserOptionFingerprint")


@_attrs_define
class BrowserOptionFingerprint:
    """The fingerprint to generate."""

    devices: list[BrowserOptionFingerprintDevicesItem] | Unset = UNSET
    operating_systems: list[BrowserOptionFingerprintOperatingSystemsItem] | Unset = UNSET
    locales: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        devices: list[str] | Unset = UNSET
        if not isinstance(self.devices, Unset):
            devices = []
            for devices_item_data in self.devices:
                devices_item: str = devices_item_data
                devices.append(devices_item)

        operating_systems: list[str] | Unset = UNSET
        if not isinstance(self.operating_systems, Unset):
            operating_systems = []
            for operating_systems_item_data in self.operating_systems:
                operating_systems_item: str = operating_systems_item_data
                operating_systems.append(operating_systems_item)

        locales: list[str] | Unset = UNSET
        if not isinstance(self.locales, Unset):
            locales = self.locales

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if devices is not UNSET:
            field_dict["devices"] = devices
        if operating_systems is not UNSET:
            field_dict["operatingSystems"] = operating_systems
        if locales is not UNSET:
            field_dict["locales"] = locales

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _devices = d.pop("devices", UNSET)
        devices: list[BrowserOptionFingerprintDevicesItem] | Unset = UNSET
        if _devices is not UNSET:
            devices = []
            for devices_item_data in _devices:
                devices_item = check_browser_option_fingerprint_devices_item(devices_item_data)

                devices.append(devices_item)

        _operating_systems = d.pop("operatingSystems", UNSET)
        operating_systems: list[BrowserOptionFingerprintOperatingSystemsItem] | Unset = UNSET
        if _operating_systems is not UNSET:
            operating_systems = []
            for operating_systems_item_data in _operating_systems:
                operating_systems_item = check_browser_option_fingerprint_operating_systems_item(
                    operating_systems_item_data
                )

                operating_systems.append(operating_systems_item)

        locales = cast(list[str], d.pop("locales", UNSET))

        browser_option_fingerprint = cls(
            devices=devices,
            operating_systems=operating_systems,
            locales=locales,
        )

        browser_option_fingerprint.additional_properties = d
        return browser_option_fingerprint

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
