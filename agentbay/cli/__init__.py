"""The `agentbay` command: sessions, commands, files, contexts, desktops and browsers from a shell.

Built on the public facade only (and, for `local serve` and `demo`, the local server's package, which
this is the only facade code allowed to import). click and rich come with the `[cli]` extra (and with
`[local]`); without them the command says what to install. `import agentbay` never imports this.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]

CLI_EXTRA_HINT = "the agentbay command needs the [cli] extra: pip install 'agentbay-python[cli]'"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `agentbay` command; returns its exit code (see `EXIT_CODES`)."""
    try:
        import click  # noqa: F401
    except ImportError as exc:
        print(f"agentbay: {CLI_EXTRA_HINT} ({exc})", file=sys.stderr)
        return 1
    from ._app import run

    return run(argv)
