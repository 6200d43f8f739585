from http import HTTPStatus
from typing import Any, Literal

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.describe_context_files_request import DescribeContextFilesRequest
from ...models.describe_context_files_response import DescribeContextFilesResponse
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: DescribeContextFilesRequest,
    action: Literal["DescribeContextFiles"] = "DescribeContextFiles",
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
        "url": "/#DescribeContextFiles",
        "params": params,
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DescribeContextFilesResponse | None:
    if response.status_code == 200:
        response_200 = DescribeContextFilesResponse.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DescribeContextFilesResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: DescribeContextFilesRequest,
    action: Literal["DescribeContextFiles"] = "DescribeContextFiles",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> Response[DescribeContextFilesResponse]:
    """List the files and folders of a context under a folder, a page at a time.

    Args:
        action (Literal['DescribeContextFiles']):  Default: 'DescribeContextFiles'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (DescribeContextFilesRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DescribeContextFilesResponse]
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
    body: DescribeContextFilesRequest,
    action: Literal["DescribeContextFiles"] = "DescribeContextFiles",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> DescribeContextFilesResponse | None:
    """List the files and folders of a context under a folder, a page at a time.

    Args:
        action (Literal['DescribeContextFiles']):  Default: 'DescribeContextFiles'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (DescribeContextFilesRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DescribeContextFilesResponse
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
    body: DescribeContextFilesRequest,
    action: Literal["DescribeContextFiles"] = "DescribeContextFiles",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> Response[DescribeContextFilesResponse]:
    """List the files and folders of a context under a folder, a page at a time.

    Args:
        action (Literal['DescribeContextFiles']):  Default: 'DescribeContextFiles'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (DescribeContextFilesRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DescribeContextFilesResponse]
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
    body: DescribeContextFilesRequest,
    action: Literal["DescribeContextFiles"] = "DescribeContextFiles",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> DescribeContextFilesResponse | None:
    """List the files and folders of a context under a folder, a page at a time.

    Args:
        action (Literal['DescribeContextFiles']):  Default: 'DescribeContextFiles'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (DescribeContextFilesRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DescribeContextFilesResponse
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
