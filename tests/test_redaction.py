"""The API key never leaves through an error or a log, whatever a reply quotes (both flavours)."""

from __future__ import annotations

import logging
import traceback
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
import pytest

from agentbay import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    InvalidParameterError,
    NotFoundError,
    RateLimitError,
    ServerError,
    ToolError,
)
from agentbay._redact import Redactor

from ._fake import FakeService, envelope

# Characters that URL-encoding changes, so that every encoded form differs from the raw key.
KEY = "akm-Te/st+Key=0123456789"
FORMS = [
    KEY,
    quote_plus(KEY),
    quote(KEY, safe=""),
    quote(KEY, safe="").lower(),
    "".join(f"%{b:02X}" for b in KEY.encode()),
    "".join(f"%{b:02x}" for b in KEY.encode()),
    KEY.replace("/", "\\/"),
]
# What must never show: every form, and a distinctive part of each (an excerpt cut through the key).
LEAKS = [*FORMS, "Te/st+Key", "Te%2Fst%2BKey", "st+Key=01234", "%2BKey%3D0123"]
BODY = f"Authorization=Bearer+{quote_plus(KEY)}&SessionId=s-1"


def echoes() -> list[str]:
    """Texts a gateway might send back, quoting the request in every way it could."""
    return [
        f"<html><body><h1>400 Bad Request</h1><pre>{BODY}</pre></body></html>",
        f"Authorization: Bearer {KEY}",
        f"Bearer%20{quote(KEY, safe='')} Bearer+{quote(KEY, safe='').lower()}",
        f"token {''.join(f'%{b:02x}' for b in KEY.encode())} and {KEY.replace('/', chr(92) + '/')}",
    ]


def assert_clean(*texts: str) -> None:
    for text in texts:
        for leak in LEAKS:
            assert leak not in text, f"{leak!r} leaked in {text[:300]!r}"


def every_text(error: BaseException, result_message: str, caplog: pytest.LogCaptureFixture) -> list[str]:
    texts = [str(error), repr(error), result_message, caplog.text]
    texts.append("".join(traceback.format_exception(error)))
    texts += [str(getattr(error, name, "")) for name in ("message", "code", "request_id", "tool")]
    return texts


@pytest.fixture
def keyed(make_bay: Any, caplog: pytest.LogCaptureFixture) -> Any:
    caplog.set_level(logging.DEBUG, logger="agentbay")
    return make_bay(api_key=KEY, max_retries=1)


@pytest.mark.parametrize("echo", range(len(echoes())))
@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (400, "NOT_LOGIN", AuthenticationError),
        (404, "", NotFoundError),
        (400, "InvalidParameter", InvalidParameterError),
        (429, "Throttling", RateLimitError),
        (503, "", ServerError),
        (502, "BadGateway", ServerError),
    ],
)
@pytest.mark.parametrize("as_json", [True, False])
def test_an_error_reply_quoting_the_key_does_not_leak_it(
    keyed: Any,
    fake: FakeService,
    caplog: pytest.LogCaptureFixture,
    echo: int,
    status: int,
    code: str,
    error: type,
    as_json: bool,
) -> None:
    text = echoes()[echo]
    if not as_json and status == 400:  # a non-JSON 400 names no code: a plain APIError
        error = APIError
    # The excerpt of a non-JSON body is cut at 200 characters: put the key across that cut too.
    raw = ("x" * (190 - echo) + text).encode()
    body: Any = {"RequestId": f"R {text}", "Code": code, "Message": f"refused: {text}"} if as_json else raw
    for _ in range(2):  # GetLabel is retried: the retry's DEBUG record quotes the first error
        fake.reply("GetLabel", body, status=status)
    session = keyed.get("s-1").unwrap()
    with pytest.raises(error) as info:
        session.get_labels()
    assert_clean(*every_text(info.value, "", caplog))
    # The same error as a result (create is never retried).
    fake.reply("CreateMcpSession", body, status=status)
    result = keyed.create()
    assert isinstance(result.error, error)
    assert_clean(*every_text(result.error, result.error_message, caplog))
    assert "***" in str(result.error) or not as_json or "Bearer" not in text


def test_a_success_false_envelope_quoting_the_key_does_not_leak_it(
    keyed: Any, fake: FakeService, caplog: pytest.LogCaptureFixture
) -> None:
    fake.reply("SetLabel", envelope(Code="Forbidden", HttpStatusCode=403, Message=echoes()[1], Success=False))
    result = keyed.get("s-1").unwrap().set_labels({"a": "b"})
    assert isinstance(result.error, AuthenticationError)
    assert_clean(*every_text(result.error, result.error_message, caplog))
    assert "Bearer ***" in result.error.message


@pytest.mark.parametrize("echo", range(len(echoes())))
def test_a_tool_error_quoting_the_key_does_not_leak_it(
    keyed: Any, fake: FakeService, caplog: pytest.LogCaptureFixture, echo: int
) -> None:
    session = keyed.get("s-1").unwrap()
    fake.tool("read_file", f"cannot read: {echoes()[echo]}", is_error=True)
    with pytest.raises(ToolError) as info:
        session._call_tool("read_file", {"path": "/x"})
    assert_clean(*every_text(info.value, "", caplog))
    fake.tool("shell", f"failed: {echoes()[echo]}", is_error=True)
    result = session.command.execute_command("x")
    assert_clean(*every_text(result.error, result.error_message, caplog), result.stderr, result.output)


@pytest.mark.parametrize(
    ("exc", "error"),
    [
        (httpx.RemoteProtocolError(f"illegal header line: {BODY!r}"), APIConnectionError),
        (httpx.ReadError(f"reset after b'{BODY}'"), APIConnectionError),
        (httpx.ConnectError(f"Bearer {KEY}"), APIConnectionError),
        (httpx.ReadTimeout(f"{quote(KEY, safe='')}"), APITimeoutError),
    ],
)
def test_a_transport_error_quoting_the_key_does_not_leak_it(
    keyed: Any, fake: FakeService, caplog: pytest.LogCaptureFixture, exc: Exception, error: type
) -> None:
    fake.fail("ListSession", exc)
    fake.fail("ListSession", exc)
    result = keyed.list()
    assert isinstance(result.error, error)
    # The httpx error quoting the key is not chained (tracebacks would print it); its text is, scrubbed.
    assert result.error.__cause__ is None and type(exc).__name__ in str(result.error)
    assert_clean(*every_text(result.error, result.error_message, caplog))


def test_a_clean_transport_error_stays_chained(keyed: Any, fake: FakeService) -> None:
    exc = httpx.ReadTimeout("slow")
    fake.fail("CreateMcpSession", exc)
    assert keyed.create().error.__cause__ is exc


def test_a_short_key_is_scrubbed_after_bearer_only() -> None:
    # "k" alone occurs in any text; scrubbing it would mangle replies without protecting anything.
    redact = Redactor("k")
    assert redact.text("ok: Bearer k, Bearer+k, Bearer%20k") == "ok: Bearer ***, Bearer+***, Bearer%20***"


def test_a_reply_without_the_key_is_untouched() -> None:
    content = ("héllo " * 1000).encode() + bytes(range(256))
    assert Redactor(KEY).content(content) is content


@pytest.mark.parametrize("echo", range(len(echoes())))
def test_a_successful_reply_is_the_users_data_and_is_returned_as_sent(
    keyed: Any, fake: FakeService, echo: int
) -> None:
    """Only errors are scrubbed: a file or an output that holds the key on purpose comes back intact."""
    session = keyed.get("s-1").unwrap()
    fake.tool("read_file", f"AGENTBAY_API_KEY={echoes()[echo]}\n")
    output = session._call_tool("read_file", {"path": "/home/wuying/.env"})
    assert output.text == f"AGENTBAY_API_KEY={echoes()[echo]}\n"
