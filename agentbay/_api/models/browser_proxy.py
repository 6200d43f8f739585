from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.browser_proxy_strategy import (
    BrowserProxyStrategy,
    check_browser_proxy_strategy,
)
from ..models.browser_proxy_type import BrowserProxyType, check_browser_proxy_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="BrowserProxy")


@_attrs_define
class BrowserProxy:
    """`custom`: `server` (`host:port`), `username` and `password` when given. `wuying`: `strategy`
    (`restricted` or `polling`), `pollsize` with `polling`. `managed` (0.22.3): `strategy`, `userId`,
    and the filters `isp`, `country`, `province`, `city`.

    """

    type_: BrowserProxyType
    server: str | Unset = UNSET
    username: str | Unset = UNSET
    password: str | Unset = UNSET
    strategy: BrowserProxyStrategy | Unset = UNSET
    pollsize: int | Unset = UNSET
    user_id: str | Unset = UNSET
    isp: str | Unset = UNSET
    country: str | Unset = UNSET
    province: str | Unset = UNSET
    city: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_: str = self.type_

        server = self.server

        username = self.username

        password = self.password

        strategy: str | Unset = UNSET
        if not isinstance(self.strategy, Unset):
            strategy = self.strategy

        pollsize = self.pollsize

        user_id = self.user_id

        isp = self.isp

        country = self.country

        province = self.province

        city = self.city

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if server is not UNSET:
            field_dict["server"] = server
        if username is not UNSET:
            field_dict["username"] = username
        if password is not UNSET:
            field_dict["password"] = password
        if strategy is not UNSET:
            field_dict["strategy"] = strategy
        if pollsize is not UNSET:
            field_dict["pollsize"] = pollsize
        if user_id is not UNSET:
            field_dict["userId"] = user_id
        if isp is not UNSET:
            field_dict["isp"] = isp
        if country is not UNSET:
            field_dict["country"] = country
        if province is not UNSET:
            field_dict["province"] = province
        if city is not UNSET:
            field_dict["city"] = city

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = check_browser_proxy_type(d.pop("type"))

        server = d.pop("server", UNSET)

        username = d.pop("username", UNSET)

        password = d.pop("password", UNSET)

        _strategy = d.pop("strategy", UNSET)
        strategy: BrowserProxyStrategy | Unset
        if isinstance(_strategy, Unset):
            strategy = UNSET
        else:
            strategy = check_browser_proxy_strategy(_strategy)

        pollsize = d.pop("pollsize", UNSET)

        user_id = d.pop("userId", UNSET)

        isp = d.pop("isp", UNSET)

        country = d.pop("country", UNSET)

        province = d.pop("province", UNSET)

        city = d.pop("city", UNSET)

        browser_proxy = cls(
            type_=type_,
            server=server,
            username=username,
            password=password,
            strategy=strategy,
            pollsize=pollsize,
            user_id=user_id,
            isp=isp,
            country=country,
            province=province,
            city=city,
        )

        browser_proxy.additional_properties = d
        return browser_proxy

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
