# Generated from agentbay/_async/_oss.py by scripts/unasync.py. Do not edit: edit the async source.
"""`Oss`: object storage from inside a session (`session.oss`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from .. import _oss as oss
from .._oss import OSSClientResult, OSSDownloadResult, OSSUploadResult
from .._types import ApiResult

if TYPE_CHECKING:
    from ._session import Session

__all__ = ["Oss"]

R = TypeVar("R", bound=ApiResult)


class Oss:
    """Moves files between the session and object storage (Alibaba Cloud OSS, or the local server's
    own store): `env_init` once with credentials, then `upload` / `download`; `upload_anonymous` /
    `download_anonymous` need no credentials (a signed URL).

    The secret and security token given to `env_init` never appear in a repr, an error or a log: the
    client scrubs them from every reply, as it does its API key.
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_id={self._session.session_id!r})"

    def env_init(
        self,
        access_key_id: str,
        access_key_secret: str,
        security_token: str | None = None,
        endpoint: str | None = None,
        region: str | None = None,
    ) -> OSSClientResult:
        """Give the session the credentials (and endpoint) that `upload` and `download` use.

        Args:
            access_key_id: The access key id (of STS temporary credentials, for the cloud; any
                non-empty id for the local server).
            access_key_secret: The access key secret (for the local server: its API key).
            security_token: The STS security token, if any.
            endpoint: The OSS endpoint, e.g. ``oss-cn-hangzhou.aliyuncs.com``; None: the service's
                default (the local server's own object store).
            region: The OSS region, e.g. ``cn-hangzhou``; None: the service's default.

        Returns:
            The tool's reply in `client_config`, or a failed result with the cause.
        """
        args = oss.env_init_args(access_key_id, access_key_secret, security_token, endpoint, region)
        # Learned before sending, so that an error reply quoting them is scrubbed too.
        for name in oss.SECRET_ARGS:
            if args[name]:
                self._session._transport.add_secret(args[name])
        return self._session._query(
            "oss_env_init", args, oss.client_result, OSSClientResult, status_text=True
        )

    def upload(self, bucket: str, object: str, path: str) -> OSSUploadResult:
        """Upload the session file `path` to the object `object` of `bucket` (after `env_init`)."""
        args = oss.object_args(bucket, object, path)
        return self._session._query(
            "oss_upload", args, oss.upload_result, OSSUploadResult, status_text=True
        )

    def upload_anonymous(self, url: str, path: str) -> OSSUploadResult:
        """Upload the session file `path` to `url` with an HTTP PUT (a signed URL, or a context's
        upload URL)."""
        args = oss.url_args(url, path)
        return self._session._query(
            "oss_upload_annon", args, oss.upload_result, OSSUploadResult, status_text=True
        )

    def download(self, bucket: str, object: str, path: str) -> OSSDownloadResult:
        """Download the object `object` of `bucket` to the session file `path` (after `env_init`)."""
        args = oss.object_args(bucket, object, path)
        return self._session._query(
            "oss_download", args, oss.download_result, OSSDownloadResult, status_text=True
        )

    def download_anonymous(self, url: str, path: str) -> OSSDownloadResult:
        """Download `url` (a signed URL, or a context's download URL) to the session file `path` with
        an HTTP GET."""
        args = oss.url_args(url, path)
        return self._session._query(
            "oss_download_annon", args, oss.download_result, OSSDownloadResult, status_text=True
        )
