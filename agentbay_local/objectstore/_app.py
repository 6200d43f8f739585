"""The HTTP side of the object store: OSS's REST API, path style (`/<bucket>/<key>`), one endpoint.

Every request is authenticated first (`_auth`), then routed by method, bucket, key and sub-resource
(`?uploads`, `?uploadId=`, `?delete`, `?bucketInfo`, ...). Every reply carries `x-oss-request-id`;
failures are OSS's XML errors (`_errors`). Nothing here logs a header or a query: the Authorization
header and a signed URL's Signature stay out of every log.

Bodies of objects and parts are streamed to a temp file a megabyte at a time (disk writes in a worker
thread, overlapping the receive), never held whole in memory; at most `MAX_IN_FLIGHT` are being
written at once (more: 503 SlowDown, nothing written). GET streams from the open file the same way.
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import hashlib
import logging
import os
import re
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from .._bodies import drained, file_chunks, free_bytes, receive_into
from . import _xml as x
from ._auth import SUB_RESOURCES, SignedRequest, Verifier
from ._errors import OssError, invalid_argument, malformed_xml
from ._storage import Bucket, ObjectInfo, Storage, TempFile

logger = logging.getLogger("agentbay_local")

#: OSS's largest PutObject / UploadPart body.
MAX_OBJECT_BYTES = 5 * 1024**3
#: OSS's smallest part, but for the last.
MIN_PART_BYTES = 100 * 1024
MAX_PART_NUMBER = 10_000
#: Bodies written at once; beyond, 503 SlowDown (OSS's answer to too many requests).
MAX_IN_FLIGHT = 64
#: Largest XML request body (CompleteMultipartUpload of 10,000 parts is ~1 MiB).
MAX_XML_BYTES = 4 * 1024 * 1024
#: The methods whose unwanted body is drained before an answer (`drained`).
_BODY_METHODS = ("PUT", "POST")
_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")
_META = "x-oss-meta-"
_RESPONSE_OVERRIDES = {
    "response-content-type": "Content-Type",
    "response-content-language": "Content-Language",
    "response-expires": "Expires",
    "response-cache-control": "Cache-Control",
    "response-content-disposition": "Content-Disposition",
    "response-content-encoding": "Content-Encoding",
}


@dataclass(slots=True)
class _Call:
    request: Request
    owner: str
    bucket: str
    key: str
    query: dict[str, str]


class ObjectStoreApp:
    """The endpoint over a `Storage` and the accounts (API key -> digest)."""

    def __init__(self, storage: Storage, owners: dict[str, str]) -> None:
        self.storage = storage
        self.verifier = Verifier(owners)
        self._in_flight = 0

    async def endpoint(self, request: Request) -> Response:
        request_id = uuid.uuid4().hex[:24].upper()
        try:
            call = await self._authenticate(request)
            response = await self._route(call)
        except OssError as error:
            response = await drained(
                request, _error_response(request, error, request_id), methods=_BODY_METHODS
            )
        except ClientDisconnect:
            response = _error_response(
                request, OssError(400, "IncompleteBody", "The client went away."), request_id
            )
        except Exception:
            logger.exception("object store: internal error in %s", request.method)  # no URL: it may be signed
            failure = OssError(500, "InternalError", "The local object store failed; see the server's log.")
            response = _error_response(request, failure, request_id)
        response.headers["x-oss-request-id"] = request_id
        return response

    async def _authenticate(self, request: Request) -> _Call:
        path = request.scope["path"]
        bucket, _, key = path.lstrip("/").partition("/")
        query = parse_qsl(request.scope["query_string"].decode("latin-1"), keep_blank_values=True)
        signed = SignedRequest(
            method=request.method,
            headers=[(name, value) for name, value in request.scope["headers"]],
            query=query,
            bucket=bucket,
            key=key,
        )
        owner = self.verifier.owner(signed)
        return _Call(request, owner, bucket, key, dict(query))

    async def _route(self, call: _Call) -> Response:
        method, q = call.request.method, call.query
        if not call.bucket:
            if method == "GET":
                return await self._list_buckets(call)
            raise _not_implemented()
        if not call.key:
            return await self._bucket_call(call, method, q)
        _check_key(call.key)
        bucket = await run_in_threadpool(self.storage.bucket, call.owner, call.bucket)
        if method == "PUT":
            if "uploadId" in q and "partNumber" in q:
                return await self._upload_part(call, bucket)
            if call.request.headers.get("x-oss-copy-source"):
                return await self._copy_object(call, bucket)
            _refuse_unknown(q)
            return await self._put_object(call, bucket)
        if method in ("GET", "HEAD"):
            if "uploadId" in q and method == "GET":
                return await self._list_parts(call, bucket)
            _refuse_unknown(q, allowed=set(_RESPONSE_OVERRIDES) | {"objectMeta"})
            return await self._get_object(call, bucket, head=method == "HEAD")
        if method == "DELETE":
            if "uploadId" in q:
                await run_in_threadpool(self.storage.upload, bucket, call.key, q["uploadId"])
                await run_in_threadpool(self.storage.end_upload, bucket, q["uploadId"])
                return _empty(204)
            _refuse_unknown(q)
            await run_in_threadpool(self.storage.delete, bucket, call.key)
            return _empty(204)
        if method == "POST":
            if "uploads" in q:
                return await self._initiate(call, bucket)
            if "uploadId" in q:
                return await self._complete(call, bucket)
        raise _not_implemented()

    # ---- service and buckets ---------------------------------------------------------------------

    async def _list_buckets(self, call: _Call) -> Response:
        prefix, marker = call.query.get("prefix", ""), call.query.get("marker", "")
        limit = _max_keys(call.query, "max-keys", 100, 1000)
        buckets = [
            b
            for b in await run_in_threadpool(self.storage.list_buckets, call.owner)
            if b.name.startswith(prefix) and b.name > marker
        ]
        page, truncated = buckets[:limit], len(buckets) > limit
        parts = [x.OWNER, "<Buckets>"]
        for b in page:
            parts += [
                "<Bucket>",
                x.element("CreationDate", x.iso8601(b.created_at)),
                x.element("ExtranetEndpoint", _host(call.request)),
                x.element("IntranetEndpoint", _host(call.request)),
                x.element("Location", x.REGION),
                x.element("Name", b.name),
                x.element("Region", x.REGION.removeprefix("oss-")),
                x.element("StorageClass", "Standard"),
                "</Bucket>",
            ]
        parts.append("</Buckets>")
        if truncated:
            parts += [x.element("IsTruncated", True), x.element("NextMarker", page[-1].name)]
        return _xml(x.document("ListAllMyBucketsResult", parts))

    async def _bucket_call(self, call: _Call, method: str, q: dict[str, str]) -> Response:
        if not _BUCKET_NAME.fullmatch(call.bucket):
            raise OssError(
                400, "InvalidBucketName", "The specified bucket is not valid.", {"BucketName": call.bucket}
            )
        if method == "PUT":
            _refuse_unknown(q)
            await _read_xml(call.request)  # CreateBucketConfiguration: storage class etc. do not apply
            await run_in_threadpool(self.storage.create_bucket, call.owner, call.bucket)
            return _empty(200)
        if method == "DELETE":
            _refuse_unknown(q)
            await run_in_threadpool(self.storage.delete_bucket, call.owner, call.bucket)
            return _empty(204)
        bucket = await run_in_threadpool(self.storage.bucket, call.owner, call.bucket)
        if method == "HEAD":
            return _empty(200)
        if method == "POST" and "delete" in q:
            return await self._delete_many(call, bucket)
        if method != "GET":
            raise _not_implemented()
        if "bucketInfo" in q:
            return await self._bucket_info(call, bucket)
        if "location" in q:
            return _xml(x.document("LocationConstraint", [x.text(x.REGION)]))
        if "acl" in q:
            grant = "<AccessControlList><Grant>private</Grant></AccessControlList>"
            return _xml(x.document("AccessControlPolicy", [x.OWNER, grant]))
        if "stat" in q:
            size, count = await run_in_threadpool(self.storage.usage, bucket.id)
            return _xml(
                x.document("BucketStat", [x.element("Storage", size), x.element("ObjectCount", count)])
            )
        _refuse_unknown(q, allowed=_LIST_PARAMS)
        return await self._list_objects(call, bucket)

    async def _bucket_info(self, call: _Call, bucket: Bucket) -> Response:
        parts = [
            "<Bucket>",
            x.element("AccessMonitor", "Disabled"),
            x.element("CreationDate", x.iso8601(bucket.created_at)),
            x.element("ExtranetEndpoint", _host(call.request)),
            x.element("IntranetEndpoint", _host(call.request)),
            x.element("Location", x.REGION),
            x.element("StorageClass", "Standard"),
            x.element("TransferAcceleration", "Disabled"),
            x.element("CrossRegionReplication", "Disabled"),
            x.element("DataRedundancyType", "LRS"),
            x.element("Name", bucket.name),
            x.OWNER,
            "<AccessControlList><Grant>private</Grant></AccessControlList>",
            "<ServerSideEncryptionRule><SSEAlgorithm>None</SSEAlgorithm></ServerSideEncryptionRule>",
            "</Bucket>",
        ]
        return _xml(x.document("BucketInfo", parts))

    async def _list_objects(self, call: _Call, bucket: Bucket) -> Response:
        q = call.query
        v2 = q.get("list-type") == "2"
        encode = q.get("encoding-type") == "url"
        if q.get("encoding-type", "url") not in ("", "url"):
            raise invalid_argument("encoding-type must be url.", "encoding-type", q["encoding-type"])
        prefix, delimiter = q.get("prefix", ""), q.get("delimiter", "")
        limit = _max_keys(q, "max-keys", 100, 1000)
        if v2:
            token = q.get("continuation-token", "")
            after = _decode_token(token) if token else q.get("start-after", "")
        else:
            after = q.get("marker", "")
        listing = await run_in_threadpool(self.storage.list_objects, bucket, prefix, after, delimiter, limit)

        def enc(value: str) -> str:
            return x.url_encoded(value, encode)

        parts = [x.element("Name", bucket.name), x.element("Prefix", enc(prefix))]
        if v2:
            if q.get("start-after"):
                parts.append(x.element("StartAfter", enc(q["start-after"])))
            if q.get("continuation-token"):
                parts.append(x.element("ContinuationToken", q["continuation-token"]))
            parts.append(x.element("KeyCount", len(listing.objects) + len(listing.prefixes)))
        else:
            parts.append(x.element("Marker", enc(after)))
        parts += [x.element("MaxKeys", limit), x.element("Delimiter", enc(delimiter))]
        if encode:
            parts.append(x.element("EncodingType", "url"))
        parts.append(x.element("IsTruncated", listing.truncated))
        if listing.truncated:
            if v2:
                parts.append(x.element("NextContinuationToken", _encode_token(listing.last)))
            else:
                parts.append(x.element("NextMarker", enc(listing.last)))
        fetch_owner = not v2 or q.get("fetch-owner") == "true"
        for obj in listing.objects:
            parts += [
                "<Contents>",
                x.element("Key", enc(obj.key)),
                x.element("LastModified", x.iso8601(obj.mtime)),
                x.element("ETag", f'"{obj.etag}"'),
                x.element("Type", obj.object_type),
                x.element("Size", obj.size),
                x.element("StorageClass", "Standard"),
                x.OWNER if fetch_owner else "",
                "</Contents>",
            ]
        for common in listing.prefixes:
            parts += ["<CommonPrefixes>", x.element("Prefix", enc(common)), "</CommonPrefixes>"]
        return _xml(x.document("ListBucketResult", parts))

    async def _delete_many(self, call: _Call, bucket: Bucket) -> Response:
        body = await _read_xml(call.request)
        digest = call.request.headers.get("content-md5")
        if digest is not None and not _md5_matches(digest, hashlib.md5(body, usedforsecurity=False).digest()):
            raise _invalid_digest()
        quiet, keys = x.parse_delete(body)
        for key in keys:
            _check_key(key)
        for key in keys:
            await run_in_threadpool(self.storage.delete, bucket, key)
        encode = call.query.get("encoding-type") == "url"
        parts = (
            []
            if quiet
            else [f"<Deleted>{x.element('Key', x.url_encoded(k, encode))}</Deleted>" for k in keys]
        )
        if encode:
            parts.append(x.element("EncodingType", "url"))
        return _xml(x.document("DeleteResult", parts))

    # ---- objects ---------------------------------------------------------------------------------

    async def _put_object(self, call: _Call, bucket: Bucket) -> Response:
        temp = await self._receive(call.request)
        try:
            info = await run_in_threadpool(
                self.storage.put_object,
                bucket,
                call.key,
                temp,
                content_type=_content_type(call.request),
                meta=_user_meta(call.request),
            )
        finally:
            await run_in_threadpool(temp.discard)
        return _written(info.etag, info.crc64, temp)

    async def _copy_object(self, call: _Call, bucket: Bucket) -> Response:
        source = unquote(call.request.headers["x-oss-copy-source"]).lstrip("/")
        source_bucket_name, _, source_key = source.partition("/")
        if not source_key:
            raise invalid_argument("x-oss-copy-source must be /bucket/key.", "x-oss-copy-source", source)
        await drained(call.request, _empty(200), methods=_BODY_METHODS)
        source_bucket = await run_in_threadpool(self.storage.bucket, call.owner, source_bucket_name)
        fd, info = await run_in_threadpool(self.storage.open, source_bucket, source_key)
        try:
            temp = await self._in_flight_temp(lambda: self.storage.copy_to_temp(fd, info.size))
        finally:
            os.close(fd)
        replace = call.request.headers.get("x-oss-metadata-directive", "COPY").upper() == "REPLACE"
        try:
            copied = await run_in_threadpool(
                self.storage.put_object,
                bucket,
                call.key,
                temp,
                content_type=_content_type(call.request) if replace else info.content_type,
                meta=_user_meta(call.request) if replace else info.meta,
                etag=info.etag,
                object_type=info.object_type,
            )
        finally:
            await run_in_threadpool(temp.discard)
        parts = [x.element("LastModified", x.iso8601(copied.mtime)), x.element("ETag", f'"{copied.etag}"')]
        headers = {"ETag": f'"{copied.etag}"'}
        if copied.crc64 is not None:
            headers["x-oss-hash-crc64ecma"] = copied.crc64
        return _xml(x.document("CopyObjectResult", parts), headers=headers)

    async def _get_object(self, call: _Call, bucket: Bucket, *, head: bool) -> Response:
        fd, info = await run_in_threadpool(self.storage.open, bucket, call.key)
        try:
            headers = _object_headers(info)
            if "objectMeta" in call.query:  # GetObjectMeta: the basics only
                headers = {
                    k: v for k, v in headers.items() if k in ("ETag", "Last-Modified", "Content-Length")
                }
            for name, header in _RESPONSE_OVERRIDES.items():
                if call.query.get(name):
                    headers[header] = call.query[name]
            if _not_modified(call.request, info):
                os.close(fd)
                return _empty(304, {"ETag": headers["ETag"], "Last-Modified": headers["Last-Modified"]})
            start, end = 0, info.size
            status = 200
            wanted = _range(call.request.headers.get("range"), info.size)
            if isinstance(wanted, str):  # unsatisfiable
                if call.request.headers.get("x-oss-range-behavior", "").lower() == "standard":
                    raise OssError(
                        416,
                        "InvalidRange",
                        "The requested range cannot be satisfied.",
                        {"RangeRequested": call.request.headers.get("range", "")},
                    )
            elif wanted is not None:
                start, end = wanted
                status = 206
                headers["Content-Range"] = f"bytes {start}-{end - 1}/{info.size}"
            headers["Content-Length"] = str(end - start)
        except BaseException:
            os.close(fd)
            raise
        if head:
            os.close(fd)
            return Response(status_code=status, headers=headers)
        return StreamingResponse(file_chunks(fd, start, end), status_code=status, headers=headers)

    # ---- multipart -------------------------------------------------------------------------------

    async def _initiate(self, call: _Call, bucket: Bucket) -> Response:
        await drained(call.request, _empty(200), methods=_BODY_METHODS)
        upload_id = await run_in_threadpool(
            self.storage.create_upload,
            bucket,
            call.key,
            _content_type(call.request),
            _user_meta(call.request),
        )
        parts = [
            x.element("Bucket", bucket.name),
            x.element("Key", call.key),
            x.element("UploadId", upload_id),
        ]
        return _xml(x.document("InitiateMultipartUploadResult", parts))

    async def _upload_part(self, call: _Call, bucket: Bucket) -> Response:
        number_text = call.query["partNumber"]
        if not number_text.isdigit() or not 1 <= int(number_text) <= MAX_PART_NUMBER:
            raise invalid_argument(
                f"Part number must be an integer between 1 and {MAX_PART_NUMBER}.", "partNumber", number_text
            )
        upload = await run_in_threadpool(self.storage.upload, bucket, call.key, call.query["uploadId"])
        temp = await self._receive(call.request)
        try:
            part = await run_in_threadpool(self.storage.put_part, bucket, upload, int(number_text), temp)
        finally:
            await run_in_threadpool(temp.discard)
        return _written(part.etag, part.crc64, temp)

    async def _list_parts(self, call: _Call, bucket: Bucket) -> Response:
        upload_id = call.query["uploadId"]
        await run_in_threadpool(self.storage.upload, bucket, call.key, upload_id)
        marker_text = call.query.get("part-number-marker", "") or "0"
        if not marker_text.isdigit():
            raise invalid_argument(
                "part-number-marker must be an integer.", "part-number-marker", marker_text
            )
        limit = _max_keys(call.query, "max-parts", 1000, 1000)
        parts = await run_in_threadpool(self.storage.parts, upload_id, int(marker_text), limit + 1)
        page, truncated = parts[:limit], len(parts) > limit
        body = [
            x.element("Bucket", bucket.name),
            x.element("Key", call.key),
            x.element("UploadId", upload_id),
            x.element("PartNumberMarker", int(marker_text)),
            x.element("NextPartNumberMarker", page[-1].number if page else 0),
            x.element("MaxParts", limit),
            x.element("IsTruncated", truncated),
        ]
        for part in page:
            body += [
                "<Part>",
                x.element("PartNumber", part.number),
                x.element("LastModified", x.iso8601(part.mtime)),
                x.element("ETag", f'"{part.etag}"'),
                x.element("Size", part.size),
                "</Part>",
            ]
        return _xml(x.document("ListPartsResult", body))

    async def _complete(self, call: _Call, bucket: Bucket) -> Response:
        upload_id = call.query["uploadId"]
        body = await _read_xml(call.request)
        upload = await run_in_threadpool(self.storage.upload, bucket, call.key, upload_id)
        stored = {part.number: part for part in await run_in_threadpool(self.storage.parts, upload_id)}
        if not body and call.request.headers.get("x-oss-complete-all", "").lower() == "yes":
            wanted = [(number, part.etag) for number, part in sorted(stored.items())]
        else:
            wanted = x.parse_complete(body)
        if not wanted:
            raise malformed_xml()
        numbers = [number for number, _ in wanted]
        if numbers != sorted(set(numbers)):
            raise OssError(
                400,
                "InvalidPartOrder",
                "The list of parts was not in ascending order. Parts must be ordered by part number.",
            )
        chosen = []
        for number, etag in wanted:
            part = stored.get(number)
            if part is None or part.etag.upper() != etag.upper():
                raise OssError(
                    400,
                    "InvalidPart",
                    "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
                    {"PartNumber": str(number), "ETag": etag},
                )
            chosen.append(part)
        for part in chosen[:-1]:
            if part.size < MIN_PART_BYTES:
                raise OssError(
                    400,
                    "EntityTooSmall",
                    "Your proposed upload is smaller than the minimum allowed object size.",
                    {"PartNumber": str(part.number)},
                )
        temp = await self._in_flight_temp(lambda: self.storage.assemble(bucket, chosen))
        # OSS's multipart ETag: the MD5 of the parts' MD5s, then "-" and the number of parts.
        md5s = b"".join(bytes.fromhex(part.etag) for part in chosen)
        etag = f"{hashlib.md5(md5s, usedforsecurity=False).hexdigest().upper()}-{len(chosen)}"
        try:
            info = await run_in_threadpool(
                self.storage.put_object,
                bucket,
                call.key,
                temp,
                content_type=upload.content_type,
                meta=upload.meta,
                etag=etag,
                object_type="Multipart",
            )
        finally:
            await run_in_threadpool(temp.discard)
        await run_in_threadpool(self.storage.end_upload, bucket, upload_id)
        location = f"{_base_url(call.request)}/{bucket.name}/{call.key}"
        parts = [
            x.element("Location", location),
            x.element("Bucket", bucket.name),
            x.element("Key", call.key),
        ]
        parts.append(x.element("ETag", f'"{info.etag}"'))
        headers = {"ETag": f'"{info.etag}"'}
        if info.crc64 is not None:
            headers["x-oss-hash-crc64ecma"] = info.crc64
        return _xml(x.document("CompleteMultipartUploadResult", parts), headers=headers)

    # ---- bodies ----------------------------------------------------------------------------------

    async def _in_flight_temp(self, make: Callable[[], TempFile]) -> TempFile:
        """A temp file made by `make` in a worker thread, counted against MAX_IN_FLIGHT."""
        self._take_slot()
        try:
            return await run_in_threadpool(make)
        finally:
            self._in_flight -= 1

    def _take_slot(self) -> None:
        if self._in_flight >= MAX_IN_FLIGHT:
            raise OssError(503, "SlowDown", "Too many uploads at once; retry in a moment.")
        self._in_flight += 1

    async def _receive(self, request: Request) -> TempFile:
        """The body, streamed into a temp file and checked (length, Content-MD5)."""
        declared = request.headers.get("content-length")
        if declared is not None and not (declared.isascii() and declared.isdigit()):
            raise invalid_argument("Content-Length must be a decimal number.", "Content-Length", declared)
        length = int(declared) if declared is not None else None
        if length is not None and length > MAX_OBJECT_BYTES:
            raise _too_large()
        if length is not None and length > free_bytes(self.storage.tmp_dir):
            raise OssError(
                507, "InsufficientStorage", "The object is larger than the free space on the server's disk."
            )
        self._take_slot()
        try:
            temp = await run_in_threadpool(self.storage.new_temp)
            try:
                await receive_into(request.stream(), temp.write, limit=MAX_OBJECT_BYTES, too_large=_too_large)
                if length is not None and temp.size != length:
                    raise OssError(
                        400,
                        "IncompleteBody",
                        f"The body has {temp.size} bytes, not the {length} of its Content-Length.",
                    )
                digest = request.headers.get("content-md5")
                if digest is not None and not _md5_matches(digest, temp.md5.digest()):
                    raise _invalid_digest()
            except BaseException:
                await run_in_threadpool(temp.discard)
                raise
        finally:
            self._in_flight -= 1
        return temp


def _too_large() -> OssError:
    return OssError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.")


_LIST_PARAMS = {
    "prefix",
    "delimiter",
    "marker",
    "max-keys",
    "encoding-type",
    "list-type",
    "continuation-token",
    "start-after",
    "fetch-owner",
}


def _refuse_unknown(query: dict[str, str], allowed: set[str] | frozenset[str] = frozenset()) -> None:
    """A sub-resource this store does not implement (acl, tagging, ...) is refused rather than taken
    for a plain request: a PUT ?acl must not overwrite the object with its body."""
    for name in query:
        if name in SUB_RESOURCES and name not in allowed and name != "security-token":
            raise _not_implemented()


def _not_implemented() -> OssError:
    return OssError(501, "NotImplemented", "This operation is not supported by the local object store.")


def _invalid_digest() -> OssError:
    return OssError(400, "InvalidDigest", "The Content-MD5 you specified was invalid.")


def _md5_matches(header: str, digest: bytes) -> bool:
    try:
        return base64.b64decode(header, validate=True) == digest
    except (binascii.Error, ValueError):
        return False


def _check_key(key: str) -> None:
    if len(key.encode("utf-8", "surrogateescape")) > 1023 or key.startswith(("/", "\\")):
        raise OssError(
            400, "InvalidObjectName", "The specified object name is not valid.", {"ObjectName": key[:100]}
        )


def _max_keys(query: dict[str, str], name: str, default: int, most: int) -> int:
    value = query.get(name, "")
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= most:
        raise invalid_argument(f"{name} must be an integer between 1 and {most}.", name, value)
    return int(value)


def _encode_token(last: str) -> str:
    return base64.urlsafe_b64encode(last.encode("utf-8", "surrogateescape")).decode("ascii")


def _decode_token(token: str) -> str:
    try:
        return base64.urlsafe_b64decode(token.encode("ascii")).decode("utf-8", "surrogateescape")
    except (binascii.Error, ValueError):
        raise invalid_argument("The continuation token is not valid.", "continuation-token", token) from None


def _range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """A single `bytes=a-b` range as [start, end); None for the whole object (no header, a malformed
    one, several ranges: OSS sends the whole object then); "unsatisfiable" when it starts past the end."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first, sep, last = header[len("bytes=") :].strip().partition("-")
    if (
        not sep
        or not (first.isdigit() or last.isdigit())
        or (first and not first.isdigit())
        or (last and not last.isdigit())
    ):
        return None
    if not first:  # the last N bytes
        count = int(last)
        if count == 0:
            return "unsatisfiable"
        return max(0, size - count), size
    start = int(first)
    end = min(int(last) + 1, size) if last else size
    if last and int(last) < start:
        return None
    if start >= size:
        return "unsatisfiable"
    return start, end


def _not_modified(request: Request, info: ObjectInfo) -> bool:
    """OSS's conditional GET: If-Match / If-Unmodified-Since that fail are 412 PreconditionFailed
    (resumable_download sends If-Match so that a replaced object is not stitched to the old one);
    If-None-Match / If-Modified-Since that hold are 304 (True)."""
    mtime = int(info.mtime)  # Last-Modified has whole seconds
    if_match, if_none_match = request.headers.get("if-match"), request.headers.get("if-none-match")
    if if_match is not None and if_match.strip().strip('"').upper() != info.etag.upper():
        raise OssError(
            412,
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold.",
            {"Condition": "If-Match"},
        )
    unmodified = _http_date(request.headers.get("if-unmodified-since"))
    if unmodified is not None and mtime > unmodified:
        raise OssError(
            412,
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold.",
            {"Condition": "If-Unmodified-Since"},
        )
    if if_none_match is not None:
        return if_none_match.strip().strip('"').upper() == info.etag.upper()
    modified = _http_date(request.headers.get("if-modified-since"))
    return modified is not None and mtime <= modified


def _http_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None  # an unreadable date is no condition, as HTTP says


def _content_type(request: Request) -> str:
    return request.headers.get("content-type") or "application/octet-stream"


def _user_meta(request: Request) -> dict[str, str]:
    # Header values as sent (bytes in latin-1): they go back exactly so.
    return {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in request.scope["headers"]
        if name.startswith(_META.encode())
    }


def _object_headers(info: ObjectInfo) -> dict[str, str]:
    headers = {
        "Content-Type": info.content_type,
        "ETag": f'"{info.etag}"',
        "Last-Modified": email.utils.formatdate(info.mtime, usegmt=True),
        "Accept-Ranges": "bytes",
        "x-oss-object-type": info.object_type,
        "x-oss-storage-class": "Standard",
    }
    if info.crc64 is not None:
        headers["x-oss-hash-crc64ecma"] = info.crc64
    headers.update(info.meta)
    return headers


def _written(etag: str, crc64: str | None, temp: TempFile) -> Response:
    headers = {"ETag": f'"{etag}"', "Content-MD5": base64.b64encode(temp.md5.digest()).decode("ascii")}
    if crc64 is not None:
        headers["x-oss-hash-crc64ecma"] = crc64
    return _empty(200, headers)


def _empty(status: int, headers: dict[str, str] | None = None) -> Response:
    # Content-Length: 0 even on a 204, as OSS: oss2 reads (and so frees the connection of) a reply
    # only when it says it has no body.
    return Response(b"", status, {"Content-Length": "0", **(headers or {})})


def _xml(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status, headers, media_type="application/xml")


def _host(request: Request) -> str:
    server = request.scope.get("server")
    return f"{server[0]}:{server[1]}" if server else "127.0.0.1"


def _base_url(request: Request) -> str:
    return f"http://{_host(request)}"


async def _read_xml(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_XML_BYTES:
            raise OssError(400, "EntityTooLarge", f"The XML body exceeds {MAX_XML_BYTES} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _error_response(request: Request, error: OssError, request_id: str) -> Response:
    server = request.scope.get("server")
    host = str(server[0]) if server else "127.0.0.1"
    body = x.error(error.code, error.message, request_id, host, error.extra)
    if request.method == "HEAD":  # no body: OSS sends the error in a header, and oss2 reads it there
        return Response(b"", error.status, {"x-oss-err": base64.b64encode(body).decode("ascii")})
    return _xml(body, error.status)


def build_app(storage: Storage, owners: dict[str, str]) -> Starlette:
    """The store's ASGI app: every path and method reaches one endpoint. Its shutdown closes the
    storage."""
    app = ObjectStoreApp(storage, owners)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await run_in_threadpool(storage.close)

    methods = ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "PATCH"]
    routes = [Route("/", app.endpoint, methods=methods), Route("/{path:path}", app.endpoint, methods=methods)]
    starlette = Starlette(routes=routes, lifespan=lifespan)
    starlette.state.objectstore = app
    return starlette


__all__ = ["MAX_IN_FLIGHT", "ObjectStoreApp", "build_app"]
