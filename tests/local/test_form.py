"""The server's form decoder gives exactly what urllib.parse.parse_qsl gives."""

from __future__ import annotations

import base64
import os
import random
from urllib.parse import parse_qsl, urlencode

import pytest

from agentbay_local._form import parse_form

CASES = [
    b"",
    b"a=1&b=2",
    b"a=&b&&c=3",
    b"Authorization=Bearer+k&Args=%7B%22x%22%3A+%22%C3%A9%22%7D",
    b"a=%2541&b=%25%25&c=%zz&d=%2&e=%%41&f=x%",
    b"a=%41%0A%3D_x&b=%41=c&c=%41\nd&d=%E4%B8%AD",
    b"a=caf\xc3\xa9+au+lait&a=second",
    b"k%20ey=v%2Bplus",
    urlencode({"Args": base64.b64encode(os.urandom(100_000)).decode()}).encode(),
    urlencode({"t": "".join(chr(c) for c in range(1, 3000))}).encode(),
]


@pytest.mark.parametrize("body", CASES)
def test_same_as_parse_qsl(body: bytes) -> None:
    expected = dict(parse_qsl(body.decode(), keep_blank_values=True, errors="strict", max_num_fields=100))
    assert parse_form(body, 100) == expected


def test_random_bodies_match_parse_qsl() -> None:
    rng = random.Random(7)
    alphabet = "ab%+=&25AFfz\u00e9\u4e2d\n_"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        body = text.encode()
        try:
            expected: dict[str, str] | type[ValueError] = dict(
                parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=100)
            )
        except ValueError:
            expected = ValueError
        if expected is ValueError:
            with pytest.raises(ValueError):
                parse_form(body, 100)
        else:
            assert parse_form(body, 100) == expected, text


@pytest.mark.parametrize("body", [b"a=%C3", b"a=\xff", b"&".join([b"a=1"] * 101)])
def test_bad_bodies_raise_value_error(body: bytes) -> None:
    with pytest.raises(ValueError):
        parse_form(body, 100)
