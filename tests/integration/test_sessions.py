"""The public session API, sync and async, against a real local server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from agentbay import (
    AgentBay,
    AuthenticationError,
    CreateSessionParams,
    InvalidParameterError,
    NotFoundError,
    SessionClosedError,
)
from agentbay_local import LocalServer

from .conftest import OTHER_KEY


def test_lifecycle(live: Any) -> None:
    tag = uuid.uuid4().hex
    labels = {"suite": "integration", "tag": tag}
    result = live.create(CreateSessionParams(labels=labels, image_id="linux_latest"))
    assert result.success and result.request_id
    session = result.session
    assert session.session_id.startswith("session-") and session.image_id == "linux_latest"

    info = session.info()
    assert info.session_id == session.session_id and info.resource_url == session.resource_url
    assert session.session_id in session.get_link()
    assert "/ports/30100/" in session.get_link("http", 30100)
    assert "/ports/30100/" in session.get_link(port=30100)

    assert session.get_labels() == labels
    assert session.set_labels({**labels, "stage": "two"}).success
    assert session.get_labels() == {**labels, "stage": "two"}

    found = live.list(labels={"tag": tag})
    assert found.success and found.session_ids == [session.session_id] and found.total_count == 1
    assert live.list(labels={"tag": tag, "stage": "one"}).session_ids == []

    got = live.get(session.session_id)
    assert got.success and got.session.session_id == session.session_id

    tools = session.list_mcp_tools()
    assert tools.success and "shell" in {t.name for t in tools.tools}
    shell = next(t for t in tools.tools if t.name == "shell")
    assert "command" in shell.input_schema["properties"]

    assert session.delete().success and session.deleted
    with pytest.raises(SessionClosedError):
        session.get_labels()
    assert live.list(labels={"tag": tag}).session_ids == []
    assert isinstance(live.get(session.session_id).error, NotFoundError)


def test_paging_across_pages(live: Any) -> None:
    tag = uuid.uuid4().hex
    sessions = [live.create(CreateSessionParams(labels={"tag": tag})).unwrap() for _ in range(5)]
    try:
        first = live.list(labels={"tag": tag}, limit=2)
        assert len(first.session_ids) == 2 and first.next_token and first.total_count == 5
        third = live.list(labels={"tag": tag}, page=3, limit=2)
        assert len(third.session_ids) == 1 and not third.next_token
        every = [s.session_id for s in live.list_all(labels={"tag": tag}, page_size=2)]
        assert every == [s.session_id for s in sessions]
        assert live.list(labels={"tag": tag}, page=9, limit=2).session_ids == []
    finally:
        for s in sessions:
            s.delete()


def test_service_errors_are_typed(live: Any, server: LocalServer) -> None:
    assert isinstance(live.get("session-doesnotexist").error, NotFoundError)
    assert isinstance(
        live.create(CreateSessionParams(image_id="windows_latest")).error, InvalidParameterError
    )
    with AgentBay(api_key="akm-wrong", endpoint=server.endpoint) as stranger:
        assert isinstance(stranger.list().error, AuthenticationError)


def test_sessions_of_another_key_are_invisible(live: Any, server: LocalServer) -> None:
    session = live.create().unwrap()
    try:
        with AgentBay(api_key=OTHER_KEY, endpoint=server.endpoint) as other:
            assert session.session_id not in other.list(limit=100).session_ids
            assert isinstance(other.get(session.session_id).error, NotFoundError)
    finally:
        session.delete()


def test_context_manager_deletes_on_error(live: Any) -> None:
    with pytest.raises(RuntimeError), live.create().unwrap() as session:
        raise RuntimeError("inside")
    assert isinstance(live.get(session.session_id).error, NotFoundError)


def lazily(live: Any, **kwargs: Any) -> Iterator[Any]:
    """`live.list_all(**kwargs)` one item at a time in both flavours (`Synced` would collect every
    page of the async one before the first item)."""
    if not hasattr(live, "wrapped"):
        yield from live.list_all(**kwargs)
        return
    pages = live.wrapped.list_all(**kwargs)
    while True:
        try:
            yield live._loop.run_until_complete(pages.__anext__())
        except StopAsyncIteration:
            return


def test_list_all_while_deleting_what_it_yields_leaves_nothing_behind(live: Any) -> None:
    """30 sessions, pages of 10, each deleted as it is yielded: none is skipped (10 were)."""
    tag = uuid.uuid4().hex
    created = [live.create(CreateSessionParams(labels={"tag": tag})).unwrap().session_id for _ in range(30)]
    yielded = []
    for summary in lazily(live, labels={"tag": tag}, page_size=10):
        yielded.append(summary.session_id)
        handle = live.get(summary.session_id).unwrap()
        assert live.delete(handle).success
    assert yielded == created
    assert live.list(labels={"tag": tag}).total_count == 0


def test_list_all_while_creating_never_repeats(live: Any) -> None:
    tag = uuid.uuid4().hex
    created = [live.create(CreateSessionParams(labels={"tag": tag})).unwrap() for _ in range(6)]
    made = []
    yielded = []
    for summary in lazily(live, labels={"tag": tag}, page_size=2):
        yielded.append(summary.session_id)
        if len(made) < 6:
            made.append(live.create(CreateSessionParams(labels={"tag": tag})).unwrap())
    try:
        assert len(yielded) == len(set(yielded))
        assert yielded[:6] == [s.session_id for s in created]
        assert set(yielded) <= {s.session_id for s in created + made}
    finally:
        for session in created + made:
            session.delete()


def test_summaries_carry_status_image_and_app_instance(live: Any) -> None:
    tag = uuid.uuid4().hex
    with live.create(CreateSessionParams(labels={"tag": tag}, image_id="code_latest")).unwrap() as session:
        (summary,) = live.list(labels={"tag": tag}).sessions
        assert summary.session_id == session.session_id
        assert (summary.status, summary.image_id) == ("RUNNING", "code_latest")
        assert summary.app_instance_id.startswith("ai-")


def test_delete_is_idempotent(live: Any) -> None:
    session = live.create().unwrap()
    other = live.get(session.session_id).unwrap()
    assert session.delete().success and session.deleted
    again = session.delete()
    assert again.success and again.error is None
    second = other.delete()  # the service says it is gone: deleted, as asked
    assert second.success and second.error is None and other.deleted
    assert live.delete(session).success
    with pytest.raises(SessionClosedError):
        other.get_labels()


def test_delete_through_the_client_of_a_session_gone_elsewhere(live: Any) -> None:
    session = live.create().unwrap()
    stale = live.get(session.session_id).unwrap()
    with session:
        pass
    result = live.delete(stale)
    assert result.success and stale.deleted


def test_image_id_is_the_image_that_runs(live: Any) -> None:
    with (
        live.create().unwrap() as default,
        live.create(CreateSessionParams(image_id="code_latest")).unwrap() as code,
    ):
        assert default.image_id == "linux_latest"
        assert code.image_id == "code_latest"
        assert live.get(default.session_id).unwrap().image_id == "linux_latest"
        assert live.get(code.session_id).unwrap().image_id == "code_latest"


def test_links_and_resource_url_answer(live: Any) -> None:
    with live.create().unwrap() as session:
        for url in (session.resource_url, session.info().resource_url, session.get_link()):
            reply = httpx.get(url)
            assert reply.status_code == 200, url
            assert reply.json()["SessionId"] == session.session_id
        with pytest.raises(InvalidParameterError, match="http and ws"):
            session.get_link("https", 30100)
