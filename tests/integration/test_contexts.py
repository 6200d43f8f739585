"""`agent_bay.context` end to end against the local server, in both flavours: every method, paging
with list_all, renames, deletes, and files through the upload/download URLs (PUT/GET with httpx)."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from agentbay import AgentBay, Context, ContextListParams, NotFoundError
from agentbay_local import LocalServer

from .._synced import Synced
from .conftest import OTHER_KEY


def unique(prefix: str = "ctx") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def made(live: Any) -> Iterator[list[Context]]:
    """Contexts a test made, deleted afterwards (those it did not delete itself)."""
    contexts: list[Context] = []
    yield contexts
    for context in contexts:
        live.context.delete(context)


def create(live: Any, made: list[Context], name: str | None = None) -> Context:
    context = live.context.create(name or unique()).unwrap()
    made.append(context)
    return context


def put(url: str, content: Any) -> httpx.Response:
    response = httpx.put(url, content=content, timeout=30)
    assert response.status_code in (200, 201, 204), response.text
    return response


def get(url: str) -> httpx.Response:
    return httpx.get(url, timeout=30)


# ---- get / create / update / delete ----------------------------------------------------------------


def test_create_then_get_by_name_and_by_id(live: Any, made: list[Context]) -> None:
    name = unique()
    context = create(live, made, name)
    assert context.id.startswith("SdkCtx-") and context.name == name and context.state == "available"
    assert context.created_at.endswith("Z") and context.last_used_at.endswith("Z")
    by_name = live.context.get(name)
    assert by_name.success and by_name.context_id == context.id and by_name.context == context
    assert live.context.get(context_id=context.id).context == context
    again = live.context.create(name)  # get-or-create: the same context
    assert again.context_id == context.id
    assert live.context.get(name, create=True).context_id == context.id


def test_a_missing_context_is_not_found(live: Any) -> None:
    result = live.context.get(unique("missing"))
    assert not result.success and isinstance(result.error, NotFoundError)
    assert result.request_id and result.error.code == "InvalidContext.NotFound"
    assert isinstance(live.context.get(context_id="SdkCtx-0000000000000000").error, NotFoundError)


def test_rename(live: Any, made: list[Context]) -> None:
    old, new = unique("old"), unique("new")
    context = create(live, made, old)
    context.name = new
    result = live.context.update(context)
    assert result.success and result.data is True
    assert live.context.get(new).context_id == context.id
    assert isinstance(live.context.get(old).error, NotFoundError)
    assert live.context.get(context_id=context.id).context.name == new


def test_delete(live: Any) -> None:
    context = live.context.create(unique()).unwrap()
    result = live.context.delete(context)
    assert result.success and result.data is True
    assert isinstance(live.context.get(context_id=context.id).error, NotFoundError)
    assert context.id not in {c.id for c in live.context.list_all()}
    again = live.context.delete(context)
    assert not again.success and isinstance(again.error, NotFoundError)
    renamed = live.context.update(context)
    assert not renamed.success and isinstance(renamed.error, NotFoundError)


def test_another_key_never_sees_a_context(live: Any, made: list[Context], server: LocalServer) -> None:
    context = create(live, made)
    with AgentBay(api_key=OTHER_KEY, endpoint=server.endpoint) as other:
        assert isinstance(other.context.get(context_id=context.id).error, NotFoundError)
        assert isinstance(other.context.get(context.name).error, NotFoundError)
        assert context.id not in {c.id for c in other.context.list_all()}
        assert isinstance(other.context.delete(context).error, NotFoundError)
        assert isinstance(other.context.get_file_upload_url(context.id, "/a.txt").error, NotFoundError)
        assert isinstance(other.context.list_files(context.id, "/").error, NotFoundError)
        # Its own context of the same name is another context.
        theirs = other.context.create(context.name).unwrap()
        assert theirs.id != context.id
        assert other.context.delete(theirs).success
    assert live.context.get(context_id=context.id).success


# ---- list / list_all -------------------------------------------------------------------------------


def test_list_pages_and_list_all(live: Any, made: list[Context]) -> None:
    mine = {create(live, made).id for _ in range(5)}
    first = live.context.list(ContextListParams(max_results=2))
    assert first.success and len(first.contexts) == 2 and first.max_results == 2
    assert first.next_token and first.total_count >= 5
    second = live.context.list(ContextListParams(max_results=2, next_token=first.next_token))
    assert second.success and not {c.id for c in first.contexts} & {c.id for c in second.contexts}
    default = live.context.list()
    assert default.success and default.max_results == 10 and len(default.contexts) <= 10
    every = [c.id for c in live.context.list_all(page_size=2)]
    assert len(every) == len(set(every)) and mine <= set(every)
    assert len(every) == live.context.list().total_count


def lazily(live: Any, page_size: int) -> Iterator[Context]:
    """`list_all`, a page at a time in both flavours (the test wrapper collects async iterators whole)."""
    if not isinstance(live, Synced):
        yield from live.context.list_all(page_size=page_size)
        return
    pages = live.wrapped.context.list_all(page_size=page_size)
    while True:
        try:
            yield live._loop.run_until_complete(pages.__anext__())
        except StopAsyncIteration:
            return


def test_list_all_neither_skips_nor_repeats_while_contexts_go(live: Any, made: list[Context]) -> None:
    ours = [create(live, made) for _ in range(6)]
    seen: list[str] = []
    for context in lazily(live, page_size=2):
        seen.append(context.id)
        if context.id == ours[1].id:  # delete one already shown and one not yet shown
            assert live.context.delete(ours[0]).success and live.context.delete(ours[4]).success
    assert len(seen) == len(set(seen))
    shown = set(seen)
    assert {ours[1].id, ours[2].id, ours[3].id, ours[5].id} <= shown and ours[4].id not in shown


# ---- files through the URLs ------------------------------------------------------------------------


def test_upload_and_download_urls(live: Any, made: list[Context]) -> None:
    context = create(live, made)
    data = os.urandom(300_000)
    up = live.context.get_file_upload_url(context.id, "/home/wuying/data/a.bin")
    assert up.success and up.url.startswith("http://127.0.0.1") and isinstance(up.expire_time, int)
    response = put(up.url, data)
    assert response.headers["etag"] == f'"{hashlib.md5(data).hexdigest()}"'
    down = live.context.get_file_download_url(context.id, "home/wuying/data/a.bin")  # same key
    assert down.success and down.url != up.url
    got = get(down.url)
    assert got.status_code == 200 and got.content == data
    assert got.headers["content-length"] == str(len(data))
    assert got.headers["etag"] == response.headers["etag"]


def test_files_stream_both_ways(live: Any, made: list[Context]) -> None:
    context = create(live, made)
    chunk = os.urandom(1 << 20)

    def body() -> Iterator[bytes]:
        for _ in range(5):
            yield chunk

    put(live.context.get_file_upload_url(context.id, "/big.bin").url, body())
    digest = hashlib.sha256()
    size = 0
    with httpx.stream("GET", live.context.get_file_download_url(context.id, "/big.bin").url) as response:
        assert response.status_code == 200
        for piece in response.iter_bytes():
            digest.update(piece)
            size += len(piece)
    assert size == 5 << 20 and digest.digest() == hashlib.sha256(chunk * 5).digest()


def test_empty_files_and_unicode_names(live: Any, made: list[Context]) -> None:
    context = create(live, made)
    for path, data in [("/empty.txt", b""), ("/données/été 2026.txt", "héllo wörld\n".encode())]:
        put(live.context.get_file_upload_url(context.id, path).url, data)
        assert get(live.context.get_file_download_url(context.id, path).url).content == data
    names = {e.file_name for e in live.context.list_files(context.id, "/données").entries}
    assert names == {"été 2026.txt"}


def test_a_forged_or_missing_download_fails(live: Any, made: list[Context]) -> None:
    context = create(live, made)
    url = live.context.get_file_download_url(context.id, "/never-written.txt").url
    assert get(url).status_code == 404
    forged = url.rsplit("/", 1)[0] + "/" + "x" * 43
    response = get(forged)
    assert response.status_code == 403 and b"AccessDenied" in response.content


def test_list_files_and_delete_file(live: Any, made: list[Context]) -> None:
    context = create(live, made)
    for path, data in [
        ("/home/wuying/a.txt", b"aaa"),
        ("/home/wuying/b.txt", b"b"),
        ("/home/wuying/sub/c.txt", b""),
    ]:
        put(live.context.get_file_upload_url(context.id, path).url, data)
    listed = live.context.list_files(context.id, "/home/wuying")
    assert listed.success and listed.count == 3
    by_name = {e.file_name: e for e in listed.entries}
    assert set(by_name) == {"a.txt", "b.txt", "sub"}
    assert (by_name["a.txt"].size, by_name["a.txt"].file_type) == (3, "file")
    assert by_name["a.txt"].file_path == "/home/wuying/a.txt" and by_name["a.txt"].gmt_modified.endswith("Z")
    assert by_name["sub"].file_type == "folder"
    page = live.context.list_files(context.id, "/home/wuying", page_number=2, page_size=2)
    assert page.count == 3 and len(page.entries) == 1
    assert live.context.list_files(context.id, "/nothing/here").entries == []
    assert live.context.delete_file(context.id, "/home/wuying/a.txt").success
    assert {e.file_name for e in live.context.list_files(context.id, "/home/wuying").entries} == {
        "b.txt",
        "sub",
    }
    url = live.context.get_file_download_url(context.id, "/home/wuying/a.txt").url
    assert get(url).status_code == 404


def test_deleting_a_context_deletes_its_files(live: Any) -> None:
    context = live.context.create(unique()).unwrap()
    put(live.context.get_file_upload_url(context.id, "/a.txt").url, b"x")
    url = live.context.get_file_download_url(context.id, "/a.txt").url
    assert live.context.delete(context).success
    assert get(url).status_code in (403, 404)
    again = live.context.create(context.name).unwrap()  # the same name again: a new, empty context
    try:
        assert again.id != context.id and live.context.list_files(again.id, "/").entries == []
    finally:
        live.context.delete(again)


def test_bad_paths_are_refused_by_the_service(live: Any, made: list[Context]) -> None:
    context = create(live, made)
    for path in ["/a/../../etc/passwd", "a//b", "/x/./y"]:
        result = live.context.get_file_upload_url(context.id, path)
        assert not result.success and result.error.code.startswith("InvalidParameter"), path
