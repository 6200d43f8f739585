"""OSS errors: `<Error><Code/><Message/><RequestId/><HostId/>...</Error>` with OSS's status codes.

oss2 maps (status, Code) to its exception classes (`oss2.exceptions.NoSuchKey`, ...), so both must be
OSS's. A reply to HEAD has no body: the same XML then travels base64-encoded in `x-oss-err`, as OSS
does, and oss2 reads it from there.
"""

from __future__ import annotations

from collections.abc import Mapping


class OssError(Exception):
    """A failure to reply with: HTTP `status`, OSS `code`, a human `message`, extra XML fields."""

    def __init__(self, status: int, code: str, message: str, extra: Mapping[str, str] | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.extra = dict(extra or {})


def no_such_bucket(bucket: str) -> OssError:
    return OssError(404, "NoSuchBucket", "The specified bucket does not exist.", {"BucketName": bucket})


def no_such_key(key: str) -> OssError:
    return OssError(404, "NoSuchKey", "The specified key does not exist.", {"Key": key})


def no_such_upload(upload_id: str) -> OssError:
    return OssError(
        404,
        "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
        {"UploadId": upload_id},
    )


def invalid_argument(message: str, name: str = "", value: str = "") -> OssError:
    extra = {"ArgumentName": name, "ArgumentValue": value} if name else {}
    return OssError(400, "InvalidArgument", message, extra)


def malformed_xml() -> OssError:
    return OssError(
        400,
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema.",
    )
