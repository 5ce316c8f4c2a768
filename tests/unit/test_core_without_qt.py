"""The core imports with PySide6 blocked (architecture rule, issue 2)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.unit


def test_every_core_module_imports_without_pyside6():
    code = textwrap.dedent(
        """
        import importlib, pkgutil, sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "PySide6" or name.startswith("PySide6.") or name == "shiboken6":
                    raise ImportError("PySide6 is blocked in this test")
                return None

        sys.meta_path.insert(0, Block())
        import camau_desk
        names = ["camau_desk"]
        for info in pkgutil.walk_packages(camau_desk.__path__, "camau_desk."):
            importlib.import_module(info.name)
            names.append(info.name)
        assert not any(m.startswith("PySide6") for m in sys.modules)
        print(len(names))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) > 5
