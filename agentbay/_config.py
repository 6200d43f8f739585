"""Client configuration: arguments, then environment, then defaults; resolved once, at construction."""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

from . import _constants as C
from ._exceptions import InvalidInputError

__all__ = ["Config", "check_max_retries", "check_timeout", "resolve_config"]


@attrs.frozen(kw_only=True)
class Config:
    """The settings a client runs with. The API key is kept out of the repr."""

    api_key: str = attrs.field(repr=False)
    endpoint: str
    region_id: str
    timeout: float
    max_retries: int


def _normalise_endpoint(value: str, source: str) -> str:
    value = value.strip().rstrip("/")
    if "://" not in value:
        # Refused rather than guessed: "127.0.0.1:9000" would silently become https:// and fail to
        # connect to a local server, with an error far from the cause.
        raise InvalidInputError(
            f"{source} must be a full URL with its scheme, such as http://127.0.0.1:9000 or "
            f"https://agentbay.cn-hangzhou.aliyuncs.com; got {value!r}"
        )
    scheme, _, rest = value.partition("://")
    if scheme not in ("http", "https") or not rest:
        raise InvalidInputError(
            f"{source} must be an http(s) URL such as http://127.0.0.1:9000, got {value!r}"
        )
    return value


def _number(value: str, name: str, kind: type[float] | type[int]) -> float:
    try:
        number = kind(value)
    except ValueError:
        raise InvalidInputError(f"{name} must be a number, got {value!r}") from None
    if number < 0:
        raise InvalidInputError(f"{name} must not be negative, got {value!r}")
    return number


def check_timeout(timeout: object) -> float:
    """`timeout` as float seconds if it is a positive number, else InvalidInputError."""
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise InvalidInputError(f"timeout must be a positive number of seconds, got {timeout!r}")
    return float(timeout)


def check_max_retries(max_retries: object) -> int:
    """`max_retries` if it is an int >= 0, else InvalidInputError."""
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise InvalidInputError(f"max_retries must be an int >= 0, got {max_retries!r}")
    return max_retries


def resolve_config(
    *,
    api_key: str | None = None,
    endpoint: str | None = None,
    region_id: str | None = None,
    timeout: float | None = None,
    max_retries: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Resolve each setting: the argument, else its environment variable, else the default.

    The endpoint comes from, in order: `endpoint`, `region_id` (``agentbay.{region}.aliyuncs.com``),
    ``AGENTBAY_ENDPOINT`` (a full URL such as ``http://127.0.0.1:9000``), ``AGENTBAY_REGION_ID``, and
    finally ``https://agentbay.cn-hangzhou.aliyuncs.com``.

    Raises:
        InvalidInputError: No API key was given or found, or a setting is malformed.
    """
    env = os.environ if environ is None else environ
    key = api_key if api_key is not None else env.get(C.ENV_API_KEY, "")
    if not isinstance(key, str) or not key.strip():
        raise InvalidInputError(
            f"No AgentBay API key: pass AgentBay(api_key=...) or set the {C.ENV_API_KEY} environment variable"
        )
    if any(ch.isspace() for ch in key.strip()):
        raise InvalidInputError("The API key must not contain whitespace")

    env_region = env.get(C.ENV_REGION_ID, "").strip()
    region = region_id or env_region or C.DEFAULT_REGION_ID
    if endpoint:
        url = _normalise_endpoint(endpoint, "endpoint")
    elif region_id:
        url = C.ENDPOINT_TEMPLATE.format(region=region_id)
    elif env.get(C.ENV_ENDPOINT, "").strip():
        url = _normalise_endpoint(env[C.ENV_ENDPOINT], C.ENV_ENDPOINT)
    else:
        url = C.ENDPOINT_TEMPLATE.format(region=region)

    if timeout is None:
        env_timeout = env.get(C.ENV_TIMEOUT, "").strip()
        timeout = _number(env_timeout, C.ENV_TIMEOUT, float) if env_timeout else C.DEFAULT_TIMEOUT
    else:
        check_timeout(timeout)
    if max_retries is None:
        env_retries = env.get(C.ENV_MAX_RETRIES, "").strip()
        max_retries = (
            int(_number(env_retries, C.ENV_MAX_RETRIES, int)) if env_retries else C.DEFAULT_MAX_RETRIES
        )
    else:
        check_max_retries(max_retries)

    return Config(
        api_key=key.strip(), endpoint=url, region_id=region, timeout=float(timeout), max_retries=max_retries
    )
