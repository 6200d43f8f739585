from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="OssEnvInitArgs")


@_attrs_define
class OssEnvInitArgs:
    """`oss_env_init`: the OSS credentials (and endpoint) the session's `oss_*` tools use from now on; replies a text (e.g.
    `ok`, `Set oss config successfully`) that the SDKs keep as `client_config`. The secret and token never appear in a
    reply.

    """

    access_key_id: str
    """ The access key id (of STS temporary credentials, or any non-empty id on the local server). """
    access_key_secret: str
    """ The access key secret (on the local server, the API key of the session's owner). """
    security_token: None | str
    """ The STS security token; always sent, `null` when there is none. """
    endpoint: str | Unset = UNSET
    """ The OSS endpoint, e.g. `oss-cn-hangzhou.aliyuncs.com` or `http://127.0.0.1:PORT`; sent only when not empty
    (the service's default otherwise: on the local server, its own object store). """
    region: str | Unset = UNSET
    """ The OSS region, e.g. `cn-hangzhou`; sent only when not empty. """

    def to_dict(self) -> dict[str, Any]:
        access_key_id = self.access_key_id

        access_key_secret = self.access_key_secret

        security_token: None | str
        security_token = self.security_token

        endpoint = self.endpoint

        region = self.region

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "access_key_id": access_key_id,
                "access_key_secret": access_key_secret,
                "security_token": security_token,
            }
        )
        if endpoint is not UNSET:
            field_dict["endpoint"] = endpoint
        if region is not UNSET:
            field_dict["region"] = region

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        access_key_id = d.pop("access_key_id")

        access_key_secret = d.pop("access_key_secret")

        def _parse_security_token(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        security_token = _parse_security_token(d.pop("security_token"))

        endpoint = d.pop("endpoint", UNSET)

        region = d.pop("region", UNSET)

        oss_env_init_args = cls(
            access_key_id=access_key_id,
            access_key_secret=access_key_secret,
            security_token=security_token,
            endpoint=endpoint,
            region=region,
        )

        return oss_env_init_args
