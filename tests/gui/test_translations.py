"""Every user-visible string of the window comes from the Vietnamese translation."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.conftest import ROOT
from tests.gui.conftest import find_row, wait_message

pytestmark = pytest.mark.gui
TS = ROOT / "resources" / "i18n" / "camau_desk_vi.ts"


def _english_sources() -> set[str]:
    """Sources whose Vietnamese differs: seeing one of them means a string escaped translation."""
    out = set()
    for msg in ET.parse(TS).getroot().iter("message"):
        src = msg.findtext("source") or ""
        tr = msg.find("translation")
        text = (tr.text or "") if tr is not None else ""
        if text != src:
            out.add(src)
            out.add(src.replace("&", ""))
    return out


def test_ts_has_no_unfinished_entry_and_qm_is_current():
    text = TS.read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text
    root = ET.parse(TS).getroot()
    messages = list(root.iter("message"))
    assert len(messages) > 100
    for msg in messages:
        tr = msg.find("translation")
        assert tr is not None and ((tr.text or "").strip() or tr.findall("numerusform")), msg.findtext("source")
    qm = TS.with_suffix(".qm")
    assert qm.exists() and qm.stat().st_mtime >= TS.stat().st_mtime - 1


def test_ts_covers_every_tr_string_in_ui():
    """A new self.tr() without a .ts entry fails here (run `python -m ui.i18n`)."""
    import re

    sources = {m.findtext("source") for m in ET.parse(TS).getroot().iter("message")}
    pattern = re.compile(r"""(?:self\.tr|\.translate\(\s*"[A-Za-z]+",)\(?\s*"((?:[^"\\]|\\.)*)"\s*[,)]""")
    missing = []
    for path in (ROOT / "ui").glob("*.py"):
        for m in pattern.finditer(path.read_text(encoding="utf-8")):
            if m.group(1) not in sources:
                missing.append((path.name, m.group(1)))
    assert missing == []


def _visible_texts(root_widget) -> list[tuple[str, str]]:
    from ui.qt import (
        QAbstractButton,
        QAction,
        QComboBox,
        QLabel,
        QMenu,
        QTableView,
        QWidget,
    )

    found: list[tuple[str, str]] = [("title", root_widget.windowTitle())]
    for act in root_widget.findChildren(QAction):
        found += [("action", act.text()), ("tooltip", act.toolTip()), ("status", act.statusTip())]
    for menu in root_widget.findChildren(QMenu):
        found.append(("menu", menu.title()))
    for w in root_widget.findChildren(QWidget):
        found += [("tooltip", w.toolTip()), ("accessible", w.accessibleName())]
        if isinstance(w, QLabel):
            found.append(("label", w.text()))
        if isinstance(w, QAbstractButton):
            found.append(("button", w.text()))
        if isinstance(w, QComboBox):
            found += [("combo", w.itemText(i)) for i in range(w.count())]
        if isinstance(w, QTableView) and w.model() is not None:
            from ui.qt import Qt

            m = w.model()
            found += [("header", m.headerData(c, Qt.Orientation.Horizontal)) for c in range(m.columnCount())]
    return [(k, t) for k, t in found if t]


def test_every_visible_string_is_translated(open_window, sample_profile, qtbot):
    from ui.account_dialog import AccountDialog

    english = _english_sources()
    window = open_window(sample_profile)
    wait_message(qtbot, window, find_row(window, "Công văn số 123"))
    window.act_source.trigger()
    window.banner.show_error("Lỗi thử", "chi tiết")
    dialog = AccountDialog(window.session.run_io, window.session.run_db, parent=window)
    texts = _visible_texts(window) + _visible_texts(dialog)
    leaked = sorted({t for _k, t in texts if t in english or t.replace("&", "") in english})
    assert leaked == []
    assert len(texts) > 80
    # the check itself notices an untranslated string
    from ui.qt import QLabel

    probe = QLabel("Show spam", window.reading)
    assert "Show spam" in {t for _k, t in _visible_texts(window) if t in english}
    probe.deleteLater()
    dialog.close()
