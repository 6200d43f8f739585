"""Keeps the API key out of everything the SDK builds from a failed reply: errors and logs.

A gateway or proxy may echo the request it refused (an HTML 400 page quoting the form body, a JSON
`Message` quoting `Authorization`), so the transport builds every error from a scrubbed copy of the
reply. Successful replies are not touched: they are the user's data (a file may hold the key on purpose).
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, quote_plus

__all__ = ["REDACTED", "Redactor"]

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
    """

    def __init__(self, secret: str) -> None:
        forms = {secret, quote_plus(secret), quote(secret, safe=""), _percent_all(secret)}
        forms |= {escaped for form in forms for escaped in _json_escaped(form)}
        in_json = {escaped for form in forms for escaped in _json_escaped(form)}
        self._text = self._pattern(forms, bare=len(secret) >= _MIN_BARE)
        self._bytes = re.compile(self._text.pattern.encode("utf-8"), re.IGNORECASE)
        self._bytes_in_json = re.compile(
            self._pattern(in_json, bare=len(secret) >= _MIN_BARE).pattern.encode("utf-8"), re.IGNORECASE
        )
        # The cheap test of a reply: `in` on its lower-cased bytes, before any regex runs.
        self._needles = {form.lower().encode("utf-8") for form in forms | in_json}

    @staticmethod
    def _pattern(forms: set[str], *, bare: bool) -> re.Pattern[str]:
        # Longest first, so that a form is never cut short by another that is its prefix.
        alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
        prefix = r"(Bearer(?: |\+|%20))" + ("?" if bare else "")
        return re.compile(f"{prefix}(?:{alternatives})", re.IGNORECASE)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def text(self, text: str) -> str:
        """`text` with every form of the secret replaced."""
        return self._text.sub(_keep_prefix, text)

    def content(self, content: bytes) -> bytes:
        """A reply body with every form of the secret replaced; the same object when it quotes none."""
        lowered = content.lower()
        if not any(needle in lowered for needle in self._needles):
            return content
        content = self._bytes_in_json.sub(_keep_prefix_bytes, content)
        return self._bytes.sub(_keep_prefix_bytes, content)

    def is_clean(self, text: str) -> bool:
        """Whether `text` quotes no form of the secret."""
        return self._text.search(text) is None


def _keep_prefix(match: re.Match[str]) -> str:
    return (match.group(1) or "") + REDACTED


def _keep_prefix_bytes(match: re.Match[bytes]) -> bytes:
    return (match.group(1) or b"") + REDACTED.encode()
