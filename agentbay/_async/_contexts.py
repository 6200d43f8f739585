"""`AsyncContextService` (`agent_bay.context`): contexts, their files, and presigned URLs to them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from .. import _contexts as ctx
from .._constants import MAX_PAGE_SIZE
from .._contexts import (
    Context,
    ContextFileListResult,
    ContextListParams,
    ContextListResult,
    ContextResult,
    FileUrlResult,
)
from .._exceptions import CALL_FAILURES
from .._types import OperationResult

if TYPE_CHECKING:
    from ._transport import AsyncTransport

__all__ = ["AsyncContextService"]


class AsyncContextService:
    """The caller's contexts (`agent_bay.context`): named stores of files that outlive sessions.

    Every method returns a result (`success`, `request_id`, `error_message`, the typed `error`);
    arguments that cannot be right raise `InvalidInputError` before anything is sent.
    """

    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    async def list(self, params: ContextListParams | None = None) -> ContextListResult:
        """One page of the caller's contexts (ListContexts).

        Args:
            params: The page size (10 by default) and the `next_token` of the previous page.
        """
        params = ctx.check_list_params(params)
        transport = self._transport
        try:
            reply = await transport.send(ctx.LIST_CONTEXTS, ctx.list_body(transport.auth, params))
            return ctx.context_page(reply)
        except CALL_FAILURES as exc:
            return ContextListResult.failed(exc)

    async def list_all(self, *, page_size: int = 50) -> AsyncIterator[Context]:
        """Every context of the caller, across all pages, fetched a page at a time; none is yielded
        twice (a service whose tokens are offsets may show one again when others were created).

        Raises:
            AgentBayError: A page could not be fetched.
        """
        ctx.check_positive(page_size, "page_size", MAX_PAGE_SIZE)
        transport = self._transport
        token: str | None = None
        seen: set[str] = set()
        while True:
            params = ContextListParams(max_results=page_size, next_token=token)
            page = ctx.context_page(
                await transport.send(ctx.LIST_CONTEXTS, ctx.list_body(transport.auth, params))
            )
            for context in page.contexts:
                if context.id not in seen:
                    seen.add(context.id)
                    yield context
            # The same token again would loop forever; an empty page with a token says nothing more.
            if not page.next_token or not page.contexts or page.next_token == token:
                return
            token = page.next_token

    async def get(
        self, name: str | None = None, create: bool = False, context_id: str | None = None
    ) -> ContextResult:
        """The context named `name` (GetContext), created when missing if `create`; or (as 0.22.3)
        the one with id `context_id`. A missing context fails with `NotFoundError`.

        With `create`, never retried after the request may have reached the service (as every create).
        """
        body = ctx.get_body(self._transport.auth, name, create, context_id)
        op = ctx.CREATE_CONTEXT if create else ctx.GET_CONTEXT
        try:
            reply = await self._transport.send(op, body)
            return ctx.context_result(reply, name)
        except CALL_FAILURES as exc:
            return ContextResult.failed(exc)

    async def create(self, name: str) -> ContextResult:
        """Create the context `name`; the existing one if there is one (`get(name, create=True)`)."""
        return await self.get(name, create=True)

    async def update(self, context: Context) -> OperationResult:
        """Rename `context` to its `name` (ModifyContext); set ``context.name`` first."""
        context = ctx.check_context(context)
        transport = self._transport
        try:
            reply = await transport.send(ctx.MODIFY_CONTEXT, ctx.modify_body(transport.auth, context))
        except CALL_FAILURES as exc:
            return OperationResult.failed(exc)
        return ctx.done(reply)

    async def delete(self, context: Context) -> OperationResult:
        """Delete `context` and every file in it (DeleteContext). Not retried after the request may
        have reached the service; a context that is gone fails with `NotFoundError`."""
        context = ctx.check_context(context)
        transport = self._transport
        try:
            reply = await transport.send(ctx.DELETE_CONTEXT, ctx.delete_body(transport.auth, context))
        except CALL_FAILURES as exc:
            return OperationResult.failed(exc)
        return ctx.done(reply)

    async def get_file_upload_url(self, context_id: str, file_path: str) -> FileUrlResult:
        """A presigned URL to upload the context's file `file_path`: send its bytes with ``PUT``."""
        transport = self._transport
        body = ctx.file_body(transport.auth, context_id, file_path)
        try:
            return ctx.file_url(await transport.send(ctx.UPLOAD_URL, body), ctx.UPLOAD_URL.action)
        except CALL_FAILURES as exc:
            return FileUrlResult.failed(exc)

    async def get_file_download_url(self, context_id: str, file_path: str) -> FileUrlResult:
        """A presigned URL to download the context's file `file_path` with ``GET``."""
        transport = self._transport
        body = ctx.file_body(transport.auth, context_id, file_path)
        try:
            return ctx.file_url(await transport.send(ctx.DOWNLOAD_URL, body), ctx.DOWNLOAD_URL.action)
        except CALL_FAILURES as exc:
            return FileUrlResult.failed(exc)

    async def list_files(
        self, context_id: str, parent_folder_path: str, page_number: int = 1, page_size: int = 50
    ) -> ContextFileListResult:
        """One page of the files and folders under `parent_folder_path` in the context
        (DescribeContextFiles); `count` is how many there are in all."""
        transport = self._transport
        body = ctx.list_files_body(transport.auth, context_id, parent_folder_path, page_number, page_size)
        try:
            return ctx.file_page(await transport.send(ctx.LIST_FILES, body))
        except CALL_FAILURES as exc:
            return ContextFileListResult.failed(exc)

    async def delete_file(self, context_id: str, file_path: str) -> OperationResult:
        """Delete the context's file `file_path` (DeleteContextFile). Not retried after the request
        may have reached the service."""
        transport = self._transport
        body = ctx.file_body(transport.auth, context_id, file_path)
        try:
            reply = await transport.send(ctx.DELETE_FILE, body)
        except CALL_FAILURES as exc:
            return OperationResult.failed(exc)
        return ctx.done(reply)
