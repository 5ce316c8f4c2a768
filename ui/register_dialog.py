""""Vào sổ": registering an incoming document from the window (issue 5, R7.1a-1, ND30 Đ20-22).

Why a form over a proposal: the app reads the mail and its attachments and
fills every column it can (register.service.propose); the clerk is the one
who answers for the register, so she checks and edits the ten columns of the
book (Phụ lục IV) and the Phụ lục VI fields before confirming.  Duplicates
must be confirmed explicitly; secret-marked documents are refused with the
reason.  The number itself is given by the shared log (docs/register-log.md),
which needs the network: registration runs on the single db executor and,
without a server, the entry is shown plainly as "chờ cấp số".
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from typing import Any

from camau_desk.vn.clock import VN_TZ, to_vn
from ui.qt import (
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QDateTime,
    QDateTimeEdit,
    QDialog,
    QFont,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    Qt,
    QTime,
    QVBoxLayout,
    QWidget,
    Signal,
)

EMPTY_DATE = QDate(1900, 1, 1)
URGENCIES = ("Khẩn", "Thượng khẩn", "Hỏa tốc")
SECRECIES = ("Mật", "Tối mật", "Tuyệt mật")


# ----------------------------------------------------------------- pure helpers


def kinds() -> list[str]:
    """Document kinds offered in the form: ND30 Phụ lục III, công văn, then the agency's own kinds."""
    from camau_desk.register.doctypes import CONG_VAN, ND30_TYPES, R3_1_KINDS

    out: list[str] = []
    for k in (CONG_VAN, *ND30_TYPES.values(), *R3_1_KINDS):
        if k not in out:
            out.append(k)
    return out


def iso_to_vn(value: str | None) -> dt.datetime | None:
    """An ISO moment as Vietnam wall-clock time (the register's time, whatever the PC says)."""
    if not value:
        return None
    try:
        t = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return to_vn(t)


def format_date(value: str | None) -> str:
    """ISO date or moment -> dd/MM/yyyy (Vietnam time); anything else is shown as is."""
    if not value:
        return ""
    if len(value) == 10:
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    t = iso_to_vn(value)
    return t.strftime("%d/%m/%Y") if t else value


def register_task(_ctx, db, blobs, data_dir: Path, mirror_dir: Path, message_id: int | None,
                  attachment_idx: int | None, fields: dict[str, Any], allow_duplicate: bool) -> dict:
    """Worker side (db executor): register an e-mailed document, or a paper one when ``message_id`` is None."""
    from camau_desk import settings
    from camau_desk.register import service as svc
    from camau_desk.register.local_log import client_factory_for

    account = svc.agency_account(db)
    factory = client_factory_for(account, data_dir)
    if message_id is None:
        return svc.register_paper(db, account, fields, client_factory=factory, allow_duplicate=allow_duplicate)
    mirror_root = Path(settings.get(db, "mirror_root") or mirror_dir)
    return svc.register(db, blobs, account, message_id, fields, attachment_idx, client_factory=factory,
                        allow_duplicate=allow_duplicate, mirror_root=mirror_root)


def propose_task(_ctx, db, blobs, message_id: int, attachment_idx: int | None):
    """Worker side (read executor): the proposal and its warnings; reads only."""
    from camau_desk.register import service as svc

    return svc.propose(db, blobs, message_id, attachment_idx)


def signatures_task(_ctx, db, blobs, message_id: int) -> dict[int, list]:
    """Worker side (db executor: the verdicts are stored): PAdES check of every PDF attachment."""
    from camau_desk.register.signatures import verify_message_attachments

    return verify_message_attachments(db, blobs, message_id)


def signature_lines(results: dict[int, list], names: dict[int, str]) -> list[str]:
    """One line per PDF attachment: its name and the worst verdict's Vietnamese summary."""
    from camau_desk.register.signatures import overall

    lines = []
    for idx, verdicts in sorted(results.items()):
        worst = overall(verdicts)
        summary = next((v.summary for v in verdicts if v.verdict == worst), "")
        lines.append(f"{names.get(idx, str(idx))}: {summary}")
    return lines


# ----------------------------------------------------------------- widgets


class OptionalDateEdit(QDateEdit):
    """A dd/MM/yyyy date that may be empty (its minimum shows as blank)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setMinimumDate(EMPTY_DATE)
        self.setSpecialValueText(" ")
        self.clear_value()

    def clear_value(self) -> None:
        self.setDate(EMPTY_DATE)

    def iso(self) -> str | None:
        d = self.date()
        return None if d == EMPTY_DATE else d.toString("yyyy-MM-dd")

    def set_iso(self, value: str | None) -> None:
        t = None
        if value:
            try:
                t = dt.date.fromisoformat(value[:10])
            except ValueError:
                t = None
        if t is None:
            self.clear_value()
        else:
            self.setDate(QDate(t.year, t.month, t.day))


class EntryForm(QWidget):
    """The ten columns of the book (Phụ lục IV) and the Phụ lục VI fields, as editable widgets."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.so_den = QLabel()
        self.ngay_den = QDateTimeEdit()
        self.ngay_den.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.ngay_den.setCalendarPopup(True)
        self.tac_gia = QLineEdit()
        self.so_ky_hieu = QLineEdit()
        self.ngay_van_ban = OptionalDateEdit()
        self.loai = QComboBox()
        self.loai.setEditable(True)
        self.loai.addItem("")
        self.loai.addItems(kinds())
        self.trich_yeu = QPlainTextEdit()
        self.trich_yeu.setTabChangesFocus(True)
        self.trich_yeu.setMaximumHeight(self.fontMetrics().height() * 4 + 12)
        self.don_vi_nhan = QLineEdit()
        self.ngay_chuyen = OptionalDateEdit()
        self.ky_nhan = QLineEdit()
        self.ghi_chu = QLineEdit()
        self.muc_do_khan = QComboBox()
        for value, label in (("", self.tr("Normal")), ("Khẩn", self.tr("Urgent")),
                             ("Thượng khẩn", self.tr("Very urgent")), ("Hỏa tốc", self.tr("Immediate"))):
            self.muc_do_khan.addItem(label, value)
        self.do_mat = QComboBox()
        for value, label in (("", self.tr("Not secret")), ("Mật", self.tr("Confidential")),
                             ("Tối mật", self.tr("Secret")), ("Tuyệt mật", self.tr("Top secret"))):
            self.do_mat.addItem(label, value)
        self.han_giai_quyet = OptionalDateEdit()
        self.so_trang = QSpinBox()
        self.so_trang.setRange(0, 99999)
        self.so_trang.setSpecialValueText(" ")
        self.nguoi_ky = QLineEdit()

        book = QGroupBox(self.tr("Incoming register (ND 30, Appendix IV)"))
        f1 = QFormLayout(book)
        for label, w in ((self.tr("Incoming no."), self.so_den), (self.tr("Date received"), self.ngay_den),
                         (self.tr("Issuing body"), self.tac_gia), (self.tr("Number and symbol"), self.so_ky_hieu),
                         (self.tr("Document date"), self.ngay_van_ban), (self.tr("Kind"), self.loai),
                         (self.tr("Summary"), self.trich_yeu), (self.tr("Unit or person receiving"), self.don_vi_nhan),
                         (self.tr("Date passed on"), self.ngay_chuyen), (self.tr("Signed for by"), self.ky_nhan),
                         (self.tr("Note"), self.ghi_chu)):
            f1.addRow(label, w)
            w.setAccessibleName(label)
        extra = QGroupBox(self.tr("Document details (Appendix VI)"))
        f2 = QFormLayout(extra)
        for label, w in ((self.tr("Urgency"), self.muc_do_khan), (self.tr("Secrecy"), self.do_mat),
                         (self.tr("Deadline"), self.han_giai_quyet), (self.tr("Pages"), self.so_trang),
                         (self.tr("Signed by"), self.nguoi_ky)):
            f2.addRow(label, w)
            w.setAccessibleName(label)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(book, 3)
        col = QVBoxLayout()
        col.addWidget(extra)
        col.addStretch(1)
        row.addLayout(col, 2)
        self.muc_do_khan.currentIndexChanged.connect(self.changed)
        self.do_mat.currentIndexChanged.connect(self.changed)
        self._initial: dict[str, Any] = {}
        self.set_values({})

    # -- values ------------------------------------------------------------
    def set_values(self, fields: dict[str, Any], number: str | None = None) -> None:
        """Fill every widget from entry/proposal fields; what is shown now is the 'unchanged' state."""
        self.so_den.setText(number or self.tr("given when you confirm"))
        t = iso_to_vn(fields.get("ngay_den")) or dt.datetime.now(VN_TZ)
        self.ngay_den.setDateTime(QDateTime(QDate(t.year, t.month, t.day), QTime(t.hour, t.minute)))
        for key in ("tac_gia", "so_ky_hieu", "don_vi_nhan", "ky_nhan", "ghi_chu", "nguoi_ky"):
            getattr(self, key).setText(fields.get(key) or "")
        self.trich_yeu.setPlainText(fields.get("trich_yeu") or "")
        self.loai.setCurrentText(fields.get("loai") or "")
        for key in ("ngay_van_ban", "ngay_chuyen", "han_giai_quyet"):
            getattr(self, key).set_iso(fields.get(key))
        self._set_combo(self.muc_do_khan, fields.get("muc_do_khan"))
        self._set_combo(self.do_mat, fields.get("do_mat"))
        self.so_trang.setValue(int(fields.get("so_trang") or 0))
        self._initial = self.values()

    @staticmethod
    def _set_combo(combo: QComboBox, value: str | None) -> None:
        i = combo.findData(value or "")
        if i < 0:  # a mark the list does not know: keep it rather than lose it
            combo.addItem(value or "", value or "")
            i = combo.count() - 1
        combo.setCurrentIndex(i)

    def values(self) -> dict[str, Any]:
        """Every field; empty ones are None."""
        q = self.ngay_den.dateTime()
        d, t = q.date(), q.time()
        ngay_den = dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=VN_TZ)
        out: dict[str, Any] = {"ngay_den": ngay_den.isoformat(timespec="seconds")}
        for key in ("tac_gia", "so_ky_hieu", "don_vi_nhan", "ky_nhan", "ghi_chu", "nguoi_ky"):
            out[key] = getattr(self, key).text().strip() or None
        out["trich_yeu"] = self.trich_yeu.toPlainText().strip() or None
        out["loai"] = self.loai.currentText().strip() or None
        for key in ("ngay_van_ban", "ngay_chuyen", "han_giai_quyet"):
            out[key] = getattr(self, key).iso()
        out["muc_do_khan"] = self.muc_do_khan.currentData() or None
        out["do_mat"] = self.do_mat.currentData() or None
        out["so_trang"] = self.so_trang.value() or None
        return out

    def edited(self) -> dict[str, Any]:
        """Only what the clerk changed since ``set_values`` (the rest stays as proposed)."""
        now = self.values()
        return {k: v for k, v in now.items() if self._initial.get(k) != v}


class RegisterDialog(QDialog):
    """Vào sổ one message (or one attachment of it), or a paper document (``message_id=None``)."""

    proposal_ready = Signal()
    signatures_ready = Signal()
    registered = Signal(dict)
    failed = Signal(object)

    def __init__(self, session, message_id: int | None = None, subject: str = "",
                 attachments: list[tuple[int, str]] | None = None, attachment_idx: int | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.message_id = message_id
        self.paper = message_id is None
        self.proposal = None
        self.entry: dict | None = None
        self.task = None
        self.setWindowTitle(self.tr("Register a paper document") if self.paper else self.tr("Register document"))
        self.setMinimumWidth(900)
        outer = QVBoxLayout(self)

        self.source = QLabel()
        self.source.setWordWrap(True)
        self.attachment = QComboBox()
        self.attachment.setAccessibleName(self.tr("Document to register"))
        self.attachment.addItem(self.tr("The whole message"), None)
        for idx, name in attachments or []:
            self.attachment.addItem(self.tr("Attachment: %1").replace("%1", name), idx)
        if attachment_idx is not None and self.attachment.findData(attachment_idx) >= 0:
            self.attachment.setCurrentIndex(self.attachment.findData(attachment_idx))
        if not self.paper:
            self.source.setText(self.tr("Message: %1").replace("%1", subject))
            top = QHBoxLayout()
            top.addWidget(self.source, 1)
            top.addWidget(QLabel(self.tr("Register:")))
            top.addWidget(self.attachment)
            outer.addLayout(top)
            self.attachment.setVisible(bool(attachments))
        else:
            self.source.setText(self.tr("A document that arrived on paper: it takes the next number of the same "
                                        "register as e-mailed documents."))
            outer.addWidget(self.source)

        self.urgent = QLabel()
        self.urgent.setObjectName("urgentFlag")
        self.urgent.setWordWrap(True)
        self.urgent.setStyleSheet("#urgentFlag { background: #fdecea; color: #b3261e; border: 1px solid #f5c2c0;"
                                  " border-radius: 4px; padding: 6px; font-weight: bold; }")
        self.urgent.hide()
        outer.addWidget(self.urgent)

        self.signatures = QLabel()
        self.signatures.setObjectName("signatureVerdicts")
        self.signatures.setWordWrap(True)
        self.signatures.setAccessibleName(self.tr("Digital signatures"))
        self.signatures.hide()
        outer.addWidget(self.signatures)
        self._names = dict(attachments or [])

        self.refusal = QLabel()
        self.refusal.setObjectName("secretRefusal")
        self.refusal.setWordWrap(True)
        self.refusal.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refusal.setStyleSheet("#secretRefusal { background: #fdecea; color: #611a15; border: 2px solid #b3261e;"
                                   " border-radius: 4px; padding: 8px; }")
        self.refusal.hide()
        outer.addWidget(self.refusal)

        self.warnings = QFrame()
        self.warnings.setObjectName("duplicateWarnings")
        self.warnings.setStyleSheet("QFrame#duplicateWarnings { background: #fff8e1; border: 1px solid #f0c36d;"
                                    " border-radius: 4px; } QFrame#duplicateWarnings QLabel { color: #5d4200; }")
        wl = QVBoxLayout(self.warnings)
        self.warnings_text = QLabel()
        self.warnings_text.setWordWrap(True)
        self.warnings_confirm = QCheckBox(self.tr("I have checked: this is not a duplicate, register it anyway"))
        self.warnings_confirm.toggled.connect(self._update_buttons)
        wl.addWidget(self.warnings_text)
        wl.addWidget(self.warnings_confirm)
        self.warnings.hide()
        outer.addWidget(self.warnings)

        self.form = EntryForm()
        self.form.changed.connect(self._fields_changed)
        outer.addWidget(self.form, 1)

        self.result = QLabel()
        self.result.setObjectName("registerResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        f = QFont(self.result.font())
        f.setPointSizeF(f.pointSizeF() * 1.4)
        f.setBold(True)
        self.result.setFont(f)
        self.result.hide()
        outer.addWidget(self.result)
        self.status = QLabel()
        self.status.setWordWrap(True)
        outer.addWidget(self.status)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.confirm_button = QPushButton(self.tr("Register"))
        self.confirm_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Cancel"))
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.close_button)
        outer.addLayout(buttons)
        self.confirm_button.clicked.connect(self.confirm)
        self.close_button.clicked.connect(self.reject)
        self.attachment.currentIndexChanged.connect(lambda _i: self.load_proposal())

        self._dup_warnings: list = []
        if self.paper:
            self.form.set_values({})
            self._update_buttons()
        else:
            self.load_proposal()
            if attachments and importlib.util.find_spec("camau_desk.register.signatures") is not None:
                self.session.run_db(signatures_task, self.session.blobs, message_id,
                                    on_result=self._signatures, on_error=self._signatures_failed)

    def _signatures(self, results: dict[int, list]) -> None:
        lines = signature_lines(results, self._names)
        if lines:
            self.signatures.setText(self.tr("Digital signatures:") + "\n" + "\n".join(f"• {x}" for x in lines))
            self.signatures.show()
        self.signatures_ready.emit()

    def _signatures_failed(self, _exc: BaseException) -> None:
        self.signatures_ready.emit()  # a check that could not run is not a reason to stop registering

    # -- proposal ----------------------------------------------------------
    @property
    def attachment_idx(self) -> int | None:
        return None if self.paper else self.attachment.currentData()

    def load_proposal(self) -> None:
        if self.paper or self.session is None:
            return
        self.confirm_button.setEnabled(False)
        self.status.setText(self.tr("Reading the document..."))
        self.session.run_read(propose_task, self.message_id, self.attachment_idx,
                              on_result=self._proposed, on_error=self._failed)

    def _proposed(self, proposal) -> None:
        self.proposal = proposal
        self.status.setText("")
        self.form.set_values(proposal.fields)
        self._show_warnings(proposal.warnings)
        self._fields_changed()
        self.proposal_ready.emit()

    def _show_warnings(self, warnings: list) -> None:
        self._dup_warnings = list(warnings)
        self.warnings_confirm.setChecked(False)
        if warnings:
            lines = "\n".join(f"• {w.message}" for w in warnings)
            self.warnings_text.setText(self.tr("This looks like a document already in the register:") + "\n" + lines)
        self.warnings.setVisible(bool(warnings))
        self._update_buttons()

    def _fields_changed(self) -> None:
        urgency = self.form.muc_do_khan.currentData()
        if urgency:
            self.urgent.setText(self.tr("%1 document: register it and present it to the leader at once.")
                                .replace("%1", urgency))
        self.urgent.setVisible(bool(urgency))
        secrecy = self.form.do_mat.currentData()
        if secrecy:
            from camau_desk.register.service import SECRECY_REFUSAL

            self._refuse(SECRECY_REFUSAL.format(mark=secrecy))
        else:
            self.refusal.hide()
        self._update_buttons()

    def _refuse(self, message: str) -> None:
        self.refusal.setText(message)
        self.refusal.show()
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self.paper or self.proposal is not None
        ok = (ready and self.entry is None and self.task is None and self.refusal.isHidden()
              and (not self._dup_warnings or self.warnings_confirm.isChecked()))
        self.confirm_button.setEnabled(bool(ok))

    # -- confirm -----------------------------------------------------------
    def confirm(self) -> None:
        if not self.confirm_button.isEnabled() or self.session is None:
            return
        if self.paper:
            fields = {k: v for k, v in self.form.values().items() if v is not None}
        else:
            fields = self.form.edited()
        allow = bool(self._dup_warnings) and self.warnings_confirm.isChecked()
        self.status.setText(self.tr("Registering..."))
        profile = self.session.profile
        self.task = self.session.run_db(register_task, self.session.blobs, profile.data_dir,
                                        profile.default_mirror_dir, self.message_id, self.attachment_idx,
                                        fields, allow, on_result=self._done, on_error=self._failed)
        self._update_buttons()

    def _done(self, entry: dict) -> None:
        self.task = None
        self.entry = entry
        self.status.setText("")
        if entry.get("so_den"):
            text = self.tr("Incoming no. %1/%2").replace("%1", str(entry["so_den"])).replace("%2", str(entry["year"]))
            if entry.get("muc_do_khan"):
                text += "\n" + self.tr("Present it to the leader now.")
        else:
            text = self.tr("Waiting for a number: the server cannot be reached. The document keeps its place "
                           "in the queue and gets its number as soon as the connection is back.")
        self.result.setText(text)
        self.result.show()
        self.form.so_den.setText(str(entry["so_den"]) if entry.get("so_den") else self.tr("waiting for a number"))
        self.form.setEnabled(False)
        self.attachment.setEnabled(False)
        self.warnings_confirm.setEnabled(False)
        self.confirm_button.hide()
        self.close_button.setText(self.tr("Close"))
        self.close_button.clicked.disconnect()
        self.close_button.clicked.connect(self.accept)
        self._update_buttons()
        self.registered.emit(entry)

    def _failed(self, exc: BaseException) -> None:
        from camau_desk.errors import CamauError
        from camau_desk.register.service import DuplicateWarning, SecretDocument

        self.task = None
        self.status.setText("")
        if isinstance(exc, SecretDocument):
            self._refuse(exc.message)
        elif isinstance(exc, DuplicateWarning):
            self._show_warnings(exc.warnings)
        elif isinstance(exc, CamauError):
            self.status.setText(exc.message)
        else:
            detail = getattr(exc, "__traceback_text__", None) or f"{type(exc).__name__}: {exc}"
            self.status.setText(self.tr("An unexpected error occurred while registering. "
                                    "The technical detail (for IT support) is in this message's tooltip."))
            self.status.setToolTip(detail)
        self._update_buttons()
        self.failed.emit(exc)
