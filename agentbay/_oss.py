"""The object storage tools without I/O (`session.oss`): result types, argument checks and the parsers of
their replies.

The tools run in the session: `oss_env_init` gives it credentials, and `oss_upload` / `oss_download`
move a session file to or from an OSS object with them; the `_annon` twins PUT or GET a URL (a signed
URL) without credentials. Every reply is a text (the cloud's holds ``Upload success`` / ``Download
success``), kept as the result's `content` (`client_config` for `env_init`).
"""

from __future__ import annotations

from typing import Any

import attrs

from ._exceptions import InvalidInputError
from ._types import ApiResult
from ._validate import check_non_empty
from ._wire import ToolOutput

__all__ = ["SECRET_ARGS", "OSSClientResult", "OSSDownloadResult", "OSSUploadResult"]

SECRET_ARGS = ("access_key_secret", "security_token")
"""The Args of `oss_env_init` that never appear in a repr, an error or a log."""


@attrs.frozen(kw_only=True)
class OSSClientResult(ApiResult):
    """The result of `env_init`."""

    client_config: str = ""
    """What the tool replied (e.g. ``Set oss config successfully``); "" on failure."""


@attrs.frozen(kw_only=True)
class OSSUploadResult(ApiResult):
    """The result of `upload` and `upload_anonymous`."""

    content: str = ""
    """What the tool replied (the cloud's holds ``Upload success``); "" on failure."""


@attrs.frozen(kw_only=True)
class OSSDownloadResult(ApiResult):
    """The result of `download` and `download_anonymous`."""

    content: str = ""
    """What the tool replied (the cloud's holds ``Download success``); "" on failure."""


# ---- arguments -----------------------------------------------------------------------------------


class ToolArgs(dict[str, Any]):
    """A tool's Args whose repr hides the secrets: a dict shown in a debugger, a log or a traceback's
    locals says ``'***'`` for them."""

    def __repr__(self) -> str:
        shown = {k: "***" if k in SECRET_ARGS and v is not None else v for k, v in self.items()}
        return repr(shown)


def _check_secret(value: object, name: str) -> str:
    """`value` if it is a non-empty str; the error names its type only, never the value."""
    if not isinstance(value, str):
        raise InvalidInputError(f"Expected a non-empty str for `{name}`, got a {type(value).__name__}")
    if not value.strip():
        raise InvalidInputError(f"Expected a non-empty str for `{name}`, got an empty one")
    return value


def _optional_str(value: object, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InvalidInputError(f"Expected a str or None for `{name}`, got {value!r}")
    return value


def env_init_args(
    access_key_id: object,
    access_key_secret: object,
    security_token: object,
    endpoint: object,
    region: object,
) -> ToolArgs:
    """`oss_env_init`'s Args as the official SDKs send them: `security_token` always (null when
    None or ""), `endpoint` and `region` only when not empty."""
    if security_token is not None and not isinstance(security_token, str):
        raise InvalidInputError(
            f"Expected a str or None for `security_token`, got a {type(security_token).__name__}"
        )
    args = ToolArgs(
        access_key_id=check_non_empty(access_key_id, "access_key_id"),
        access_key_secret=_check_secret(access_key_secret, "access_key_secret"),
        security_token=security_token or None,  # "" is no token, as None
    )
    for name, value in (("endpoint", endpoint), ("region", region)):
        if _optional_str(value, name):
            args[name] = value
    return args


def object_args(bucket: object, object_: object, path: object) -> dict[str, Any]:
    """`oss_upload` / `oss_download`'s Args."""
    return {
        "bucket": check_non_empty(bucket, "bucket"),
        "object": check_non_empty(object_, "object"),
        "path": check_non_empty(path, "path"),
    }


def url_args(url: object, path: object) -> dict[str, Any]:
    """`oss_upload_annon` / `oss_download_annon`'s Args."""
    return {"url": check_non_empty(url, "url"), "path": check_non_empty(path, "path")}


# ---- replies -------------------------------------------------------------------------------------


def client_result(output: ToolOutput) -> OSSClientResult:
    return OSSClientResult(request_id=output.request_id, client_config=output.text)


def upload_result(output: ToolOutput) -> OSSUploadResult:
    return OSSUploadResult(request_id=output.request_id, content=output.text)


def download_result(output: ToolOutput) -> OSSDownloadResult:
    return OSSDownloadResult(request_id=output.request_id, content=output.text)
