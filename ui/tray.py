"""The system-tray icon: "Kiểm tra ngay", "Mở cửa sổ", "Thoát" and the check notifications (R5).

Why the tray: the checks at 07:00/09:00/13:00/15:00 and urgent arrivals must
reach the clerk while the window is hidden; closing the window can minimise
to the tray (setting ``minimize_to_tray``) so the scheduler keeps running.
The words come from ``camau_desk.notify`` (pure, tested without Qt).
"""

from __future__ import annotations

from typing import Any

from camau_desk import notify
from ui.qt import QAction, QApplication, QCoreApplication, QMenu, QObject, QSystemTrayIcon, Signal

URGENT_MS = 0  # urgent documents stay until clicked (0 = the platform's longest)
SUMMARY_MS = 10_000


class Tray(QObject):
    """Owns the QSystemTrayIcon and its menu; emits what the user chose."""

    check_now = Signal()
    open_window = Signal()
    quit_requested = Signal()

    def __init__(self, parent: QObject | None = None, icon: Any = None) -> None:
        super().__init__(parent)
        if icon is None:
            from ui.icons import icon as load_icon

            icon = load_icon("app")
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setToolTip("Cà Mau Desk")
        self.menu = QMenu()
        self.act_check = QAction(self.tr("Check now"), self.menu)
        self.act_open = QAction(self.tr("Open window"), self.menu)
        self.act_quit = QAction(self.tr("Quit"), self.menu)
        self.menu.addAction(self.act_check)
        self.menu.addAction(self.act_open)
        self.menu.addSeparator()
        self.menu.addAction(self.act_quit)
        self.act_check.triggered.connect(self.check_now.emit)
        self.act_open.triggered.connect(self.open_window.emit)
        self.act_quit.triggered.connect(self.quit_requested.emit)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self.open_window.emit)
        self.last_message: tuple[str, str] | None = None

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def _activated(self, reason: Any) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_window.emit()

    def notify(self, title: str, body: str, *, urgent: bool = False) -> None:
        """Show a balloon; remembered in ``last_message`` (and the tooltip) for platforms without a tray."""
        self.last_message = (title, body)
        self.icon.setToolTip(f"Cà Mau Desk\n{title}")
        kind = QSystemTrayIcon.MessageIcon.Warning if urgent else QSystemTrayIcon.MessageIcon.Information
        self.icon.showMessage(title, body, kind, URGENT_MS if urgent else SUMMARY_MS)

    def show_check_summary(self, result: Any) -> None:
        """After a check: urgent documents first, then the count per mailbox."""
        title, body = notify.check_summary(result)
        urgent = bool(notify.sort_urgent((result.get("urgent") if isinstance(result, dict)
                                          else getattr(result, "urgent", None)) or []))
        self.notify(title, body, urgent=urgent)

    def show_urgent(self, rows: list[dict]) -> bool:
        """Whenever a sync (IDLE, F5, a check) stored urgent documents; False if none were urgent."""
        text = notify.urgent_text(rows)
        if text is None:
            return False
        self.notify(*text, urgent=True)
        return True


def minimize_to_tray_on_close(window: Any, event: Any, tray: Tray | None, enabled: bool) -> bool:
    """Call first in ``closeEvent``: hides the window instead of closing when the setting says so.

    Returns True when the event was consumed (the window is now hidden, the app
    keeps running for the scheduled checks).  "Thoát" in the tray menu must
    set ``window.quitting = True`` before closing for real.
    """
    if not enabled or tray is None or not Tray.available() or getattr(window, "quitting", False):
        return False
    event.ignore()
    window.hide()
    if not getattr(window, "_tray_hint_shown", False):
        window._tray_hint_shown = True
        tray.notify(QCoreApplication.translate("Tray", "Cà Mau Desk is still running"),
                    QCoreApplication.translate(
                        "Tray", "The scheduled mailbox checks go on. Click the icon to open the window again."))
    return True


def quit_app(window: Any) -> None:
    """The tray's "Thoát": close for real (no minimise), then quit."""
    window.quitting = True
    window.close()
    app = QApplication.instance()
    if app is not None:
        app.quit()
