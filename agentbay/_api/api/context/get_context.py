from http import HTTPStatus
from typing import Any, Literal

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_context_request import GetContextRequest
from ...models.get_context_response import GetContextResponse
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: GetContextRequest,
    action: Literal["GetContext"] = "GetContext",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["Action"] = action

    params["Format"] = format_

    params["Version"] = version

    params["Timestamp"] = timestamp

    params["SignatureNonce"] = signature_nonce

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/#GetContext",
        "params": params,
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> GetContextResponse | None:
    if response.status_code == 200:
        response_200 = GetContextResponse.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[GetContextResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GetContextRequest,
    action: Literal["GetContext"] = "GetContext",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> Response[GetContextResponse]:
    """Get a context by name (creating it when `AllowCreate`) or by id.

     The context named `Name` (or, 0.22.3, the one with id `ContextId`). With `AllowCreate=True` a
    missing name is created: then not safe to repeat blindly (a retry after an unknown outcome is
    harmless for the same name, but the SDK treats it as a create). A missing context without
    `AllowCreate` fails (the local server: HTTP 400 `InvalidContext.NotFound`; the cloud's reply is
    [assumed] the same code, possibly inside an HTTP 200 `Success: false`).

    Args:
        action (Literal['GetContext']):  Default: 'GetContext'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (GetContextRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetContextResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        action=action,
        format_=format_,
        version=version,
        timestamp=timestamp,
        signature_nonce=signature_nonce,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: GetContextRequest,
    action: Literal["GetContext"] = "GetContext",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> GetContextResponse | None:
    """Get a context by name (creating it when `AllowCreate`) or by id.

     The context named `Name` (or, 0.22.3, the one with id `ContextId`). With `AllowCreate=True` a
    missing name is created: then not safe to repeat blindly (a retry after an unknown outcome is
    harmless for the same name, but the SDK treats it as a create). A missing context without
    `AllowCreate` fails (the local server: HTTP 400 `InvalidContext.NotFound`; the cloud's reply is
    [assumed] the same code, possibly inside an HTTP 200 `Success: false`).

    Args:
        action (Literal['GetContext']):  Default: 'GetContext'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (GetContextRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetContextResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        action=action,
        format_=format_,
        version=version,
        timestamp=timestamp,
        signature_nonce=signature_nonce,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GetContextRequest,
    action: Literal["GetContext"] = "GetContext",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> Response[GetContextResponse]:
    """Get a context by name (creating it when `AllowCreate`) or by id.

     The context named `Name` (or, 0.22.3, the one with id `ContextId`). With `AllowCreate=True` a
    missing name is created: then not safe to repeat blindly (a retry after an unknown outcome is
    harmless for the same name, but the SDK treats it as a create). A missing context without
    `AllowCreate` fails (the local server: HTTP 400 `InvalidContext.NotFound`; the cloud's reply is
    [assumed] the same code, possibly inside an HTTP 200 `Success: false`).

    Args:
        action (Literal['GetContext']):  Default: 'GetContext'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (GetContextRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetContextResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        action=action,
        format_=format_,
        version=version,
        timestamp=timestamp,
        signature_nonce=signature_nonce,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: GetContextRequest,
    action: Literal["GetContext"] = "GetContext",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> GetContextResponse | None:
    """Get a context by name (creating it when `AllowCreate`) or by id.

     The context named `Name` (or, 0.22.3, the one with id `ContextId`). With `AllowCreate=True` a
    missing name is created: then not safe to repeat blindly (a retry after an unknown outcome is
    harmless for the same name, but the SDK treats it as a create). A missing context without
    `AllowCreate` fails (the local server: HTTP 400 `InvalidContext.NotFound`; the cloud's reply is
    [assumed] the same code, possibly inside an HTTP 200 `Success: false`).

    Args:
        action (Literal['GetContext']):  Default: 'GetContext'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (GetContextRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetContextResponse
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
        )
    ).parsed
