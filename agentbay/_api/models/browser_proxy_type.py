from typing import Literal

BrowserProxyType = Literal["custom", "managed", "wuying"]

BROWSER_PROXY_TYPE_VALUES: set[BrowserProxyType] = {
    "custom",
    "managed",
    "wuying",
}


def check_browser_proxy_type(value: str) -> BrowserProxyType:
    if value in BROWSER_PROXY_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BROWSER_PROXY_TYPE_VALUES!r}")
