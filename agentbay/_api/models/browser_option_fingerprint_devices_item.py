from typing import Literal

BrowserOptionFingerprintDevicesItem = Literal["desktop", "mobile"]

BROWSER_OPTION_FINGERPRINT_DEVICES_ITEM_VALUES: set[BrowserOptionFingerprintDevicesItem] = {
    "desktop",
    "mobile",
}


def check_browser_option_fingerprint_devices_item(value: str) -> BrowserOptionFingerprintDevicesItem:
    if value in BROWSER_OPTION_FINGERPRINT_DEVICES_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BROWSER_OPTION_FINGERPRINT_DEVICES_ITEM_VALUES!r}")
