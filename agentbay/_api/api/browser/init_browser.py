from http import HTTPStatus
from typing import Any, Literal

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.init_browser_request import InitBrowserRequest
from ...models.init_browser_response import InitBrowserResponse
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: InitBrowserRequest,
    action: Literal["InitBrowser"] = "InitBrowser",
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
        "url": "/#InitBrowser",
        "params": params,
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> InitBrowserResponse | None:
    if response.status_code == 200:
        response_200 = InitBrowserResponse.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[InitBrowserResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: InitBrowserRequest,
    action: Literal["InitBrowser"] = "InitBrowser",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> Response[InitBrowserResponse]:
    """Start the session's browser (`session.browser.initialize(option)`).

     [captured, 0.8.0 / 0.9.0 / 0.22.3] Starts the browser of a `browser_latest` session with the
    options of `BrowserOption` and its profile (user data directory) at `PersistentPath`, and replies
    the port of its DevTools endpoint. A browser context (`CreateSessionParams(browser_context=...)`)
    is a context mounted at that same path, so the profile (cookies, local storage) persists. The
    SDKs take `Data.Port` not being null as success (`Success` is not read) and send nothing once a
    browser is initialized. Calling it again while the browser runs replies the same port.

    Args:
        action (Literal['InitBrowser']):  Default: 'InitBrowser'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (InitBrowserRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InitBrowserResponse]
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
    body: InitBrowserRequest,
    action: Literal["InitBrowser"] = "InitBrowser",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> InitBrowserResponse | None:
    """Start the session's browser (`session.browser.initialize(option)`).

     [captured, 0.8.0 / 0.9.0 / 0.22.3] Starts the browser of a `browser_latest` session with the
    options of `BrowserOption` and its profile (user data directory) at `PersistentPath`, and replies
    the port of its DevTools endpoint. A browser context (`CreateSessionParams(browser_context=...)`)
    is a context mounted at that same path, so the profile (cookies, local storage) persists. The
    SDKs take `Data.Port` not being null as success (`Success` is not read) and send nothing once a
    browser is initialized. Calling it again while the browser runs replies the same port.

    Args:
        action (Literal['InitBrowser']):  Default: 'InitBrowser'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (InitBrowserRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InitBrowserResponse
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
    body: InitBrowserRequest,
    action: Literal["InitBrowser"] = "InitBrowser",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> Response[InitBrowserResponse]:
    """Start the session's browser (`session.browser.initialize(option)`).

     [captured, 0.8.0 / 0.9.0 / 0.22.3] Starts the browser of a `browser_latest` session with the
    options of `BrowserOption` and its profile (user data directory) at `PersistentPath`, and replies
    the port of its DevTools endpoint. A browser context (`CreateSessionParams(browser_context=...)`)
    is a context mounted at that same path, so the profile (cookies, local storage) persists. The
    SDKs take `Data.Port` not being null as success (`Success` is not read) and send nothing once a
    browser is initialized. Calling it again while the browser runs replies the same port.

    Args:
        action (Literal['InitBrowser']):  Default: 'InitBrowser'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (InitBrowserRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InitBrowserResponse]
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
    body: InitBrowserRequest,
    action: Literal["InitBrowser"] = "InitBrowser",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> InitBrowserResponse | None:
    """Start the session's browser (`session.browser.initialize(option)`).

     [captured, 0.8.0 / 0.9.0 / 0.22.3] Starts the browser of a `browser_latest` session with the
    options of `BrowserOption` and its profile (user data directory) at `PersistentPath`, and replies
    the port of its DevTools endpoint. A browser context (`CreateSessionParams(browser_context=...)`)
    is a context mounted at that same path, so the profile (cookies, local storage) persists. The
    SDKs take `Data.Port` not being null as success (`Success` is not read) and send nothing once a
    browser is initialized. Calling it again while the browser runs replies the same port.

    Args:
        action (Literal['InitBrowser']):  Default: 'InitBrowser'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (InitBrowserRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InitBrowserResponse
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
