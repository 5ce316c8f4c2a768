"""`python main.py --demo` really starts, and a second launch hands over and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.gui


def test_second_launch_raises_the_first_and_exits_0(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CAMAU_DESK_DATA_DIR": str(tmp_path / "default")}
    cmd = [sys.executable, str(ROOT / "main.py"), "--demo", "--data-dir", str(tmp_path / "demo")]
    first = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "demo" / "camau_desk.sqlite3").exists():
            assert first.poll() is None, first.stdout.read().decode(errors="replace")
            assert time.monotonic() < deadline, "the demo profile was never created"
            time.sleep(0.1)
        second = subprocess.run(cmd, env=env, capture_output=True, timeout=30)
        assert second.returncode == 0
        assert first.poll() is None  # the first window is still there
    finally:
        first.terminate()
        try:
            first.wait(10)
        except subprocess.TimeoutExpired:
            first.kill()
