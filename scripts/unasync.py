"""Write agentbay/_sync from agentbay/_async (httpcore's unasync approach: a table of substitutions).

Usage: python scripts/unasync.py [--check | --write]

--check fails when a file in agentbay/_sync differs from what the table makes of its async source,
when _sync has a file without a source, or when a substitution is never used (a stale table).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [(ROOT / "agentbay" / "_async", ROOT / "agentbay" / "_sync")]

SUBS: list[tuple[str, str]] = [
    (r"^import asyncio\n", ""),
    (r"\basyncio\.sleep\b", "time.sleep"),
    (r"\basync def\b", "def"),
    (r"\basync with\b", "with"),
    (r"\basync for\b", "for"),
    (r"\baiter_bytes\b", "iter_bytes"),
    (r"\bawait ", ""),
    (r"\b__aenter__\b", "__enter__"),
    (r"\b__aexit__\b", "__exit__"),
    (r"\baclose\b", "close"),
    (r"\bAsyncIterator\b", "Iterator"),
    # AsyncAgentBay -> AgentBay, AsyncSession -> Session, httpx.AsyncClient -> httpx.Client, ...
    (r"\bAsync([A-Z]\w*)", r"\1"),
    (r"\basync facade\b", "sync facade"),
]
COMPILED = [(re.compile(pattern, re.MULTILINE), repl) for pattern, repl in SUBS]
HEADER = (
    "# Generated from agentbay/_async/{name} by scripts/unasync.py. Do not edit: edit the async source.\n"
)


def unasync(text: str, used: set[str]) -> str:
    for regex, repl in COMPILED:
        text, count = regex.subn(repl, text)
        if count:
            used.add(regex.pattern)
    return text


def main() -> int:
    mode = sys.argv[1] if len(sys.argv) > 1 else "--check"
    if mode not in ("--check", "--write"):
        print(__doc__)
        return 2
    used: set[str] = set()
    problems: list[str] = []
    for src_dir, dst_dir in SOURCES:
        dst_dir.mkdir(exist_ok=True)
        expected: dict[str, str] = {}
        for src in sorted(src_dir.glob("*.py")):
            body = unasync(src.read_text(), used)
            expected[src.name] = HEADER.format(name=src.name) + body
        for name, text in expected.items():
            dst = dst_dir / name
            if mode == "--write":
                if not dst.exists() or dst.read_text() != text:
                    dst.write_text(text)
                    print(f"wrote {dst.relative_to(ROOT)}")
            elif not dst.exists() or dst.read_text() != text:
                problems.append(f"{dst.relative_to(ROOT)} differs from its async source")
        for stray in sorted(dst_dir.glob("*.py")):
            if stray.name not in expected:
                if mode == "--write":
                    stray.unlink()
                    print(f"removed {stray.relative_to(ROOT)}")
                else:
                    problems.append(f"{stray.relative_to(ROOT)} has no async source")
    unused = [pattern for pattern, _ in SUBS if pattern not in used]
    problems += [f"substitution {p!r} is never used" for p in unused]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems and mode == "--check":
        print("run `nox -s unasync -- --write` (or python scripts/unasync.py --write)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
