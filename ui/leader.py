"""Presenting documents to the leader, the delegation banner, the outbox (issue 6, R7.1a-2, R7.1a-N).

Why a confirmation that names the person: under a delegation the document
goes to the deputy, not the head; the clerk must see who receives it (and
the delegation note the message will carry) before anything is sent.  The
recipient is resolved again by camau_desk.routing.forward when sending.
Everything that touches the log, SMTP or the outbox runs on the db executor
(forward_entry writes); the banner and the outbox list are small reads.
"""

from __future__ import annotations

from pathlib import Path

from ui.qt import (
    QAbstractItemView,
    QCompleter,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QObject,
    QPlainTextEdit,
    QPushButton,
    QStringListModel,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    Signal,
)

translate = QCoreApplication.translate

PRESENTABLE = ("registered", "presented", "assigned", "processing")


def person_label(p: dict) -> str:
    who = " ".join(x for x in (p.get("title"), p.get("name")) if x)
    return f"{who} <{p['email']}>" if who else p.get("email", "")


def _imap_factory(data_dir: Path):
    """The log/Sent client of an account: the local log for local (demo) accounts, else IMAP."""
    from camau_desk.register.local_log import client_factory_for

    return lambda account: client_factory_for(account, data_dir)()


def preview_task(_ctx, db, _blobs, number: int, year: int) -> dict:
    """On the read executor: the entry and who would receive it today (nothing written)."""
    from camau_desk.routing import forward

    entry = forward.find_entry(db, number, year)
    out = forward.preview_recipient(db)
    out["entry"] = {k: entry.get(k) for k in ("so_den", "year", "trich_yeu", "so_ky_hieu", "status", "do_mat")}
    return out


def forward_task(_ctx, db, blobs, data_dir: Path, number: int, year: int) -> dict:
    """On the db executor: the forward (log sync, guards, outbox; "Đã trình" only if the server took it)."""
    from camau_desk.register import service as svc
    from camau_desk.routing import forward

    account = svc.agency_account(db)
    factory = _imap_factory(data_dir)
    return forward.forward_entry(db, blobs, account, number, year, imap_factory=factory)


def outbox_task(_ctx, db, _blobs) -> list[dict]:
    from camau_desk.mail import outbox

    return outbox.list_outbox(db)


def retry_task(_ctx, db, blobs, data_dir: Path) -> list[dict]:
    from camau_desk.mail import outbox

    return outbox.flush_outbox(db, blobs, force=True, imap_factory=_imap_factory(data_dir))


def cancel_task(_ctx, db, oid: int) -> dict:
    from camau_desk.mail import outbox

    return outbox.cancel(db, oid)


def requeue_task(_ctx, db, oid: int) -> dict:
    from camau_desk.mail import outbox

    return outbox.requeue(db, oid)


def send_task(_ctx, db, blobs, data_dir: Path, mode: str, to: list[str], subject: str, body: str,
              message_id: int | None, confirm_many: bool, attachment_paths: list[str] | None = None) -> dict:
    """On the db executor: build the message with mail.compose (new / reply / forward) and hand it to the outbox.

    From the agency mailbox with the agency name; Sender the clerk's address when set.
    Attached files are read here (a slow network drive never freezes the window).
    """
    from camau_desk import settings
    from camau_desk.mail import compose, outbox
    from camau_desk.mail.store import raw_bytes
    from camau_desk.register import service as svc

    account = svc.agency_account(db)
    agency = (settings.get(db, "agency_name") or account.display_name or "", account.email)
    clerk = settings.get(db, "clerk_address")
    sender = clerk if clerk and clerk.lower() != account.email.lower() else None
    files = [compose.attachment_from_path(p) for p in attachment_paths or ()]
    original = raw_bytes(db, blobs, message_id) if mode in ("reply", "forward") and message_id else None
    if mode == "forward" and original is not None:
        msg = compose.forward(original, from_addr=agency, to=to, body=body, subject=subject, sender=sender)
        for a in files:  # compose.forward carries the original's attachments; the clerk's files follow
            maintype, _, subtype = a.mime_type.partition("/")
            msg.add_attachment(a.data, maintype=maintype, subtype=subtype or "octet-stream", filename=a.filename)
    elif mode == "reply" and original is not None:
        msg = compose.reply(original, from_addr=agency, body=body, sender=sender, attachments=files)
        del msg["To"], msg["Subject"]
        msg["To"] = ", ".join(to)
        msg["Subject"] = subject
    else:
        msg = compose.new_message(from_addr=agency, to=to, subject=subject, body=body, sender=sender,
                                  attachments=files)
    return outbox.send_or_queue(db, blobs, account, msg, kind=mode if mode in ("reply", "forward") else "new",
                                confirm_many=confirm_many, imap_factory=_imap_factory(data_dir))


def forward_outcome(result: dict) -> str:
    """The sentence after "Trình lãnh đạo": sent, waiting (not yet "Đã trình") or refused, with the reason."""
    row = result.get("outbox") or {}
    if row.get("status") == "sent":
        text, detail = translate("LeaderUi", "Presented no. %1/%2 to %3"), person_label(result.get("recipient") or {})
    elif row.get("status") == "refused":
        text = translate("LeaderUi", "The mail server refused no. %1/%2: %3 The document is not marked Presented; "
                         "fix the cause, then press Resend in the Outbox.")
        detail = row.get("last_error") or ""
    else:
        text = translate("LeaderUi", "No. %1/%2 is waiting to be sent and will be sent automatically when the "
                         "network is back; the document is not yet marked Presented. %3")
        detail = row.get("last_error") or ""
    return text.replace("%1", str(result["so_den"])).replace("%2", str(result["year"])).replace("%3", detail)


# ----------------------------------------------------------------- outbox view


class OutboxView(QDialog):
    """"Hộp thư đi": what waits, what was sent, what the server refused and why; send now, resend, cancel.

    A refused message is never retried on its own (the server said no for
    good): the clerk fixes the cause, then "Gửi lại" puts it back in the queue.
    """

    loaded = Signal()
    failed = Signal(object)
    flushed = Signal(list)  # the rows "Gửi ngay" / "Gửi lại" tried to send, with their new status

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Outbox"))
        self.resize(820, 420)
        self.rows: list[dict] = []
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("Created"), self.tr("To"), self.tr("Subject"),
                                              self.tr("Status"), self.tr("Reason")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setAccessibleName(self.tr("Outbox messages"))
        self.retry_button = QPushButton(self.tr("Send now"))
        self.retry_button.setToolTip(self.tr("Try again to send every waiting message"))
        self.requeue_button = QPushButton(self.tr("Resend"))
        self.requeue_button.setToolTip(self.tr("Put the refused message back in the queue and send it "
                                               "(after fixing what the server refused)"))
        self.cancel_button = QPushButton(self.tr("Cancel sending"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e")
        self.error.hide()
        row = QHBoxLayout()
        for b in (self.retry_button, self.requeue_button, self.cancel_button, self.refresh_button):
            row.addWidget(b)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.error)
        lay.addLayout(row)
        self.retry_button.clicked.connect(self.retry)
        self.requeue_button.clicked.connect(self.requeue_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.refresh_button.clicked.connect(self.reload)
        self.table.itemSelectionChanged.connect(self._selected)
        self._selected()

    def reload(self) -> None:
        self.session.run_read(outbox_task, on_result=self._loaded, on_error=self._failed)

    def _loaded(self, rows: list[dict]) -> None:
        from ui.models import format_datetime

        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, item in enumerate(rows):
            cells = [format_datetime(item.get("created_at")), ", ".join(item.get("rcpt_to") or []),
                     item.get("subject") or "", item.get("status_label") or item.get("status") or "",
                     item.get("last_error") or ""]
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(item.get("last_error") or "")  # the server's reply, whole, on any cell of the row
                self.table.setItem(r, c, cell)
        self._selected()
        self.loaded.emit()

    def selected(self) -> dict | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def _selected(self) -> None:
        status = (self.selected() or {}).get("status")
        self.cancel_button.setEnabled(status in ("queued", "sending", "refused"))
        self.requeue_button.setEnabled(status == "refused")
        self.retry_button.setEnabled(any(x.get("status") in ("queued", "sending") for x in self.rows))

    def retry(self) -> None:
        self.retry_button.setEnabled(False)
        self.session.run_db(retry_task, self.session.blobs, self.session.profile.data_dir,
                            on_result=self._retried, on_error=self._failed)

    def _retried(self, rows: list[dict]) -> None:
        self.flushed.emit(rows)
        self.reload()

    def requeue_selected(self) -> None:
        """"Gửi lại": back in the queue (audited by the core), then the same send as "Gửi ngay"."""
        item = self.selected()
        if item is None or item.get("status") != "refused":
            return
        self.requeue_button.setEnabled(False)
        self.session.run_db(requeue_task, int(item["id"]), on_result=lambda _r: self.retry(), on_error=self._failed)

    def cancel_selected(self) -> None:
        item = self.selected()
        if item is None:
            return
        self.session.run_db(cancel_task, int(item["id"]), on_result=lambda _r: self.reload(), on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")
        self.error.show()
        self.failed.emit(exc)
        self.reload()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.reload()


# ----------------------------------------------------------------- compose


class ComposeDialog(QDialog):
    """New message / reply / forward note from the agency mailbox; To completes from the directory."""

    sent = Signal(dict)
    failed = Signal(str)

    def __init__(self, session, *, mode: str = "new", to: str = "", subject: str = "", body: str = "",
                 message_id: int | None = None, attachments: list[str] | None = None, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.mode = mode
        self.message_id = message_id
        titles = {"reply": self.tr("Reply"), "forward": self.tr("Forward")}
        self.setWindowTitle(titles.get(mode, self.tr("New message")))
        self.resize(640, 480)
        self.to = QLineEdit(to)
        self.to.setPlaceholderText(self.tr("Addresses separated by commas; type a name to find it in the directory"))
        self.to.setAccessibleName(self.tr("To"))
        self.completions = QStringListModel(self)
        self.completer = QCompleter(self.completions, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.activated.connect(self._completed)
        self.to.setCompleter(self.completer)
        self.to.textEdited.connect(self._suggest)
        self.subject = QLineEdit(subject)
        self.subject.setAccessibleName(self.tr("Subject"))
        self.body = QPlainTextEdit(body)
        self.body.setAccessibleName(self.tr("Message text"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e")
        self.error.hide()
        self.attachment_list = QListWidget()
        self.attachment_list.setAccessibleName(self.tr("Attached files"))
        self.attachment_list.setMaximumHeight(90)
        self.attach_button = QPushButton(self.tr("Attach files..."))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setAccessibleName(self.tr("Remove the selected attachment"))
        self.attach_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(self.remove_selected)
        self.attachment_list.currentRowChanged.connect(lambda _r: self._attachments_changed())
        att_buttons = QVBoxLayout()
        att_buttons.addWidget(self.attach_button)
        att_buttons.addWidget(self.remove_button)
        att_buttons.addStretch(1)
        att_row = QHBoxLayout()
        att_row.addWidget(self.attachment_list, 1)
        att_row.addLayout(att_buttons)
        form = QFormLayout()
        form.addRow(self.tr("To:"), self.to)
        form.addRow(self.tr("Subject:"), self.subject)
        form.addRow(self.tr("Attachments:"), att_row)
        buttons = QDialogButtonBox()
        self.send_button = buttons.addButton(self.tr("Send"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.send)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.body, 1)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self._prefix = ""
        for p in attachments or ():
            self.add_attachment(p)
        self._attachments_changed()

    # -------------------------------------------------------------- attachments
    def attachment_paths(self) -> list[str]:
        return [self.attachment_list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.attachment_list.count())]

    def add_attachment(self, path: str) -> None:
        """List a file (once); it is read only when sending, on the db executor."""
        path = str(path)
        if path in self.attachment_paths():
            return
        item = QListWidgetItem(Path(path).name)
        item.setData(Qt.ItemDataRole.UserRole, path)
        item.setToolTip(path)
        self.attachment_list.addItem(item)
        self._attachments_changed()

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach files"))
        for p in paths:
            self.add_attachment(p)

    def remove_selected(self) -> None:
        row = self.attachment_list.currentRow()
        if row >= 0:
            self.attachment_list.takeItem(row)
        self._attachments_changed()

    def _attachments_changed(self) -> None:
        self.remove_button.setEnabled(self.attachment_list.currentRow() >= 0)

    def suggestions(self, prefix: str) -> list[str]:
        """Directory matches for the last address being typed (a small read on the GUI connection)."""
        from camau_desk.routing import org

        if not prefix.strip():
            return []
        return [person_label(e) if e.get("name") else e["email"]
                for e in org.directory_search(self.session.ui_db, prefix.strip())]

    def _suggest(self, text: str) -> None:
        head, _, last = text.rpartition(",")
        self._prefix = (head + ", ") if head else ""
        self.completions.setStringList(self.suggestions(last))

    def _completed(self, choice: str) -> None:
        self.to.setText(self._prefix + choice)

    def recipients(self) -> list[str]:
        from email.utils import getaddresses

        return [addr for _n, addr in getaddresses([self.to.text()]) if "@" in addr]

    def send(self, confirm_many: bool = False) -> None:
        to = self.recipients()
        if not to:
            self._show_error(self.tr("Enter at least one recipient address."))
            return
        if not self.subject.text().strip():
            self._show_error(self.tr("Enter a subject."))
            return
        self.send_button.setEnabled(False)
        s = self.session
        s.run_db(send_task, s.blobs, s.profile.data_dir, self.mode, to, self.subject.text().strip(),
                 self.body.toPlainText(), self.message_id, confirm_many, self.attachment_paths(),
                 on_result=self._sent, on_error=self._failed)

    def _sent(self, row: dict) -> None:
        self.send_button.setEnabled(True)
        self.sent.emit(row)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from camau_desk.mail.outbox import ConfirmationNeeded

        self.send_button.setEnabled(True)
        if isinstance(exc, ConfirmationNeeded):
            answer = QMessageBox.question(self, self.tr("Many recipients"), exc.message)
            if answer == QMessageBox.StandardButton.Yes:
                self.send(confirm_many=True)
            return
        self._show_error(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.failed.emit(text)


# ----------------------------------------------------------------- window glue


class LeaderUi(QObject):
    """Trình lãnh đạo, the delegation banner, compose / reply, the outbox view."""

    forwarded = Signal(dict)
    confirm_shown = Signal(object)  # the QMessageBox asking the clerk to confirm

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.confirm_box: QMessageBox | None = None
        self.outbox_view: OutboxView | None = None
        self.compose: ComposeDialog | None = None
        self.banner = QLabel()
        self.banner.setObjectName("delegationBanner")
        self.banner.setStyleSheet("#delegationBanner { background: #fff4ce; border: 1px solid #e0c96b;"
                                  " border-radius: 4px; padding: 4px 8px; color: #4d3b00; }")
        self.banner.setAccessibleName(translate("LeaderUi", "Delegation in force"))
        self.banner.hide()
        window.session_ready.connect(self._session_ready)
        window.message_shown.connect(lambda _id: self.update_actions())
        window.list_ready.connect(self.update_actions)
        window.register_ui.registered.connect(lambda _e: self.update_actions())
        self.update_actions()

    def _session_ready(self) -> None:
        for w in (self.outbox_view, self.compose):
            if w is not None:
                w.close()
        self.outbox_view = self.compose = None
        self.refresh_banner()
        self.update_actions()

    def refresh_banner(self) -> str | None:
        """"Đang ủy quyền cho ... đến dd/mm/yyyy" while a delegation applies today."""
        s = self.window.session
        text = None
        if s is not None and s.ui_db is not None:
            from camau_desk.routing import delegation

            try:
                text = delegation.active_banner(s.ui_db)
            except Exception:  # noqa: BLE001 - an older profile without the routing tables: no banner
                text = None
        self.banner.setText(text or "")
        self.banner.setVisible(bool(text))
        return text

    def current_entry(self) -> tuple[int, int] | None:
        """(số đến, year) of the selected message's live entry, if it can be presented."""
        w = self.window
        row = w.model.row_dict(w.table.currentIndex().row())
        if not row or not row.get("so_den") or row.get("reg_status") not in PRESENTABLE:
            return None
        return int(row["so_den"]), int(row["reg_year"])

    def update_actions(self) -> None:
        w = self.window
        ready = w.session is not None and w.session.ui_db is not None
        w.act_leader.setEnabled(ready and self.current_entry() is not None)
        w.act_outbox.setEnabled(ready)
        w.act_compose.setEnabled(ready)
        w.act_reply.setEnabled(ready and w.reading.message is not None)
        w.act_forward.setEnabled(ready and w.reading.message is not None)

    # -------------------------------------------------------------- trình
    def present_selected(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.present_entry(*entry)

    def present_entry(self, number: int, year: int) -> None:
        """Preview who receives it, confirm, forward (from the message list or from the register book)."""
        w = self.window
        if w.session is None:
            return
        w.session.run_read(preview_task, number, year, on_result=self._confirm, on_error=w.banner.show_exception)

    def _confirm(self, preview: dict) -> None:
        e, p = preview["entry"], preview["recipient"]
        text = translate("LeaderUi", "Present incoming document no. %1/%2 to %3?").replace(
            "%1", str(e["so_den"])).replace("%2", str(e["year"])).replace("%3", person_label(p))
        if preview.get("under_delegation") and preview.get("delegation"):
            from camau_desk.routing.delegation import delegation_note

            text += "\n\n" + translate("LeaderUi", "Under delegation: %1").replace(
                "%1", delegation_note(preview["delegation"]))
        box = QMessageBox(QMessageBox.Icon.Question, translate("LeaderUi", "Send to leader"), text,
                          QMessageBox.StandardButton.NoButton, self.window)
        box.setInformativeText(e.get("trich_yeu") or "")
        self.confirm_yes = box.addButton(translate("LeaderUi", "Send"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(translate("LeaderUi", "Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        number, year = int(e["so_den"]), int(e["year"])
        box.buttonClicked.connect(lambda b: self.forward(number, year) if b is self.confirm_yes else None)
        box.open()
        self.confirm_box = box
        self.confirm_shown.emit(box)

    def forward(self, number: int, year: int) -> None:
        w = self.window
        if w.session is None:
            return
        w.statusBar().showMessage(translate("LeaderUi", "Sending to the leader..."))
        w.session.run_db(forward_task, w.session.blobs, w.session.profile.data_dir, number, year,
                         on_result=self._forwarded, on_error=w.banner.show_exception)

    def _forwarded(self, result: dict) -> None:
        """Say what really happened: only a sent forward made the entry "Đã trình"."""
        w = self.window
        text = forward_outcome(result)
        if (result.get("outbox") or {}).get("status") == "refused":
            w.banner.show_error(text)  # stays until read: the clerk has something to fix
        else:
            w.statusBar().showMessage(text, 15000)
        w.live.show_waiting()  # "N thư chờ gửi" counts a forward that waits
        self._entries_changed()
        self.refresh_banner()
        if self.outbox_view is not None and self.outbox_view.isVisible():
            self.outbox_view.reload()
        self.forwarded.emit(result)

    def after_flush(self, rows: list[dict]) -> None:
        """The background flush tried the queue (ui.live): report it; an open outbox view shows the new states."""
        self._report_flush(rows)
        if rows and self.outbox_view is not None and self.outbox_view.isVisible():
            self.outbox_view.reload()

    def _report_flush(self, rows: list[dict]) -> None:
        """Forwards the flush sent are "Đã trình" now (the entries are read again); refusals go to the banner."""
        w = self.window
        sent = [r for r in rows if r.get("status") == "sent" and r.get("kind") == "forward" and r.get("entry")]
        refused = [r for r in rows if r.get("status") == "refused"]
        if sent:
            w.statusBar().showMessage(translate("LeaderUi", "%n waiting document(s) sent to the leader", "",
                                                len(sent)), 15000)
            self._entries_changed()
        if refused:
            w.banner.show_error(translate("LeaderUi", "The mail server refused %n message(s). Open the Outbox to "
                                          "see the reason and resend.", "", len(refused)),
                                "\n".join(r.get("last_error") or "" for r in refused))

    def _entries_changed(self) -> None:
        """The register changed outside the book: the list's columns and an open book are read again."""
        self.window.register_ui.reload_entries()
        self.update_actions()

    # -------------------------------------------------------------- outbox, compose
    def show_outbox(self) -> OutboxView | None:
        w = self.window
        if w.session is None:
            return None
        if self.outbox_view is None or self.outbox_view.session is not w.session:
            self.outbox_view = OutboxView(w.session, w)
            self.outbox_view.flushed.connect(self._report_flush)
            self.outbox_view.loaded.connect(w.live.show_waiting)  # after send, resend, cancel
        self.outbox_view.show()
        self.outbox_view.raise_()
        return self.outbox_view

    def compose_new(self, **kwargs) -> ComposeDialog | None:
        w = self.window
        if w.session is None:
            return None
        dialog = ComposeDialog(w.session, parent=w, **kwargs)
        dialog.sent.connect(self._sent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.compose = dialog
        return dialog

    def reply_selected(self) -> ComposeDialog | None:
        msg = self.window.reading.message
        if msg is None:
            return None
        meta = msg.meta if isinstance(getattr(msg, "meta", None), dict) else {}
        subject = meta.get("subject") or ""
        if not subject.lower().startswith(("re:", "tl:")):
            subject = "Re: " + subject
        return self.compose_new(mode="reply", to=meta.get("from_addr") or "", subject=subject, message_id=msg.id)

    def forward_selected(self) -> ComposeDialog | None:
        msg = self.window.reading.message
        if msg is None:
            return None
        meta = msg.meta if isinstance(getattr(msg, "meta", None), dict) else {}
        return self.compose_new(mode="forward", subject="Fwd: " + (meta.get("subject") or ""), message_id=msg.id)

    def _sent(self, row: dict) -> None:
        if row.get("status") == "refused":
            self.window.banner.show_error(translate("LeaderUi", "The mail server refused the message: %1")
                                          .replace("%1", row.get("last_error") or ""))
        else:
            text = (translate("LeaderUi", "Message sent") if row.get("status") == "sent"
                    else translate("LeaderUi", "Message waits in the outbox: %1")
                    .replace("%1", row.get("last_error") or ""))
            self.window.statusBar().showMessage(text, 10000)
        self.window.live.show_waiting()
        if self.outbox_view is not None and self.outbox_view.isVisible():
            self.outbox_view.reload()

