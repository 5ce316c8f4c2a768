"""Tệp › "Bàn giao hộp thư...": export a package; a package that fails verification is refused (R4.2)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_R4_2_handover_export_writes_the_package_and_shows_the_manifest_hash(open_window, demo_profile, qtbot,
                                                                              tmp_path):
    window = open_window(demo_profile, demo=True)
    assert window.act_handover.text() == "Bàn giao hộp thư..."
    dialog = window.show_handover()
    assert dialog.account.currentText() == "Demo"
    dest = tmp_path / "goi-ban-giao"
    dialog.dest.setText(str(dest))
    with qtbot.waitSignal(dialog.done, timeout=60000) as done:
        dialog.export_button.click()
    manifest = done.args[0]
    assert (dest / "manifest.json").exists() and manifest.sha256 in dialog.result.text()
    assert dialog.result.text().startswith("Đã ghi gói bàn giao vào")


def test_R4_2_handover_import_refuses_a_folder_that_is_not_a_package(open_window, demo_profile, qtbot, tmp_path):
    window = open_window(demo_profile, demo=True)
    dialog = window.show_handover()
    dialog.tabs.setCurrentIndex(1)
    (tmp_path / "rong").mkdir()
    dialog.src.setText(str(tmp_path / "rong"))
    dialog.new_name.setText("giamdoc-moi")
    dialog.password.setText("mat-khau")
    with qtbot.waitSignal(dialog.failed, timeout=30000) as failed:
        dialog.import_button.click()
    assert failed.args[0] and dialog.password.text() == ""
