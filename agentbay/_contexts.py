"""Contexts without I/O: the public parameter and result types of `agent_bay.context`, its operations,
request bodies built from facade arguments, and replies turned into results. The sync and async
`ContextService` share all of it and only send.

A context is a named, persistent store of files that outlives sessions: mounted into a session at
create (see `_context_sync.py`), or read and written directly through presigned upload/download URLs.
"""

from __future__ import annotations

from typing import Any

import attrs

from ._api.api.context import (
    delete_context,
    delete_context_file,
    describe_context_files,
    get_context,
    get_context_file_download_url,
    get_context_file_upload_url,
    list_contexts,
    modify_context,
)
from ._api.models import (
    ContextData,
    ContextFileData,
    ContextFileRequest,
    DeleteContextRequest,
    DescribeContextFilesRequest,
    DescribeContextFilesResponse,
    FileUrlData,
    GetContextFileDownloadUrlResponse,
    GetContextFileUploadUrlResponse,
    GetContextRequest,
    GetContextResponse,
    ListContextsRequest,
    ListContextsResponse,
    ModifyContextRequest,
    ResponseEnvelope,
)
from ._api.types import UNSET
from ._constants import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from ._exceptions import AgentBayError, InvalidInputError
from ._types import ApiResult, OperationResult
from ._validate import check_non_empty
from ._wire import Operation, _int, _malformed, _request_id, _str

__all__ = [
    "Context",
    "ContextFileEntry",
    "ContextFileListResult",
    "ContextListParams",
    "ContextListResult",
    "ContextResult",
    "FileUrlResult",
]

# ---- public types --------------------------------------------------------------------------------


@attrs.define(kw_only=True)
class Context:
    """A context: a named store of files that outlives sessions.

    Mutable, as the official SDK's: rename one by setting `name` and passing it to
    `agent_bay.context.update(context)`.
    """

    id: str
    """The context's id (``SdkCtx-...``); what `ContextSync` and the file methods take."""
    name: str
    """Its name, unique among the caller's contexts."""
    state: str = "available"
    """E.g. ``available``; ``available`` when the service did not say (as the official SDK)."""
    created_at: str = ""
    """When it was created (UTC ``%Y-%m-%dT%H:%M:%SZ``); "" when the service did not say."""
    last_used_at: str = ""
    """When a session last used it; "" when the service did not say."""
    os_type: str | None = None
    """The OS of the sessions that used it; None for none."""


@attrs.frozen(kw_only=True)
class ContextResult(ApiResult):
    """The result of getting or creating a context."""

    context_id: str = ""
    """The context's id; "" when the call failed."""
    context: Context | None = None
    """The context; None when the call failed."""

    def unwrap(self) -> Context:
        """The context, or raise the typed error of a failed call."""
        self.raise_for_error()
        if self.context is None:  # pragma: no cover - success always carries a context
            raise AgentBayError("the call succeeded but returned no context")
        return self.context


def _check_max_results(_: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGE_SIZE
    ):
        raise InvalidInputError(
            f"Expected an int in 1..{MAX_PAGE_SIZE} or None for `{attribute.name}`, got {value!r}"
        )


def _check_token(_: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise InvalidInputError(f"Expected a str or None for `{attribute.name}`, got {value!r}")


@attrs.frozen
class ContextListParams:
    """Which page of contexts `agent_bay.context.list` returns (the official SDK's names)."""

    max_results: int | None = attrs.field(default=None, validator=_check_max_results)
    """Contexts per page, 1..100; 10 when None (the official SDK's default)."""
    next_token: str | None = attrs.field(default=None, validator=_check_token)
    """The `next_token` of the previous page; None (or "") for the first page."""


@attrs.frozen(kw_only=True)
class ContextListResult(ApiResult):
    """One page of contexts."""

    contexts: list[Context] = attrs.field(factory=list)
    """The contexts of this page."""
    next_token: str = ""
    """The token of the next page; "" on the last page."""
    max_results: int = 0
    """The page size asked for."""
    total_count: int = 0
    """How many contexts there are, over all pages."""


@attrs.frozen(kw_only=True)
class FileUrlResult(ApiResult):
    """A presigned URL of one file of a context: `PUT` the bytes to it (upload) or `GET` them (download)."""

    url: str = ""
    """The URL; anyone holding it can use it until it expires, so treat it as a secret."""
    expire_time: int | None = None
    """When it stops working, as the service says it: the local server gives Unix seconds; the
    cloud's replies captured so far said 3600 (a lifetime in seconds). None when it did not say."""


@attrs.frozen(kw_only=True)
class ContextFileEntry:
    """One file or folder of a context, as `list_files` returns it."""

    file_id: str = ""
    file_name: str = ""
    """Its name (the last part of its path)."""
    file_path: str = ""
    """Its path in the context."""
    file_type: str = ""
    """``file`` or ``folder``; "" when the service did not say."""
    gmt_create: str = ""
    """When it was created; "" when the service did not say."""
    gmt_modified: str = ""
    """When it last changed; "" when the service did not say."""
    size: int = 0
    """Its size in bytes; 0 for a folder or when the service did not say."""
    status: str = ""


@attrs.frozen(kw_only=True)
class ContextFileListResult(ApiResult):
    """One page of the files and folders under a folder of a context."""

    entries: list[ContextFileEntry] = attrs.field(factory=list)
    """The entries of this page."""
    count: int = 0
    """How many entries the folder has, over all pages."""


# ---- operations ----------------------------------------------------------------------------------

# GetContext without AllowCreate only reads; with it, it may create (so a retry after an unknown
# outcome is left to the caller, as for every create).
GET_CONTEXT = Operation("GetContext", get_context, GetContextResponse, retry_safe=True)
CREATE_CONTEXT = Operation("GetContext", get_context, GetContextResponse, retry_safe=False)
LIST_CONTEXTS = Operation("ListContexts", list_contexts, ListContextsResponse, retry_safe=True)
# Setting a name twice leaves it as setting it once.
MODIFY_CONTEXT = Operation("ModifyContext", modify_context, ResponseEnvelope, retry_safe=True)
DELETE_CONTEXT = Operation("DeleteContext", delete_context, ResponseEnvelope, retry_safe=False)
# Minting another URL changes nothing stored.
UPLOAD_URL = Operation(
    "GetContextFileUploadUrl", get_context_file_upload_url, GetContextFileUploadUrlResponse, retry_safe=True
)
DOWNLOAD_URL = Operation(
    "GetContextFileDownloadUrl",
    get_context_file_download_url,
    GetContextFileDownloadUrlResponse,
    retry_safe=True,
)
LIST_FILES = Operation(
    "DescribeContextFiles", describe_context_files, DescribeContextFilesResponse, retry_safe=True
)
DELETE_FILE = Operation("DeleteContextFile", delete_context_file, ResponseEnvelope, retry_safe=False)


# ---- checks --------------------------------------------------------------------------------------


def check_context(context: object) -> Context:
    """`context` if it is a `Context` with a non-empty id, else InvalidInputError."""
    if not isinstance(context, Context):
        raise InvalidInputError(f"Expected a Context for `context`, got {context!r}")
    check_non_empty(context.id, "context.id")
    return context


def check_positive(value: object, name: str, maximum: int | None = None) -> int:
    """`value` if it is an int >= 1 (and <= `maximum`), not a bool, else InvalidInputError."""
    too_big = maximum is not None and isinstance(value, int) and value > maximum
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or too_big:
        bound = f"in 1..{maximum}" if maximum is not None else ">= 1"
        raise InvalidInputError(f"Expected an int {bound} for `{name}`, got {value!r}")
    return value


def check_list_params(params: object) -> ContextListParams:
    """`params` (None: the first page) as `ContextListParams`, else InvalidInputError."""
    if params is None:
        return ContextListParams()
    if not isinstance(params, ContextListParams):
        raise InvalidInputError(f"Expected ContextListParams or None for `params`, got {params!r}")
    return params


# ---- bodies and replies --------------------------------------------------------------------------


def get_body(auth: str, name: str | None, create: bool, context_id: str | None) -> GetContextRequest:
    """The GetContext form: `Name` or `ContextId`, and `AllowCreate` always (`True`/`False`), as the
    official SDK sends it."""
    if (name is None) == (context_id is None):
        raise InvalidInputError("Give exactly one of `name` and `context_id`")
    if not isinstance(create, bool):
        raise InvalidInputError(f"Expected a bool for `create`, got {create!r}")
    if context_id is not None:
        if create:
            raise InvalidInputError(
                "A context is created by name: `create=True` needs `name`, not `context_id`"
            )
        return GetContextRequest(
            authorization=auth, context_id=check_non_empty(context_id, "context_id"), allow_create=False
        )
    return GetContextRequest(authorization=auth, name=check_non_empty(name, "name"), allow_create=create)


def _context(data: ContextData, name: str = "") -> Context:
    # As the official SDK: a reply without Name or State names the context as asked, `available`.
    os_type = data.os_type if isinstance(data.os_type, str) else None
    return Context(
        id=data.id,
        name=_str(data.name) or name,
        state=_str(data.state) or "available",
        created_at=_str(data.create_time),
        last_used_at=_str(data.last_used_time),
        os_type=os_type,
    )


def context_result(reply: GetContextResponse, name: str | None) -> ContextResult:
    """The context of a GetContext reply."""
    data = reply.data
    if not isinstance(data, ContextData) or not data.id:
        raise _malformed(GET_CONTEXT.action, reply, "no Data.Id")
    context = _context(data, name or "")
    return ContextResult(request_id=_request_id(reply), context_id=context.id, context=context)


def list_body(auth: str, params: ContextListParams) -> ListContextsRequest:
    """The ListContexts form: `MaxResults` always (10 by default), `NextToken` when there is one."""
    return ListContextsRequest(
        authorization=auth,
        max_results=params.max_results if params.max_results is not None else DEFAULT_PAGE_SIZE,
        next_token=params.next_token if params.next_token else UNSET,
    )


def context_page(reply: ListContextsResponse) -> ContextListResult:
    """A `ContextListResult` from one ListContexts reply."""
    data = reply.data
    items = data if isinstance(data, list) else []
    contexts = [_context(item) for item in items if isinstance(item, ContextData) and item.id]
    if len(contexts) != len(items):
        raise _malformed(LIST_CONTEXTS.action, reply, "a Data item without Id")
    return ContextListResult(
        request_id=_request_id(reply),
        contexts=contexts,
        next_token=_str(reply.next_token),
        max_results=_int(reply.max_results),
        total_count=_int(reply.total_count),
    )


def modify_body(auth: str, context: Context) -> ModifyContextRequest:
    """The ModifyContext form: the context's id and (new) name."""
    return ModifyContextRequest(
        authorization=auth, id=context.id, name=check_non_empty(context.name, "context.name")
    )


def delete_body(auth: str, context: Context) -> DeleteContextRequest:
    """The DeleteContext form."""
    return DeleteContextRequest(authorization=auth, id=context.id)


def done(reply: ResponseEnvelope) -> OperationResult:
    """The result of an action whose reply is the envelope only (rename, delete)."""
    return OperationResult(request_id=_request_id(reply), data=True)


def file_body(auth: str, context_id: str, file_path: str) -> ContextFileRequest:
    """The form that names one file of a context (upload/download URL, DeleteContextFile)."""
    return ContextFileRequest(
        authorization=auth,
        context_id=check_non_empty(context_id, "context_id"),
        file_path=check_non_empty(file_path, "file_path"),
    )


def file_url(
    reply: GetContextFileUploadUrlResponse | GetContextFileDownloadUrlResponse, action: str
) -> FileUrlResult:
    """The URL of a GetContextFileUploadUrl or GetContextFileDownloadUrl reply."""
    data = reply.data
    if not isinstance(data, FileUrlData) or not _str(data.url):
        raise _malformed(action, reply, "no Data.Url")
    expire = data.expire_time
    if isinstance(expire, str) and expire.isdigit():  # tolerate a number sent as text
        expire = int(expire)
    return FileUrlResult(
        request_id=_request_id(reply),
        url=_str(data.url),
        expire_time=expire if isinstance(expire, int) and not isinstance(expire, bool) else None,
    )


def list_files_body(
    auth: str, context_id: str, parent_folder_path: str, page_number: int, page_size: int
) -> DescribeContextFilesRequest:
    """The DescribeContextFiles form, every field sent, as the official SDK does."""
    if not isinstance(parent_folder_path, str):
        raise InvalidInputError(f"Expected a str for `parent_folder_path`, got {parent_folder_path!r}")
    return DescribeContextFilesRequest(
        authorization=auth,
        context_id=check_non_empty(context_id, "context_id"),
        parent_folder_path=parent_folder_path,
        page_number=check_positive(page_number, "page_number"),
        page_size=check_positive(page_size, "page_size"),
    )


def _entry(item: ContextFileData) -> ContextFileEntry:
    return ContextFileEntry(
        file_id=_str(item.file_id),
        file_name=_str(item.file_name),
        file_path=_str(item.file_path),
        file_type=_str(item.file_type),
        gmt_create=_str(item.gmt_create),
        gmt_modified=_str(item.gmt_modified),
        size=_int(item.size),
        status=_str(item.status),
    )


def file_page(reply: DescribeContextFilesResponse) -> ContextFileListResult:
    """A `ContextFileListResult` from one DescribeContextFiles reply."""
    data = reply.data
    items = data if isinstance(data, list) else []
    entries = [_entry(item) for item in items if isinstance(item, ContextFileData)]
    if len(entries) != len(items):
        raise _malformed(LIST_FILES.action, reply, "a Data item is not a file entry")
    return ContextFileListResult(request_id=_request_id(reply), entries=entries, count=_int(reply.count))
