"""Object keys: how a `FilePath` or `ParentFolderPath` names a file or folder of a context.

A key is a normalised relative path: `/a/b.txt` and `a/b.txt` are both `a/b.txt`, and the object is
stored at `files/a/b.txt` under the context's directory. Only a leading `/` is dropped (a folder may
also end in one); anything else that is not a plain name (`..`, `.`, an empty component as in
`a//b`, NUL) is refused rather than normalised, so that no key can reach outside `files/` and two
different spellings never name one object.
"""

from __future__ import annotations

#: The longest key, in UTF-8 bytes (OSS's object-name limit).
MAX_KEY_BYTES = 1023
#: The longest component, in UTF-8 bytes (NAME_MAX of the filesystems the files live on).
MAX_NAME_BYTES = 255


class BadKey(ValueError):
    """A path that names no object; the message says why, for an InvalidParameter reply."""


def object_key(path: str) -> str:
    """The key of a file path: `/a/b.txt` -> `a/b.txt`.

    Raises:
        BadKey: The path is empty, names a folder (ends in `/`), or is not a plain relative path.
    """
    key = path[1:] if path.startswith("/") else path
    if not key:
        raise BadKey("must name a file, not the root of the context")
    if key.endswith("/"):
        raise BadKey("must name a file, not a folder (it ends in '/')")
    _check(key)
    return key


def folder_key(path: str | None) -> str:
    """The key of a folder path, "" for the root (`None`, "" or "/"): `/a/b/` -> `a/b`.

    Raises:
        BadKey: The path is not a plain relative path.
    """
    key = path or ""
    key = key[1:] if key.startswith("/") else key
    key = key[:-1] if key.endswith("/") else key
    if key:
        _check(key)
    return key


def _check(key: str) -> None:
    if "\x00" in key:
        raise BadKey("must not contain NUL characters")
    try:
        size = len(key.encode("utf-8"))
    except UnicodeEncodeError:
        raise BadKey("must be valid Unicode text (no unpaired surrogates)") from None
    if size > MAX_KEY_BYTES:
        raise BadKey(f"must be at most {MAX_KEY_BYTES} bytes of UTF-8")
    for name in key.split("/"):
        if name in ("", ".", ".."):
            raise BadKey("must be a plain path: no empty, '.' or '..' components")
        if len(name.encode("utf-8")) > MAX_NAME_BYTES:
            raise BadKey(f"must have components of at most {MAX_NAME_BYTES} bytes of UTF-8")
