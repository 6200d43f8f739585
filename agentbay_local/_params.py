"""Parsing and checking of the form fields of a request.

Everything on the wire is a string (protocol.md section 2): bools are `True`/`False` (official SDK) or
`true`/`false` (ours), ints are decimal strings, maps are JSON strings. An empty string counts as
absent for optional fields, as POP services treat it. Every bad value raises an `ApiError` 400 that
names the field, so no malformed input can reach the store or a tool as the wrong type.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any

from ._errors import invalid_parameter, missing_parameter

Params = Mapping[str, str]

#: The images a local session can run. Anything else is refused at create time, never faked.
SUPPORTED_IMAGES = ("linux_latest", "code_latest", "browser_latest")
DEFAULT_IMAGE = "linux_latest"

_BOOLS = {"true": True, "false": False}
# Bounded before int() so a 10 000-digit number costs nothing and never hits Python's int limit.
_DECIMAL = re.compile(r"[0-9]{1,18}")


def optional(params: Params, name: str) -> str | None:
    """The field's value, or None when it is absent or empty."""
    value = params.get(name)
    return value if value else None


def given(params: Params, name: str) -> str | None:
    """The field's value, None when it is absent; `InvalidParameter.<name>` when it is sent empty (for
    filters, where an empty value would silently widen what the call touches)."""
    value = params.get(name)
    if value is None:
        return None
    if not value:
        raise invalid_parameter(name, f"{name} must not be empty; leave it out to mean all.")
    return value


def required(params: Params, name: str) -> str:
    """The field's value; `MissingParameter.<name>` when it is absent or empty."""
    value = params.get(name)
    if not value:
        raise missing_parameter(name)
    return value


def parse_bool(params: Params, name: str) -> bool | None:
    """`True`/`true`/`False`/`false` (any case), or None when absent."""
    value = optional(params, name)
    if value is None:
        return None
    parsed = _BOOLS.get(value.lower())
    if parsed is None:
        raise invalid_parameter(name, f"{name} must be true or false.")
    return parsed


def parse_int(params: Params, name: str, low: int, high: int | None = None) -> int | None:
    """A decimal integer in [low, high], or None when absent."""
    value = optional(params, name)
    if value is None:
        return None
    bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
    if not _DECIMAL.fullmatch(value):
        raise invalid_parameter(name, f"{name} must be a decimal integer {bounds}.")
    number = int(value)
    if number < low or (high is not None and number > high):
        raise invalid_parameter(name, f"{name} must be a decimal integer {bounds}.")
    return number


_TOKEN = re.compile(rb"after:([0-9]{1,18})")


def page_token(after_seq: int) -> str:
    """ListSession's NextToken for the page after the session numbered `after_seq`: opaque to
    callers (who only hand it back), so its form can change without breaking them."""
    return base64.urlsafe_b64encode(b"after:%d" % after_seq).decode("ascii").rstrip("=")


def parse_page_token(params: Params, name: str = "NextToken", *, action: str = "ListSession") -> int:
    """The row number a NextToken from `page_token` pages after; 0 (the start) when absent. `action`
    names the listing in the error."""
    value = optional(params, name)
    if value is None:
        return 0
    matched = None
    if value.isascii() and len(value) <= 64:
        try:
            matched = _TOKEN.fullmatch(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        except (binascii.Error, ValueError):
            matched = None
    # Only the exact text page_token makes (b64decode skips stray characters; "after:01" is not it).
    if matched is None or page_token(int(matched.group(1))) != value:
        raise invalid_parameter(name, f"{name} is not a token that {action} returned.")
    return int(matched.group(1))


def _json_object(name: str, value: str) -> dict[str, Any]:
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        # ValueError covers JSONDecodeError and json's own "too many digits" refusals.
        raise invalid_parameter(name, f"{name} must be a JSON object; it is not valid JSON.") from None
    if not isinstance(parsed, dict):
        raise invalid_parameter(name, f"{name} must be a JSON object, not {type(parsed).__name__}.")
    return parsed


def parse_labels(params: Params, name: str = "Labels", *, mandatory: bool = False) -> dict[str, str] | None:
    """A JSON object of non-empty string keys to string values, or None when absent."""
    value = required(params, name) if mandatory else optional(params, name)
    if value is None:
        return None
    labels = _json_object(name, value)
    for key, item in labels.items():
        if not key:
            raise invalid_parameter(name, f"{name} keys must not be empty.")
        if not isinstance(item, str):
            raise invalid_parameter(name, f"{name} values must be strings; {key!r} is {type(item).__name__}.")
        # SQLite's JSON functions, which filter ListSession, stop at NUL and reject unpaired
        # surrogates (JSON allows both): refuse them rather than store labels no filter can match.
        if not _clean_text(key) or not _clean_text(item):
            raise invalid_parameter(name, f"{name} must not contain NUL characters or unpaired surrogates.")
    return labels


def _clean_text(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_args(params: Params, name: str = "Args") -> dict[str, Any]:
    """The mandatory JSON object of a tool's arguments."""
    return _json_object(name, required(params, name))


#: Most items a PersistenceDataList may have (each one mounts a context in the session).
MAX_PERSISTENCE_ITEMS = 100
#: Longest context name accepted.
MAX_CONTEXT_NAME = 1024


def parse_context_name(params: Params, name: str = "Name") -> str | None:
    """A context name, or None when absent: at most MAX_CONTEXT_NAME characters, no NUL."""
    value = optional(params, name)
    if value is None:
        return None
    if len(value) > MAX_CONTEXT_NAME:
        raise invalid_parameter(name, f"{name} must be at most {MAX_CONTEXT_NAME} characters.")
    if "\x00" in value:
        raise invalid_parameter(name, f"{name} must not contain NUL characters.")
    return value


def check_image(image_id: str, name: str = "ImageId") -> str:
    """The image id if a local session can run it; else a clear `InvalidParameter.ImageId`."""
    if image_id not in SUPPORTED_IMAGES:
        shown = image_id if len(image_id) <= 100 else image_id[:100] + "..."
        raise invalid_parameter(
            name,
            f"Image {shown!r} cannot run on the local server; "
            f"supported images: {', '.join(SUPPORTED_IMAGES)}.",
        )
    return image_id
