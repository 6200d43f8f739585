from typing import Literal

BrowserProxyStrategy = Literal["matched", "polling", "restricted", "rotating", "sticky"]

BROWSER_PROXY_STRATEGY_VALUES: set[BrowserProxyStrategy] = {
    "matched",
    "polling",
    "restricted",
    "rotating",
    "sticky",
}


def check_browser_proxy_strategy(value: str) -> BrowserProxyStrategy:
    if value in BROWSER_PROXY_STRATEGY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BROWSER_PROXY_STRATEGY_VALUES!r}")
