"""The "Cài đặt" dialog (R8): values checked with the Vietnamese reason, saved in the db worker."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def _settings(profile) -> dict:
    from camau_desk import settings
    from camau_desk.store.db import open_db

    db = open_db(profile.db_path)
    try:
        return settings.all_settings(db)
    finally:
        db.conn.close()


def test_R8_settings_dialog_refuses_invalid_values_with_vietnamese_reason(open_window, demo_profile, qtbot):
    window = open_window(demo_profile, demo=True)
    assert window.act_settings.isEnabled()
    dialog = window.show_settings()
    assert dialog.windowTitle() == "Cài đặt"
    assert dialog.check_times.text() == "07:00, 09:00, 13:00, 15:00"
    dialog.check_times.setText("07:00, 25:00")
    with qtbot.waitSignal(dialog.failed, timeout=5000) as blocker:
        dialog.save_button.click()
    assert "25:00" in blocker.args[0] and "HH:MM" in blocker.args[0] and dialog.error.isVisible()
    dialog.check_times.setText("07:00")
    dialog.mirror_template.setText("{year}/{khong_co}")
    with qtbot.waitSignal(dialog.failed, timeout=5000) as blocker:
        dialog.save_button.click()
    assert "mirror_template" in blocker.args[0] and "khong_co" in blocker.args[0]
    dialog.mirror_template.setText("{year}/{month:02}/{kind}")
    dialog.holidays.setPlainText("30/02/2026")
    with qtbot.waitSignal(dialog.failed, timeout=5000):
        dialog.save_button.click()
    dialog.holidays.setPlainText("")
    dialog.trusted_ca.setText("/khong/co/tep.pem")
    with qtbot.waitSignal(dialog.failed, timeout=5000) as blocker:
        dialog.save_button.click()
    assert "không tồn tại" in blocker.args[0]
    assert _settings(demo_profile)["check_times"] == ["07:00", "09:00", "13:00", "15:00"]  # nothing written


def test_R8_settings_dialog_saves_in_the_db_worker(open_window, demo_profile, qtbot, tmp_path):
    window = open_window(demo_profile, demo=True)
    dialog = window.show_settings()
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.mirror_root.setText(str(tmp_path / "Lưu trữ"))
    dialog.mirror_template.setText("{year}/{kind}/{day:02} {trich_yeu}")
    dialog.check_times.setText("07:30; 14:00")
    dialog.day_boxes[5].setChecked(True)
    dialog.holidays.setPlainText("02/09/2026\n01/01/2027")
    dialog.receipt_notice.setChecked(True)
    dialog.max_recipients.setValue(25)
    dialog.minimize_to_tray.setChecked(False)
    dialog.trusted_ca.setText(str(ca))
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        dialog.save_button.click()
    s = _settings(demo_profile)
    assert s["language"] == "en" and s["mirror_root"] == str(tmp_path / "Lưu trữ")
    assert s["mirror_template"] == "{year}/{kind}/{day:02} {trich_yeu}"
    assert s["check_times"] == ["07:30", "14:00"] and s["working_days"] == [0, 1, 2, 3, 4, 5]
    assert s["holidays"] == ["02/09/2026", "01/01/2027"] and s["receipt_notice"] is True
    assert s["max_recipients_without_confirm"] == 25 and s["minimize_to_tray"] is False
    assert s["trusted_ca_file"] == str(ca)
    assert "lần khởi động sau" in window.statusBar().currentMessage()  # the new language applies after a restart
