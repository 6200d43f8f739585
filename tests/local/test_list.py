"""ListSession: label filters, paging with NextToken, TotalCount, and the 0.22.3 filters."""

from __future__ import annotations

import base64
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


def pages(wire: Wire, labels: str, size: int, between: Any = None) -> list[list[str]]:
    """Every page of ListSession, following NextToken; `between(page)` runs after each page."""
    found: list[list[str]] = []
    token = ""
    while True:
        form = {"Labels": labels, "MaxResults": str(size)}
        if token:
            form["NextToken"] = token
        body = wire.ok("ListSession", **form)
        found.append(ids(body))
        if between is not None:
            between(found[-1])
        token = body["NextToken"]
        if not token:
            return found


def test_paging_follows_next_token(wire: Wire) -> None:
    created = [wire.create(Labels='{"batch": "p"}') for _ in range(5)]
    wire.create(Labels='{"batch": "other"}')
    tokens: list[str] = []
    totals: list[int] = []
    token = ""
    while True:
        form = {"Labels": '{"batch": "p"}', "MaxResults": "2"}
        if token:
            form["NextToken"] = token
        body = wire.ok("ListSession", **form)
        totals.append(body["TotalCount"])
        token = body["NextToken"]
        tokens.append(token)
        if not token:
            break
    assert pages(wire, '{"batch": "p"}', 2) == [created[0:2], created[2:4], created[4:]]
    assert totals == [5, 5, 5] and tokens[-1] == "" and len(set(tokens)) == 3
    # A full last page says so: no token that leads to an empty page.
    assert pages(wire, '{"batch": "p"}', 5) == [created]


def test_deleting_while_paging_skips_nothing(wire: Wire) -> None:
    """The 30 sessions / pages of 10 case: delete each page as it comes, and none is left behind
    (with offset tokens, 10 were)."""
    created = [wire.create(Labels='{"batch": "d"}') for _ in range(30)]

    def delete(page: list[str]) -> None:
        for session_id in page:
            wire.ok("ReleaseMcpSession", SessionId=session_id)

    seen = pages(wire, '{"batch": "d"}', 10, delete)
    assert [i for page in seen for i in page] == created
    assert ids(wire.ok("ListSession", Labels='{"batch": "d"}')) == []


def test_creating_while_paging_repeats_nothing(wire: Wire) -> None:
    created = [wire.create(Labels='{"batch": "c"}') for _ in range(6)]
    made: list[str] = []

    def create_two(page: list[str]) -> None:
        made.extend(wire.create(Labels='{"batch": "c"}') for _ in range(2))

    seen = [i for page in pages(wire, '{"batch": "c"}', 3, create_two) for i in page]
    assert len(seen) == len(set(seen))  # nothing twice
    assert seen[:6] == created  # nothing skipped; the new ones, in order, after
    assert seen[6:] == made[: len(seen) - 6]


def test_deleting_the_next_session_of_a_page_skips_nothing(wire: Wire) -> None:
    a, b, c, d = (wire.create(Labels='{"batch": "n"}') for _ in range(4))
    body = wire.ok("ListSession", Labels='{"batch": "n"}', MaxResults="2")
    assert ids(body) == [a, b]
    wire.ok("ReleaseMcpSession", SessionId=c)  # the first of the next page
    wire.ok("ReleaseMcpSession", SessionId=b)  # the last of this page, which the token names
    rest = wire.ok("ListSession", Labels='{"batch": "n"}', MaxResults="2", NextToken=body["NextToken"])
    assert (ids(rest), rest["NextToken"], rest["TotalCount"]) == ([d], "", 2)


def test_official_sdk_page_two(wire: Wire) -> None:
    """0.8.0's list_by_labels(next_token) and 0.22.3's list(page=2, limit=1) send back the NextToken
    of the page before."""
    first = wire.create(Labels='{"project": "demo"}')
    second = wire.create(Labels='{"project": "demo"}')
    body = wire.ok("ListSession", Labels='{"project": "demo"}', MaxResults="1")
    assert ids(body) == [first] and body["NextToken"]
    body = wire.ok("ListSession", Labels='{"project": "demo"}', MaxResults="1", NextToken=body["NextToken"])
    assert (ids(body), body["NextToken"], body["TotalCount"]) == ([second], "", 2)


def test_a_token_past_the_end_is_an_empty_last_page(wire: Wire) -> None:
    first = wire.create()
    second = wire.create()
    token = wire.ok("ListSession", MaxResults="1")["NextToken"]
    wire.ok("ReleaseMcpSession", SessionId=first)
    wire.ok("ReleaseMcpSession", SessionId=second)
    body = wire.ok("ListSession", NextToken=token)
    assert (body["Data"], body["NextToken"], body["TotalCount"]) == ([], "", 0)


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


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
        ({"NextToken": "1"}, "InvalidParameter.NextToken"),  # an offset: not ours any more
        ({"NextToken": "9" * 400}, "InvalidParameter.NextToken"),
        ({"NextToken": "²"}, "InvalidParameter.NextToken"),
        ({"NextToken": b64("after:-1")}, "InvalidParameter.NextToken"),
        ({"NextToken": b64("after:01")}, "InvalidParameter.NextToken"),
        ({"NextToken": b64("after:1") + "=="}, "InvalidParameter.NextToken"),
        ({"NextToken": b64("after:1")[:4] + "!" + b64("after:1")[4:]}, "InvalidParameter.NextToken"),
        ({"NextToken": b64("after:" + "9" * 19)}, "InvalidParameter.NextToken"),
        ({"NextToken": b64("before:1")}, "InvalidParameter.NextToken"),
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
