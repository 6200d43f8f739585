from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.browser_option_browser_type import (
    BrowserOptionBrowserType,
    check_browser_option_browser_type,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.browser_option_fingerprint import BrowserOptionFingerprint
    from ..models.browser_proxy import BrowserProxy
    from ..models.browser_size import BrowserSize


T = TypeVar("T", bound="BrowserOption")


@_attrs_define
class BrowserOption:
    """The browser's options, camelCase, keys in this order (the official SDK's). 0.8/0.9 send by default
    `{"useStealth": false, "solveCaptchas": false, "extensionPath": "/tmp/extensions/"}`; 0.22.3 adds
    `"autoLogin": false, "callForUser": false` after `solveCaptchas`. Other keys only when set.
    `enableRecord` comes last, for a session created with browser replay. `behaviorSimulate` comes
    first when the caller's environment sets `AGENTBAY_BROWSER_BEHAVIOR_SIMULATE`.

    """

    behavior_simulate: bool | Unset = UNSET
    use_stealth: bool | Unset = UNSET
    """ Hide the signs of automation. """
    user_agent: str | Unset = UNSET
    """ The User-Agent header and navigator.userAgent. """
    viewport: BrowserSize | Unset = UNSET
    screen: BrowserSize | Unset = UNSET
    fingerprint: BrowserOptionFingerprint | Unset = UNSET
    """ The fingerprint to generate. """
    fingerprint_raw_data: str | Unset = UNSET
    """ (0.22.3) A base64 JSON fingerprint. """
    fingerprint_persist_path: str | Unset = UNSET
    """ (0.22.3) Where the fingerprint is kept. """
    solve_captchas: bool | Unset = UNSET
    auto_login: bool | Unset = UNSET
    """ (0.22.3) """
    call_for_user: bool | Unset = UNSET
    """ (0.22.3) """
    proxies: list[BrowserProxy] | Unset = UNSET
    extension_path: str | Unset = UNSET
    """ Where extensions are loaded from. """
    cmd_args: list[str] | Unset = UNSET
    """ (0.22.3) Extra command line flags. """
    default_navigate_url: str | Unset = UNSET
    """ (0.22.3) The first page. """
    browser_type: BrowserOptionBrowserType | Unset = UNSET
    """ (0.22.3) """
    enable_record: bool | Unset = UNSET
    """ Record the browser (browser replay). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        behavior_simulate = self.behavior_simulate

        use_stealth = self.use_stealth

        user_agent = self.user_agent

        viewport: dict[str, Any] | Unset = UNSET
        if not isinstance(self.viewport, Unset):
            viewport = self.viewport.to_dict()

        screen: dict[str, Any] | Unset = UNSET
        if not isinstance(self.screen, Unset):
            screen = self.screen.to_dict()

        fingerprint: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fingerprint, Unset):
            fingerprint = self.fingerprint.to_dict()

        fingerprint_raw_data = self.fingerprint_raw_data

        fingerprint_persist_path = self.fingerprint_persist_path

        solve_captchas = self.solve_captchas

        auto_login = self.auto_login

        call_for_user = self.call_for_user

        proxies: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.proxies, Unset):
            proxies = []
            for proxies_item_data in self.proxies:
                proxies_item = proxies_item_data.to_dict()
                proxies.append(proxies_item)

        extension_path = self.extension_path

        cmd_args: list[str] | Unset = UNSET
        if not isinstance(self.cmd_args, Unset):
            cmd_args = self.cmd_args

        default_navigate_url = self.default_navigate_url

        browser_type: str | Unset = UNSET
        if not isinstance(self.browser_type, Unset):
            browser_type = self.browser_type

        enable_record = self.enable_record

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if behavior_simulate is not UNSET:
            field_dict["behaviorSimulate"] = behavior_simulate
        if use_stealth is not UNSET:
            field_dict["useStealth"] = use_stealth
        if user_agent is not UNSET:
            field_dict["userAgent"] = user_agent
        if viewport is not UNSET:
            field_dict["viewport"] = viewport
        if screen is not UNSET:
            field_dict["screen"] = screen
        if fingerprint is not UNSET:
            field_dict["fingerprint"] = fingerprint
        if fingerprint_raw_data is not UNSET:
            field_dict["fingerprintRawData"] = fingerprint_raw_data
        if fingerprint_persist_path is not UNSET:
            field_dict["fingerprintPersistPath"] = fingerprint_persist_path
        if solve_captchas is not UNSET:
            field_dict["solveCaptchas"] = solve_captchas
        if auto_login is not UNSET:
            field_dict["autoLogin"] = auto_login
        if call_for_user is not UNSET:
            field_dict["callForUser"] = call_for_user
        if proxies is not UNSET:
            field_dict["proxies"] = proxies
        if extension_path is not UNSET:
            field_dict["extensionPath"] = extension_path
        if cmd_args is not UNSET:
            field_dict["cmdArgs"] = cmd_args
        if default_navigate_url is not UNSET:
            field_dict["defaultNavigateUrl"] = default_navigate_url
        if browser_type is not UNSET:
            field_dict["browserType"] = browser_type
        if enable_record is not UNSET:
            field_dict["enableRecord"] = enable_record

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.browser_option_fingerprint import BrowserOptionFingerprint
        from ..models.browser_proxy import BrowserProxy
        from ..models.browser_size import BrowserSize

        d = dict(src_dict)
        behavior_simulate = d.pop("behaviorSimulate", UNSET)

        use_stealth = d.pop("useStealth", UNSET)

        user_agent = d.pop("userAgent", UNSET)

        _viewport = d.pop("viewport", UNSET)
        viewport: BrowserSize | Unset
        if isinstance(_viewport, Unset):
            viewport = UNSET
        else:
            viewport = BrowserSize.from_dict(_viewport)

        _screen = d.pop("screen", UNSET)
        screen: BrowserSize | Unset
        if isinstance(_screen, Unset):
            screen = UNSET
        else:
            screen = BrowserSize.from_dict(_screen)

        _fingerprint = d.pop("fingerprint", UNSET)
        fingerprint: BrowserOptionFingerprint | Unset
        if isinstance(_fingerprint, Unset):
            fingerprint = UNSET
        else:
            fingerprint = BrowserOptionFingerprint.from_dict(_fingerprint)

        fingerprint_raw_data = d.pop("fingerprintRawData", UNSET)

        fingerprint_persist_path = d.pop("fingerprintPersistPath", UNSET)

        solve_captchas = d.pop("solveCaptchas", UNSET)

        auto_login = d.pop("autoLogin", UNSET)

        call_for_user = d.pop("callForUser", UNSET)

        _proxies = d.pop("proxies", UNSET)
        proxies: list[BrowserProxy] | Unset = UNSET
        if _proxies is not UNSET:
            proxies = []
            for proxies_item_data in _proxies:
                proxies_item = BrowserProxy.from_dict(proxies_item_data)

                proxies.append(proxies_item)

        extension_path = d.pop("extensionPath", UNSET)

        cmd_args = cast(list[str], d.pop("cmdArgs", UNSET))

        default_navigate_url = d.pop("defaultNavigateUrl", UNSET)

        _browser_type = d.pop("browserType", UNSET)
        browser_type: BrowserOptionBrowserType | Unset
        if isinstance(_browser_type, Unset):
            browser_type = UNSET
        else:
            browser_type = check_browser_option_browser_type(_browser_type)

        enable_record = d.pop("enableRecord", UNSET)

        browser_option = cls(
            behavior_simulate=behavior_simulate,
            use_stealth=use_stealth,
            user_agent=user_agent,
            viewport=viewport,
            screen=screen,
            fingerprint=fingerprint,
            fingerprint_raw_data=fingerprint_raw_data,
            fingerprint_persist_path=fingerprint_persist_path,
            solve_captchas=solve_captchas,
            auto_login=auto_login,
            call_for_user=call_for_user,
            proxies=proxies,
            extension_path=extension_path,
            cmd_args=cmd_args,
            default_navigate_url=default_navigate_url,
            browser_type=browser_type,
            enable_record=enable_record,
        )

        browser_option.additional_properties = d
        return browser_option

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
