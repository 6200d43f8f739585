"""The ContextService actions: contexts by name and id, their pages, renames and deletes, their files'
listings and deletes, and the upload and download URLs (`_urls.py` serves them).

The reply fields are those of the captures (shared/wire/ops/<Action>.json). Every bad input is a 400
that names the field: `MissingParameter.<F>`, `InvalidParameter.<F>`, and `InvalidContext.NotFound`
for a context that is not the caller's (another key's and an unknown one look the same).
"""

from __future__ import annotations

import base64
import binascii
import time

from starlette.concurrency import run_in_threadpool

from .. import _params as p
from .._call import Call, Handler, Reply
from .._errors import ApiError, context_not_found, invalid_parameter, missing_parameter
from ._files import Entry, delete_object, list_folder
from ._keys import BadKey, folder_key, object_key
from ._store import DOWNLOAD, UPLOAD, ContextRow, ContextStore, NameTaken
from ._urls import URL_LIFETIME_S, url_for

#: Largest page of DescribeContextFiles.
MAX_FILES_PAGE = 1000


class ContextActions:
    """The context actions over one `ContextStore`; `routes()` names them for the app."""

    def __init__(self, contexts: ContextStore) -> None:
        self.contexts = contexts

    def routes(self) -> dict[str, Handler]:
        return {
            "GetContext": self.get_context,
            "ListContexts": self.list_contexts,
            "ModifyContext": self.modify_context,
            "DeleteContext": self.delete_context,
            "GetContextFileUploadUrl": self.get_file_upload_url,
            "GetContextFileDownloadUrl": self.get_file_download_url,
            "DescribeContextFiles": self.describe_context_files,
            "DeleteContextFile": self.delete_context_file,
        }

    def _context(self, call: Call, field: str) -> ContextRow:
        row = self.contexts.get(call.owner, context_id=p.required(call.params, field))
        if row is None:
            raise context_not_found()
        return row

    async def get_context(self, call: Call) -> Reply:
        """GetContext: the caller's context by `ContextId` (0.22.3), else by `Name`, made when absent
        if `AllowCreate` (only by name). 0.9.0 makes one this way before every CreateMcpSession."""
        params = call.params
        name = p.parse_context_name(params)
        allow_create = p.parse_bool(params, "AllowCreate") or False
        context_id = p.optional(params, "ContextId")
        # LoginRegionId (0.22.3, on create) names a cloud region: without meaning here.
        if context_id is not None:
            # By id, and if a name is given too, only a context of that name.
            row = self.contexts.get(call.owner, context_id=context_id, name=name)
        elif name is None:
            raise missing_parameter("Name")
        elif allow_create:
            row = self.contexts.get_or_create(call.owner, name)
        else:
            row = self.contexts.get(call.owner, name=name)
        if row is None:
            raise context_not_found()
        return {"Data": context_data(row)}

    async def list_contexts(self, call: Call) -> Reply:
        """ListContexts: the caller's contexts in creation order, `MaxResults` (1 to 100, default 10) at
        a time; `NextToken` names the last context shown, so creating or deleting contexts between
        pages neither skips nor repeats one. `TotalCount`: how many the caller has now."""
        params = call.params
        max_results = p.parse_int(params, "MaxResults", 1, 100) or 10
        after_seq = p.parse_page_token(params, action="ListContexts")
        # 0.22.3's model also has SessionId and ContextType; it does not send them.
        page, more, total = self.contexts.list_page(call.owner, after_seq, max_results)
        return {
            "Data": [context_data(row) for _, row in page],
            "NextToken": p.page_token(page[-1][0]) if more else "",
            "MaxResults": max_results,
            "TotalCount": total,
        }

    async def modify_context(self, call: Call) -> Reply:
        """ModifyContext: rename. A name another of the caller's contexts has is refused
        (`InvalidParameter.DuplicateName`); the context's own name is no change."""
        context_id = p.required(call.params, "Id")
        name = p.parse_context_name(call.params)
        if name is None:
            raise missing_parameter("Name")
        try:
            renamed = self.contexts.rename(call.owner, context_id, name)
        except NameTaken:
            raise ApiError(
                400, "InvalidParameter.DuplicateName", "Another context of this API key has that Name."
            ) from None
        if not renamed:
            raise context_not_found()
        return {}

    async def delete_context(self, call: Call) -> Reply:
        """DeleteContext: the context, its files and its URLs. A context that a running session names in
        its PersistenceDataList is refused (`InvalidContext.InUse`, naming the session): that session
        syncs into it (on release, at least); delete the session first."""
        row = self._context(call, "Id")
        async with self.contexts.lock(row.id):
            sessions = self.contexts.mounted_in(call.owner, row.id)
            if sessions:
                shown = ", ".join(sessions[:3]) + (" ..." if len(sessions) > 3 else "")
                raise ApiError(
                    400,
                    "InvalidContext.InUse",
                    f"The context is mounted in running session(s) {shown}; delete them first.",
                )
            if not await run_in_threadpool(self.contexts.delete, call.owner, row.id):
                raise context_not_found()
        return {}

    async def get_file_upload_url(self, call: Call) -> Reply:
        """GetContextFileUploadUrl: a URL to PUT the object `FilePath` to (`_urls.py`)."""
        return self._url(call, UPLOAD)

    async def get_file_download_url(self, call: Call) -> Reply:
        """GetContextFileDownloadUrl: a URL to GET the object `FilePath` from; an object that does not
        exist (yet) is a 404 at GET time, as with object storage."""
        return self._url(call, DOWNLOAD)

    def _url(self, call: Call, direction: str) -> Reply:
        key = _key(call, "FilePath")
        row = self._context(call, "ContextId")
        token, expires_at = self.contexts.grant_url(call.owner, row.id, key, direction, URL_LIFETIME_S)
        return {"Data": {"Url": url_for(call.base_url, token), "ExpireTime": int(expires_at)}}

    async def describe_context_files(self, call: Call) -> Reply:
        """DescribeContextFiles: the files (`FileType: "file"`) and folders (`"folder"`) directly in
        `ParentFolderPath` (absent, "" or "/": the root), by name; `Count` is how many there are in all.

        Pages by `PageNumber`/`PageSize` (from 1; 50 by default, at most 1000), or, as 0.22.3 can ask,
        by `MaxResults`/`NextToken` (the reply then has `NextToken`: the last name shown).
        A folder that does not exist lists empty, as an absent prefix in object storage.
        """
        params = call.params
        folder = _folder(call)
        row = self._context(call, "ContextId")
        by_token = "MaxResults" in params or "NextToken" in params
        entries = await run_in_threadpool(list_folder, self.contexts.files_dir(row.id), folder)
        reply: Reply = {"Count": len(entries)}
        if by_token:
            size = p.parse_int(params, "MaxResults", 1, MAX_FILES_PAGE) or 50
            after = _parse_name_token(params)
            start = (
                next((i for i, entry in enumerate(entries) if entry.name > after), len(entries))
                if after
                else 0
            )
            page = entries[start : start + size]
            more = start + size < len(entries)
            reply["NextToken"] = _name_token(page[-1].name) if more and page else ""
            reply["MaxResults"] = size
        else:
            number = p.parse_int(params, "PageNumber", 1) or 1
            size = p.parse_int(params, "PageSize", 1, MAX_FILES_PAGE) or 50
            page = entries[(number - 1) * size : number * size]
        reply["Data"] = [_file_data(entry) for entry in page]
        return reply

    async def delete_context_file(self, call: Call) -> Reply:
        """DeleteContextFile: the object `FilePath`, or a folder and all in it. Deleting what does not
        exist succeeds, as in object storage."""
        key = _key(call, "FilePath")
        row = self._context(call, "ContextId")
        async with self.contexts.lock(row.id):
            await run_in_threadpool(delete_object, self.contexts.files_dir(row.id), key)
        return {}


def _key(call: Call, field: str) -> str:
    try:
        return object_key(p.required(call.params, field))
    except BadKey as error:
        raise invalid_parameter(field, f"{field} {error}.") from None


def _folder(call: Call, field: str = "ParentFolderPath") -> str:
    try:
        return folder_key(p.optional(call.params, field))
    except BadKey as error:
        raise invalid_parameter(field, f"{field} {error}.") from None


def _name_token(name: str) -> str:
    return base64.urlsafe_b64encode(b"name:" + name.encode("utf-8")).decode("ascii")


def _parse_name_token(params: p.Params, field: str = "NextToken") -> str:
    value = p.optional(params, field)
    if value is None:
        return ""
    try:
        decoded = base64.urlsafe_b64decode(value.encode("ascii")) if value.isascii() else b""
        name = decoded.removeprefix(b"name:").decode("utf-8") if decoded.startswith(b"name:") else ""
    except (binascii.Error, ValueError):
        name = ""
    if not name or _name_token(name) != value:
        raise invalid_parameter(field, f"{field} is not a token that DescribeContextFiles returned.")
    return name


def context_data(row: ContextRow) -> dict[str, str]:
    """A context as GetContext and ListContexts reply it, times in UTC as the captures have them."""
    return {
        "Id": row.id,
        "Name": row.name,
        "State": row.state,
        "CreateTime": utc(row.created_at),
        "LastUsedTime": utc(row.last_used_at),
        "OsType": row.os_type,
    }


def _file_data(entry: Entry) -> dict[str, str | int]:
    """One DescribeContextFiles entry. An object is replaced whole by an upload, so it is created when
    last written: GmtCreate and GmtModified are both that time."""
    modified = utc(entry.mtime)
    return {
        "FileId": entry.key,
        "FileName": entry.name,
        "FilePath": "/" + entry.key,
        "FileType": "folder" if entry.is_folder else "file",
        "GmtCreate": modified,
        "GmtModified": modified,
        "Size": entry.size,
        "Status": "available",
    }


def utc(timestamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))
