from http import HTTPStatus
from typing import Any, Literal

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_and_load_internal_context_request import (
    GetAndLoadInternalContextRequest,
)
from ...models.get_and_load_internal_context_response import (
    GetAndLoadInternalContextResponse,
)
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: GetAndLoadInternalContextRequest,
    action: Literal["GetAndLoadInternalContext"] = "GetAndLoadInternalContext",
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
        "url": "/#GetAndLoadInternalContext",
        "params": params,
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GetAndLoadInternalContextResponse | None:
    if response.status_code == 200:
        response_200 = GetAndLoadInternalContextResponse.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[GetAndLoadInternalContextResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GetAndLoadInternalContextRequest,
    action: Literal["GetAndLoadInternalContext"] = "GetAndLoadInternalContext",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> Response[GetAndLoadInternalContextResponse]:
    """The session's internal contexts (its file-transfer context), made and mounted on first use.

     [read from 0.22.3, captured locally] 0.22.3's `file_system.upload_file`/`download_file` call it
    once per session to find the context that carries transfers: `ContextTypes.1=file_transfer`
    (darabonba flattens the list `ContextTypes=["file_transfer"]` into `ContextTypes.1`, `.2`, ...).
    The reply's `Data` lists one item per context; the client takes the first with a `ContextId` and a
    `ContextPath` (the sandbox folder where the context is mounted). A file goes up by
    `GetContextFileUploadUrl(ContextId, FilePath=<sandbox path>)`, `PUT`, then
    `SyncContext(Mode=download, Path=<sandbox path>)`; down by `SyncContext(Mode=upload, Path=...)`,
    then `GetContextFileDownloadUrl` and `GET`; `GetContextInfo` reports the sync tasks. Safe to
    repeat: the same session always gets the same context.

    Args:
        action (Literal['GetAndLoadInternalContext']):  Default: 'GetAndLoadInternalContext'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (GetAndLoadInternalContextRequest): The GetAndLoadInternalContext form (0.22.3 sends
            `Authorization`, `ContextTypes.1`, `SessionId`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetAndLoadInternalContextResponse]
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
    body: GetAndLoadInternalContextRequest,
    action: Literal["GetAndLoadInternalContext"] = "GetAndLoadInternalContext",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> GetAndLoadInternalContextResponse | None:
    """The session's internal contexts (its file-transfer context), made and mounted on first use.

     [read from 0.22.3, captured locally] 0.22.3's `file_system.upload_file`/`download_file` call it
    once per session to find the context that carries transfers: `ContextTypes.1=file_transfer`
    (darabonba flattens the list `ContextTypes=["file_transfer"]` into `ContextTypes.1`, `.2`, ...).
    The reply's `Data` lists one item per context; the client takes the first with a `ContextId` and a
    `ContextPath` (the sandbox folder where the context is mounted). A file goes up by
    `GetContextFileUploadUrl(ContextId, FilePath=<sandbox path>)`, `PUT`, then
    `SyncContext(Mode=download, Path=<sandbox path>)`; down by `SyncContext(Mode=upload, Path=...)`,
    then `GetContextFileDownloadUrl` and `GET`; `GetContextInfo` reports the sync tasks. Safe to
    repeat: the same session always gets the same context.

    Args:
        action (Literal['GetAndLoadInternalContext']):  Default: 'GetAndLoadInternalContext'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (GetAndLoadInternalContextRequest): The GetAndLoadInternalContext form (0.22.3 sends
            `Authorization`, `ContextTypes.1`, `SessionId`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetAndLoadInternalContextResponse
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
    body: GetAndLoadInternalContextRequest,
    action: Literal["GetAndLoadInternalContext"] = "GetAndLoadInternalContext",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> Response[GetAndLoadInternalContextResponse]:
    """The session's internal contexts (its file-transfer context), made and mounted on first use.

     [read from 0.22.3, captured locally] 0.22.3's `file_system.upload_file`/`download_file` call it
    once per session to find the context that carries transfers: `ContextTypes.1=file_transfer`
    (darabonba flattens the list `ContextTypes=["file_transfer"]` into `ContextTypes.1`, `.2`, ...).
    The reply's `Data` lists one item per context; the client takes the first with a `ContextId` and a
    `ContextPath` (the sandbox folder where the context is mounted). A file goes up by
    `GetContextFileUploadUrl(ContextId, FilePath=<sandbox path>)`, `PUT`, then
    `SyncContext(Mode=download, Path=<sandbox path>)`; down by `SyncContext(Mode=upload, Path=...)`,
    then `GetContextFileDownloadUrl` and `GET`; `GetContextInfo` reports the sync tasks. Safe to
    repeat: the same session always gets the same context.

    Args:
        action (Literal['GetAndLoadInternalContext']):  Default: 'GetAndLoadInternalContext'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (GetAndLoadInternalContextRequest): The GetAndLoadInternalContext form (0.22.3 sends
            `Authorization`, `ContextTypes.1`, `SessionId`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetAndLoadInternalContextResponse]
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
    body: GetAndLoadInternalContextRequest,
    action: Literal["GetAndLoadInternalContext"] = "GetAndLoadInternalContext",
    format_: Literal["json"] = "json",
    version: Literal["2025-05-06"] = "2025-05-06",
    timestamp: str,
    signature_nonce: str,
) -> GetAndLoadInternalContextResponse | None:
    """The session's internal contexts (its file-transfer context), made and mounted on first use.

     [read from 0.22.3, captured locally] 0.22.3's `file_system.upload_file`/`download_file` call it
    once per session to find the context that carries transfers: `ContextTypes.1=file_transfer`
    (darabonba flattens the list `ContextTypes=["file_transfer"]` into `ContextTypes.1`, `.2`, ...).
    The reply's `Data` lists one item per context; the client takes the first with a `ContextId` and a
    `ContextPath` (the sandbox folder where the context is mounted). A file goes up by
    `GetContextFileUploadUrl(ContextId, FilePath=<sandbox path>)`, `PUT`, then
    `SyncContext(Mode=download, Path=<sandbox path>)`; down by `SyncContext(Mode=upload, Path=...)`,
    then `GetContextFileDownloadUrl` and `GET`; `GetContextInfo` reports the sync tasks. Safe to
    repeat: the same session always gets the same context.

    Args:
        action (Literal['GetAndLoadInternalContext']):  Default: 'GetAndLoadInternalContext'.
        format_ (Literal['json']):  Default: 'json'.
        version (Literal['2025-05-06']):  Default: '2025-05-06'.
        timestamp (str):
        signature_nonce (str):
        body (GetAndLoadInternalContextRequest): The GetAndLoadInternalContext form (0.22.3 sends
            `Authorization`, `ContextTypes.1`, `SessionId`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetAndLoadInternalContextResponse
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
