"""Generate the low-level client from the spec; shared by noxfile.py and the contract-sensitivity test.

Usage: python scripts/generate.py [--spec SPEC] [--out DIR]

The output folder is deleted first: openapi-python-client's --overwrite only clears api/ and models/,
so stray files elsewhere would survive a regeneration.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "agentbay.yaml"
CONFIG = ROOT / "openapi-python-client.yaml"
TEMPLATES = ROOT / "templates"
PACKAGE = "_api"  # a private subpackage of agentbay: no import name of its own to clash
OUT = ROOT / "agentbay" / "_api"
# Pinned: the templates are copies of this exact version's, and a new ruff may format differently.
GENERATOR_DEPS = ["openapi-python-client==0.29.1", "ruff==0.17.6", "openapi-spec-validator==0.9.0"]


BIN = Path(sys.executable).parent


def _bin(name: str) -> str:
    # The tools live beside the running interpreter (a nox or test virtualenv), which may not be on PATH.
    candidate = BIN / name
    return str(candidate) if candidate.exists() else name


def _env() -> dict[str, str]:
    # The generator runs its ruff post hooks by name.
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def generate(spec: Path = SPEC, out: Path = OUT) -> None:
    """Validate `spec` and generate the client package into `out`."""
    subprocess.run([_bin("openapi-spec-validator"), str(spec)], check=True)
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            _bin("openapi-python-client"),
            "generate",
            "--path",
            str(spec),
            "--config",
            str(CONFIG),
            "--custom-template-path",
            str(TEMPLATES),
            "--meta",
            "none",
            "--output-path",
            str(out),
            "--fail-on-warning",
        ],
        check=True,
        cwd=out.parent,
        env=_env(),
    )
    subprocess.run(
        [_bin("ruff"), "check", "--isolated", "--no-cache", "--target-version=py311", str(out)], check=True
    )


def files(root: Path) -> dict[str, Path]:
    """The generated files under `root`, by relative path, without caches."""
    ignored = {"__pycache__", ".ruff_cache"}
    return {
        str(p.relative_to(root)): p
        for p in sorted(root.rglob("*"))
        if p.is_file() and not ignored.intersection(p.relative_to(root).parts)
    }


def diff_trees(old_root: Path, new_root: Path, label: str = f"agentbay/{PACKAGE}") -> list[str]:
    """Unified diff lines between two generated packages; empty when they are byte-for-byte equal."""
    old = files(old_root) if old_root.exists() else {}
    new = files(new_root)
    diff: list[str] = []
    for rel in sorted(old.keys() | new.keys()):
        a = old[rel].read_text().splitlines(True) if rel in old else []
        b = new[rel].read_text().splitlines(True) if rel in new else []
        diff += difflib.unified_diff(a, b, f"{label}/{rel}", f"fresh/{rel}")
    return diff


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    generate(args.spec, args.out)


if __name__ == "__main__":
    main()
