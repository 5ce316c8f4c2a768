"""Search in the window (issue 7, R6.3): index, query, bold snippets, open a hit."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def _index(qtbot, window, rebuild: bool = True) -> dict:
    with qtbot.waitSignal(window.search_ui.index_finished, timeout=60000) as blocker:
        if rebuild:
            window.act_reindex.trigger()
        else:
            window.search_ui.update_index()
    return blocker.args[0]


def test_snippet_html_bolds_matches_and_escapes_the_rest():
    from ui.search_panel import MARK, snippet_html

    text = f"a <script>x</script> & {MARK[0]}Quyết định{MARK[1]} số 15"
    out = snippet_html(text)
    assert out == "a &lt;script&gt;x&lt;/script&gt; &amp; <b>Quyết định</b> số 15"


def test_R6_3_search_quyet_dinh_on_demo_finds_and_opens_the_message(open_window, demo_profile, qtbot):
    """Ctrl+F, "quyet dinh" (no accents) finds the demo Quyết định; opening the hit selects it in the list."""
    window = open_window(demo_profile, demo=True)
    assert window.act_search.isEnabled() and window.act_search.shortcut().toString() == "Ctrl+F"
    counts = _index(qtbot, window)
    assert counts.get("messages", 0) >= 20
    assert not window.search_ui.progress.isVisible()
    with qtbot.waitSignal(window.search_ui.index_finished, timeout=60000):
        window.act_search.trigger()  # opening the panel first indexes what is new
    panel = window.search_ui.panel
    assert panel is not None and panel.isVisible()
    assert "from:" in panel.query.toolTip() and "has:attachment" in panel.query.toolTip()
    panel.query.setText("quyet dinh")
    with qtbot.waitSignal(panel.results_ready, timeout=15000) as blocker:
        panel.search_button.click()
    hits = blocker.args[0]
    target = next(h for h in hits if h["kind"] == "message" and h["title"].startswith("Quyết định số 15/QĐ-UBND"))
    assert "<b>" in panel._hit_html(target) and "Quyết định" in panel._hit_html(target)
    panel.results.setCurrentRow(hits.index(target))
    assert panel.open_button.isEnabled()
    # the hit is in the inbox; show another folder first so opening it has to switch back
    with qtbot.waitSignal(window.list_ready, timeout=10000):
        window.filter_unregistered.setChecked(True)
    with qtbot.waitSignal(window.message_shown, timeout=15000) as shown:
        panel.open_button.click()
    assert shown.args[0] == target["message"] == window.current_message_id()
    assert window.reading.subject.text().startswith("Quyết định số 15/QĐ-UBND")
    assert not window.filter_unregistered.isChecked()


def test_R6_3_search_hit_file_opens_in_place(open_window, demo_profile, qtbot, monkeypatch, tmp_path):
    from ui import register_view

    window = open_window(demo_profile, demo=True)
    opened = []
    monkeypatch.setattr(register_view, "open_url", lambda url: opened.append(url.toLocalFile()) or True)
    f = tmp_path / "Quyết định 15.pdf"
    f.write_bytes(b"%PDF-1.4")
    assert window.search_ui.open_file({"path": str(f)})
    assert opened == [str(f)]
    assert not window.search_ui.open_file({"path": str(tmp_path / "gone.pdf")})
    assert window.banner.isVisible()


def test_rebuild_index_can_be_cancelled(open_window, demo_profile, qtbot):
    window = open_window(demo_profile, demo=True)
    with qtbot.waitSignal(window.search_ui.index_finished, timeout=60000):
        window.act_reindex.trigger()
        assert not window.act_reindex.isEnabled()  # one index job at a time
        window.search_ui.cancel_index()
    assert window.act_reindex.isEnabled()
    assert not window.search_ui.cancel_button.isVisible()
