"""Session paths: how `/home/wuying/...` and `/tmp/...` map onto the host, and nothing else does.

A session owns two trees, `/home/wuying` and `/tmp`, stored on the host as `<session_root>/home/wuying`
and `<session_root>/tmp`. The shell sees them at those session paths (bubblewrap binds them there), so
the file tools must read paths, and symlinks, exactly as a process inside the sandbox would:

- A relative path is relative to `/home/wuying`.
- Every component is resolved by hand, in the *session's* namespace, like `openat2(RESOLVE_IN_ROOT)`
  with two roots: an absolute symlink target such as `/tmp/x` means the session's `/tmp/x`, never the
  host's, and `..` moves up the session path. So a link made by `ln -s /tmp/x` inside the sandbox works
  the same for the file tools, and a link to `/etc/passwd`, to a sibling session's directory or to the
  host path of this very session lands outside the two trees and is refused.
- Anything that ends (or passes) outside the trees is `AccessDenied`, before anything is touched.

Resolution yields a `Location`: the tree and the real, symlink-free components below its root. The
tools then reach it with `openat` one component at a time with `O_NOFOLLOW` (`open_dir`), so a
component swapped for a symlink between the check and the use (a session process racing us) makes the
operation fail instead of following the link out of the session.
"""

from __future__ import annotations

import errno
import os
import posixpath
import stat
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ._args import AccessDenied, ToolFailure

__all__ = [
    "HOME",
    "TMP",
    "Location",
    "SessionFS",
    "display",
    "open_dir",
    "os_failure",
    "parent_dir",
    "resolve",
]

HOME = "/home/wuying"
TMP = "/tmp"

#: PATH_MAX on Linux; longer paths cannot name anything and are refused before any lookup.
MAX_PATH_BYTES = 4096
#: The kernel's own limit on symlinks followed during one lookup (ELOOP).
MAX_SYMLINK_HOPS = 40
#: Messages quote the caller's path; a megabyte of path in a reply helps nobody.
_MAX_SHOWN = 300

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC

_TREES = ("home", "tmp")
# Outside the trees, the only places a lookup may pass through on its way into one ("/" and "/home").
_PASSAGES: dict[tuple[str, ...], dict[str, tuple[str, ...] | str]] = {
    (): {"home": ("home",), "tmp": "tmp"},
    ("home",): {"wuying": "home"},
}
_TREE_PARENT: dict[str, tuple[str, ...]] = {"home": ("home",), "tmp": ()}
_TREE_PATH = {"home": HOME, "tmp": TMP}


def display(path: str) -> str:
    """`path` as quoted in messages: at most a few hundred characters."""
    return path if len(path) <= _MAX_SHOWN else path[:_MAX_SHOWN] + "..."


def _denied(raw: str) -> AccessDenied:
    return AccessDenied(f"Access denied: {display(raw)} is outside the session")


def os_failure(error: OSError, shown: str) -> ToolFailure:
    """An OS error about a session path as a reply: `No such file or directory: /home/wuying/x`.

    Never the host path: the session has no business knowing where it lives on the host.
    """
    reason = os.strerror(error.errno) if error.errno is not None else str(error)
    return ToolFailure(f"{reason}: {display(shown)}")


@dataclass(frozen=True)
class SessionFS:
    """The host side of one session: the real paths of its two trees."""

    home: str
    tmp: str

    @classmethod
    def open(cls, session_root: Path | str) -> SessionFS:
        """The session at `session_root`, creating `home/wuying` and `tmp` when missing."""
        root = os.fspath(session_root)
        home = os.path.join(root, "home", "wuying")
        tmp = os.path.join(root, "tmp")
        try:
            os.makedirs(home, exist_ok=True)
            os.makedirs(tmp, exist_ok=True)
        except OSError as error:
            raise ToolFailure(f"Session storage is not usable: {os.strerror(error.errno or 0)}") from None
        real_root = os.path.realpath(root)
        real_home, real_tmp = os.path.realpath(home), os.path.realpath(tmp)
        # The server made these directories; if one of them is now a link elsewhere, something outside
        # this code replaced it, and trusting it would hand out someone else's files.
        for real in (real_home, real_tmp):
            if os.path.commonpath([real_root, real]) != real_root or not os.path.isdir(real):
                raise ToolFailure("Session storage is corrupt: a session directory is not where it belongs")
        return cls(home=real_home, tmp=real_tmp)

    def tree_root(self, tree: str) -> str:
        """The host directory behind `tree` (`home` or `tmp`)."""
        return self.home if tree == "home" else self.tmp


@dataclass(frozen=True)
class Location:
    """A resolved session path: a tree and the real components below its root (no `.`, `..`, links)."""

    fs: SessionFS
    tree: str
    parts: tuple[str, ...]
    #: The caller's path made absolute (relative paths are under /home/wuying), for messages and
    #: for building further session paths (search results).
    shown: str

    @property
    def session_path(self) -> str:
        """The canonical session path, e.g. `/home/wuying/d1/a.txt`: what the sandbox calls it."""
        return posixpath.join(_TREE_PATH[self.tree], *self.parts)

    @property
    def host_path(self) -> str:
        """The host path; only for handing to a process (the fallback shell's cwd), never for I/O."""
        return os.path.join(self.fs.tree_root(self.tree), *self.parts)

    @property
    def is_root(self) -> bool:
        """True for `/home/wuying` and `/tmp` themselves, which no tool may delete or move."""
        return not self.parts


def _absolute(raw: str) -> str:
    """`raw` as an absolute session path, without resolving anything.

    `..` is deliberately left in: it is resolved component by component after any symlink before it,
    as the kernel does inside the sandbox (`/home/wuying/link/..` is the parent of the link's target).
    """
    return raw if raw.startswith("/") else f"{HOME}/{raw}"


def _components(path: str) -> list[str]:
    return [part for part in path.split("/") if part not in ("", ".")]


def _check_raw(raw: str) -> None:
    if raw == "":
        raise ToolFailure("Invalid path: the path is empty")
    if "\x00" in raw:
        raise ToolFailure(f"Invalid path {display(raw)!r}: it contains a null byte")
    try:
        size = len(raw.encode("utf-8"))
    except UnicodeEncodeError:
        raise ToolFailure(f"Invalid path {display(raw)!r}: it is not valid Unicode") from None
    if size > MAX_PATH_BYTES:
        raise ToolFailure(f"File name too long: {display(raw)}")


class _Walker:
    """One lookup: a state machine over the session namespace, touching the host only inside trees."""

    def __init__(self, fs: SessionFS, raw: str) -> None:
        self.fs = fs
        self.raw = raw
        self.shown = _absolute(raw)
        self.hops = 0

    def run(self, pending: deque[str], *, follow_final: bool) -> Location:
        # Outside the trees `tree` is None and `parts` is the session path so far ((), or ("home",)).
        tree: str | None = None
        parts: list[str] = []
        while pending:
            name = pending.popleft()
            if name == "..":
                if tree is None:
                    if parts:
                        parts.pop()
                elif parts:
                    parts.pop()
                else:
                    parts, tree = list(_TREE_PARENT[tree]), None
                continue
            if tree is None:
                step = _PASSAGES.get(tuple(parts), {}).get(name)
                if step is None:
                    raise _denied(self.raw)
                if isinstance(step, str):
                    tree, parts = step, []
                else:
                    parts = list(step)
                continue
            final = not pending
            host = os.path.join(self.fs.tree_root(tree), *parts, name)
            try:
                info = os.lstat(host)
            except FileNotFoundError:
                # The rest does not exist yet (a file to create, a directory to make). A `..` after a
                # missing component fails in the kernel too, so it fails here.
                rest = list(pending)
                if ".." in rest:
                    raise os_failure(OSError(errno.ENOENT, ""), self.shown) from None
                parts.append(name)
                parts.extend(rest)
                pending.clear()
                continue
            except OSError as error:
                raise os_failure(error, self.shown) from None
            if stat.S_ISLNK(info.st_mode):
                if final and not follow_final:
                    # The caller acts on the link itself (delete, move), but a link that points out of
                    # the session is refused all the same: nothing about it is the session's business.
                    self._check_link_target(tree, parts, name)
                    parts.append(name)
                    continue
                self.hops += 1
                if self.hops > MAX_SYMLINK_HOPS:
                    raise ToolFailure(f"Too many levels of symbolic links: {display(self.shown)}")
                try:
                    target = os.readlink(host)
                except OSError as error:
                    raise os_failure(error, self.shown) from None
                if target.startswith("/"):
                    tree, parts = None, []
                pending.extendleft(reversed(_components(target)))  # "/" alone: back at the top
                continue
            if not stat.S_ISDIR(info.st_mode) and not final:
                raise os_failure(OSError(errno.ENOTDIR, ""), self.shown)
            parts.append(name)
        if tree is None:
            raise _denied(self.raw)
        return Location(self.fs, tree, tuple(parts), self.shown)

    def _check_link_target(self, tree: str, parts: list[str], name: str) -> None:
        start = deque([*(_components(_TREE_PATH[tree])), *parts, name])
        probe = _Walker(self.fs, self.raw)
        probe.hops = self.hops
        try:
            probe.run(start, follow_final=True)
        except AccessDenied:
            raise
        except ToolFailure:
            pass  # a dangling link inside the session: harmless, the caller may still remove it


def resolve(fs: SessionFS, raw: str, *, follow_final: bool = True) -> Location:
    """Resolve the session path `raw`, or raise `AccessDenied` / `ToolFailure`.

    With `follow_final=False` a symlink as the last component is kept (for delete and move, which act
    on the link), but it is still refused if it points outside the session.
    """
    _check_raw(raw)
    walker = _Walker(fs, raw)
    return walker.run(deque(_components(walker.shown)), follow_final=follow_final)


def open_dir(location: Location, parts: tuple[str, ...] | None = None) -> int:
    """An fd of the directory `parts` (default: the location itself), reached without following links.

    Raises `OSError` (ENOENT, ENOTDIR, ELOOP...) from the first component that is not a real directory.
    """
    fd = os.open(location.fs.tree_root(location.tree), os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in location.parts if parts is None else parts:
            child = os.open(part, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def parent_dir(location: Location) -> Iterator[tuple[int, str]]:
    """`(fd of the parent directory, final name)` for a location that is not a tree root.

    A component that turned into a symlink since `resolve` (a racing session process) is reported as
    access denied rather than followed.
    """
    if location.is_root:
        raise ToolFailure(f"Operation not permitted on the session directory {display(location.shown)}")
    try:
        fd = open_dir(location, location.parts[:-1])
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR):
            # resolve() saw real directories all the way; a symlink (O_NOFOLLOW | O_DIRECTORY gives
            # ENOTDIR or ELOOP) or a file there now means a session process swapped it meanwhile.
            raise _denied(location.shown) from None
        if error.errno == errno.ENOENT:
            raise ToolFailure(
                f"No such file or directory: {display(location.shown)} (the parent directory does not exist)"
            ) from None
        raise os_failure(error, location.shown) from None
    try:
        yield fd, location.parts[-1]
    finally:
        os.close(fd)
