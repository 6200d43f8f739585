from http import HTTPStatus
from typing import Any, Literal

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_cdp_link_response import GetCdpLinkResponse
from ...models.session_id_request import SessionIdRequest
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: SessionIdRequest,
    action: Literal["GetCdpLink"] = "GetCdpLink",
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
        "url": "/#GetCdpLink",
        "params": params,
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> GetCdpLinkResponse | None:
    if response.status_code == 200:
        response_200 = GetCdpLinkResponse.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[GetCdpLinkResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SessionIdRequest,
    action: Literal["GetCdpLink"] = "GetCdpLink",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> Response[GetCdpLinkResponse]:
    """The WebSocket URL of the session's browser DevTools endpoint (`session.browser.get_endpoint_url()`).

     [captured, 0.22.3] The URL a CDP client (Playwright's `chromium.connect_over_cdp`) connects to,
    e.g. `ws://host/.../devtools/browser/<id>`. 0.22.3 needs `Success: true` and `Data.Url`; the
    0.8/0.9 SDKs asked `GetLink` (no port) for the same URL instead.

    Args:
        action (Literal['GetCdpLink']):  Default: 'GetCdpLink'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (SessionIdRequest): A body that names one session.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetCdpLinkResponse]
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
    body: SessionIdRequest,
    action: Literal["GetCdpLink"] = "GetCdpLink",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> GetCdpLinkResponse | None:
    """The WebSocket URL of the session's browser DevTools endpoint (`session.browser.get_endpoint_url()`).

     [captured, 0.22.3] The URL a CDP client (Playwright's `chromium.connect_over_cdp`) connects to,
    e.g. `ws://host/.../devtools/browser/<id>`. 0.22.3 needs `Success: true` and `Data.Url`; the
    0.8/0.9 SDKs asked `GetLink` (no port) for the same URL instead.

    Args:
        action (Literal['GetCdpLink']):  Default: 'GetCdpLink'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (SessionIdRequest): A body that names one session.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetCdpLinkResponse
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
    body: SessionIdRequest,
    action: Literal["GetCdpLink"] = "GetCdpLink",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> Response[GetCdpLinkResponse]:
    """The WebSocket URL of the session's browser DevTools endpoint (`session.browser.get_endpoint_url()`).

     [captured, 0.22.3] The URL a CDP client (Playwright's `chromium.connect_over_cdp`) connects to,
    e.g. `ws://host/.../devtools/browser/<id>`. 0.22.3 needs `Success: true` and `Data.Url`; the
    0.8/0.9 SDKs asked `GetLink` (no port) for the same URL instead.

    Args:
        action (Literal['GetCdpLink']):  Default: 'GetCdpLink'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (SessionIdRequest): A body that names one session.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetCdpLinkResponse]
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
    body: SessionIdRequest,
    action: Literal["GetCdpLink"] = "GetCdpLink",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> GetCdpLinkResponse | None:
    """The WebSocket URL of the session's browser DevTools endpoint (`session.browser.get_endpoint_url()`).

     [captured, 0.22.3] The URL a CDP client (Playwright's `chromium.connect_over_cdp`) connects to,
    e.g. `ws://host/.../devtools/browser/<id>`. 0.22.3 needs `Success: true` and `Data.Url`; the
    0.8/0.9 SDKs asked `GetLink` (no port) for the same URL instead.

    Args:
        action (Literal['GetCdpLink']):  Default: 'GetCdpLink'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (SessionIdRequest): A body that names one session.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetCdpLinkResponse
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
