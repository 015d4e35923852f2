"""Optional and heavy dependencies stay out of the way until they are needed.

torch is optional: no sklike module may import it (or even try to) at import
time, and asking for it without it installed must say how to get it.  CVXPY
and Numba are required but slow to import, so ``import sklike`` alone must not
load them (the subpackages are imported lazily).
"""

import json
import subprocess
import sys
import textwrap

import pytest

from sklike._backends import get_torch, resolve_device, torch_generator

# Runs in a fresh interpreter: the test process may have imported anything.
# A meta-path finder records every attempt to import torch made by sklike's own
# code (the importing frame is in the sklike package), so the check bites even
# where torch is not installed and ``try: import torch`` would pass silently.
_IMPORT_EVERYTHING = textwrap.dedent(
    """
    import importlib, json, os, pkgutil, sys, traceback

    attempts = []

    class RecordTorchImports:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "torch":
                stack = traceback.extract_stack()[:-1]
                importer = next(
                    (f for f in reversed(stack) if "importlib" not in f.filename),
                    None,
                )
                if importer and importer.filename.startswith(SKLIKE_DIR):
                    attempts.append(f"{importer.filename}:{importer.lineno}")
            return None

    SKLIKE_DIR = os.path.dirname(importlib.util.find_spec("sklike").origin)
    sys.meta_path.insert(0, RecordTorchImports())
    import sklike

    modules = []
    for info in pkgutil.walk_packages(sklike.__path__, prefix="sklike."):
        parts = info.name.split(".")
        if "tests" in parts or parts[-1] in ("__main__", "conftest"):
            continue
        importlib.import_module(info.name)
        modules.append(info.name)
    print(json.dumps({
        "modules": modules,
        "attempts": attempts,
        "torch_loaded": "torch" in sys.modules,
    }))
    """
)


def _run_python(code):
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_every_module_does_not_import_torch():
    report = _run_python(_IMPORT_EVERYTHING)
    # The walk really reached the subpackages and the torch backend itself.
    assert {"sklike.linear_model", "sklike.utils", "sklike._backends._torch"} <= set(
        report["modules"]
    )
    assert not report["attempts"], (
        "these sklike modules import torch at import time; import it lazily with "
        f"sklike._backends.get_torch(): {report['attempts']}"
    )
    assert not report["torch_loaded"]


def test_import_sklike_is_lazy():
    report = _run_python(
        "import json, sys, sklike\n"
        "heavy = ('cvxpy', 'numba', 'torch', 'sklike.linear_model')\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))"
    )
    assert report == [], f"`import sklike` loaded {report}; subpackages must be lazy"


@pytest.mark.parametrize("helper", [get_torch, resolve_device, torch_generator])
def test_missing_torch_names_the_extra(monkeypatch, helper):
    # ``None`` in sys.modules makes ``import torch`` raise ImportError, as if
    # torch were not installed, even where it is.
    monkeypatch.setitem(sys.modules, "torch", None)
    args = {get_torch: (), resolve_device: (None,), torch_generator: (0,)}[helper]
    with pytest.raises(ImportError, match=r"sklike\[torch\]"):
        helper(*args)
