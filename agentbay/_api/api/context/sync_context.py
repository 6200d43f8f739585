from http import HTTPStatus
from typing import Any, Literal

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.response_envelope import ResponseEnvelope
from ...models.sync_context_request import SyncContextRequest
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: SyncContextRequest,
    action: Literal["SyncContext"] = "SyncContext",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
    authorization: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["Action"] = action

    params["Format"] = format_

    params["Version"] = version

    params["Timestamp"] = timestamp

    params["SignatureNonce"] = signature_nonce

    params["Authorization"] = authorization

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/#SyncContext",
        "params": params,
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ResponseEnvelope | None:
    if response.status_code == 200:
        response_200 = ResponseEnvelope.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ResponseEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SyncContextRequest,
    action: Literal["SyncContext"] = "SyncContext",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
    authorization: str,
) -> Response[ResponseEnvelope]:
    """Start syncing a session's contexts with their stores (upload or download).

     Starts tasks and returns at once; `GetContextInfo` reports them. Unlike every other action, the
    API key travels in the **query** (`Authorization`, after `SignatureNonce`), not in the form: every
    official version captured (0.8.0, 0.9.0, 0.22.3) sends it so. Not safe to repeat blindly (a second
    sync may start while the first runs).

    Args:
        action (Literal['SyncContext']):  Default: 'SyncContext'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        authorization (str):
        body (SyncContextRequest): The SyncContext form; note there is no `Authorization` here (it
            travels in the query).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ResponseEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
        action=action,
        format_=format_,
        version=version,
        timestamp=timestamp,
        signature_nonce=signature_nonce,
        authorization=authorization,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: SyncContextRequest,
    action: Literal["SyncContext"] = "SyncContext",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
    authorization: str,
) -> ResponseEnvelope | None:
    """Start syncing a session's contexts with their stores (upload or download).

     Starts tasks and returns at once; `GetContextInfo` reports them. Unlike every other action, the
    API key travels in the **query** (`Authorization`, after `SignatureNonce`), not in the form: every
    official version captured (0.8.0, 0.9.0, 0.22.3) sends it so. Not safe to repeat blindly (a second
    sync may start while the first runs).

    Args:
        action (Literal['SyncContext']):  Default: 'SyncContext'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        authorization (str):
        body (SyncContextRequest): The SyncContext form; note there is no `Authorization` here (it
            travels in the query).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ResponseEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
        action=action,
        format_=format_,
        version=version,
        timestamp=timestamp,
        signature_nonce=signature_nonce,
        authorization=authorization,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SyncContextRequest,
    action: Literal["SyncContext"] = "SyncContext",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
    authorization: str,
) -> Response[ResponseEnvelope]:
    """Start syncing a session's contexts with their stores (upload or download).

     Starts tasks and returns at once; `GetContextInfo` reports them. Unlike every other action, the
    API key travels in the **query** (`Authorization`, after `SignatureNonce`), not in the form: every
    official version captured (0.8.0, 0.9.0, 0.22.3) sends it so. Not safe to repeat blindly (a second
    sync may start while the first runs).

    Args:
        action (Literal['SyncContext']):  Default: 'SyncContext'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        authorization (str):
        body (SyncContextRequest): The SyncContext form; note there is no `Authorization` here (it
            travels in the query).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ResponseEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
        action=action,
        format_=format_,
        version=version,
        timestamp=timestamp,
        signature_nonce=signature_nonce,
        authorization=authorization,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: SyncContextRequest,
    action: Literal["SyncContext"] = "SyncContext",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
    authorization: str,
) -> ResponseEnvelope | None:
    """Start syncing a session's contexts with their stores (upload or download).

     Starts tasks and returns at once; `GetContextInfo` reports them. Unlike every other action, the
    API key travels in the **query** (`Authorization`, after `SignatureNonce`), not in the form: every
    official version captured (0.8.0, 0.9.0, 0.22.3) sends it so. Not safe to repeat blindly (a second
    sync may start while the first runs).

    Args:
        action (Literal['SyncContext']):  Default: 'SyncContext'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        authorization (str):
        body (SyncContextRequest): The SyncContext form; note there is no `Authorization` here (it
            travels in the query).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ResponseEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            action=action,
            format_=format_,
            version=version,
            timestamp=timestamp,
            signature_nonce=signature_nonce,
            authorization=authorization,
        )
    ).parsed
