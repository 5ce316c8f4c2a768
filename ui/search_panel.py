"""Search in the window (issue 7, R6.3): "Tìm kiếm" (Ctrl+F) and "Xây dựng lại chỉ mục".

Why a non-modal panel beside the main window: the clerk types, reads the
snippets, opens a hit (the message is selected in the list, or the mirror
file opens in its own program) and types again without closing anything.
Every query runs on the read executor (camau_desk.archive.search reads the
local index only, so it works offline); indexing writes, so it runs on the db
executor with progress and "Hủy" in the status bar.  The GUI thread never
waits for either.
"""

from __future__ import annotations

import html
from pathlib import Path

from ui.qt import (
    QCoreApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QObject,
    QProgressBar,
    QPushButton,
    QSize,
    Qt,
    QTimer,
    QUrl,
    QVBoxLayout,
    Signal,
)

translate = QCoreApplication.translate

# Snippet markers that html.escape leaves alone and no message text contains.
MARK = ("\x02", "\x03")
HIT_ROLE = Qt.ItemDataRole.UserRole
RESULT_LIMIT = 50


def snippet_html(snippet: str) -> str:
    """The search snippet as rich text: matches bold, everything else HTML-escaped (mail text is untrusted)."""
    return html.escape(snippet or "").replace(MARK[0], "<b>").replace(MARK[1], "</b>")


def help_text() -> str:
    return translate(
        "SearchPanel",
        "Words: all must match; accents and case are ignored (\"quyet dinh\" finds \"Quyết định\").\n"
        "\"exact phrase\", prefix*, -excluded word, number-and-symbol fragments such as 4295/UBND.\n"
        "Filters:\n"
        "  from: sender (name or address)\n"
        "  so: number and symbol\n"
        "  loai: kind (Công văn, Quyết định...)\n"
        "  nam: year (2025, or 2024-2025)\n"
        "  den: incoming number\n"
        "  has:attachment  only with attachments\n"
        "  status: register status, or status:spam",
    )


def search_task(_ctx, db, _blobs, text: str, root: Path | None, limit: int = RESULT_LIMIT) -> list[dict]:
    """On the read executor: ranked hits as plain dicts (safe to hand to the GUI thread)."""
    from camau_desk.archive.search import search

    return [h.as_dict() for h in search(db, text, limit=limit, root=root, mark=MARK)]


def index_task(ctx, db, blobs, rebuild: bool) -> dict:
    """On the db executor: index what is new (or everything again); stops cleanly on "Hủy"."""
    from camau_desk.archive import search

    fn = search.rebuild_index if rebuild else search.index_pending
    return fn(db, blobs, progress=lambda done, total: ctx.progress(done, total, ""), cancel=lambda: ctx.cancelled)


def kind_label(kind: str) -> str:
    return {"message": translate("SearchPanel", "Message"), "attachment": translate("SearchPanel", "Attachment"),
            "register": translate("SearchPanel", "Register entry")}.get(kind, kind)


def format_hit_date(value: str | None) -> str:
    from ui.models import format_datetime

    text = format_datetime(value)
    return text.split(" ")[0] if text else ""  # dd/MM/yyyy


class SearchPanel(QDialog):
    """Query box, help, ranked results with bold matches; open a hit."""

    results_ready = Signal(list)  # hit dicts
    open_requested = Signal(dict)  # a hit: the window selects its message
    file_requested = Signal(dict)  # a hit: open its mirror file

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Search"))
        self.setModal(False)
        self.resize(720, 560)
        self.hits: list[dict] = []
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("Search all mail, attachments and the register..."))
        self.query.setAccessibleName(self.tr("Search text"))
        self.query.setToolTip(help_text())
        self.query.setClearButtonEnabled(True)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.setDefault(True)
        self.help_button = QPushButton("?")
        self.help_button.setAccessibleName(self.tr("Search syntax"))
        self.help_button.setToolTip(help_text())
        self.help_button.setMaximumWidth(32)
        self.help_label = QLabel(help_text())
        self.help_label.setWordWrap(True)
        self.help_label.hide()
        self.help_button.clicked.connect(lambda: self.help_label.setVisible(not self.help_label.isVisible()))
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Search status"))
        self.results = QListWidget()
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setAlternatingRowColors(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.open_button = QPushButton(self.tr("Show in message list"))
        self.file_button = QPushButton(self.tr("Open file"))
        self.file_button.setToolTip(self.tr("Open the file saved in the archive folder with its own program"))
        for b in (self.open_button, self.file_button):
            b.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(self.search_button)
        row.addWidget(self.help_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.file_button)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.help_label)
        lay.addWidget(self.results, 1)
        lay.addLayout(buttons)
        self.query.returnPressed.connect(self.request_search)
        self.search_button.clicked.connect(self.request_search)
        self.results.currentRowChanged.connect(self._chosen)
        self.results.itemActivated.connect(lambda _i: self.open_current())
        self.open_button.clicked.connect(self.open_current)
        self.file_button.clicked.connect(self.open_current_file)
        self._runner = None  # (text) -> None, set by SearchUi
        self._generation = 0

    def request_search(self) -> None:
        text = self.query.text().strip()
        if not text or self._runner is None:
            return
        self._generation += 1
        self.status.setText(self.tr("Searching..."))
        self._runner(text, self._generation)

    def show_results(self, generation: int, hits: list[dict]) -> None:
        if generation != self._generation:
            return  # an older query answered late
        self.hits = hits
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem()
            item.setData(HIT_ROLE, hit)
            label = QLabel(self._hit_html(hit))
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setContentsMargins(4, 3, 4, 3)
            width = max(200, self.results.viewport().width() - self.results.verticalScrollBar().sizeHint().width())
            item.setSizeHint(QSize(width, label.heightForWidth(width) + 4))  # wrapped height, no blank band
            item.setText("")  # the label paints it; accessible text below
            spoken = f"{hit.get('title') or ''} {format_hit_date(hit.get('date'))}"
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
            self.results.addItem(item)
            self.results.setItemWidget(item, label)
        self.status.setText(self.tr("%n result(s)", "", len(hits)) if hits else self.tr("Nothing found"))
        if hits:
            self.results.setCurrentRow(0)
        self.results_ready.emit(hits)

    def show_error(self, text: str) -> None:
        self.status.setText(text)

    @staticmethod
    def _hit_html(hit: dict) -> str:
        bits = [kind_label(hit.get("kind") or "")]
        if hit.get("so_den"):
            bits.append(translate("SearchPanel", "Incoming no. %1").replace("%1", html.escape(str(hit["so_den"]))))
        if hit.get("so_ky_hieu"):
            bits.append(html.escape(hit["so_ky_hieu"]))
        date = format_hit_date(hit.get("date"))
        if date:
            bits.append(date)
        return (f"<b>{html.escape(hit.get('title') or '')}</b><br>"
                f"<span style='color:#555'>{' · '.join(bits)}</span><br>{snippet_html(hit.get('snippet') or '')}")

    def current_hit(self) -> dict | None:
        item = self.results.currentItem()
        return item.data(HIT_ROLE) if item is not None else None

    def _chosen(self, _row: int) -> None:
        hit = self.current_hit()
        self.open_button.setEnabled(bool(hit and hit.get("message")))
        self.file_button.setEnabled(bool(hit and hit.get("path")))

    def open_current(self) -> None:
        hit = self.current_hit()
        if hit and hit.get("message"):
            self.open_requested.emit(hit)
        elif hit and hit.get("path"):
            self.file_requested.emit(hit)

    def open_current_file(self) -> None:
        hit = self.current_hit()
        if hit and hit.get("path"):
            self.file_requested.emit(hit)


class SearchUi(QObject):
    """Wires search into the main window: the panel, index updates, rebuild with progress and cancel."""

    index_finished = Signal(dict)  # counts of index_pending / rebuild_index ({} if cancelled or failed)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.panel: SearchPanel | None = None
        self.index_job = None
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setAccessibleName(translate("SearchPanel", "Indexing progress"))
        self.progress.hide()
        self.cancel_button = QPushButton(translate("SearchPanel", "Stop indexing"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_index)
        sb = window.statusBar()
        sb.addPermanentWidget(self.progress)
        sb.addPermanentWidget(self.cancel_button)
        window.session_ready.connect(self._session_ready)
        self.update_actions()

    def _session_ready(self) -> None:
        if self.panel is not None:
            self.panel.close()
            self.panel.deleteLater()
            self.panel = None
        self.update_actions()

    def update_actions(self) -> None:
        w = self.window
        ready = w.session is not None and w.session.ui_db is not None
        w.act_search.setEnabled(ready)
        w.act_reindex.setEnabled(ready and self.index_job is None)

    # ----------------------------------------------------------- panel
    def show_panel(self) -> SearchPanel | None:
        w = self.window
        if w.session is None:
            return None
        if self.panel is None:
            self.panel = SearchPanel(w)
            self.panel._runner = self._run_search
            self.panel.open_requested.connect(lambda hit: w.show_message(int(hit["message"])))
            self.panel.file_requested.connect(self.open_file)
            self.update_index()  # new mail since the last time: index it quietly first
        self.panel.show()
        self.panel.raise_()
        self.panel.activateWindow()
        self.panel.query.setFocus()
        self.panel.query.selectAll()
        return self.panel

    def mirror_root(self) -> Path | None:
        s = self.window.session
        if s is None or s.ui_db is None:
            return None
        from camau_desk import settings

        return Path(settings.get(s.ui_db, "mirror_root") or s.profile.default_mirror_dir)

    def _run_search(self, text: str, generation: int) -> None:
        s, panel = self.window.session, self.panel
        if s is None or panel is None:
            return
        root = self.mirror_root()

        def failed(exc: BaseException) -> None:
            panel.show_error(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")
            panel.results_ready.emit([])

        s.run_read(search_task, text, root, on_result=lambda hits: panel.show_results(generation, hits),
                   on_error=failed)

    def open_file(self, hit: dict) -> bool:
        from ui.register_view import open_url

        path = hit.get("path")
        if not path:
            return False
        if not Path(path).exists():
            self.window.banner.show_error(translate("SearchPanel", "The file is no longer in the archive folder: %1")
                                          .replace("%1", path))
            return False
        return open_url(QUrl.fromLocalFile(path))

    # ----------------------------------------------------------- index
    def update_index(self) -> None:
        self._start_index(rebuild=False)

    def rebuild_index(self) -> None:
        self._start_index(rebuild=True)

    def _start_index(self, rebuild: bool) -> None:
        s = self.window.session
        if s is None or self.index_job is not None:
            return
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        text = (translate("SearchPanel", "Rebuilding the search index...") if rebuild
                else translate("SearchPanel", "Updating the search index..."))
        self.progress.setFormat(text)
        self.progress.setToolTip(text)
        self.window.statusBar().showMessage(text)
        self.index_job = s.run_db(index_task, s.blobs, rebuild, on_result=self._indexed, on_error=self._index_failed,
                                  on_progress=self._index_progress)
        self.update_actions()

    def _index_progress(self, done: int, total: int, _text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def cancel_index(self) -> None:
        if self.index_job is not None:
            self.index_job.cancel()
            self.window.statusBar().showMessage(translate("SearchPanel", "Stopping indexing..."))

    def _index_done(self) -> None:
        self.index_job = None
        self.progress.hide()
        self.cancel_button.hide()
        self.update_actions()

    def _indexed(self, counts: dict) -> None:
        stopped = self.index_job is not None and self.index_job.ctx.cancelled
        self._index_done()
        self.window.statusBar().showMessage(translate("SearchPanel", "Indexing stopped") if stopped
                                            else translate("SearchPanel", "Search index up to date"), 5000)
        self.index_finished.emit(dict(counts or {}))
        if self.panel is not None and self.panel.isVisible() and self.panel.query.text().strip():
            QTimer.singleShot(0, self.panel.request_search)

    def _index_failed(self, exc: BaseException) -> None:
        from ui.tasks import Cancelled

        self._index_done()
        if isinstance(exc, Cancelled):
            self.window.statusBar().showMessage(translate("SearchPanel", "Indexing stopped"), 5000)
        else:
            self.window.banner.show_exception(exc)
        self.index_finished.emit({})
