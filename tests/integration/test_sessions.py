"""The public session API, sync and async, against a real local server."""

from __future__ import annotations

import uuid
from typing import Any

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
    assert "/ports/30100/" in session.get_link("https", 30100)

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
