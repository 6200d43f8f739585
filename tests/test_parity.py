"""Sync/async parity and the public surface."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import agentbay

PAIRS = [
    (agentbay.AgentBay, agentbay.AsyncAgentBay),
    (agentbay.Session, agentbay.AsyncSession),
    (agentbay.Command, agentbay.AsyncCommand),
    (agentbay.FileSystem, agentbay.AsyncFileSystem),
    (agentbay.ContextService, agentbay.AsyncContextService),
    (agentbay.SessionContext, agentbay.AsyncSessionContext),
    (agentbay.ApplicationManager, agentbay.AsyncApplicationManager),
    (agentbay.WindowManager, agentbay.AsyncWindowManager),
    (agentbay.UI, agentbay.AsyncUI),
    (agentbay.Computer, agentbay.AsyncComputer),
    (agentbay.Oss, agentbay.AsyncOss),
    (agentbay.Code, agentbay.AsyncCode),
]


SYNC_IN_BOTH = {"with_options", "watch_directory"}  # no I/O: a plain method in the async client too


def public(cls: type) -> dict[str, object]:
    return {n: m for n, m in vars(cls).items() if not n.startswith("_") or n in {"_call_tool"}}


@pytest.mark.parametrize(("sync", "async_"), PAIRS, ids=lambda c: c.__name__)
def test_sync_and_async_twins_have_the_same_methods_and_signatures(sync: type, async_: type) -> None:
    ours, theirs = public(sync), public(async_)
    renamed = {"close": "aclose"}
    assert {renamed.get(n, n) for n in ours} == set(theirs)
    for name, member in ours.items():
        twin = theirs[renamed.get(name, name)]
        if isinstance(member, property):
            assert isinstance(twin, property)
            continue
        sig, async_sig = inspect.signature(member), inspect.signature(twin)  # type: ignore[arg-type]
        assert list(sig.parameters) == list(async_sig.parameters), name
        assert [p.default for p in sig.parameters.values()] == [
            p.default for p in async_sig.parameters.values()
        ]
        if name in SYNC_IN_BOTH:
            continue
        is_async = inspect.iscoroutinefunction(twin) or inspect.isasyncgenfunction(twin)
        assert is_async, f"{async_.__name__}.{name} must be async"
        assert not inspect.iscoroutinefunction(member), f"{sync.__name__}.{name} must be sync"


def test_context_manager_protocols() -> None:
    for sync, async_ in PAIRS[:2]:
        assert hasattr(sync, "__enter__") and hasattr(sync, "__exit__")
        assert hasattr(async_, "__aenter__") and hasattr(async_, "__aexit__")


def test_exported_members() -> None:
    """__all__ is sorted, complete, and every export claims the public module."""
    assert agentbay.__all__ == sorted(agentbay.__all__, key=str.lower) or agentbay.__all__ == sorted(
        agentbay.__all__
    )
    public_names = {n for n in dir(agentbay) if not n.startswith("_")}
    assert public_names == set(agentbay.__all__) - {"__version__"}
    for name in agentbay.__all__:
        obj = getattr(agentbay, name)
        if isinstance(obj, type):
            assert obj.__module__ == "agentbay", name


def test_nothing_generated_leaks_into_the_public_api() -> None:
    """No public signature or result field names a generated model or `Unset`."""
    import re

    import agentbay._api.models

    # SessionSummary is a name both layers use; ours is the one exported.
    generated = (set(agentbay._api.models.__all__) | {"Unset", "UNSET", "UnexpectedStatus"}) - set(
        agentbay.__all__
    )
    pattern = re.compile(r"\b(" + "|".join(sorted(generated)) + r")\b")
    annotations: list[str] = []
    for name in agentbay.__all__:
        obj = getattr(agentbay, name)
        if not isinstance(obj, type):
            continue
        for klass in obj.__mro__:
            annotations += [str(a) for a in getattr(klass, "__annotations__", {}).values()]
            for member in vars(klass).values():
                fn = member.fget if isinstance(member, property) else member
                annotations += [str(a) for a in getattr(fn, "__annotations__", {}).values()]
    assert len(annotations) > 50
    leaks = [a for a in annotations if pattern.search(a)]
    assert leaks == []


def test_sync_code_is_up_to_date_with_its_async_source() -> None:
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "scripts/unasync.py", "--check"], cwd=root, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_import_agentbay_loads_neither_contexts_nor_every_generated_model() -> None:
    """`import agentbay` stays light: contexts and the generated models load on first use."""
    code = (
        "import sys, agentbay\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('agentbay.'))\n"
        "print(sum(m.startswith('agentbay._api.models.') for m in loaded))\n"
        "print([m for m in loaded if 'context' in m.rsplit('.', 1)[-1] and '_api' not in m])\n"
        "agentbay.ContextSync, agentbay.SessionContext\n"
        "print('agentbay._context_sync' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    import agentbay._api.models as models

    assert int(out[0]) < len(models.__all__) // 2  # only the models the session actions use
    assert out[1] == "[]"
    assert out[2] == "True"  # and they load when named
