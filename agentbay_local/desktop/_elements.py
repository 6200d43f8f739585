"""`get_clickable_ui_elements` and `get_all_ui_elements` on a Linux desktop: the X window tree.

There is no accessibility tree here (no AT-SPI bus in the session), so the elements are X windows:
the window manager's visible (not minimized) windows, in `_NET_CLIENT_LIST` order, each with the X
windows inside it as children. An element has the keys the official SDKs read:

- `bounds`: `"left,top,right,bottom"` in screen pixels (right and bottom exclusive);
- `className`: the window's X class (`WM_CLASS`'s second part, e.g. `XTerm`), `""` if it has none;
- `text`: the window's title (`_NET_WM_NAME`, else `WM_NAME`; inner windows: their `WM_NAME`);
- `type`: `"window"` (`"clickable"` in `get_clickable_ui_elements`, as the cloud says);
- `resourceId`: the X window id in decimal, the `window_id` of `list_root_windows`;
- `index`: the position among its siblings; `isParent`: whether it has children;
- `children` (`get_all_ui_elements` only): the same, recursively.

`get_clickable_ui_elements` is the top-level windows alone, flat: each is clickable (a click raises
and focuses it). With `format: "xml"` (SDK 0.22), `get_all_ui_elements` replies the same tree as an
Android-style hierarchy document: `<hierarchy><node index text resource-id class bounds="[l,t][r,b]">`.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from ..sandbox._args import ToolFailure, get_int, get_str
from . import _windows
from . import _x as x
from ._display import Display
from ._tools import desktop_tool

__all__ = ["XWindow", "parse_tree"]

# A window in `xwininfo -root -tree`: `0x40000c "title": ("xterm" "XTerm")  484x316+4+27  +4+27`, the
# title `(has no name)` when there is none, and the last pair the absolute position. The title may
# hold anything, so the line is matched from its end.
_TREE_LINE = re.compile(
    r"^(?P<indent> *)(?P<id>0x[0-9a-fA-F]+) (?P<name>.*): \((?P<cls>[^()]*)\)"
    r"\s+(?P<w>\d+)x(?P<h>\d+)\+-?\d+\+-?\d+\s+\+(?P<x>-?\d+)\+(?P<y>-?\d+)\s*$"
)
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


@dataclass
class XWindow:
    """One window of the X tree: id, `WM_NAME`, X class, absolute geometry, child windows."""

    window_id: int
    name: str
    class_name: str
    x: int
    y: int
    width: int
    height: int
    children: list[XWindow] = field(default_factory=list)


def parse_tree(text: str) -> dict[int, XWindow]:
    """Every window of `xwininfo -root -tree`'s output, by id, each with its children (by indent)."""
    windows: dict[int, XWindow] = {}
    stack: list[tuple[int, XWindow]] = []  # (indent, window) of the open ancestors
    for line in text.splitlines():
        match = _TREE_LINE.match(line)
        if match is None:
            continue
        name = match["name"]
        classes = _QUOTED.findall(match["cls"])
        window = XWindow(
            window_id=int(match["id"], 16),
            name=name[1:-1] if name.startswith('"') and name.endswith('"') else "",
            class_name=classes[-1] if classes else "",
            x=int(match["x"]),
            y=int(match["y"]),
            width=int(match["w"]),
            height=int(match["h"]),
        )
        indent = len(match["indent"])
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if stack:
            stack[-1][1].children.append(window)
        stack.append((indent, window))
        windows[window.window_id] = window
    return windows


def _element(window: XWindow, index: int, kind: str, deep: bool, title: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "bounds": f"{window.x},{window.y},{window.x + window.width},{window.y + window.height}",
        "className": window.class_name,
        "text": window.name if title is None else title,
        "type": kind,
        "resourceId": str(window.window_id),
        "index": index,
        "isParent": bool(window.children),
    }
    if deep:
        element["children"] = [_element(child, i, kind, True) for i, child in enumerate(window.children)]
    return element


async def elements(display: Display, kind: str, deep: bool) -> list[dict[str, Any]]:
    """The visible top-level windows as elements (see the module docstring)."""
    managed = await _windows.list_windows(display)
    tree = parse_tree(await x.run(display, "xwininfo", "-root", "-tree"))
    found: list[dict[str, Any]] = []
    for win in managed:
        window = tree.get(win.window_id)
        if window is None or win.state == "minimized":  # gone since, or not on the screen
            continue
        # The window manager's geometry and the UTF-8 title (xwininfo mangles non-ASCII names).
        window.x, window.y, window.width, window.height = win.x, win.y, win.width, win.height
        found.append(_element(window, len(found), kind, deep, title=win.title))
    return found


def _check_args(args: dict[str, Any]) -> str:
    get_int(args, "timeout_ms", default=2000)  # the X calls are bounded on their own; checked only
    return get_str(args, "format", default="json")


@desktop_tool("get_clickable_ui_elements")
async def get_clickable_ui_elements(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    _check_args(args)
    return json.dumps(await elements(display, "clickable", deep=False)), False


def to_xml(found: list[dict[str, Any]]) -> str:
    """Elements as an Android-style UI hierarchy document (SDK 0.22's `format="xml"`)."""

    def add(parent: ET.Element, element: dict[str, Any]) -> None:
        left, top, right, bottom = element["bounds"].split(",")
        node = ET.SubElement(
            parent,
            "node",
            {
                "index": str(element["index"]),
                "text": element["text"],
                "resource-id": element["resourceId"],
                "class": element["className"],
                "bounds": f"[{left},{top}][{right},{bottom}]",
                "clickable": "true",
            },
        )
        for child in element.get("children", []):
            add(node, child)

    root = ET.Element("hierarchy", {"rotation": "0"})
    for element in found:
        add(root, element)
    return '<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root, encoding="unicode")


@desktop_tool("get_all_ui_elements")
async def get_all_ui_elements(display: Display, args: dict[str, Any]) -> tuple[str, bool]:
    form = _check_args(args)
    if form not in ("json", "xml"):
        raise ToolFailure(f"Argument 'format' is {form!r}: it must be json or xml")
    found = await elements(display, "window", deep=True)
    return (to_xml(found) if form == "xml" else json.dumps(found)), False
