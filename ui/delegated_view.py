"""Văn bản › "Văn bản nhận theo ủy quyền": the deputy's own list (issue 6, R7.1a-N).

In a deputy's client the forwards that reached them *because of* a delegation
carry ``X-Camau-Delegation``; the core finds them (``routing.delegation``) and
this dialog lists them, newest first.  Double-click shows the message in the
main window.  Indexing writes a small table, so it runs on the db executor.
"""

from __future__ import annotations

from ui.models import format_datetime
from ui.qt import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    Signal,
)


def delegated_task(_ctx, db, blobs) -> list[dict]:
    """Look at personal mailboxes' new mail for delegation headers, then list what came that way."""
    from camau_desk import accounts
    from camau_desk.routing import delegation

    rows: list[dict] = []
    for account in accounts.list_accounts(db):
        if account.role == "personal":
            delegation.index_delegated(db, blobs, account.name)
            rows += delegation.list_delegated(db, account.name)
    return sorted(rows, key=lambda r: r.get("received_at") or "", reverse=True)


class DelegatedView(QDialog):
    """Read-only table: Ngày nhận, Số đến, Người gửi, Tiêu đề."""

    loaded = Signal(list)
    open_message = Signal(int)

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Documents received under delegation"))
        self.setAccessibleName(self.windowTitle())
        self.resize(820, 420)
        self.info = QLabel(self.tr("Loading..."))
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Received"), self.tr("Incoming no."), self.tr("From"), self.tr("Subject")])
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAccessibleName(self.tr("Documents received under delegation"))
        self.table.itemDoubleClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table)
        self.rows: list[dict] = []
        session.run_db(lambda ctx, db: delegated_task(ctx, db, session.blobs),
                       on_result=self._show, on_error=lambda err: self.info.setText(str(err)))

    def _show(self, rows: list[dict]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = [format_datetime(r.get("received_at") or r.get("date")), r.get("so_den") or "",
                     r.get("from_addr") or "", r.get("subject") or ""]
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.info.setText(self.tr("%n document(s)", "", len(rows)) if rows
                          else self.tr("No document has been received under a delegation."))
        self.loaded.emit(rows)

    def _activated(self, item: QTableWidgetItem) -> None:
        self.open_message.emit(int(self.rows[item.row()]["id"]))
