"""Keeps the API key (and the object-storage secrets a user hands a session) out of everything the SDK
builds from a failed reply: errors and logs.

A gateway or proxy may echo the request it refused (an HTML 400 page quoting the form body, a JSON
`Message` quoting `Authorization`), so the transport builds every error from a scrubbed copy of the
reply. Successful replies are not touched: they are the user's data (a file may hold the key on purpose).
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, quote_plus

__all__ = ["MAX_LEARNED", "REDACTED", "Redactor"]

REDACTED = "***"

# A bare string this short turns up by chance in any text: scrubbing it would mangle replies (a test
# key "k" would turn "ok" into "o***") without protecting anything. "Bearer <key>" is scrubbed whatever
# the key's length. Real AgentBay keys are far longer.
_MIN_BARE = 8


def _percent_all(text: str) -> str:
    return "".join(f"%{byte:02X}" for byte in text.encode("utf-8"))


def _json_escaped(text: str) -> set[str]:
    """How `text` reads inside a JSON string (with or without escaped slashes and non-ASCII)."""
    plain = json.dumps(text, ensure_ascii=False)[1:-1]
    ascii_ = json.dumps(text)[1:-1]
    return {plain, ascii_, plain.replace("/", "\\/"), ascii_.replace("/", "\\/")}


class Redactor:
    """Replaces every form in which a reply may quote `secret` with ``***``.

    The forms, matched in any letter case: the raw key (also inside ``Bearer <key>``, JSON or HTML), the
    key URL-encoded the ways a form body or a query carries it (``quote_plus``, ``quote``, every byte
    percent-encoded), each also as a JSON string holds it (escaped once for a text, twice more for a
    body: a JSON `Message` quoting a JSON text), and each after ``Bearer``, ``Bearer+`` or ``Bearer%20``,
    which stays.

    `add` teaches it more secrets (the object-storage credentials a user hands `session.oss.env_init`),
    scrubbed in the same forms, plus as a tool's form-encoded Args carry them.
    """

    def __init__(self, secret: str) -> None:
        self._key = secret
        self._learned: dict[str, None] = {}  # insertion-ordered: the oldest is dropped first
        self._compile()

    def add(self, secret: str) -> None:
        """Scrub `secret` too, from now on. One shorter than 8 characters is not scrubbed (see
        `_MIN_BARE`); at most `MAX_LEARNED` are kept, the most recent ones."""
        if len(secret) < _MIN_BARE or secret == self._key or secret in self._learned:
            return
        self._learned[secret] = None
        while len(self._learned) > MAX_LEARNED:
            del self._learned[next(iter(self._learned))]
        self._compile()

    def _compile(self) -> None:
        key_forms, key_in_json = _forms(self._key)
        learned_forms: set[str] = set()
        learned_in_json: set[str] = set()
        for secret in self._learned:
            forms, in_json = _forms(secret)
            # A secret inside a tool's Args: a JSON text, form-encoded.
            forms |= {quote_plus(escaped) for escaped in _json_escaped(secret)}
            learned_forms |= forms
            learned_in_json |= in_json
        bare = len(self._key) >= _MIN_BARE
        self._text = self._pattern(key_forms, learned_forms, bare=bare)
        self._bytes = re.compile(self._text.pattern.encode("utf-8"), re.IGNORECASE)
        self._bytes_in_json = re.compile(
            self._pattern(key_in_json, learned_in_json, bare=bare).pattern.encode("utf-8"), re.IGNORECASE
        )
        # The cheap test of a reply: `in` on its lower-cased bytes, before any regex runs.
        every = key_forms | key_in_json | learned_forms | learned_in_json
        self._needles = {form.lower().encode("utf-8") for form in every}

    @staticmethod
    def _pattern(key_forms: set[str], learned: set[str], *, bare: bool) -> re.Pattern[str]:
        prefix = r"(Bearer(?: |\+|%20))"
        if bare:
            return re.compile(f"{prefix}?(?:{_alternatives(key_forms | learned)})", re.IGNORECASE)
        # A short key only after Bearer; the learned secrets (never short) anywhere.
        pattern = f"{prefix}(?:{_alternatives(key_forms)})"
        if learned:
            pattern += f"|(?:{_alternatives(learned)})"
        return re.compile(pattern, re.IGNORECASE)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def text(self, text: str) -> str:
        """`text` with every form of the secrets replaced."""
        return self._text.sub(_keep_prefix, text)

    def content(self, content: bytes) -> bytes:
        """A reply body with every form of the secrets replaced; the same object when it quotes none."""
        lowered = content.lower()
        if not any(needle in lowered for needle in self._needles):
            return content
        content = self._bytes_in_json.sub(_keep_prefix_bytes, content)
        return self._bytes.sub(_keep_prefix_bytes, content)

    def is_clean(self, text: str) -> bool:
        """Whether `text` quotes no form of the secrets."""
        return self._text.search(text) is None


MAX_LEARNED = 64
"""Secrets `Redactor.add` keeps besides the API key: a program that rotates STS tokens for days must
not grow every error's scrubbing without bound; an old token has expired by then."""


def _forms(secret: str) -> tuple[set[str], set[str]]:
    """The forms of `secret` in a text, and those forms as a JSON string holds them (a JSON body)."""
    forms = {secret, quote_plus(secret), quote(secret, safe=""), _percent_all(secret)}
    forms |= {escaped for form in forms for escaped in _json_escaped(form)}
    in_json = {escaped for form in forms for escaped in _json_escaped(form)}
    return forms, in_json


def _alternatives(forms: set[str]) -> str:
    # Longest first, so that a form is never cut short by another that is its prefix.
    return "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))


def _keep_prefix(match: re.Match[str]) -> str:
    return (match.group(1) or "") + REDACTED


def _keep_prefix_bytes(match: re.Match[bytes]) -> bytes:
    return (match.group(1) or b"") + REDACTED.encode()
