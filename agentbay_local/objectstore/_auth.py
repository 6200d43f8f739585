"""Who signed a request: OSS signature V1 (here) or V4 (`_auth_v4`), in the `Authorization` header or
in a signed URL.

The string to sign is OSS's (and oss2's `ProviderAuth`):

    VERB \\n Content-MD5 \\n Content-Type \\n Date \\n CanonicalizedOSSHeaders CanonicalizedResource

with Date the `x-oss-date` header if any, else `Date` (in a signed URL: the `Expires` parameter); the
`x-oss-*` headers lower-cased, sorted, one `name:value\\n` each; the resource `/bucket/key` (or `/`
for the service) followed by the sub-resources OSS signs, sorted, `?a=1&b` (no `=` for an empty
value). Everything is compared as bytes: header values are signed as the client sent them.

An account is an API key of the server: the secret is the key, the access key id any non-empty
string. The key whose HMAC matches the signature owns the request; the last key to match an access
key id is tried first, so a server with many keys verifies a known client with one HMAC.
"""

from __future__ import annotations

import base64
import email.utils
import hmac
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import _auth_v4
from ._errors import OssError

#: The query parameters OSS includes in the canonicalized resource (oss2 2.19's list).
SUB_RESOURCES = frozenset(
    [
        "response-content-type",
        "response-content-language",
        "response-cache-control",
        "logging",
        "response-content-encoding",
        "acl",
        "uploadId",
        "uploads",
        "partNumber",
        "group",
        "link",
        "delete",
        "website",
        "location",
        "objectInfo",
        "objectMeta",
        "response-expires",
        "response-content-disposition",
        "cors",
        "lifecycle",
        "restore",
        "qos",
        "referer",
        "stat",
        "bucketInfo",
        "append",
        "position",
        "security-token",
        "live",
        "comp",
        "status",
        "vod",
        "startTime",
        "endTime",
        "x-oss-process",
        "symlink",
        "callback",
        "callback-var",
        "tagging",
        "encryption",
        "versions",
        "versioning",
        "versionId",
        "policy",
        "requestPayment",
        "x-oss-traffic-limit",
        "qosInfo",
        "asyncFetch",
        "x-oss-request-payer",
        "sequential",
        "inventory",
        "inventoryId",
        "continuation-token",
        "worm",
        "wormId",
        "wormExtend",
        "replication",
        "replicationLocation",
        "replicationProgress",
        "transferAcceleration",
        "cname",
        "metaQuery",
        "x-oss-ac-source-ip",
        "x-oss-ac-subnet-mask",
        "x-oss-ac-vpc-id",
        "x-oss-ac-forward-allow",
        "resourceGroup",
        "style",
        "styleName",
        "x-oss-async-process",
        "regionList",
        "x-oss-write-get-object-response",
        "bucketArchiveDirectRead",
        "httpsConfig",
        "redundancyTransition",
        "x-oss-target-redundancy-type",
        "x-oss-redundancy-transition-taskid",
        "accessPoint",
        "accessPointPolicy",
        "publicAccessBlock",
        "x-oss-access-point-name",
        "requesterQosInfo",
        "qosRequester",
        "resourcePoolInfo",
        "resourcePool",
        "resourcePoolBuckets",
    ]
)
#: How far a request's Date may be from the server's clock (OSS: 15 minutes).
MAX_SKEW_S = 15 * 60
_REMEMBERED_IDS = 1024


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """What the signature covers, as received."""

    method: str
    headers: Sequence[tuple[bytes, bytes]]  # raw, lower-case names
    query: Sequence[tuple[str, str]]  # decoded, in order
    bucket: str  # "" for the service
    key: str  # "" for a bucket

    def header(self, name: bytes) -> bytes:
        for key, value in self.headers:
            if key == name:
                return value
        return b""


def string_to_sign(request: SignedRequest, date: bytes) -> bytes:
    """The bytes whose HMAC-SHA1 (base64) is the signature."""
    oss_headers = sorted((k, v) for k, v in request.headers if k.startswith(b"x-oss-"))
    canonical_headers = b"".join(k + b":" + v + b"\n" for k, v in oss_headers)
    resource = f"/{request.bucket}/{request.key}" if request.bucket else "/"
    subs = sorted((k, v) for k, v in request.query if k in SUB_RESOURCES)
    if subs:
        resource += "?" + "&".join(f"{k}={v}" if v else k for k, v in subs)
    return b"\n".join(
        [
            request.method.encode("ascii"),
            request.header(b"content-md5"),
            request.header(b"content-type"),
            date,
            canonical_headers + resource.encode("utf-8", "surrogateescape"),
        ]
    )


def sign(secret: str, data: bytes) -> str:
    return base64.b64encode(hmac.digest(secret.encode("utf-8"), data, "sha1")).decode("ascii")


class Verifier:
    """Finds the account (the digest of the API key) that signed a request, or raises `OssError`."""

    def __init__(self, owners: Mapping[str, str]) -> None:
        """`owners`: API key -> the digest its buckets are stored under."""
        self._owners = dict(owners)
        self._last: OrderedDict[str, str] = OrderedDict()  # access key id -> the key that matched
        self._lock = threading.Lock()

    def owner(self, request: SignedRequest, now: float | None = None) -> str:
        now = time.time() if now is None else now
        params = dict(request.query)
        authorization = request.header(b"authorization").decode("latin-1")
        if authorization.startswith(_auth_v4.ALGORITHM) or (
            not authorization and params.get("x-oss-signature-version") == _auth_v4.ALGORITHM
        ):
            claim = _auth_v4.claim(
                request.method,
                list(request.headers),
                list(request.query),
                request.bucket,
                request.key,
                authorization,
                now,
                MAX_SKEW_S,
            )
        elif authorization:
            scheme, _, credential = authorization.partition(" ")
            if scheme != "OSS":
                raise OssError(
                    400,
                    "InvalidArgument",
                    "Only OSS signatures V1 (Authorization: OSS ...) and V4 (OSS4-HMAC-SHA256) are supported.",
                )
            access_key_id, _, signature = credential.strip().rpartition(":")
            date = request.header(b"x-oss-date") or request.header(b"date")
            _check_date(date, now)
            claim = _v1_claim(access_key_id, signature, string_to_sign(request, date))
        elif "OSSAccessKeyId" in params or "Signature" in params:
            expires = params.get("Expires", "")
            if not expires.isdigit():
                raise OssError(
                    403, "AccessDenied", "A signed URL needs Expires, OSSAccessKeyId and Signature."
                )
            if int(expires) < now:
                raise OssError(403, "AccessDenied", "Request has expired.")
            data = string_to_sign(request, expires.encode("ascii"))
            claim = _v1_claim(params.get("OSSAccessKeyId", ""), params.get("Signature", ""), data)
        else:
            raise OssError(
                403, "AccessDenied", "You have no right to access this object because of bucket acl."
            )
        if not claim.access_key_id or not claim.signature:
            raise OssError(
                403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records."
            )
        tokens = [
            request.header(b"x-oss-security-token"),
            params.get("security-token", "").encode("utf-8"),
            params.get("x-oss-security-token", "").encode("utf-8"),
        ]
        return self._match(claim, tokens)

    def _match(self, claim: _auth_v4.Claim, secrets: Sequence[bytes]) -> str:
        with self._lock:
            first = self._last.get(claim.access_key_id)
        candidates = [first] if first is not None else []
        candidates += [key for key in self._owners if key != first]
        wanted = claim.signature.encode("ascii", "replace")
        for key in candidates:
            if hmac.compare_digest(claim.compute(key).encode("ascii"), wanted):
                with self._lock:
                    self._last[claim.access_key_id] = key
                    self._last.move_to_end(claim.access_key_id)
                    while len(self._last) > _REMEMBERED_IDS:
                        self._last.popitem(last=False)
                return self._owners[key]
        # OSS puts the string it signed in the error, so a client can compare; never the signature,
        # and here not the security token either (it is a secret, and errors end up in logs).
        shown = claim.string_to_sign
        for token in secrets:
            if token:
                shown = shown.replace(token, b"***")
        raise OssError(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
            {"StringToSign": shown.decode("utf-8", "replace")},
        )


def _v1_claim(access_key_id: str, signature: str, data: bytes) -> _auth_v4.Claim:
    return _auth_v4.Claim(access_key_id, signature, lambda secret: sign(secret, data), data)


def _check_date(date: bytes, now: float) -> None:
    if not date:
        raise OssError(403, "AccessDenied", "The Date or x-oss-date header is required.")
    try:
        parsed = email.utils.parsedate_to_datetime(date.decode("latin-1")).timestamp()
    except (TypeError, ValueError, IndexError):
        raise OssError(403, "AccessDenied", "The Date header is not a valid HTTP date.") from None
    if abs(parsed - now) > MAX_SKEW_S:
        raise OssError(
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
        )
