"""`agentbay screenshot` (a desktop session's screen as a PNG) and `agentbay browser` (its CDP URL)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ._app import State, common_options, output_option, pass_state, verbose_option

__all__ = ["browser", "screenshot"]


# `screenshot` gives `-o` to the file, as cp and curl do; these are common_options without `-o`.
@click.command("screenshot")
@click.argument("session_id", metavar="ID")
@click.option(
    "-o",
    "--file",
    "file",
    metavar="FILE",
    type=click.Path(allow_dash=True),
    help="Where to write the PNG (`-`: stdout; a folder: the default name in it)"
    " [default: screenshot-ID.png].",
)
@output_option("--output")
@verbose_option
@pass_state
def screenshot(state: State, session_id: str, file: str | None) -> None:
    """Save a screenshot of the desktop of session ID (a linux_latest session) as a PNG.

    Here -o names the file; the output format is --output (or `agentbay -o json screenshot ...`).

    \b
    Example:
      agentbay screenshot "$SID" -o desk.png
      agentbay screenshot "$SID" -o - | display
    """
    if file in ("json", "table"):
        # Most likely meant as the output format of every other command; a file of that name is
        # still possible as ./json.
        raise click.BadParameter(
            f"-o names the file here; for the output format use --output {file} (a file: -o ./{file})",
            param_hint="-o",
        )
    if file == "-" and state.json:
        raise click.UsageError("--output json cannot be used with -o -: stdout carries the PNG")
    session = state.session(session_id)
    if file == "-":
        shot = session.computer.screenshot_bytes()
        shot.raise_for_error()
        sys.stdout.flush()
        sys.stdout.buffer.write(shot.content)
        sys.stdout.buffer.flush()
        return
    path = Path(file) if file else Path(f"screenshot-{session_id}.png")
    if path.is_dir():
        path = path / f"screenshot-{session_id}.png"
    shot = session.computer.save_screenshot(path)
    shot.raise_for_error()
    size = len(shot.content)
    state.emit(
        {
            "session_id": session_id,
            "path": str(path),
            "bytes": size,
            "width": shot.width or None,
            "height": shot.height or None,
        },
        text=f"{path} ({shot.width}x{shot.height}, {size} bytes)",
    )


@click.command("browser")
@click.argument("session_id", metavar="ID")
@common_options
@pass_state
def browser(state: State, session_id: str) -> None:
    """Start the browser of session ID (a browser_latest session) if needed; print its CDP URL.

    Connect a CDP client to the URL, e.g. Playwright's `chromium.connect_over_cdp(url)`.

    \b
    Example:
      agentbay browser "$SID"
      agentbay browser "$SID" -o json
    """
    session = state.session(session_id)
    # InitBrowser returns the running browser's port when it already runs, so this is safe to repeat.
    session.browser.initialize()
    url = session.browser.get_endpoint_url()
    state.emit({"session_id": session_id, "cdp_url": url}, text=url)
