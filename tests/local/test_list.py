"""ListSession: label filters, paging with NextToken, TotalCount, and the 0.22.3 filters."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ._wire import Wire

SUMMARY_KEYS = {"SessionId", "SessionStatus", "ImageId", "AppInstanceId"}


def ids(body: dict[str, Any]) -> list[str]:
    return [item["SessionId"] for item in body["Data"]]


def test_reply_has_the_captured_shape(wire: Wire) -> None:
    session_id = wire.create(Labels='{"project": "demo"}')
    body = wire.ok("ListSession", Labels='{"project": "demo"}', MaxResults="10")
    assert set(body) == {
        "Code",
        "HttpStatusCode",
        "Message",
        "RequestId",
        "Success",
        "Data",
        "NextToken",
        "MaxResults",
        "TotalCount",
    }
    (item,) = body["Data"]
    assert set(item) == SUMMARY_KEYS
    assert item == {
        "SessionId": session_id,
        "SessionStatus": "RUNNING",
        "ImageId": "linux_latest",
        "AppInstanceId": wire.ok("GetSession", SessionId=session_id)["Data"]["AppInstanceId"],
    }
    assert (body["NextToken"], body["MaxResults"], body["TotalCount"]) == ("", 10, 1)


def test_empty(wire: Wire) -> None:
    body = wire.ok("ListSession")
    assert (body["Data"], body["NextToken"], body["TotalCount"], body["MaxResults"]) == ([], "", 0, 10)


def test_label_filter(wire: Wire) -> None:
    a = wire.create(Labels='{"project": "demo", "env": "test"}')
    b = wire.create(Labels='{"project": "demo", "env": "prod"}')
    c = wire.create(Labels='{"project": "other"}')
    d = wire.create()
    assert ids(wire.ok("ListSession", Labels='{"project": "demo"}')) == [a, b]
    assert ids(wire.ok("ListSession", Labels='{"project": "demo", "env": "prod"}')) == [b]
    assert ids(wire.ok("ListSession", Labels='{"env": "prod", "project": "other"}')) == []
    assert ids(wire.ok("ListSession", Labels='{"project": "Demo"}')) == []  # values compare exactly
    assert ids(wire.ok("ListSession", Labels='{"missing": ""}')) == []  # a label must be present
    assert ids(wire.ok("ListSession", Labels="{}")) == [a, b, c, d]
    assert ids(wire.ok("ListSession")) == [a, b, c, d]
    assert wire.ok("ListSession", Labels='{"project": "demo"}')["TotalCount"] == 2


def test_label_filter_follows_set_label(wire: Wire) -> None:
    session_id = wire.create(Labels='{"stage": "one"}')
    wire.ok("SetLabel", SessionId=session_id, Labels='{"stage": "two"}')
    assert ids(wire.ok("ListSession", Labels='{"stage": "one"}')) == []
    assert ids(wire.ok("ListSession", Labels='{"stage": "two"}')) == [session_id]


def test_paging_follows_next_token(wire: Wire) -> None:
    created = [wire.create(Labels='{"batch": "p"}') for _ in range(5)]
    wire.create(Labels='{"batch": "other"}')
    seen: list[str] = []
    tokens: list[str] = []
    token = ""
    while True:
        form = {"Labels": '{"batch": "p"}', "MaxResults": "2"}
        if token:
            form["NextToken"] = token
        body = wire.ok("ListSession", **form)
        assert (body["MaxResults"], body["TotalCount"]) == (2, 5)
        seen += ids(body)
        token = body["NextToken"]
        tokens.append(token)
        if not token:
            break
    assert seen == created  # creation order, nothing twice, nothing lost
    assert tokens == ["2", "4", ""]


def test_official_sdk_page_two(wire: Wire) -> None:
    """0.8.0's list_by_labels(next_token=1) and 0.22.3's list(page=2, limit=1) send NextToken=1."""
    first = wire.create(Labels='{"project": "demo"}')
    second = wire.create(Labels='{"project": "demo"}')
    body = wire.ok("ListSession", Labels='{"project": "demo"}', MaxResults="1")
    assert (ids(body), body["NextToken"]) == ([first], "1")
    body = wire.ok("ListSession", Labels='{"project": "demo"}', MaxResults="1", NextToken="1")
    assert (ids(body), body["NextToken"], body["TotalCount"]) == ([second], "", 2)


def test_token_past_the_end_is_an_empty_last_page(wire: Wire) -> None:
    wire.create()
    body = wire.ok("ListSession", NextToken="50")
    assert (body["Data"], body["NextToken"], body["TotalCount"]) == ([], "", 1)


def test_max_results_bounds(wire: Wire) -> None:
    for _ in range(3):
        wire.create()
    assert len(wire.ok("ListSession", MaxResults="1")["Data"]) == 1
    assert len(wire.ok("ListSession", MaxResults="100")["Data"]) == 3


def test_status_and_image_filters(wire: Wire) -> None:
    linux = wire.create()
    code = wire.create(ImageId="code_latest")
    gone = wire.create()
    wire.ok("ReleaseMcpSession", SessionId=gone)
    assert ids(wire.ok("ListSession", Status="RUNNING")) == [linux, code]
    assert ids(wire.ok("ListSession", Status="FINISH")) == []  # deleted sessions are never listed
    assert ids(wire.ok("ListSession", ImageId="code_latest")) == [code]
    assert ids(wire.ok("ListSession", ImageId="linux_latest", Status="RUNNING")) == [linux]
    assert ids(wire.ok("ListSession", ImageId="windows_latest")) == []


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"MaxResults": "0"}, "InvalidParameter.MaxResults"),
        ({"MaxResults": "101"}, "InvalidParameter.MaxResults"),
        ({"MaxResults": "-1"}, "InvalidParameter.MaxResults"),
        ({"MaxResults": "ten"}, "InvalidParameter.MaxResults"),
        ({"MaxResults": "1" * 5000}, "InvalidParameter.MaxResults"),
        ({"MaxResults": "٣"}, "InvalidParameter.MaxResults"),  # a non-ASCII digit
        ({"NextToken": "abc"}, "InvalidParameter.NextToken"),
        ({"NextToken": "-1"}, "InvalidParameter.NextToken"),
        ({"NextToken": "9" * 400}, "InvalidParameter.NextToken"),
        ({"NextToken": "²"}, "InvalidParameter.NextToken"),
        ({"Labels": "{not json"}, "InvalidParameter.Labels"),
        ({"Labels": '["a"]'}, "InvalidParameter.Labels"),
        ({"Labels": '{"a": 1}'}, "InvalidParameter.Labels"),
    ],
)
def test_bad_parameters(wire: Wire, form: dict[str, str], code: str) -> None:
    assert wire.error("ListSession", **form)["Code"] == code


def test_labels_with_json_escapes_filter_correctly(wire: Wire) -> None:
    labels = {"k\u00e9y": "v\u00e0lue", "quote": '"'}
    session_id = wire.create(Labels=json.dumps(labels))
    assert ids(wire.ok("ListSession", Labels=json.dumps(labels, ensure_ascii=False))) == [session_id]
