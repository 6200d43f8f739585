"""The contract tests are sensitive: a spec edit that changes the wire makes them fail.

A copy of the spec renames GetLink's form field `ProtocolType` to `protocolType` (the Python name,
`protocol_type`, stays the same, so the facade still runs). The client is regenerated from that copy and
the contract tests run against it: they must fail, and only where the wire changed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import generate as gen

ROOT = gen.ROOT


def test_contract_tests_fail_when_a_form_field_is_renamed(tmp_path: Path) -> None:
    spec = gen.SPEC.read_text()
    assert spec.count("ProtocolType:") == 1
    mutated = tmp_path / "agentbay.yaml"
    mutated.write_text(spec.replace("ProtocolType:", "protocolType:"))
    # A copy of the facade whose private generated client comes from the mutated spec.
    shutil.copytree(ROOT / "agentbay", tmp_path / "agentbay", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "agentbay" / gen.PACKAGE
    gen.generate(mutated, out)
    assert "protocolType" in (out / "models" / "get_link_request.py").read_text()

    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_contract.py", "-q", "-rf", "-p", "no:cacheprovider",
         "-o", "addopts=-p no:agentbay.testing", "-o", f"pythonpath={tmp_path}", "--import-mode=append"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}", "AGENTBAY_CONTRACT_SPEC": str(mutated)},
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    failed = re.findall(r"^FAILED (\S+)", proc.stdout, re.MULTILINE)
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    # Exactly the parity checks of the captured get_link(protocol, port) calls fail, in every version...
    assert sorted(failed) == sorted(
        f"tests/test_contract.py::test_parity_with_the_official_sdk[{flavour}-{v}-GetLink-session.get_link(https,{p})]"
        for v, p in (("0.8.0", 8080), ("0.9.0", 30150), ("0.22.3", 30150))
        for flavour in ("sync", "async")
    )
    # ...and the report names the field the official SDK sends and we no longer do.
    assert "ProtocolType" in proc.stdout and "protocolType" in proc.stdout
    # The rest of the contract suite ran and passed against the regenerated client.
    passed = int(re.search(r"(\d+) passed", proc.stdout).group(1))  # type: ignore[union-attr]
    assert passed > 200
