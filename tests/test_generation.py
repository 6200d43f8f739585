"""generated/ is exactly what the spec, config and templates give, and the check notices when not."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import generate as gen


def test_generated_code_is_reproducible_and_the_check_catches_drift(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh" / gen.PACKAGE
    gen.generate(gen.SPEC, fresh)
    assert gen.diff_trees(gen.OUT, fresh) == [], "generated/ differs: run `nox -s generate`"
    assert "Do not edit" in (fresh / "__init__.py").read_text()

    # A hand edit of a committed file is caught...
    edited = tmp_path / "edited" / gen.PACKAGE
    shutil.copytree(gen.OUT, edited)
    with (edited / "client.py").open("a") as f:
        f.write("# a hand edit\n")
    assert any("a hand edit" in line for line in gen.diff_trees(edited, fresh))

    # ...and so is a spec change that was not regenerated.
    spec = tmp_path / "agentbay.yaml"
    spec.write_text(
        gen.SPEC.read_text().replace(
            "MaxResults:\n              type: integer", "MaxResults:\n              type: string"
        )
    )
    changed = tmp_path / "changed" / gen.PACKAGE
    gen.generate(spec, changed)
    assert any("max_results" in line for line in gen.diff_trees(gen.OUT, changed))


def test_no_spec_text_is_split_into_a_stray_key() -> None:
    # An unquoted description with a comma inside a YAML flow mapping (`{type: string, description: a, b}`)
    # becomes the description `a` plus a key ` b` with a null value, which then shows in tool schemas.
    from ._spec import spec

    stray: list[str] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if value is None and isinstance(key, str) and " " in key:
                    stray.append(f"{where}: {key!r}")
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{where}[{i}]")

    walk(spec(), "")
    assert stray == []
