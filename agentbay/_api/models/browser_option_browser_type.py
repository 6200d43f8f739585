from typing import Literal

BrowserOptionBrowserType = Literal["chrome", "chromium"]

BROWSER_OPTION_BROWSER_TYPE_VALUES: set[BrowserOptionBrowserType] = {
    "chrome",
    "chromium",
}


def check_browser_option_browser_type(value: str) -> BrowserOptionBrowserType:
    if value in BROWSER_OPTION_BROWSER_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BROWSER_OPTION_BROWSER_TYPE_VALUES!r}")
