"""Qt item models over the mail store: the message list pages lazily.

Why lazy paging (canFetchMore/fetchMore) with ORDER BY in SQL: a folder may
hold 100,000 messages; the view asks for rows as it scrolls, and sorting is the
database's job (indexed), never a Python sort of everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from camau_desk.vn.clock import to_vn
from ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QCoreApplication,
    QFont,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

PAGE_SIZE = 200


def format_datetime(value: str | None) -> str:
    """ISO 8601 -> dd/MM/yyyy HH:mm in Việt Nam time (the agency's clock, whatever the PC's zone)."""
    if not value:
        return ""
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return value
    return to_vn(dt).strftime("%d/%m/%Y %H:%M")


@dataclass(frozen=True)
class Column:
    key: str  # the sort key understood by the page query (None: not sortable yet)
    title: str  # English source; translated in headerData
    sortable: bool = True


def _columns() -> list[Column]:
    # translated when the model is built (the translator is installed before any window)
    return [
        Column("received_at", QCoreApplication.translate("MessageListModel", "Received")),
        Column("sender", QCoreApplication.translate("MessageListModel", "Sender")),
        Column("subject", QCoreApplication.translate("MessageListModel", "Subject")),
        Column("attachments", QCoreApplication.translate("MessageListModel", "Attachments")),
        Column("urgency", QCoreApplication.translate("MessageListModel", "Urgency")),
        Column("so_den", QCoreApplication.translate("MessageListModel", "Incoming no.")),
        Column("status", QCoreApplication.translate("MessageListModel", "Status"), sortable=False),
    ]


def register_status_labels() -> dict[str, str]:
    """Register statuses as the list shows them (ND30 wording in Vietnamese)."""
    return {
        "pending": QCoreApplication.translate("MessageListModel", "Waiting for a number"),
        "registered": QCoreApplication.translate("MessageListModel", "Registered"),
        "presented": QCoreApplication.translate("MessageListModel", "Presented"),
        "assigned": QCoreApplication.translate("MessageListModel", "Assigned"),
        "processing": QCoreApplication.translate("MessageListModel", "In progress"),
        "done": QCoreApplication.translate("MessageListModel", "Done"),
        "cancelled": QCoreApplication.translate("MessageListModel", "Cancelled"),
    }


def so_den_text(row: dict) -> str:
    """"123/2026"; "chờ cấp số" while pending; empty when unregistered or cancelled (the message is free again)."""
    status = row.get("reg_status")
    if not status or status == "cancelled":
        return ""
    if row.get("so_den"):
        return f"{row['so_den']}/{row.get('reg_year')}"
    return QCoreApplication.translate("MessageListModel", "waiting for a number")


FetchFn = Callable[[list[int]], list[dict]]  # ids -> rows in that order

URGENT_BACKGROUND = QColor("#fff1e6")
URGENT_FOREGROUND = QColor("#b3261e")


class MessageListModel(QAbstractTableModel):
    """Rows of the current folder, fetched PAGE_SIZE at a time."""

    sortRequested = Signal(str, bool)  # key, descending: the window rebuilds the id order  # noqa: N815

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.columns = _columns()
        self.status_labels = register_status_labels()
        self._rows: list[dict] = []
        self._ids: list[int] | None = None  # the full order, once known
        self._fetch: FetchFn | None = None
        self.sort_key = "received_at"
        self.descending = True
        self.page_size = PAGE_SIZE

    # -- data source -------------------------------------------------------
    def show_rows(self, rows: list[dict], fetch: FetchFn | None = None) -> None:
        """A first page painted at once; the full order follows via ``set_order``."""
        self.beginResetModel()
        self._rows = list(rows)
        self._ids, self._fetch = None, fetch
        self.endResetModel()

    def refresh_rows(self) -> None:
        """Re-read the rows already shown (a register change): same order, same selection."""
        if not self._rows or self._fetch is None:
            return
        fresh: dict[int, dict] = {}
        ids = [r["id"] for r in self._rows]
        for i in range(0, len(ids), self.page_size):
            fresh.update((r["id"], r) for r in self._fetch(ids[i:i + self.page_size]))
        self._rows = [fresh.get(r["id"], r) for r in self._rows]
        self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))

    def set_order(self, ids: list[int], fetch: FetchFn) -> None:
        """The folder's full id order: keep rows already shown if they are its prefix."""
        shown = [r["id"] for r in self._rows]
        if shown and shown == ids[: len(shown)]:
            self._ids, self._fetch = list(ids), fetch
            return
        self.beginResetModel()
        self._rows, self._ids, self._fetch = [], list(ids), fetch
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def clear(self) -> None:
        self.show_rows([])
        self._ids = []

    @property
    def total(self) -> int:
        """Rows in the view once the order is known (else the rows shown so far)."""
        return len(self._ids) if self._ids is not None else len(self._rows)

    @property
    def complete(self) -> bool:
        return self._ids is not None

    def row_dict(self, row: int) -> dict | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def position_of(self, message_id: int) -> int:
        """Where ``message_id`` is in the full order (-1: not in this view); its row may not be fetched yet."""
        if self._ids is not None:
            try:
                return self._ids.index(message_id)
            except ValueError:
                return -1
        return self.row_of(message_id)

    def row_of(self, message_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.get("id") == message_id:
                return i
        return -1

    # -- Qt model ----------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and self._ids is not None and len(self._rows) < len(self._ids)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if parent.isValid() or self._ids is None or self._fetch is None:
            return
        start = len(self._rows)
        batch = self._fetch(self._ids[start:start + self.page_size])
        if not batch:
            del self._ids[start:]  # those messages vanished under us
            return
        self.beginInsertRows(QModelIndex(), start, start + len(batch) - 1)
        self._rows.extend(batch)
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self.columns):
                return self.columns[section].title
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        key = self.columns[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "sender":
            return row.get("from_addr") or ""
        if role == Qt.ItemDataRole.FontRole and self._unread(row):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and row.get("urgency"):
            return QBrush(URGENT_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and row.get("urgency") and key in ("urgency", "subject"):
            return QBrush(URGENT_FOREGROUND)
        if role == Qt.ItemDataRole.DecorationRole and key == "attachments" and row.get("attachment_count"):
            from ui.icons import icon

            return icon("attachment")
        if role == Qt.ItemDataRole.UserRole:
            return row.get("id")
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "attachments":
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @staticmethod
    def _unread(row: dict) -> bool:
        flags = row.get("flags") or []
        if isinstance(flags, str):
            flags = flags.split()
        return "\\Seen" not in flags

    def _display(self, row: dict, key: str) -> str:
        if key == "received_at":
            return format_datetime(row.get("received_at") or row.get("date"))
        if key == "sender":
            return row.get("from_name") or row.get("from_addr") or ""
        if key == "subject":
            return row.get("subject") or ""
        if key == "attachments":
            n = row.get("attachment_count") or 0
            return str(n) if n else ""
        if key == "urgency":
            return row.get("urgency") or ""
        if key == "so_den":
            return so_den_text(row)
        if key == "status":
            status = row.get("reg_status")
            return self.status_labels.get(status, status) if status else ""
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the database's job: ask the window for a new id order."""
        if not 0 <= column < len(self.columns) or not self.columns[column].sortable:
            return
        key, desc = self.columns[column].key, order == Qt.SortOrder.DescendingOrder
        if (key, desc) == (self.sort_key, self.descending):
            return
        self.sort_key, self.descending = key, desc
        self.sortRequested.emit(key, desc)
