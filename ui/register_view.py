"""The incoming register in the window: "Sổ văn bản đến" (issue 5, R7.1a-1, ND30 Phụ lục IV).

Why a window of its own: the clerk looks at the book (10 columns, in số đến
order), finds an entry by year, date, kind or status, opens the saved file,
corrects an entry (every change is an audited event, and the history is
shown: who, when, from which workstation, old and new value) or cancels a
number with a reason, and prints the book.  Reads run on the read executor,
corrections and cancellations on the db executor (they write the log).

Also here: ``RegisterUi``, the glue that gives the main window its
"Vào sổ" / "Vào sổ văn bản giấy" / "Sổ văn bản đến" actions and refreshes the
message list's "Số đến" and status columns (read by mail.views) after a change.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path
from typing import Any

from ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QBrush,
    QCheckBox,
    QColor,
    QComboBox,
    QCoreApplication,
    QDate,
    QDateEdit,
    QDesktopServices,
    QDialog,
    QFileDialog,
    QFont,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.register_dialog import EntryForm, RegisterDialog, format_date

translate = QCoreApplication.translate

STATUS_ROLE = Qt.ItemDataRole.UserRole + 1


def export_available() -> bool:
    return importlib.util.find_spec("camau_desk.register.export") is not None


def column_titles() -> list[str]:
    """The ten columns of the book, ND30 Phụ lục IV, in order."""
    return [
        translate("RegisterView", "Date received"),
        translate("RegisterView", "Incoming no."),
        translate("RegisterView", "Issuing body"),
        translate("RegisterView", "Number and symbol"),
        translate("RegisterView", "Document date"),
        translate("RegisterView", "Kind and summary"),
        translate("RegisterView", "Unit or person receiving"),
        translate("RegisterView", "Date passed on"),
        translate("RegisterView", "Signed for by"),
        translate("RegisterView", "Note"),
    ]


def status_labels() -> dict[str, str]:
    return {
        "pending": translate("RegisterView", "Waiting for a number"),
        "registered": translate("RegisterView", "Registered"),
        "presented": translate("RegisterView", "Presented"),
        "assigned": translate("RegisterView", "Assigned"),
        "processing": translate("RegisterView", "In progress"),
        "done": translate("RegisterView", "Done"),
        "cancelled": translate("RegisterView", "Cancelled"),
    }


def field_labels() -> dict[str, str]:
    return {
        "ngay_den": translate("RegisterView", "Date received"),
        "tac_gia": translate("RegisterView", "Issuing body"),
        "so_ky_hieu": translate("RegisterView", "Number and symbol"),
        "ngay_van_ban": translate("RegisterView", "Document date"),
        "ngay_van_ban_raw": translate("RegisterView", "Document date as written"),
        "loai": translate("RegisterView", "Kind"),
        "trich_yeu": translate("RegisterView", "Summary"),
        "don_vi_nhan": translate("RegisterView", "Unit or person receiving"),
        "ngay_chuyen": translate("RegisterView", "Date passed on"),
        "ky_nhan": translate("RegisterView", "Signed for by"),
        "ghi_chu": translate("RegisterView", "Note"),
        "muc_do_khan": translate("RegisterView", "Urgency"),
        "do_mat": translate("RegisterView", "Secrecy"),
        "han_giai_quyet": translate("RegisterView", "Deadline"),
        "so_trang": translate("RegisterView", "Pages"),
        "nguoi_ky": translate("RegisterView", "Signed by"),
        "status": translate("RegisterView", "Status"),
        "reason": translate("RegisterView", "Reason"),
    }


def cells(entry: dict) -> list[str]:
    """The ten cells of one entry as the printed book shows them (pending: 'waiting for a number')."""
    from camau_desk.register.export import loai_trich_yeu, note

    number = str(entry["so_den"]) if entry.get("so_den") else translate("RegisterView", "waiting")
    return [format_date(entry.get("ngay_den")), number, entry.get("tac_gia") or "", entry.get("so_ky_hieu") or "",
            format_date(entry.get("ngay_van_ban")) or (entry.get("ngay_van_ban_raw") or ""), loai_trich_yeu(entry),
            entry.get("don_vi_nhan") or "", format_date(entry.get("ngay_chuyen")), entry.get("ky_nhan") or "",
            note(entry)]


def filter_entries(entries: list[dict], *, since: dt.date | None = None, until: dt.date | None = None,
                   kind: str | None = None) -> list[dict]:
    """Date range on the day received (Vietnam time) and kind; year and status are filtered in SQL."""
    from camau_desk.register.export import filter_by_date

    out = filter_by_date(entries, since, until) if (since or until) else list(entries)
    return [e for e in out if not kind or (e.get("loai") or "") == kind]


def load_entries(_ctx, db, _blobs, year: int | None, status: str | None) -> list[dict]:
    from camau_desk.register import service as svc

    return svc.list_entries(db, year, status=status or None)


# ----------------------------------------------------------------- audit history

_META = {"event_id", "workstation", "uid", "claim", "message_id_header", "message_sha256", "attachment_sha256",
         "attachment_idx", "type"}


def _load_json(value: str | None) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


def entry_history(db, entry: dict) -> list[dict]:
    """Audit rows of one entry, oldest first: its request (by event id) and everything by số đến."""
    from camau_desk import audit

    rows = audit.history(db, "register_entry", entry["event_id"])
    if entry.get("so_den"):
        rows += audit.history(db, "register_entry", f"{entry['year']}/{entry['so_den']}")
    rows.sort(key=lambda r: r["id"])
    out = []
    for r in rows:
        old, new = _load_json(r.get("old_value")), _load_json(r.get("new_value"))
        station = (new.get("workstation") if isinstance(new, dict) else None) or r.get("workstation")
        out.append({"at": r["at"], "user": r.get("user") or "", "workstation": station or "",
                    "action": r["action"], "old": old, "new": new})
    return out


def describe_value(value: Any) -> str:
    """An audit value as lines 'Field: value' (meta keys left out)."""
    if value is None:
        return ""
    if not isinstance(value, dict):
        return str(value)
    labels = field_labels()
    lines = []
    for k, v in value.items():
        if k in _META or v in (None, ""):
            continue
        if k == "status":
            v = status_labels().get(v, v)
        lines.append(f"{labels.get(k, k)}: {v}")
    return "\n".join(lines)


def action_label(action: str) -> str:
    labels = {
        "register.request": translate("RegisterView", "Registration requested"),
        "register.number": translate("RegisterView", "Number given"),
        "register.correct": translate("RegisterView", "Corrected"),
        "register.cancel": translate("RegisterView", "Cancelled"),
        "register.files_failed": translate("RegisterView", "Saving the files failed"),
        "register.keyword_failed": translate("RegisterView", "Marking the message on the server failed"),
    }
    return labels.get(action, action)


# ----------------------------------------------------------------- worker tasks


def correct_task(_ctx, db, data_dir: Path, number: int, year: int, changes: dict) -> dict:
    from camau_desk.register import service as svc
    from camau_desk.register.local_log import client_factory_for

    account = svc.agency_account(db)
    return svc.correct(db, account, number, year, changes, client_factory=client_factory_for(account, data_dir))


def cancel_task(_ctx, db, data_dir: Path, number: int, year: int, reason: str) -> dict:
    from camau_desk.register import service as svc
    from camau_desk.register.local_log import client_factory_for

    account = svc.agency_account(db)
    return svc.cancel(db, account, number, year, reason, client_factory=client_factory_for(account, data_dir))


def flush_task(_ctx, db, blobs, data_dir: Path, mirror_dir: Path) -> list[dict]:
    """Send the "chờ cấp số" queue to the log (numbers in local order); MailError when still offline."""
    from camau_desk import settings
    from camau_desk.register import service as svc
    from camau_desk.register.local_log import client_factory_for

    account = svc.agency_account(db)
    root = Path(settings.get(db, "mirror_root") or mirror_dir)
    return svc.flush_pending(db, account, client_factory=client_factory_for(account, data_dir), blobs=blobs,
                             mirror_root=root)


def export_task(_ctx, db, _blobs, kind: str, path: Path, year: int, number: int | None,
                since: dt.date | None, until: dt.date | None) -> Path:
    from camau_desk.register import export

    if kind == "phieu":
        export.export_phieu(db, int(number or 0), year, path)
    else:
        export.export_register(db, year, path, fmt=kind, date_from=since, date_to=until)
    return path


def open_url(url: QUrl) -> bool:
    """The OS opens the file with its own program (replaceable in tests)."""
    return QDesktopServices.openUrl(url)


# ----------------------------------------------------------------- the model


class RegisterTableModel(QAbstractTableModel):
    """Entries of the register as the ten columns of the book."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.titles = column_titles()
        self.entries: list[dict] = []

    def set_entries(self, entries: list[dict]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self._cells = [cells(e) for e in self.entries]
        self.endResetModel()

    def entry(self, row: int) -> dict | None:
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def row_of(self, year: int, so_den: int) -> int:
        for i, e in enumerate(self.entries):
            if e.get("year") == year and e.get("so_den") == so_den:
                return i
        return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.titles)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.titles):
            return f"({section + 1}) {self.titles[section]}"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.FontRole:
            if e.get("status") == "cancelled":
                f = QFont()
                f.setStrikeOut(True)
                return f
            if not e.get("so_den"):
                f = QFont()
                f.setItalic(True)
                return f
        if role == Qt.ItemDataRole.ForegroundRole:
            if e.get("status") == "cancelled":
                return QBrush(QColor("#777777"))
            if e.get("muc_do_khan"):
                return QBrush(QColor("#b3261e"))
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == STATUS_ROLE:
            return e.get("status")
        return None


# ----------------------------------------------------------------- dialogs


class CorrectDialog(QDialog):
    """Correct a numbered entry: same form, plus its processing status; the number never changes."""

    corrected = Signal(dict)

    def __init__(self, session, entry: dict, parent=None) -> None:
        super().__init__(parent)
        self.session, self.entry, self.task = session, entry, None
        self.setWindowTitle(self.tr("Correct incoming no. %1/%2").replace("%1", str(entry["so_den"]))
                            .replace("%2", str(entry["year"])))
        lay = QVBoxLayout(self)
        self.form = EntryForm()
        self.form.set_values(entry, number=f"{entry['so_den']}/{entry['year']}")
        lay.addWidget(self.form)
        row = QFormLayout()
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName(self.tr("Status"))
        for key in ("registered", "presented", "assigned", "processing", "done"):
            self.status_combo.addItem(status_labels()[key], key)
        i = self.status_combo.findData(entry.get("status"))
        self.status_combo.setCurrentIndex(max(i, 0))
        row.addRow(self.tr("Status"), self.status_combo)
        lay.addLayout(row)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        lay.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(self.tr("Save correction"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        lay.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

    def changes(self) -> dict[str, Any]:
        out = self.form.edited()
        if self.status_combo.currentData() != self.entry.get("status"):
            out["status"] = self.status_combo.currentData()
        return out

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.reject()
            return
        self.save_button.setEnabled(False)
        self.error.setText(self.tr("Saving..."))
        self.task = self.session.run_db(correct_task, self.session.profile.data_dir, int(self.entry["so_den"]),
                                        int(self.entry["year"]), changes, on_result=self._done,
                                        on_error=self._failed)

    def _done(self, entry: dict) -> None:
        self.task = None
        self.corrected.emit(entry)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.save_button.setEnabled(True)
        self.error.setText(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")


class CancelDialog(QDialog):
    """Cancel a number: it stays in the book, marked cancelled with the reason (a reason is required)."""

    def __init__(self, entry: dict, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Cancel incoming no. %1/%2").replace("%1", str(entry["so_den"]))
                            .replace("%2", str(entry["year"])))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("The number stays in the register, marked cancelled. Reason:")))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason for cancelling"))
        lay.addWidget(self.reason)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.ok = QPushButton(self.tr("Cancel this number"))
        self.ok.setEnabled(False)
        back = QPushButton(self.tr("Keep it"))
        buttons.addWidget(self.ok)
        buttons.addWidget(back)
        lay.addLayout(buttons)
        self.reason.textChanged.connect(lambda t: self.ok.setEnabled(bool(t.strip())))
        self.ok.clicked.connect(self.accept)
        back.clicked.connect(self.reject)


class RegisterView(QDialog):
    """The register book with filters, actions and the audit history of the selected entry."""

    loaded = Signal()
    changed = Signal()  # an entry was corrected or cancelled
    present_requested = Signal(int, int)  # (số đến, year): Trình lãnh đạo from the book
    exported = Signal(str)
    failed = Signal(object)

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Incoming register"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1200, 720)
        self._generation = 0
        self._all: list[dict] = []
        lay = QVBoxLayout(self)

        filters = QHBoxLayout()
        self.year = QComboBox()
        self.year.setAccessibleName(self.tr("Year"))
        self.use_dates = QCheckBox(self.tr("From"))
        self.use_dates.setAccessibleName(self.tr("Filter by date received"))
        self.date_from = QDateEdit(QDate(QDate.currentDate().year(), 1, 1))
        self.date_to = QDateEdit(QDate.currentDate())
        for d, name in ((self.date_from, self.tr("From date")), (self.date_to, self.tr("To date"))):
            d.setDisplayFormat("dd/MM/yyyy")
            d.setCalendarPopup(True)
            d.setAccessibleName(name)
            d.setEnabled(False)
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Kind"))
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Status"))
        self.status.addItem(self.tr("All statuses"), "")
        for key, label in status_labels().items():
            self.status.addItem(label, key)
        self.count = QLabel()
        for w in (QLabel(self.tr("Year:")), self.year, self.use_dates, self.date_from, QLabel(self.tr("to")),
                  self.date_to, QLabel(self.tr("Kind:")), self.kind, QLabel(self.tr("Status:")), self.status):
            filters.addWidget(w)
        filters.addStretch(1)
        filters.addWidget(self.count)
        lay.addLayout(filters)

        self.model = RegisterTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Incoming register"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 90), (1, 70), (2, 160), (3, 130), (4, 90), (6, 130), (7, 90), (8, 80), (9, 150)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda _i: self.correct_selected())

        self.history = QTableWidget(0, 6)
        self.history.setAccessibleName(self.tr("Change history"))
        self.history.setHorizontalHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("Workstation"),
                                                self.tr("Action"), self.tr("Old value"), self.tr("New value")])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.history.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.history_title = QLabel(self.tr("Change history of the selected entry"))
        bottom = QVBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom_w = QWidget()
        bottom_w.setLayout(bottom)
        bottom.addWidget(self.history_title)
        bottom.addWidget(self.history)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(bottom_w)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        lay.addWidget(split, 1)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        lay.addWidget(self.error)

        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Open file"))
        self.correct_button = QPushButton(self.tr("Correct..."))
        self.cancel_button = QPushButton(self.tr("Cancel number..."))
        self.present_button = QPushButton(self.tr("Send to leader..."))
        self.present_button.setToolTip(self.tr("Present the selected entry to the leader"))
        self.xlsx_button = QPushButton(self.tr("Export XLSX..."))
        self.pdf_button = QPushButton(self.tr("Export PDF..."))
        self.phieu_button = QPushButton(self.tr("Processing slip..."))
        self.flush_button = QPushButton(self.tr("Get waiting numbers"))
        self.flush_button.setToolTip(self.tr("Send the documents waiting for a number to the server"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.close_button = QPushButton(self.tr("Close"))
        for b in (self.open_button, self.present_button, self.correct_button, self.cancel_button, None,
                  self.xlsx_button,
                  self.pdf_button, self.phieu_button, None, self.flush_button, self.refresh_button,
                  self.close_button):
            if b is None:
                buttons.addStretch(1)
            else:
                buttons.addWidget(b)
        lay.addLayout(buttons)
        if not export_available():
            for b in (self.xlsx_button, self.pdf_button, self.phieu_button):
                b.setToolTip(self.tr("Coming soon"))
        else:
            self.xlsx_button.setToolTip(self.tr("Print the register of the chosen year (ND 30 Art. 22.3.b)"))
            self.pdf_button.setToolTip(self.tr("Print the register of the chosen year (ND 30 Art. 22.3.b)"))
            self.phieu_button.setToolTip(self.tr("The processing slip of the selected entry (PDF)"))

        self.open_button.clicked.connect(self.open_selected)
        self.correct_button.clicked.connect(self.correct_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.present_button.clicked.connect(self.present_selected)
        self.xlsx_button.clicked.connect(lambda: self.ask_export("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.ask_export("pdf"))
        self.phieu_button.clicked.connect(lambda: self.ask_export("phieu"))
        self.refresh_button.clicked.connect(self.reload)
        self.flush_button.clicked.connect(self.flush_pending)
        self.close_button.clicked.connect(self.close)
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.status.currentIndexChanged.connect(lambda _i: self.reload())
        self.kind.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.use_dates.toggled.connect(self._dates_toggled)
        self.date_from.dateChanged.connect(lambda _d: self.apply_filters())
        self.date_to.dateChanged.connect(lambda _d: self.apply_filters())
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._selected())
        self.fill_years()
        self._selected()

    # -- loading -----------------------------------------------------------
    def fill_years(self) -> None:
        this_year = QDate.currentDate().year()
        years: set[int] = {this_year, this_year - 1}  # January: last year's book is still printed
        db = self.session.ui_db if self.session else None
        if db is not None:
            years |= {r[0] for r in db.execute("SELECT DISTINCT year FROM register_entries")}
        keep = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem(self.tr("All years"), 0)
        for y in sorted(years, reverse=True):
            self.year.addItem(str(y), y)
        i = self.year.findData(keep if keep is not None else this_year)
        self.year.setCurrentIndex(max(i, 0))
        self.year.blockSignals(False)

    def reload(self) -> None:
        if self.session is None:
            return
        self._generation += 1
        gen = self._generation
        self.session.run_read(load_entries, self.year.currentData() or None, self.status.currentData() or None,
                              on_result=lambda rows: self._loaded(gen, rows), on_error=self._failed)

    def _loaded(self, gen: int, rows: list[dict]) -> None:
        if gen != self._generation:
            return
        self._all = rows
        keep = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(self.tr("All kinds"), "")
        for k in sorted({r.get("loai") for r in rows if r.get("loai")}):
            self.kind.addItem(k, k)
        self.kind.setCurrentIndex(max(self.kind.findData(keep or ""), 0))
        self.kind.blockSignals(False)
        self.apply_filters()
        self.loaded.emit()

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filters()

    def apply_filters(self) -> None:
        current = self.selected_entry()
        since = self.date_from.date().toPython() if self.use_dates.isChecked() else None
        until = self.date_to.date().toPython() if self.use_dates.isChecked() else None
        rows = filter_entries(self._all, since=since, until=until, kind=self.kind.currentData() or None)
        self.model.set_entries(rows)
        self.count.setText(self.tr("%n document(s)", "", len(rows)))
        if current is not None:
            row = next((i for i, e in enumerate(rows) if e["id"] == current["id"]), -1)
            if row >= 0:
                self.table.selectRow(row)
        self._selected()

    # -- selection ---------------------------------------------------------
    def selected_entry(self) -> dict | None:
        idx = self.table.currentIndex()
        return self.model.entry(idx.row()) if idx.isValid() else None

    def select_number(self, year: int, so_den: int) -> bool:
        row = self.model.row_of(year, so_den)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _selected(self) -> None:
        e = self.selected_entry()
        numbered = bool(e and e.get("so_den"))
        live = numbered and e.get("status") != "cancelled"
        self.open_button.setEnabled(bool(e and e.get("files")))
        self.correct_button.setEnabled(bool(live))
        self.cancel_button.setEnabled(bool(live))
        from ui.leader import PRESENTABLE

        self.present_button.setEnabled(bool(numbered and e.get("status") in PRESENTABLE))
        has_export = export_available()
        self.xlsx_button.setEnabled(has_export and bool(self.year.currentData()))
        self.pdf_button.setEnabled(has_export and bool(self.year.currentData()))
        self.phieu_button.setEnabled(has_export and numbered)
        self.flush_button.setEnabled(any(not x.get("so_den") for x in self._all))
        self.show_history(e)

    def show_history(self, entry: dict | None) -> None:
        self.history.setRowCount(0)
        db = self.session.ui_db if self.session else None
        if entry is None or db is None:
            return
        from ui.models import format_datetime

        rows = entry_history(db, entry)
        self.history.setRowCount(len(rows))
        for i, r in enumerate(rows):
            values = (format_datetime(r["at"]), r["user"], r["workstation"], action_label(r["action"]),
                      describe_value(r["old"]), describe_value(r["new"]))
            for j, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setToolTip(v)
                self.history.setItem(i, j, item)
        self.history.resizeRowsToContents()

    # -- actions -----------------------------------------------------------
    def mirror_root(self) -> Path:
        from camau_desk import settings

        db = self.session.ui_db
        root = settings.get(db, "mirror_root") if db is not None else None
        return Path(root) if root else self.session.profile.default_mirror_dir

    def open_selected(self) -> bool:
        e = self.selected_entry()
        if not e or not e.get("files"):
            return False
        files = sorted(e["files"], key=lambda f: f.get("role") != "document")
        path = self.mirror_root() / files[0]["path"]
        if not path.exists():
            self._show_error(self.tr("The saved file is missing: %1").replace("%1", str(path)))
            return False
        return open_url(QUrl.fromLocalFile(str(path)))

    def correct_selected(self) -> CorrectDialog | None:
        e = self.selected_entry()
        if not e or not e.get("so_den") or e.get("status") == "cancelled":
            return None
        dialog = CorrectDialog(self.session, e, self)
        dialog.corrected.connect(lambda _e: self._changed())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.correct_dialog = dialog
        return dialog

    def cancel_selected(self) -> None:
        e = self.selected_entry()
        if not e or not e.get("so_den") or e.get("status") == "cancelled":
            return
        dialog = CancelDialog(e, self)
        dialog.accepted.connect(lambda: self.cancel_entry(e, dialog.reason.text()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.cancel_dialog = dialog

    def cancel_entry(self, entry: dict, reason: str) -> None:
        self.session.run_db(cancel_task, self.session.profile.data_dir, int(entry["so_den"]), int(entry["year"]),
                            reason, on_result=lambda _e: self._changed(), on_error=self._failed)

    def flush_pending(self) -> None:
        profile = self.session.profile
        self.flush_button.setEnabled(False)
        self.session.run_db(flush_task, self.session.blobs, profile.data_dir, profile.default_mirror_dir,
                            on_result=lambda _done: self._changed(), on_error=self._flush_failed)

    def _flush_failed(self, exc: BaseException) -> None:
        self._failed(exc)
        self._selected()

    def present_selected(self) -> None:
        """Trình lãnh đạo: the window's confirm-then-forward path (LeaderUi.present_entry)."""
        e = self.selected_entry()
        if e and e.get("so_den"):
            self.present_requested.emit(int(e["so_den"]), int(e["year"]))

    def _changed(self) -> None:
        self.changed.emit()
        self.reload()

    def ask_export(self, kind: str) -> None:
        year = self.year.currentData() or QDate.currentDate().year()
        e = self.selected_entry()
        if kind == "phieu":
            if not e or not e.get("so_den"):
                return
            name = self.tr("Processing slip %1-%2.pdf").replace("%1", str(e["so_den"])).replace("%2", str(e["year"]))
            filt = self.tr("PDF (*.pdf)")
        else:
            name = self.tr("Incoming register %1.%2").replace("%1", str(year)).replace("%2", kind)
            filt = self.tr("Excel workbook (*.xlsx)") if kind == "xlsx" else self.tr("PDF (*.pdf)")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save as"), str(Path.home() / name), filt)
        if path:
            self.export_to(kind, Path(path))

    def export_to(self, kind: str, path: Path) -> None:
        e = self.selected_entry()
        year = int(e["year"]) if kind == "phieu" and e else (self.year.currentData() or QDate.currentDate().year())
        number = int(e["so_den"]) if kind == "phieu" and e and e.get("so_den") else None
        since = self.date_from.date().toPython() if self.use_dates.isChecked() else None
        until = self.date_to.date().toPython() if self.use_dates.isChecked() else None
        self.session.run_read(export_task, kind, path, year, number, since, until,
                              on_result=lambda p: self.exported.emit(str(p)), on_error=self._failed)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _failed(self, exc: BaseException) -> None:
        self._show_error(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")
        self.failed.emit(exc)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.fill_years()
        self.reload()


# ----------------------------------------------------------------- main window glue


class RegisterUi(QObject):
    """Wires the register into the main window: actions, dialogs, list columns."""

    registered = Signal(dict)
    flushed = Signal(list)  # entries numbered by flush_after_sync

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.flush_task = None
        self.view: RegisterView | None = None
        self.dialog: RegisterDialog | None = None
        window.session_ready.connect(self._session_ready)
        window.message_shown.connect(lambda _id: self.update_actions())
        window.list_ready.connect(self.update_actions)
        self.update_actions()

    def _session_ready(self) -> None:
        if self.view is not None:
            self.view.close()
            self.view.deleteLater()
        self.view = None
        self.refresh_marks()
        self.update_actions()

    def refresh_marks(self) -> None:
        """The list's "Số đến" and status columns come from views rows: re-read the rows shown."""
        if self.window.session is not None and self.window.session.ui_db is not None:
            self.window.model.refresh_rows()

    def reload_entries(self) -> None:
        """An entry changed outside the book (a forward sent later by a flush): the list and an open book re-read."""
        self.refresh_marks()
        if self.view is not None and self.view.isVisible():
            self.view.reload()

    def has_pending(self) -> bool:
        """Events queued while offline ("chờ cấp số", corrections, cancellations)? One indexed read."""
        s = self.window.session
        if s is None or s.ui_db is None:
            return False
        return s.ui_db.execute("SELECT 1 FROM register_pending LIMIT 1").fetchone() is not None

    def flush_after_sync(self):
        """A sync just reached the server: send the "chờ cấp số" queue too (db executor, never the GUI)."""
        w = self.window
        if w.session is None or not self.has_pending():
            return None
        profile = w.session.profile

        def done(numbered: list[dict]) -> None:
            self.refresh_marks()
            if self.view is not None and self.view.isVisible():
                self.view.reload()
            if numbered:
                w.statusBar().showMessage(translate("RegisterView", "%n waiting document(s) got their number", "",
                                                    len(numbered)), 10000)
            self.flushed.emit(numbered)

        self.flush_task = w.session.run_db(flush_task, w.session.blobs, profile.data_dir, profile.default_mirror_dir,
                                           on_result=done, on_error=w.banner.show_exception)
        return self.flush_task

    def update_actions(self) -> None:
        w = self.window
        ready = w.session is not None and w.session.ui_db is not None
        w.act_register.setEnabled(ready and w.reading.message is not None)
        w.act_register_paper.setEnabled(ready)
        w.act_book.setEnabled(ready)

    def register_selected(self) -> RegisterDialog | None:
        w = self.window
        msg = w.reading.message
        if w.session is None or msg is None:
            return None
        atts = [(p.idx, p.filename) for p in w.reading.attachments.parts]
        subject = (msg.meta.get("subject") if isinstance(getattr(msg, "meta", None), dict) else "") or ""
        return self._open(RegisterDialog(w.session, msg.id, subject, atts, parent=w))

    def register_paper(self) -> RegisterDialog | None:
        w = self.window
        if w.session is None:
            return None
        return self._open(RegisterDialog(w.session, None, parent=w))

    def _open(self, dialog: RegisterDialog) -> RegisterDialog:
        dialog.registered.connect(self._registered)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    def _registered(self, entry: dict) -> None:
        self.refresh_marks()
        if self.view is not None and self.view.isVisible():
            self.view.fill_years()
            self.view.reload()
        w = self.window
        text = (translate("RegisterView", "Registered: incoming no. %1/%2").replace("%1", str(entry["so_den"]))
                .replace("%2", str(entry["year"])) if entry.get("so_den")
                else translate("RegisterView", "Registered: waiting for a number (no connection to the server)"))
        w.statusBar().showMessage(text, 10000)
        self.registered.emit(entry)

    def show_register(self) -> RegisterView | None:
        w = self.window
        if w.session is None:
            return None
        if self.view is None or self.view.session is not w.session:
            self.view = RegisterView(w.session, w)
            self.view.changed.connect(self.refresh_marks)
            self.view.present_requested.connect(w.leader_ui.present_entry)
        self.view.show()
        self.view.raise_()
        self.view.activateWindow()
        return self.view
