"""The XML of OSS replies (what oss2's `xml_utils` parses) and of the two request bodies read here
(CompleteMultipartUpload, DeleteMultipleObjects)."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from urllib.parse import quote
from xml.sax.saxutils import escape

from ._errors import OssError, malformed_xml

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
#: The owner shown in listings: accounts are API keys, which are never shown, so a fixed local one.
OWNER = "<Owner><ID>local</ID><DisplayName>local</DisplayName></Owner>"
REGION = "oss-local"


def iso8601(seconds: float) -> str:
    """OSS's timestamps in XML, `2026-12-01T06:00:00.000Z`: always .000 (oss2 parses no other)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(seconds))


def text(value: str) -> str:
    """Element text: escaped, and with characters XML 1.0 cannot carry replaced (keys may contain
    control characters: a client that can list them asks for encoding-type=url)."""
    return escape("".join(ch if ch in "\t\n\r" or ch >= " " else "\ufffd" for ch in value))


def element(tag: str, value: str | int | bool) -> str:
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f"<{tag}>{text(str(value))}</{tag}>"


def url_encoded(value: str, encode: bool) -> str:
    """A key or prefix as listings carry it: percent-encoded when the client asked (oss2 always does),
    so that any key survives XML."""
    return quote(value, safe="/") if encode else value


def document(root: str, parts: Iterable[str]) -> bytes:
    return (HEAD + f"<{root}>" + "".join(parts) + f"</{root}>").encode("utf-8", "surrogateescape")


def error(status_code: str, message: str, request_id: str, host: str, extra: dict[str, str]) -> bytes:
    fields = [element("Code", status_code), element("Message", message)]
    fields += [element("RequestId", request_id), element("HostId", host)]
    fields += [element(name, value) for name, value in extra.items()]
    return document("Error", fields)


def _parse(body: bytes, root_tag: str) -> ElementTree.Element:
    # The bodies are bounded by the caller; expat refuses external entities and bounds expansion.
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        raise malformed_xml() from None
    if root.tag != root_tag:
        raise malformed_xml()
    return root


def parse_complete(body: bytes) -> list[tuple[int, str]]:
    """CompleteMultipartUpload's parts: (PartNumber, ETag without quotes), in the order given."""
    parts = []
    for node in _parse(body, "CompleteMultipartUpload").findall("Part"):
        number, etag = node.findtext("PartNumber"), node.findtext("ETag")
        if number is None or etag is None or not number.strip().isdigit():
            raise malformed_xml()
        parts.append((int(number), etag.strip().strip('"')))
    return parts


def parse_delete(body: bytes) -> tuple[bool, list[str]]:
    """DeleteMultipleObjects' (Quiet, keys)."""
    root = _parse(body, "Delete")
    quiet = (root.findtext("Quiet") or "false").strip().lower() == "true"
    keys = [node.findtext("Key") or "" for node in root.findall("Object")]
    if len(keys) > 1000:
        raise OssError(400, "MalformedXML", "At most 1000 objects can be deleted in one request.")
    return quiet, keys
