"""OSS signature V4 (`OSS4-HMAC-SHA256`, oss2's `AuthV4`), in the `Authorization` header or in a
signed URL (`?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=...&x-oss-signature=...`).

    canonical request = VERB \\n URI \\n query \\n headers \\n additional header names \\n payload hash
    string to sign    = OSS4-HMAC-SHA256 \\n x-oss-date \\n scope \\n hex(SHA-256(canonical request))
    signing key       = HMAC-SHA256 chain of "aliyun_v4" + secret over date, region, product,
                        "aliyun_v4_request"

URI and query are percent-encoded byte by byte (unreserved characters kept; `/` kept in the URI);
every query parameter is signed but the signature; the headers signed are `x-oss-*`, Content-Type,
Content-MD5 and the additional ones named. Any region and product are accepted: they are part of the
scope the client signed with.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass

from ._errors import OssError

ALGORITHM = "OSS4-HMAC-SHA256"
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-~.")
_SIGNED_ALWAYS = (b"content-type", b"content-md5")


@dataclass(frozen=True, slots=True)
class Claim:
    """Who a request says signed it, its signature, and how to compute it with a candidate secret."""

    access_key_id: str
    signature: str
    compute: Callable[[str], str]
    string_to_sign: bytes


def _encode(text: str, keep_slash: bool) -> str:
    out = []
    for byte in text.encode("utf-8", "surrogateescape"):
        if byte in _UNRESERVED or (keep_slash and byte == 0x2F):
            out.append(chr(byte))
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def _parse_iso_basic(value: str) -> float:
    try:
        return float(calendar.timegm(time.strptime(value, "%Y%m%dT%H%M%SZ")))
    except ValueError:
        raise OssError(403, "AccessDenied", "x-oss-date must be in the form YYYYMMDDThhmmssZ.") from None


def claim(
    method: str,
    headers: list[tuple[bytes, bytes]],
    query: list[tuple[str, str]],
    bucket: str,
    key: str,
    authorization: str,
    now: float,
    max_skew_s: float,
) -> Claim:
    """The V4 claim of a request (header form when `authorization` is given, else the URL's)."""
    params = dict(query)
    if authorization:
        fields = dict(part.strip().partition("=")[::2] for part in authorization[len(ALGORITHM) :].split(","))
        credential, signature = fields.get("Credential", ""), fields.get("Signature", "")
        additional = fields.get("AdditionalHeaders", "")
        date_time = dict(headers).get(b"x-oss-date", b"").decode("latin-1")
        signed_query = query
        if abs(_parse_iso_basic(date_time) - now) > max_skew_s:
            raise OssError(
                403,
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.",
            )
    else:
        credential, signature = params.get("x-oss-credential", ""), params.get("x-oss-signature", "")
        additional = params.get("x-oss-additional-headers", "")
        date_time = params.get("x-oss-date", "")
        expires = params.get("x-oss-expires", "")
        if not expires.lstrip("-").isdigit():
            raise OssError(403, "AccessDenied", "A signed URL needs x-oss-expires (seconds).")
        if _parse_iso_basic(date_time) + int(expires) < now:
            raise OssError(403, "AccessDenied", "Request has expired.")
        signed_query = [(k, v) for k, v in query if k != "x-oss-signature"]
    access_key_id, _, scope = credential.partition("/")
    scope_parts = scope.split("/")
    if len(scope_parts) != 4 or scope_parts[3] != "aliyun_v4_request" or scope_parts[0] != date_time[:8]:
        raise OssError(
            400, "InvalidArgument", "The credential's scope is not date/region/product/aliyun_v4_request."
        )
    date, region, product, _ = scope_parts
    names = sorted(name for name in additional.lower().split(";") if name)
    wanted = {name.encode("latin-1") for name in names}
    canonical_headers = sorted(
        (k, v) for k, v in headers if k.startswith(b"x-oss-") or k in _SIGNED_ALWAYS or k in wanted
    )
    encoded_query = sorted((_encode(k, False), _encode(v, False)) for k, v in signed_query)
    uri = _encode(f"/{bucket}/{key}" if bucket else "/", True)
    payload = dict(headers).get(b"x-oss-content-sha256", b"UNSIGNED-PAYLOAD")
    canonical = b"\n".join(
        [
            method.encode("ascii"),
            uri.encode("ascii"),
            "&".join(f"{k}={v}" if v else k for k, v in encoded_query).encode("ascii"),
            b"".join(k + b":" + v + b"\n" for k, v in canonical_headers),
            ";".join(names).encode("latin-1"),
            payload,
        ]
    )
    to_sign = "\n".join([ALGORITHM, date_time, scope, hashlib.sha256(canonical).hexdigest()]).encode("utf-8")

    def compute(secret: str) -> str:
        signing_key = ("aliyun_v4" + secret).encode("utf-8")
        for part in (date, region, product, "aliyun_v4_request"):
            signing_key = hmac.digest(signing_key, part.encode("utf-8"), "sha256")
        return hmac.new(signing_key, to_sign, hashlib.sha256).hexdigest()

    return Claim(access_key_id, signature, compute, to_sign)
