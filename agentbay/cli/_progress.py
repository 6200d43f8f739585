"""A transfer progress bar on a terminal's stderr; nothing at all when stderr is not a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ._output import is_terminal

__all__ = ["transfer_progress"]

#: The SDK's progress callback: bytes done, bytes in all (-1 when unknown).
Progress = Callable[[int, int], None]


@contextmanager
def transfer_progress(description: str, *, quiet: bool = False) -> Iterator[Progress]:
    """Yield a `progress(done, total)` callback for an upload or download.

    On a terminal it drives a rich bar (bytes, rate, time left) on stderr, cleared of nothing: the
    finished bar stays as a record. When stderr is piped or `quiet`, the callback does nothing.
    """
    if quiet or not is_terminal(sys.stderr):
        yield lambda _done, _total: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        transient=False,
    )
    task = bar.add_task(description, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total if total >= 0 else None)

    with bar:
        yield update
