"""The reading pane: headers, safe body, attachments.

Why QTextBrowser and not a web engine: it runs no script and has no network
stack of its own; ``loadResource`` is overridden so the only thing it can ever
load is a ``cid:`` part of the message being shown (no tracking pixels, no
remote CSS, no local files).  HTML is sanitised with nh3 first (ui/html.py).
"""

from __future__ import annotations

import html as _html
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ui.html import human_size, is_risky, sanitize_html, text_to_html
from ui.models import format_datetime
from ui.qt import (
    QAbstractItemView,
    QByteArray,
    QDesktopServices,
    QDialog,
    QFileDialog,
    QFileIconProvider,
    QFileInfo,
    QFont,
    QFontDatabase,
    QHBoxLayout,
    QImage,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QMimeData,
    QPlainTextEdit,
    QPushButton,
    QSize,
    QSplitter,
    Qt,
    QTextBrowser,
    QTextDocument,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
)


@dataclass
class LoadedMessage:
    """What the read worker hands the pane: metadata, bodies, parts."""

    id: int
    meta: dict
    raw: bytes
    html: str | None
    text: str
    attachments: list[Any] = field(default_factory=list)  # ParsedAttachment (non-inline)
    inline: dict[str, Any] = field(default_factory=dict)  # content-id -> ParsedAttachment


def load_message(ctx, db, blobs, message_id: int) -> LoadedMessage:
    """Worker side: row, raw bytes from the blob store, parsed parts."""
    from camau_desk.mail import parse, store

    meta = store.get_message(db, message_id)
    raw = store.raw_bytes(db, blobs, message_id)
    parsed = parse.parse_message(raw)
    attachments, inline = [], {}
    for part in parsed.attachments:
        cid = (part.content_id or "").strip().strip("<>")
        if part.is_inline and cid:
            inline[cid] = part
        else:
            attachments.append(part)
    return LoadedMessage(message_id, meta, raw, parsed.html, parsed.text or "", attachments, inline)


class SafeBrowser(QTextBrowser):
    """A QTextBrowser that loads nothing but ``cid:`` images of this message."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self.parts: dict[str, Any] = {}
        self.blocked: list[str] = []  # what a message tried to load (shown count, tests)
        self.anchorClicked.connect(self._open_link)

    def loadResource(self, type_: int, url: QUrl):  # noqa: N802 - Qt override
        if url.scheme().lower() == "cid":
            part = self.parts.get(url.path().strip("<>")) or self.parts.get(url.toString()[4:].strip("<>"))
            if part is not None and int(type_) == int(QTextDocument.ResourceType.ImageResource):
                image = QImage()
                image.loadFromData(QByteArray(part.payload))
                return image
        if not url.isEmpty():
            self.blocked.append(url.toString())
        return None

    def _open_link(self, url: QUrl) -> None:
        """Links open in the clerk's browser only when clicked, and only web/mail links."""
        if url.scheme().lower() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)


def _write_temp(part) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="camau-desk-"))
    path = folder / (part.safe_name or f"attachment-{part.idx}")
    path.write_bytes(part.payload)
    return path


class AttachmentList(QListWidget):
    """Attachments that can be dragged out as files (written to a temp dir)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setIconSize(QSize(24, 24))
        self.parts: list[Any] = []

    def mimeData(self, items):  # noqa: N802 - Qt override
        data = QMimeData()
        urls = []
        for item in items:
            part = self.parts[item.data(Qt.ItemDataRole.UserRole)]
            urls.append(QUrl.fromLocalFile(str(_write_temp(part))))
        data.setUrls(urls)
        return data


def _header_html(meta: dict, labels: dict[str, str]) -> str:
    def esc(v: Any) -> str:
        return _html.escape(str(v or ""))

    sender = meta.get("from_name") or ""
    addr = meta.get("from_addr") or ""
    who = f"{esc(sender)} &lt;{esc(addr)}&gt;" if sender else esc(addr)
    rows = [(labels["from"], who), (labels["to"], esc(meta.get("to_addrs")))]
    if meta.get("cc_addrs"):
        rows.append((labels["cc"], esc(meta.get("cc_addrs"))))
    rows.append((labels["date"], esc(format_datetime(meta.get("date") or meta.get("received_at")))))
    if meta.get("urgency"):
        rows.append((labels["urgency"], f"<b style='color:#b3261e'>{esc(meta.get('urgency'))}</b>"))
    body = "".join(f"<tr><td style='color:#555;padding-right:8px'>{k}</td><td>{v}</td></tr>" for k, v in rows)
    return f"<table cellspacing='0' cellpadding='1'>{body}</table>"


class SourceDialog(QDialog):
    """'Xem mã nguồn': the raw message as received, read-only."""

    def __init__(self, raw: bytes, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Message source"))
        self.resize(800, 600)
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName(self.tr("Message source"))
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(raw.decode("utf-8", errors="replace"))
        layout.addWidget(self.text)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)


class ReadingPane(QWidget):
    """Shows one LoadedMessage. File writes go through ``run_io`` (a worker)."""

    error = Signal(object)
    saved = Signal(str)

    def __init__(self, run_io=None, parent=None) -> None:
        super().__init__(parent)
        self.run_io = run_io  # callable(fn, *args, on_result=..., on_error=...) or None: inline
        self.message: LoadedMessage | None = None
        self._labels = {
            "from": self.tr("From:"), "to": self.tr("To:"), "cc": self.tr("Cc:"),
            "date": self.tr("Date:"), "urgency": self.tr("Urgency:"),
        }
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        self.subject = QLabel()
        font = QFont(self.subject.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.subject.setFont(font)
        self.subject.setWordWrap(True)
        self.subject.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subject.setAccessibleName(self.tr("Subject"))
        self.headers = QLabel()
        self.headers.setTextFormat(Qt.TextFormat.RichText)
        self.headers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.headers.setAccessibleName(self.tr("Message headers"))
        self.source_button = QPushButton(self.tr("View source"))
        self.source_button.setAccessibleName(self.tr("View message source"))
        self.source_button.clicked.connect(self.show_source)
        top = QHBoxLayout()
        top.addWidget(self.headers, 1)
        top.addWidget(self.source_button, 0, Qt.AlignmentFlag.AlignTop)
        self.body = SafeBrowser()
        self.body.setAccessibleName(self.tr("Message body"))
        self.remote_note = QLabel(self.tr("Remote images and styles were blocked to protect your privacy."))
        self.remote_note.setStyleSheet("color: #555; font-style: italic")
        self.remote_note.hide()

        self.attachments = AttachmentList()
        self.attachments.setAccessibleName(self.tr("Attachments"))
        self.attachments.itemDoubleClicked.connect(lambda item: self.open_attachment(self.attachments.row(item)))
        self.open_button = QPushButton(self.tr("Open"))
        self.save_button = QPushButton(self.tr("Save..."))
        self.save_all_button = QPushButton(self.tr("Save all..."))
        for b, name in ((self.open_button, self.tr("Open attachment")),
                        (self.save_button, self.tr("Save attachment")),
                        (self.save_all_button, self.tr("Save all attachments"))):
            b.setAccessibleName(name)
        self.open_button.clicked.connect(lambda: self.open_attachment(self.attachments.currentRow()))
        self.save_button.clicked.connect(self.ask_save_selected)
        self.save_all_button.clicked.connect(self.ask_save_all)
        self.attachments_box = QWidget()
        box = QVBoxLayout(self.attachments_box)
        box.setContentsMargins(0, 0, 0, 0)
        self.attachments_title = QLabel(self.tr("Attachments"))
        box.addWidget(self.attachments_title)
        box.addWidget(self.attachments)
        buttons = QHBoxLayout()
        for b in (self.open_button, self.save_button, self.save_all_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        box.addLayout(buttons)

        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setObjectName("readingSplit")
        self.split.addWidget(self.body)
        self.split.addWidget(self.attachments_box)
        self.split.setStretchFactor(0, 4)
        self.split.setStretchFactor(1, 1)

        layout.addWidget(self.subject)
        layout.addLayout(top)
        layout.addWidget(self.remote_note)
        layout.addWidget(self.split, 1)
        self.clear()

    # -- showing -----------------------------------------------------------
    def clear(self) -> None:
        self.message = None
        self.subject.setText(self.tr("No message selected"))
        self.headers.setText("")
        self.body.parts = {}
        self.body.clear()
        self.attachments.clear()
        self.attachments.parts = []
        self.attachments_box.hide()
        self.source_button.setEnabled(False)
        self.remote_note.hide()

    def show_message(self, msg: LoadedMessage) -> None:
        self.message = msg
        self.subject.setText(msg.meta.get("subject") or self.tr("(no subject)"))
        self.headers.setText(_header_html(msg.meta, self._labels))
        self.source_button.setEnabled(True)
        self.body.parts = msg.inline
        self.body.blocked = []
        if msg.html:
            self.body.setHtml(sanitize_html(msg.html))
        else:
            self.body.setHtml(text_to_html(msg.text))
        self.remote_note.setVisible(bool(msg.html) and _mentions_remote(msg.html))
        self.attachments.clear()
        self.attachments.parts = list(msg.attachments)
        provider = QFileIconProvider()
        for i, part in enumerate(msg.attachments):
            item = QListWidgetItem(provider.icon(QFileInfo(part.safe_name or part.filename)),
                                   f"{part.filename}  ({human_size(part.size)})")
            item.setData(Qt.ItemDataRole.UserRole, i)
            item.setToolTip(part.mime_type or "")
            self.attachments.addItem(item)
        self.attachments_title.setText(self.tr("Attachments (%n)", "", len(msg.attachments)))
        self.attachments_box.setVisible(bool(msg.attachments))
        if msg.attachments:
            self.attachments.setCurrentRow(0)

    def show_source(self) -> None:
        if self.message is not None:
            dialog = SourceDialog(self.message.raw, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.show()

    # -- attachments -------------------------------------------------------
    def _run(self, fn, *args, on_result=None) -> None:
        if self.run_io is None:
            try:
                value = fn(None, *args)
            except Exception as exc:  # noqa: BLE001
                self.error.emit(exc)
            else:
                if on_result:
                    on_result(value)
        else:
            self.run_io(fn, *args, on_result=on_result, on_error=self.error.emit)

    def save_attachment(self, row: int, target: Path) -> None:
        """Write attachment ``row`` to ``target`` in a worker; ``saved`` fires when done."""
        part = self.attachments.parts[row]
        self._run(_save_bytes, part.payload, Path(target), on_result=self.saved.emit)

    def ask_save_selected(self) -> None:
        row = self.attachments.currentRow()
        if row < 0:
            return
        part = self.attachments.parts[row]
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save attachment"), part.safe_name or part.filename)
        if path:
            self.save_attachment(row, Path(path))

    def ask_save_all(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Save all attachments to"))
        if folder:
            self.save_all_to(Path(folder))

    def save_all_to(self, folder: Path) -> None:
        items = [(p.safe_name or f"attachment-{p.idx}", p.payload) for p in self.attachments.parts]
        self._run(_save_many, items, Path(folder), on_result=self.saved.emit)

    def confirm_risky(self, filename: str) -> bool:
        """Executable/script attachments: the clerk must say "open anyway" (default: don't)."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Possibly dangerous file"),
                          self.tr("“%1” is a program or script. Opening it can harm this computer. "
                                  "Open it only if you trust the sender. Open anyway?").replace("%1", filename),
                          QMessageBox.StandardButton.NoButton, self)
        open_button = box.addButton(self.tr("Open anyway"), QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(self.tr("Do not open"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is open_button

    def open_attachment(self, row: int) -> None:
        if not 0 <= row < len(self.attachments.parts):
            return
        part = self.attachments.parts[row]
        if (is_risky(part.filename) or is_risky(part.safe_name or "")) and not self.confirm_risky(part.filename):
            return
        self._run(lambda _ctx, p: _write_temp(p), part,
                  on_result=lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


def _mentions_remote(html: str) -> bool:
    low = html.lower()
    return "http://" in low or "https://" in low or "//" in low and "src=" in low


def _save_bytes(_ctx, payload: bytes, target: Path) -> str:
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(payload)
    tmp.replace(target)
    return str(target)


def _save_many(_ctx, items: list[tuple[str, bytes]], folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    for name, payload in items:
        target = folder / name
        stem, suffix, n = target.stem, target.suffix, 1
        while target.exists():
            n += 1
            target = folder / f"{stem} ({n}){suffix}"
        _save_bytes(None, payload, target)
    return str(folder)
