"""Qt item models over the mail store: the message list pages lazily.

Why lazy paging (canFetchMore/fetchMore) with ORDER BY in SQL: a folder may
hold 100,000 messages; the view asks for rows as it scrolls, and sorting is the
database's job (indexed), never a Python sort of everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QCoreApplication,
    QFont,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

PAGE_SIZE = 200


def format_datetime(value: str | None) -> str:
    """ISO 8601 -> dd/MM/yyyy HH:mm in local time (the clerk's convention)."""
    if not value:
        return ""
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return value
    if dt.tzinfo is not None:
        dt = dt.astimezone()
    return dt.strftime("%d/%m/%Y %H:%M")


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
        Column("so_den", QCoreApplication.translate("MessageListModel", "Incoming no."), sortable=False),
        Column("status", QCoreApplication.translate("MessageListModel", "Status"), sortable=False),
    ]


PageFn = Callable[[int, int, str, bool], list[dict]]  # (offset, limit, sort_key, descending)
CountFn = Callable[[], int]

URGENT_BACKGROUND = QColor("#fff1e6")
URGENT_FOREGROUND = QColor("#b3261e")


class MessageListModel(QAbstractTableModel):
    """Rows of the current folder, fetched PAGE_SIZE at a time."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.columns = _columns()
        self._rows: list[dict] = []
        self._total = 0
        self._page: PageFn | None = None
        self._count: CountFn | None = None
        self.sort_key = "received_at"
        self.descending = True
        self.page_size = PAGE_SIZE

    # -- data source -------------------------------------------------------
    def set_source(self, page: PageFn | None, count: CountFn | None) -> None:
        """A new folder or filter: drop the rows, count, load the first page."""
        self.beginResetModel()
        self._page, self._count = page, count
        self._rows = []
        self._total = count() if count else 0
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def refresh(self) -> None:
        self.set_source(self._page, self._count)

    @property
    def total(self) -> int:
        return self._total

    def row_dict(self, row: int) -> dict | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, message_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.get("id") == message_id:
                return i
        return -1

    def update_row(self, message_id: int, **changes: Any) -> None:
        row = self.row_of(message_id)
        if row >= 0:
            self._rows[row].update(changes)
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    # -- Qt model ----------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and self._page is not None and len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if parent.isValid() or self._page is None:
            return
        start = len(self._rows)
        batch = self._page(start, self.page_size, self.sort_key, self.descending)
        if not batch:
            self._total = start  # the folder shrank under us
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

    @staticmethod
    def _display(row: dict, key: str) -> str:
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
        return ""  # so_den / status: filled once the register exists

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or not self.columns[column].sortable:
            return
        self.sort_key = self.columns[column].key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()
