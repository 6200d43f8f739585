from typing import Literal

BrowserOptionFingerprintOperatingSystemsItem = Literal["android", "ios", "linux", "macos", "windows"]

BROWSER_OPTION_FINGERPRINT_OPERATING_SYSTEMS_ITEM_VALUES: set[BrowserOptionFingerprintOperatingSystemsItem] = {
    "android",
    "ios",
    "linux",
    "macos",
    "windows",
}


def check_browser_option_fingerprint_operating_systems_item(value: str) -> BrowserOptionFingerprintOperatingSystemsItem:
    if value in BROWSER_OPTION_FINGERPRINT_OPERATING_SYSTEMS_ITEM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {BROWSER_OPTION_FINGERPRINT_OPERATING_SYSTEMS_ITEM_VALUES!r}"
    )
