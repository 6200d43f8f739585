"""Unit tests of session.oss against the fake service (both flavours): the Args each method sends (the
official SDKs' bytes), results, failures, bad input, and the object-storage secrets never leaving
through a repr, an error, a traceback or a log."""

from __future__ import annotations

import json
import logging
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, quote_plus

import httpx
import pytest

from agentbay import (
    APIConnectionError,
    CreateSessionParams,
    InvalidInputError,
    NotFoundError,
    OSSClientResult,
    OSSDownloadResult,
    OSSUploadResult,
    SessionClosedError,
    ToolError,
)
from agentbay._oss import env_init_args
from agentbay._redact import MAX_LEARNED, Redactor

from ._fake import FakeService

WIRE = Path(__file__).resolve().parent.parent.parent / "shared" / "wire"
if not WIRE.exists():
    WIRE = Path("/work/shared/wire")

# Characters that URL- and JSON-encoding change, so that every encoded form differs from the raw one.
SECRET = "oss-Se/cret+Key=0123456789"
TOKEN = "CAIS+sts/Token==9876543210abcdef"


def new_session(bay: Any) -> Any:
    return bay.create(CreateSessionParams()).unwrap()


# ---- the calls -----------------------------------------------------------------------------------


def test_env_init_sends_the_token_always_and_endpoint_region_only_when_given(
    bay: Any, fake: FakeService
) -> None:
    oss = new_session(bay).oss
    fake.tool("oss_env_init", "Set oss config successfully")
    result = oss.env_init("AK", SECRET)
    assert result == OSSClientResult(
        request_id=result.request_id, client_config="Set oss config successfully"
    )
    assert result.success and result.request_id
    sent = fake.sent[-1].form["Args"]
    # The official SDKs' encoding: json.dumps with its default separators, this key order, null token.
    assert sent == json.dumps({"access_key_id": "AK", "access_key_secret": SECRET, "security_token": None})
    oss.env_init("AK", SECRET, TOKEN, "http://127.0.0.1:9000", "cn-hangzhou")
    assert list(fake.tools()[-1][1]) == [
        "access_key_id", "access_key_secret", "security_token", "endpoint", "region"
    ]  # fmt: skip
    assert fake.tools()[-1][1]["endpoint"] == "http://127.0.0.1:9000"
    oss.env_init("AK", SECRET, "", "", "")  # "" is no token, no endpoint, no region
    assert fake.tools()[-1][1] == {"access_key_id": "AK", "access_key_secret": SECRET, "security_token": None}


@pytest.mark.parametrize(
    ("method", "args", "tool", "result_type"),
    [
        ("upload", ("bkt", "dir/a.txt", "/home/wuying/a.txt"), "oss_upload", OSSUploadResult),
        ("download", ("bkt", "dir/a.txt", "/home/wuying/b.txt"), "oss_download", OSSDownloadResult),
        (
            "upload_anonymous",
            ("http://127.0.0.1:1/u?Signature=x", "/tmp/a"),
            "oss_upload_annon",
            OSSUploadResult,
        ),
        ("download_anonymous", ("http://127.0.0.1:1/d", "/tmp/b"), "oss_download_annon", OSSDownloadResult),
    ],
)
def test_transfers_send_their_args_and_keep_the_reply(
    bay: Any, fake: FakeService, method: str, args: tuple[str, ...], tool: str, result_type: type
) -> None:
    oss = new_session(bay).oss
    text = "Upload success" if "upload" in method else "Download success"
    fake.tool(tool, text)
    result = getattr(oss, method)(*args)
    assert type(result) is result_type and result.success and result.content == text
    keys = ["bucket", "object", "path"] if len(args) == 3 else ["url", "path"]
    assert fake.tools()[-1] == (tool, dict(zip(keys, args, strict=True)))
    assert getattr(oss, method)(**dict(zip(keys, args, strict=True))).success  # the official keywords
    # A tool error is a failed result with the cause; so is a failure of the call.
    fake.tool(tool, "NoSuchBucket: The specified bucket does not exist. (HTTP 404)", is_error=True)
    failed = getattr(oss, method)(*args)
    assert type(failed) is result_type and not failed.success and failed.content == ""
    assert isinstance(failed.error, ToolError) and "NoSuchBucket" in failed.error_message
    assert failed.error_message == str(failed.error)
    fake.reply("CallMcpTool", {"Code": "InvalidMcpSession.NotFound", "Message": "gone"}, status=400)
    assert isinstance(getattr(oss, method)(*args).error, NotFoundError)
    fake.fail("CallMcpTool", httpx.ReadError("reset"))  # not retried: the tool may have run
    assert isinstance(getattr(oss, method)(*args).error, APIConnectionError)


def test_a_failed_env_init_is_a_failed_result(bay: Any, fake: FakeService) -> None:
    fake.tool("oss_env_init", "InvalidArgument: bad endpoint", is_error=True)
    result = new_session(bay).oss.env_init("AK", SECRET, endpoint="nowhere")
    assert not result.success and result.client_config == "" and isinstance(result.error, ToolError)
    assert "bad endpoint" in result.error_message


@pytest.mark.parametrize(
    ("call", "why"),
    [
        (lambda o: o.upload("", "k", "/p"), "bucket"),
        (lambda o: o.upload("b", " ", "/p"), "object"),
        (lambda o: o.upload("b", "k", ""), "path"),
        (lambda o: o.download(None, "k", "/p"), "bucket"),
        (lambda o: o.download("b", 3, "/p"), "object"),
        (lambda o: o.download("b", "k", Path("/p")), "path"),
        (lambda o: o.upload_anonymous("", "/p"), "url"),
        (lambda o: o.upload_anonymous("http://x", b"/p"), "path"),
        (lambda o: o.download_anonymous(None, "/p"), "url"),
        (lambda o: o.env_init("", SECRET), "access_key_id"),
        (lambda o: o.env_init("AK", ""), "access_key_secret"),
        (lambda o: o.env_init("AK", SECRET.encode()), "access_key_secret"),
        (lambda o: o.env_init("AK", SECRET, TOKEN.encode()), "security_token"),
        (lambda o: o.env_init("AK", SECRET, endpoint=5), "endpoint"),
        (lambda o: o.env_init("AK", SECRET, region=["cn"]), "region"),
    ],
)
def test_bad_input_is_refused_before_sending(bay: Any, fake: FakeService, call: Any, why: str) -> None:
    oss = new_session(bay).oss
    before = len(fake.sent)
    with pytest.raises(InvalidInputError, match=f"`{why}`") as info:
        call(oss)
    assert len(fake.sent) == before
    assert "Se/cret" not in str(info.value) and "sts/Token" not in str(info.value)  # nor as bytes


def test_a_deleted_session_refuses(bay: Any, fake: FakeService) -> None:
    session = new_session(bay)
    session.delete()
    with pytest.raises(SessionClosedError):
        session.oss.upload("b", "k", "/p")
    with pytest.raises(SessionClosedError):
        session.oss.env_init("AK", SECRET)


def test_the_managers_repr_names_the_session_only(bay: Any) -> None:
    session = new_session(bay)
    session.oss.env_init("AK", SECRET, TOKEN)
    assert repr(session.oss) in (f"{name}(session_id={session.session_id!r})" for name in ("Oss", "AsyncOss"))


# ---- parity with the official SDKs ---------------------------------------------------------------

OSS_TOOLS = ["oss_env_init", "oss_upload", "oss_upload_annon", "oss_download", "oss_download_annon"]
CAPTURES = [
    (tool, example)
    for tool in OSS_TOOLS
    for example in json.loads((WIRE / "tools" / f"{tool}.json").read_text())["examples"]
]


@pytest.mark.parametrize(("tool", "example"), CAPTURES, ids=[f"{e['sdk']}-{t}" for t, e in CAPTURES])
def test_the_args_are_the_official_sdks_bytes(
    bay: Any, fake: FakeService, tool: str, example: dict[str, Any]
) -> None:
    theirs = example["request"]["form"]["Args"]
    fake.reply(f"CallMcpTool:{tool}", example["response"]["body"])
    oss = new_session(bay).oss
    method = example["sdk_call"].removeprefix("oss.")
    result = getattr(oss, method)(**json.loads(theirs))
    ours = fake.sent[-1]
    assert ours.form["Name"] == tool and ours.form["Args"] == theirs
    raw = dict(pair.partition("=")[::2] for pair in ours.request.content.decode().split("&"))
    assert raw["Args"] == quote_plus(theirs)
    # Where the capture's raw body kept the bytes sent (a few had paths edited in `form` only).
    their_raw = parse_qs(example["request"]["raw_body"])["Args"][0]
    if their_raw == theirs:
        assert example["request"]["raw_body"].split("Args=")[1].split("&")[0] == raw["Args"]
    official = example["sdk_result"]
    assert result.success and result.request_id == official["request_id"]
    field = "client_config" if tool == "oss_env_init" else "content"
    assert getattr(result, field) == official[field]


# ---- secrets -------------------------------------------------------------------------------------

LEAKS = [
    *(form for s in (SECRET, TOKEN) for form in (s, quote_plus(s), quote(s, safe=""), s.replace("/", "\\/"))),
    "Se/cret+Key",
    "sts/Token",
    "Se%2Fcret",
    "sts%2FToken",
]


def echoes() -> list[str]:
    """Texts a tool, the service or a gateway might send back, quoting the credentials."""
    args = json.dumps({"access_key_id": "AK", "access_key_secret": SECRET, "security_token": TOKEN})
    return [
        f"config: ak=AK sk={SECRET} token={TOKEN}",
        f"<pre>Args={quote_plus(args)}&Name=oss_env_init</pre>",
        f"echo {json.dumps(args)}",
        f"{quote(SECRET, safe='')} / {quote(TOKEN, safe='').lower()}",
    ]


def assert_clean(*texts: str) -> None:
    for text in texts:
        for leak in LEAKS:
            assert leak.lower() not in text.lower(), f"{leak!r} leaked in {text[:300]!r}"


@pytest.fixture
def debug(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx's, httpcore's
    return caplog


def every_text(result: Any, caplog: pytest.LogCaptureFixture) -> list[str]:
    texts = [repr(result), str(result.error_message), caplog.text]
    if result.error is not None:
        texts += [str(result.error), repr(result.error), "".join(traceback.format_exception(result.error))]
    return texts


@pytest.mark.parametrize("echo", range(len(echoes())))
def test_credentials_quoted_by_any_reply_do_not_leak(
    bay: Any, fake: FakeService, debug: pytest.LogCaptureFixture, echo: int
) -> None:
    text = echoes()[echo]
    oss = new_session(bay).oss
    fake.tool("oss_env_init", text)  # a success that quotes them
    ok = oss.env_init("AK", SECRET, TOKEN)
    assert ok.success and "***" in ok.client_config
    assert_clean(*every_text(ok, debug))
    fake.tool("oss_env_init", f"failed: {text}", is_error=True)  # a tool error
    failed = oss.env_init("AK", SECRET, TOKEN)
    assert isinstance(failed.error, ToolError)
    assert_clean(*every_text(failed, debug))
    body = {"RequestId": "R-1", "Code": "InvalidParameter", "Message": f"refused: {text}"}
    fake.reply("CallMcpTool", body, status=400)  # the service's error
    refused = oss.env_init("AK", SECRET, TOKEN)
    assert not refused.success and refused.request_id == "R-1"
    assert_clean(*every_text(refused, debug))
    fake.reply("CallMcpTool", f"<html>400 {text}</html>".encode(), status=400)  # a gateway's page
    assert_clean(*every_text(oss.env_init("AK", SECRET, TOKEN), debug))
    # Later calls of any tool, on any session of the client, are scrubbed too.
    fake.tool("oss_download", f"SignatureDoesNotMatch for {text}", is_error=True)
    later = new_session(bay).oss.download("b", "k", "/p")
    assert_clean(*every_text(later, debug))
    fake.reply("GetLabel", body, status=400)
    with pytest.raises(Exception) as info:
        new_session(bay).get_labels()
    assert_clean(str(info.value), "".join(traceback.format_exception(info.value)))


def test_a_transport_error_quoting_the_credentials_does_not_leak_them(
    bay: Any, fake: FakeService, debug: pytest.LogCaptureFixture
) -> None:
    oss = new_session(bay).oss
    fake.fail("CallMcpTool", httpx.RemoteProtocolError(f"illegal header: {echoes()[1]}"))
    result = oss.env_init("AK", SECRET, TOKEN)
    assert isinstance(result.error, APIConnectionError) and result.error.__cause__ is None
    assert_clean(*every_text(result, debug))


def test_the_args_repr_hides_the_credentials() -> None:
    args = env_init_args("AK", SECRET, TOKEN, "e", None)
    assert json.loads(json.dumps(args))["access_key_secret"] == SECRET  # sent as given
    assert (
        repr(args)
        == str(args)
        == repr({"access_key_id": "AK", "access_key_secret": "***", "security_token": "***", "endpoint": "e"})
    )
    assert "None" in repr(env_init_args("AK", SECRET, None, None, None))  # no token: nothing hidden


def test_redactor_learns_secrets_but_not_short_ones_and_keeps_a_bounded_number() -> None:
    redact = Redactor("akm-the-api-key-0001")
    redact.add(SECRET)
    redact.add("SK")  # as short as chance text: scrubbing it would mangle replies ("SKip")
    assert redact.text(f"Bearer akm-the-api-key-0001 {SECRET} SKip") == "Bearer *** *** SKip"
    assert redact.content(quote_plus(SECRET).encode()) == b"***"
    for n in range(MAX_LEARNED):
        redact.add(f"rotated-sts-token-{n:04d}")
    assert redact.text(SECRET) == SECRET  # the oldest is forgotten
    assert redact.text("rotated-sts-token-0000 akm-the-api-key-0001") == "*** ***"
    short = Redactor("k")  # a short API key stays scrubbed after Bearer only, learned secrets anywhere
    short.add(SECRET)
    assert short.text(f"ok Bearer k {SECRET}") == "ok Bearer *** ***"
