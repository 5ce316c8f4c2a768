"""GUI fixtures: the Vietnamese translator, profiles, a real MainWindow.

The window runs its real executors; tests wait on its signals
(``session_ready``, ``message_shown``) instead of sleeping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import ROOT

OUTPUT_DIR = Path(os.environ.get("CAMAU_TEST_OUTPUT", ROOT / "tmp" / "test-output"))


@pytest.fixture(scope="session")
def vi_app(qapp):
    """The app as users get it: bundled font and Vietnamese translation."""
    from ui.app import install_fonts, install_translator

    install_fonts(qapp)
    translators = install_translator(qapp, "vi")
    assert translators, "resources/i18n/camau_desk_vi.qm did not load"
    yield qapp


@pytest.fixture
def output_dir() -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR


@pytest.fixture
def demo_profile(tmp_path):
    from camau_desk.demo import create_demo_profile

    return create_demo_profile(tmp_path / "demo")


@pytest.fixture
def sample_profile(tmp_path):
    from tests.gui.sample_mail import build_profile

    return build_profile(tmp_path / "sample")


@pytest.fixture
def open_window(vi_app, qtbot, tmp_path):
    """open_window(profile, demo=False) -> a shown MainWindow whose session is ready."""
    from ui.main_window import MainWindow
    from ui.qt import QSettings

    windows = []

    def factory(profile, demo: bool = False, setup=None):
        """``setup(window)`` runs before the profile opens (fake watcher factories, ...)."""
        settings = QSettings(str(tmp_path / f"window{len(windows)}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings)
        window.start_scheduler = False  # no timed checks against real servers in tests (test_window_tray turns it on)
        # no IDLE against real servers, no mirror watcher threads unless a test asks (tests/gui/test_live.py)
        window.live.idle_enabled = window.live.mirror_enabled = False
        if setup is not None:
            setup(window)
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignals([window.session_ready, window.list_ready], timeout=20000):
            window.open_profile(profile, demo=demo)
        windows.append(window)
        return window

    yield factory
    for w in windows:
        w.close()


def reloaded(qtbot, window):
    """``with reloaded(qtbot, window): <change a filter>``: waits for the full list order."""
    return qtbot.waitSignal(window.list_ready, timeout=10000)


def wait_message(qtbot, window, row: int) -> None:
    """Select ``row`` and wait until the reading pane shows it."""
    with qtbot.waitSignal(window.message_shown, timeout=10000):
        window.table.selectRow(row)


def find_row(window, text: str) -> int:
    for r in range(window.model.rowCount()):
        if text in (window.model.row_dict(r).get("subject") or ""):
            return r
    raise AssertionError(f"no row with subject containing {text!r}")
