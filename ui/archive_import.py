"""Tệp › "Nhập thư lưu trữ...": .eml, .mbox, a Maildir or a folder of .eml (issue 3).

Why: a clerk who inherits years of mail saved by Outlook/Thunderbird must be
able to browse and search it offline next to the server mail.  The import
runs on the db executor (it writes), with progress and "Hủy" in the status
bar; afterwards the new messages are mirrored and indexed like synced mail,
and the "Lưu trữ" account appears in the folder tree.
"""

from __future__ import annotations

from pathlib import Path

from ui.qt import QFileDialog, QMessageBox, QObject, QProgressBar, QPushButton, Qt, Signal


def import_task(ctx, db, blobs, paths: list[str], mirror_default: Path, archiving: str) -> object:
    """On the db executor: import, then mirror and index what came in (R6.2)."""
    from camau_desk.archive.keeper import archive_new_mail
    from camau_desk.mail.importer import import_paths

    result = import_paths(db, blobs, [Path(p) for p in paths], progress=lambda d, t: ctx.progress(d, t, ""),
                          cancel=lambda: ctx.cancelled)
    if result.new and not ctx.cancelled:
        try:
            archive_new_mail(db, blobs, mirror_default, progress=lambda _p, d, t: ctx.progress(d, t, archiving),
                             cancel=lambda: ctx.cancelled)
        except Exception as exc:  # noqa: BLE001 - the messages are stored; the mirror catches up at the next sync
            result.errors.append(getattr(exc, "message", None) or str(exc))
    return result


class ImportUi(QObject):
    """The menu action, the status-bar progress and the summary."""

    finished = Signal(object)  # camau_desk.mail.importer.ImportResult

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.task = None
        self.summary: QMessageBox | None = None
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(200)
        self.progress.setAccessibleName(self.tr("Import progress"))
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Stop import"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)
        sb = window.statusBar()
        sb.addPermanentWidget(self.progress)
        sb.addPermanentWidget(self.cancel_button)

    def choose(self) -> None:
        """Files (.eml, .mbox) or a folder (Maildir, folder of .eml)."""
        w = self.window
        if w.session is None or self.task is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Import archived mail"),
                          self.tr("Import message files (.eml, .mbox) or a whole folder (Maildir, folder of .eml)?"),
                          QMessageBox.StandardButton.NoButton, w)
        files = box.addButton(self.tr("Files..."), QMessageBox.ButtonRole.AcceptRole)
        folder = box.addButton(self.tr("Folder..."), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is files:
            paths, _ = QFileDialog.getOpenFileNames(w, self.tr("Choose messages to import"), "",
                                                    self.tr("Mail files (*.eml *.mbox *.mbx);;All files (*)"))
        elif box.clickedButton() is folder:
            d = QFileDialog.getExistingDirectory(w, self.tr("Choose a mail folder to import"))
            paths = [d] if d else []
        else:
            return
        if paths:
            self.start(paths)

    def start(self, paths: list[str]):
        w = self.window
        s = w.session
        if s is None or s.write_db is None or self.task is not None:
            return None
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        w.statusBar().showMessage(self.tr("Importing archived mail..."))
        self.task = s.run_db(lambda ctx, db: import_task(ctx, db, s.blobs, list(paths), s.profile.default_mirror_dir,
                                                         self.tr("offline archive and search index")),
                             on_result=self._done, on_error=self._failed, on_progress=self._progress)
        return self.task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.window.statusBar().showMessage(self.tr("Cancelling..."))

    def _progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        msg = self.tr("Importing archived mail: %1 of %2").replace("%1", str(done)).replace("%2", str(total))
        self.window.statusBar().showMessage(f"{msg} ({text})" if text else msg)

    def _end(self) -> None:
        self.task = None
        self.progress.hide()
        self.cancel_button.hide()
        self.window.statusBar().clearMessage()

    def summary_text(self, result) -> str:
        text = self.tr("%1 new message(s), %2 already there, %3 error(s).").replace("%1", str(result.new)) \
            .replace("%2", str(result.duplicates)).replace("%3", str(len(result.errors)))
        if result.cancelled:
            text = self.tr("Import stopped.") + " " + text
        return text

    def _done(self, result) -> None:
        self._end()
        w = self.window
        w.reload_tree()
        text = self.summary_text(result)
        w.statusBar().showMessage(text, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning if result.errors else QMessageBox.Icon.Information,
                          self.tr("Import archived mail"), text, QMessageBox.StandardButton.NoButton, w)
        if result.errors:
            box.setDetailedText("\n".join(result.errors))
        box.addButton(self.tr("Close"), QMessageBox.ButtonRole.AcceptRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not modal for the window's work: the tree is already updated behind it
        self.summary = box
        self.finished.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._end()
        from ui.tasks import Cancelled

        if not isinstance(exc, Cancelled):
            self.window.banner.show_exception(exc)
        self.window.reload_tree()
