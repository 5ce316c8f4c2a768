"""Văn bản › "Ủy quyền...": who holds the head's authority, from when to when (issue 6, R7.1a-N).

Why through the core only: a delegation is an event in the shared register
log on the server (every desk must route to the same person), so adding or
ending one runs ``camau_desk.routing.delegation`` on the db executor, which
reads the log, refuses an overlap with a Vietnamese sentence naming the
conflicting delegation, and writes.  The list is read on the read executor.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ui.qt import (
    QAbstractItemView,
    QComboBox,
    QDate,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    Signal,
)


def _client_factory(db, data_dir: Path):
    """The agency account and its log client: the local log for a local (demo) account, else IMAP."""
    from camau_desk.register import service as svc
    from camau_desk.register.local_log import client_factory_for

    account = svc.agency_account(db)
    return account, client_factory_for(account, data_dir)


def list_task(_ctx, db, _blobs) -> dict:
    from camau_desk.routing import delegation, org

    return {"delegations": delegation.list_delegations(db, include_rejected=True), "deputies": org.deputies(db)}


def add_task(_ctx, db, data_dir: Path, deputy: str, start: str, end: str, reason: str) -> dict:
    from camau_desk.routing import delegation

    account, factory = _client_factory(db, data_dir)
    return delegation.add_delegation(db, account, deputy=deputy, start=start, end=end, reason=reason,
                                     client_factory=factory)


def end_task(_ctx, db, data_dir: Path, delegation_id: str) -> dict:
    from camau_desk.routing import delegation

    account, factory = _client_factory(db, data_dir)
    return delegation.end_delegation(db, account, delegation_id, client_factory=factory)


def state_of(d: dict, today: dt.date) -> str:
    """'rejected' | 'ended' | 'active' | 'upcoming' (an ended delegation keeps its row: the log never forgets)."""
    if d.get("state") != "valid":
        return "rejected"
    start, end = dt.date.fromisoformat(d["start_date"]), dt.date.fromisoformat(d["effective_end"])
    if end < today or end < start:
        return "ended"
    return "active" if start <= today else "upcoming"


class DelegationDialog(QDialog):
    loaded = Signal()
    changed = Signal()  # a delegation was added or ended (the window refreshes its banner)
    failed = Signal(str)

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.rows: list[dict] = []
        self.setWindowTitle(self.tr("Delegation"))
        self.resize(900, 480)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("Deputy"), self.tr("From"), self.tr("To"), self.tr("Reason"),
                                              self.tr("Recorded by"), self.tr("Status")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setAccessibleName(self.tr("Delegations"))
        self.table.itemSelectionChanged.connect(self._selected)
        self.end_button = QPushButton(self.tr("End this delegation"))
        self.end_button.setToolTip(self.tr("From today documents go to the head again"))
        self.end_button.clicked.connect(self.end_selected)

        self.deputy = QComboBox()
        self.deputy.setAccessibleName(self.tr("Deputy"))
        today = QDate.currentDate()
        self.start = QDateEdit(today)
        self.end = QDateEdit(today.addDays(2))
        for d, name in ((self.start, self.tr("From date")), (self.end, self.tr("To date"))):
            d.setDisplayFormat("dd/MM/yyyy")
            d.setCalendarPopup(True)
            d.setAccessibleName(name)
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("For example: the director is on a business trip"))
        self.add_button = QPushButton(self.tr("Record delegation"))
        self.add_button.clicked.connect(self.add)
        form = QFormLayout()
        form.addRow(self.tr("Deputy:"), self.deputy)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel(self.tr("to")))
        dates.addWidget(self.end)
        dates.addStretch(1)
        form.addRow(self.tr("From:"), dates)
        form.addRow(self.tr("Reason:"), self.reason)
        form.addRow("", self.add_button)
        box = QGroupBox(self.tr("New delegation"))
        box.setLayout(form)

        self.error = QLabel()
        self.error.setObjectName("delegationError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("#delegationError { background: #fdecea; border: 1px solid #f5c2c0;"
                                 " border-radius: 4px; padding: 4px 8px; color: #611a15; }")
        self.error.hide()
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.end_button)
        row.addStretch(1)
        row.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.error)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(box)
        self._selected()
        self.reload()

    # ------------------------------------------------------------------ list
    def reload(self) -> None:
        self.session.run_read(list_task, on_result=self._loaded, on_error=self._failed)

    def _status_label(self, d: dict, today: dt.date) -> str:
        state = state_of(d, today)
        if state == "rejected":
            return self.tr("Refused: %1").replace("%1", d.get("rejected_because") or "")
        return {"ended": self.tr("Ended"), "active": self.tr("In force"), "upcoming": self.tr("Upcoming")}[state]

    def _loaded(self, data: dict) -> None:
        from camau_desk.routing.delegation import fmt_date
        from ui.leader import person_label

        today = dt.date.today()
        self.rows = list(reversed(data["delegations"]))  # newest first
        self.table.setRowCount(len(self.rows))
        for r, d in enumerate(self.rows):
            who = " ".join(x for x in (d.get("deputy_title"), d.get("deputy_name")) if x) or d["deputy"]
            cells = [who, fmt_date(d["start_date"]), fmt_date(d["effective_end"]), d.get("reason") or "",
                     d.get("recorded_by") or "", self._status_label(d, today)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setToolTip(d["deputy"])
                self.table.setItem(r, c, item)
        keep = self.deputy.currentData()
        self.deputy.clear()
        for p in data["deputies"]:
            self.deputy.addItem(person_label(p), p["email"])
        if keep:
            self.deputy.setCurrentIndex(max(0, self.deputy.findData(keep)))
        self.add_button.setEnabled(self.deputy.count() > 0)
        self.add_button.setToolTip("" if self.deputy.count() else
                                   self.tr("No deputy in the organisation directory: import the directory first"))
        self._selected()
        self.loaded.emit()

    def selected(self) -> dict | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def _selected(self) -> None:
        d = self.selected()
        self.end_button.setEnabled(bool(d) and state_of(d, dt.date.today()) in ("active", "upcoming"))

    # ------------------------------------------------------------------ writes
    def add(self) -> None:
        deputy = self.deputy.currentData()
        if not deputy:
            return
        self.error.hide()
        self.add_button.setEnabled(False)
        s = self.session
        fmt = "dd/MM/yyyy"  # the core reads dd/mm/yyyy, as clerks write it
        s.run_db(add_task, s.profile.data_dir, deputy, self.start.date().toString(fmt),
                 self.end.date().toString(fmt), self.reason.text(), on_result=self._written, on_error=self._failed)

    def end_selected(self) -> None:
        d = self.selected()
        if d is None:
            return
        self.error.hide()
        self.end_button.setEnabled(False)
        s = self.session
        s.run_db(end_task, s.profile.data_dir, d["id"], on_result=self._written, on_error=self._failed)

    def _written(self, _d: dict) -> None:
        self.reason.clear()
        self.changed.emit()
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        text = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        self.error.setText(text)
        self.error.show()
        self.add_button.setEnabled(self.deputy.count() > 0)
        self._selected()
        self.failed.emit(text)
