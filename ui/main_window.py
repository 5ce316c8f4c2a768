"""The main window: mailboxes | message list | reading pane (issue 4).

Data flow: the folder tree and list pages are small indexed read queries on
the session's read-only GUI connection; message bodies, blobs and attachments
load on the read executor; every write (sync, spam mark, accounts) goes
through the single db executor.  Features that do not exist yet are shown
DISABLED with the tooltip "Sắp có", never as buttons that do nothing.
"""

from __future__ import annotations

import importlib.util
from datetime import date, timedelta
from pathlib import Path

from camau_desk.paths import Profile
from ui.account_dialog import AccountDialog, check_login
from ui.banner import ErrorBanner
from ui.icons import account_icon, folder_icon, icon
from ui.models import MessageListModel, format_datetime
from ui.qt import (
    QAbstractItemView,
    QAction,
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QFont,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QMainWindow,
    QMessageBox,
    QModelIndex,
    QProgressBar,
    QPushButton,
    QSettings,
    QSplitter,
    QStackedWidget,
    Qt,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.reading import ReadingPane, load_message
from ui.session import Session

FOLDER_ID_ROLE = Qt.ItemDataRole.UserRole
ACCOUNT_ROLE = Qt.ItemDataRole.UserRole + 1


def sync_available() -> bool:
    return importlib.util.find_spec("camau_desk.mail.sync") is not None


class MainWindow(QMainWindow):
    """One window over one Session (profile)."""

    session_ready = Signal()
    message_shown = Signal(int)
    list_ready = Signal()  # the message list knows its full order and count
    urgent_arrived = Signal(list)  # urgent documents a sync just stored (rows of checks.urgent_since)

    # the four daily checks (ui.scheduler); tests turn it off or pass a factory with a fake clock/sync
    start_scheduler = True

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.session: Session | None = None
        self.settings = settings
        self.folder_id: int | None = None
        self.sync_task = None
        self.folder_role: str | None = None
        self.folder_account: str | None = None
        self._list_generation = 0
        self.login_checker = check_login  # replaceable in tests (real servers are tested elsewhere)
        self.setWindowIcon(icon("app"))
        self.setWindowTitle(self.tr("Cà Mau Desk"))
        self.resize(1280, 800)
        self._build_actions()
        self._build_menus()
        self._build_central()
        self._build_status()
        from ui.archive_import import ImportUi

        self.import_ui = ImportUi(self)
        self._update_actions()
        from ui.register_view import RegisterUi
        from ui.search_panel import SearchUi

        self.register_ui = RegisterUi(self)
        self.search_ui = SearchUi(self)
        from ui.leader import LeaderUi

        self.leader_ui = LeaderUi(self)
        self.tray = None
        self.scheduler = None
        self.quitting = False
        self.centralWidget().layout().insertWidget(1, self.leader_ui.banner)
        from ui.live import LiveUi, OfferBanner

        self.live = LiveUi(self)  # IDLE watchers, mirror watcher, outbox flush (tests replace its factories)
        self.offer_banner = OfferBanner()
        self.offer_banner.send_requested.connect(self.send_offered_file)
        self.offer_banner.dismiss_button.clicked.connect(self.dismiss_offer)
        self.live.offered.connect(self.offer_banner.offer)
        self.live.offer_gone.connect(self._offer_gone)
        self.centralWidget().layout().insertWidget(2, self.offer_banner)
        self._select_after_load: int | None = None
        self.list_ready.connect(self._select_pending_message)

    # ------------------------------------------------------------------ build
    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey | None, icon_name: str | None,
                slot=None, coming: bool = False, tip: str | None = None) -> QAction:
        act = QAction(text, self)
        if icon_name:
            act.setIcon(icon(icon_name))
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        if slot:
            act.triggered.connect(slot)
        if coming:
            act.setEnabled(False)
            act.setToolTip(self.tr("Coming soon"))
            act.setStatusTip(self.tr("Coming soon"))
            act.setProperty("coming", True)
        elif tip:
            act.setToolTip(tip)
            act.setStatusTip(tip)
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        self.act_sync = self._action(self.tr("Sync"), "F5", "sync", self.start_sync,
                                     tip=self.tr("Fetch new mail from the server (F5)"))
        self.act_cancel = self._action(self.tr("Cancel"), "Esc", None, self.cancel_sync)
        self.act_register = self._action(self.tr("Register"), "Ctrl+R", "register",
                                         lambda: self.register_ui.register_selected(),
                                         tip=self.tr("Register the selected document in the incoming register"))
        self.act_register_paper = self._action(self.tr("Register a paper document..."), "Ctrl+Shift+R", None,
                                               lambda: self.register_ui.register_paper())
        self.act_leader = self._action(self.tr("Send to leader"), "Ctrl+L", "leader",
                                       lambda: self.leader_ui.present_selected(),
                                       tip=self.tr("Present the selected registered document to the leader"))
        self.act_compose = self._action(self.tr("New message..."), "Ctrl+N", None, lambda: self.leader_ui.compose_new())
        self.act_reply = self._action(self.tr("Reply..."), "Ctrl+Shift+E", None,
                                      lambda: self.leader_ui.reply_selected())
        self.act_forward = self._action(self.tr("Forward..."), "Ctrl+Shift+F", None,
                                        lambda: self.leader_ui.forward_selected())
        self.act_outbox = self._action(self.tr("Outbox"), None, None, lambda: self.leader_ui.show_outbox(),
                                       tip=self.tr("Messages waiting to be sent, and those already sent"))
        self.act_search = self._action(self.tr("Search"), "Ctrl+F", "search", lambda: self.search_ui.show_panel(),
                                       tip=self.tr("Search all mail, attachments and the register (Ctrl+F)"))
        self.act_reindex = self._action(self.tr("Rebuild search index"), None, None,
                                        lambda: self.search_ui.rebuild_index(),
                                        tip=self.tr("Index every message, attachment and register entry again"))
        self.act_book = self._action(self.tr("Incoming register"), "Ctrl+B", "book",
                                     lambda: self.register_ui.show_register(),
                                     tip=self.tr("Open the incoming register"))
        self.act_settings = self._action(self.tr("Settings"), "Ctrl+,", "settings", self.show_settings,
                                         tip=self.tr("Language, archive folder, check times, working days..."))
        self.act_add_account = self._action(self.tr("Add mailbox..."), "Ctrl+Shift+N", "add", self.add_account,
                                            tip=self.tr("Declare an agency, unit or personal mailbox"))
        self.act_demo = self._action(self.tr("Open demo data"), None, None, lambda: self.open_demo())
        self.act_import = self._action(self.tr("Import archived mail..."), None, None, lambda: self.import_ui.choose(),
                                       tip=self.tr("Import .eml, .mbox or Maildir mail to browse and search offline"))
        self.act_handover = self._action(self.tr("Mailbox handover..."), None, None, self.show_handover,
                                         tip=self.tr("Hand a mailbox over to a new head, or take one over (package)"))
        self.act_delegation = self._action(self.tr("Delegation..."), None, None, self.show_delegations,
                                           tip=self.tr("Who holds the head's authority, and when"))
        self.act_delegated = self._action(self.tr("Received under delegation..."), None, None, self.show_delegated,
                                          tip=self.tr("Documents forwarded to you as the deputy holding authority"))
        self.act_source = self._action(self.tr("View source"), "Ctrl+U", None, lambda: self.reading.show_source())
        self.act_save_att = self._action(self.tr("Save all attachments..."), "Ctrl+Shift+S", "attachment",
                                         lambda: self.reading.ask_save_all())
        self.act_spam = self._action(self.tr("Mark as spam"), "Ctrl+J", "junk", lambda: self.mark_spam(True))
        self.act_not_spam = self._action(self.tr("Not spam"), "Ctrl+Shift+J", None, lambda: self.mark_spam(False))
        self.act_focus_list = self._action(self.tr("Go to message list"), "Ctrl+2", None,
                                           lambda: self.table.setFocus())
        self.act_focus_tree = self._action(self.tr("Go to mailboxes"), "Ctrl+1", None, lambda: self.tree.setFocus())
        self.act_focus_body = self._action(self.tr("Go to reading pane"), "Ctrl+3", None,
                                           lambda: self.reading.body.setFocus())
        self.act_quit = self._action(self.tr("Quit"), "Ctrl+Q", None, self.close)
        self.act_about = self._action(self.tr("About Cà Mau Desk"), "F1", None, self.about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu(self.tr("&File"))
        for a in (self.act_add_account, self.act_import, self.act_handover, self.act_demo):
            m.addAction(a)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = bar.addMenu(self.tr("&Mail"))
        for a in (self.act_sync, self.act_cancel, None, self.act_compose, self.act_reply, self.act_forward,
                  self.act_outbox, None, self.act_source, self.act_save_att, None, self.act_spam, self.act_not_spam):
            m.addSeparator() if a is None else m.addAction(a)
        m = bar.addMenu(self.tr("&Documents"))
        for a in (self.act_register, self.act_register_paper, self.act_leader, self.act_book, self.act_delegation,
                  self.act_delegated):
            m.addAction(a)
        m = bar.addMenu(self.tr("&View"))
        for a in (self.act_focus_tree, self.act_focus_list, self.act_focus_body):
            m.addAction(a)
        m = bar.addMenu(self.tr("&Tools"))
        for a in (self.act_search, self.act_reindex, self.act_settings):
            m.addAction(a)
        m = bar.addMenu(self.tr("&Help"))
        m.addAction(self.act_about)
        tb = self.addToolBar(self.tr("Main toolbar"))
        tb.setObjectName("mainToolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.setMovable(False)
        for a in (self.act_sync, self.act_register, self.act_leader, self.act_search, self.act_book,
                  self.act_settings):
            tb.addAction(a)
        self.toolbar = tb

    def _build_central(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(4, 4, 4, 0)
        self.banner = ErrorBanner()
        outer.addWidget(self.banner)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.loading_page = QLabel(self.tr("Opening data..."))
        self.loading_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.loading_page)

        self.welcome_page = QWidget()
        w = QVBoxLayout(self.welcome_page)
        w.addStretch(1)
        title = QLabel(self.tr("Welcome to Cà Mau Desk"))
        f = QFont(title.font())
        f.setPointSizeF(f.pointSizeF() * 1.6)
        f.setBold(True)
        title.setFont(f)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(self.tr("There is no mailbox yet. Add the agency mailbox to start receiving documents, "
                              "or open the demo data to look around without a server."))
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome_add = QPushButton(icon("add"), self.tr("Add mailbox"))
        self.welcome_demo = QPushButton(self.tr("Open demo data"))
        for b in (self.welcome_add, self.welcome_demo):
            b.setMinimumHeight(36)
        self.welcome_add.clicked.connect(self.add_account)
        self.welcome_demo.clicked.connect(lambda: self.open_demo())
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.welcome_add)
        row.addWidget(self.welcome_demo)
        row.addStretch(1)
        w.addWidget(title)
        w.addWidget(text)
        w.addLayout(row)
        w.addStretch(2)
        self.stack.addWidget(self.welcome_page)

        # mail page: tree | (filters + list) | reading
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(self.tr("Mailboxes and folders"))
        self.tree.currentItemChanged.connect(self._folder_chosen)

        self.model = MessageListModel(self)
        self.model.sortRequested.connect(lambda _k, _d: self.reload_messages())
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Message list"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.horizontalHeader().setSectionsMovable(True)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        for col, width in ((0, 140), (1, 190), (3, 90), (4, 100), (5, 90), (6, 100)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._message_chosen)

        self.filter_unregistered = QCheckBox(self.tr("Not registered"))
        self.filter_unregistered.setAccessibleName(self.tr("Not registered"))
        self.filter_unregistered.setToolTip(self.tr("Only messages not yet in the incoming register (spam left out)"))
        self.filter_unregistered.toggled.connect(self.reload_messages)
        self.filter_spam = QCheckBox(self.tr("Show spam"))
        self.filter_spam.setAccessibleName(self.tr("Show spam"))
        self.filter_spam.setToolTip(self.tr("Spam and advertising are hidden by default"))
        self.filter_spam.toggled.connect(self.reload_messages)
        self.filter_range = QComboBox()
        self.filter_range.setAccessibleName(self.tr("Date range"))
        for key, label in (("all", self.tr("Any date")), ("today", self.tr("Today")), ("7", self.tr("Last 7 days")),
                           ("30", self.tr("Last 30 days")), ("year", self.tr("This year")),
                           ("custom", self.tr("From - to..."))):
            self.filter_range.addItem(label, key)
        self.filter_range.currentIndexChanged.connect(self._range_changed)
        self.date_from = QDateEdit(QDate.currentDate().addDays(-30))
        self.date_to = QDateEdit(QDate.currentDate())
        for d, name in ((self.date_from, self.tr("From date")), (self.date_to, self.tr("To date"))):
            d.setDisplayFormat("dd/MM/yyyy")
            d.setCalendarPopup(True)
            d.setAccessibleName(name)
            d.hide()
            d.dateChanged.connect(self.reload_messages)
        self.count_label = QLabel()
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        for wdg in (self.filter_unregistered, self.filter_spam, QLabel(self.tr("Date:")), self.filter_range,
                    self.date_from, self.date_to):
            filters.addWidget(wdg)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        middle = QWidget()
        mid = QVBoxLayout(middle)
        mid.setContentsMargins(0, 0, 0, 0)
        mid.addLayout(filters)
        mid.addWidget(self.table, 1)

        self.reading = ReadingPane(run_io=self._run_io)
        self.reading.error.connect(self.banner.show_exception)
        self.reading.saved.connect(lambda p: self.statusBar().showMessage(self.tr("Saved: %1").replace("%1", p), 5000))

        self.list_split = QSplitter(Qt.Orientation.Vertical)
        self.list_split.setObjectName("listSplit")
        self.list_split.addWidget(middle)
        self.list_split.addWidget(self.reading)
        self.list_split.setStretchFactor(0, 1)
        self.list_split.setStretchFactor(1, 1)
        self.list_split.setSizes([440, 400])  # first run: a clerk scans the list more than she reads
        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.setObjectName("mainSplit")
        self.main_split.addWidget(self.tree)
        self.main_split.addWidget(self.list_split)
        self.main_split.setStretchFactor(0, 1)
        self.main_split.setStretchFactor(1, 4)
        self.main_split.setSizes([260, 1020])
        self.stack.addWidget(self.main_split)
        self.stack.setCurrentWidget(self.loading_page)
        QWidget.setTabOrder(self.tree, self.filter_unregistered)
        QWidget.setTabOrder(self.filter_unregistered, self.filter_spam)
        QWidget.setTabOrder(self.filter_spam, self.filter_range)
        QWidget.setTabOrder(self.filter_range, self.date_from)
        QWidget.setTabOrder(self.date_from, self.date_to)
        QWidget.setTabOrder(self.date_to, self.table)
        QWidget.setTabOrder(self.table, self.reading.source_button)
        QWidget.setTabOrder(self.reading.source_button, self.reading.body)
        QWidget.setTabOrder(self.reading.body, self.reading.attachments)

    def _build_status(self) -> None:
        sb = self.statusBar()
        self.state_label = QLabel()
        self.state_label.setAccessibleName(self.tr("Connection state"))
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setAccessibleName(self.tr("Sync progress"))
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_sync)
        self.cancel_button.hide()
        self.last_check = QLabel()
        self.last_check.setAccessibleName(self.tr("Last check"))
        self.outbox_label = QLabel()
        self.outbox_label.setAccessibleName(self.tr("Messages waiting to be sent"))
        self.outbox_label.hide()
        sb.addPermanentWidget(self.outbox_label)
        sb.addPermanentWidget(self.progress)
        sb.addPermanentWidget(self.cancel_button)
        sb.addPermanentWidget(self.state_label)
        sb.addPermanentWidget(self.last_check)
        self._set_state("offline")

    # ------------------------------------------------------------- sessions
    def open_profile(self, profile: Profile, demo: bool = False) -> None:
        """Close the current profile (if any) and open ``profile`` off the GUI thread."""
        if self.session is not None:
            self.live.stop()
            self.offer_banner.hide()
            self.save_state()
            self.session.close()
            self.session.deleteLater()
        self.session = Session(profile, demo=demo, parent=self)
        self.session.ready.connect(self._session_ready)
        self.session.failed.connect(self._session_failed)
        if self.settings is None:
            self.settings = QSettings(str(profile.data_dir / "window.ini"), QSettings.Format.IniFormat)
        self.setWindowTitle(self.tr("Cà Mau Desk – Demo data") if demo else self.tr("Cà Mau Desk"))
        self.stack.setCurrentWidget(self.loading_page)
        self.session.open()

    def open_demo(self, data_dir: str | None = None) -> None:
        """Build the demo profile in a worker, then switch to it."""
        from ui.tasks import TaskRunner

        self.loading_page.setText(self.tr("Preparing demo data..."))
        self.stack.setCurrentWidget(self.loading_page)
        runner = self.session.runner if self.session else TaskRunner(self)

        def build(_ctx):
            from camau_desk.demo import create_demo_profile

            return create_demo_profile(Path(data_dir)) if data_dir else create_demo_profile()

        runner.net(build, on_result=lambda p: self.open_profile(p, demo=True), on_error=self._session_failed)

    def _session_failed(self, exc: BaseException) -> None:
        self.banner.show_exception(exc)
        self.stack.setCurrentWidget(self.welcome_page)

    def _session_ready(self) -> None:
        self.restore_state()
        self.reload_tree()
        self._update_actions()
        self._start_tray_and_scheduler()
        self.live.start()
        self.show_pending_offers()
        self.session_ready.emit()

    def scheduler_factory(self, session):
        from ui.scheduler import CheckScheduler

        return CheckScheduler(session, self)

    def _start_tray_and_scheduler(self) -> None:
        """The tray icon (one per window) and the check scheduler (one per profile; not for the demo)."""
        from ui.tray import Tray, quit_app

        if self.tray is None:
            self.tray = Tray(self)
            self.tray.open_window.connect(self.raise_window)
            self.tray.quit_requested.connect(lambda: quit_app(self))
            self.tray.check_now.connect(self.check_now)
            self.tray.show()
        if self.scheduler is not None:
            self.scheduler.stop()
            self.scheduler.deleteLater()
            self.scheduler = None
        if self.session is None or self.session.demo or not self.start_scheduler:
            return
        self.scheduler = self.scheduler_factory(self.session)
        self.scheduler.finished.connect(self._check_finished)
        self.scheduler.failed.connect(self.banner.show_exception)
        self.scheduler.start()

    def check_now(self) -> None:
        """The tray's "Kiểm tra ngay" (a logged manual check), or F5 when no scheduler runs."""
        if self.scheduler is not None:
            self.scheduler.check_now()
        else:
            self.start_sync()

    def _check_finished(self, result) -> None:
        if self.tray is not None:
            self.tray.show_check_summary(result)
        self.reload_tree()

    def send_offered_file(self, path: str):
        """The offer banner's "Gửi đi": a new message with the dropped file attached.

        The offer ends ('sent') once that message is queued or sent with the file
        still attached; a compose window closed without sending offers it again.
        """
        dialog = self.leader_ui.compose_new(attachments=[path])
        if dialog is not None:
            dialog.sent.connect(lambda _row: self._end_offer(path, "sent") if path in dialog.attachment_paths()
                                else self.show_pending_offers())
            dialog.rejected.connect(self.show_pending_offers)
        return dialog

    def dismiss_offer(self) -> None:
        """The offer banner's "Bỏ qua": the clerk will not send this file, so it is not offered again."""
        if self.offer_banner.path:
            self._end_offer(self.offer_banner.path, "cancelled")

    def _end_offer(self, path: str, status: str) -> None:
        """Mark the offer of ``path`` (absolute) on the db executor, then show the next one waiting."""
        s = self.session
        if s is None or s.write_db is None:
            return
        default = s.profile.default_mirror_dir

        def end(_ctx, db) -> int:
            from camau_desk.archive.mirror import mirror_root, rel_path
            from camau_desk.archive.watcher import mark_offer

            return mark_offer(db, rel_path(mirror_root(db, default), path), status)

        s.run_db(end, on_result=lambda _n: self.show_pending_offers(), on_error=self.banner.show_exception)

    def _offer_gone(self, path: str) -> None:
        """The offered file was removed (the watcher marked it 'gone'): stop offering it."""
        if self.offer_banner.path == path:
            self.offer_banner.hide()
            self.show_pending_offers()

    def show_pending_offers(self) -> None:
        """Offers still waiting (dropped while the window was closed, or not handled yet) in the banner.

        The outbox folder may be on a network drive: the files are looked at on the read executor.
        """
        s = self.session
        if s is None or s.read_db is None:
            return
        default = s.profile.default_mirror_dir

        def pending(_ctx, rdb, _blobs) -> list[str]:
            from camau_desk.archive.mirror import mirror_root
            from camau_desk.archive.watcher import pending_offers

            return [str(p) for p in pending_offers(rdb, mirror_root(rdb, default))]

        def show(paths: list[str]) -> None:
            if paths and self.session is s and self.offer_banner.isHidden():
                self.offer_banner.offer(paths[0])  # the newest; the next one follows when this one ends

        s.run_read(pending, on_result=show, on_error=self.banner.show_exception)

    def _run_io(self, fn, *args, **callbacks):
        if self.session is None:
            return None
        return self.session.run_io(fn, *args, **callbacks)

    # ------------------------------------------------------------------ tree
    def _accounts(self) -> list:
        from camau_desk.accounts import list_accounts

        return list_accounts(self.session.ui_db) if self.session and self.session.ui_db else []

    def _folders(self) -> list[dict]:
        from camau_desk.mail.store import folder_list

        return folder_list(self.session.ui_db) if self.session and self.session.ui_db else []

    def _folder_label(self, folder: dict) -> str:
        names = {"inbox": self.tr("Inbox"), "sent": self.tr("Sent"), "junk": self.tr("Spam"),
                 "trash": self.tr("Trash"), "drafts": self.tr("Drafts"), "archive": self.tr("Archive")}
        return names.get(folder.get("role") or "", folder["name"])

    def reload_tree(self) -> None:
        """Accounts (role icon) > folders (role icon, unread count); keeps the current folder."""
        accounts = self._accounts()
        folders = self._folders()
        if not accounts and not folders:
            self.stack.setCurrentWidget(self.welcome_page)
            self.list_ready.emit()
            return
        self.stack.setCurrentWidget(self.main_split)
        keep = self.folder_id
        self.tree.blockSignals(True)
        self.tree.clear()
        roles = {a.name: a.role for a in accounts}
        tops: dict[str, QTreeWidgetItem] = {}
        for name in [a.name for a in accounts] + sorted({f["account"] for f in folders} - set(roles)):
            item = QTreeWidgetItem([name])
            item.setIcon(0, account_icon(roles.get(name, "archive")))
            item.setData(0, ACCOUNT_ROLE, name)
            item.setToolTip(0, self._role_name(roles.get(name, "archive")))
            self.tree.addTopLevelItem(item)
            tops[name] = item
        first = target = None
        for f in folders:
            label = self._folder_label(f)
            unread = int(f.get("unread") or 0)
            child = QTreeWidgetItem([f"{label} ({unread})" if unread else label])
            child.setIcon(0, folder_icon(f.get("role")))
            child.setData(0, FOLDER_ID_ROLE, f["id"])
            child.setData(0, ACCOUNT_ROLE, f["account"])
            child.setToolTip(0, self.tr("%1: %2 messages, %3 unread").replace("%1", f["name"])
                             .replace("%2", str(f.get("total") or 0)).replace("%3", str(unread)))
            if unread:
                font = QFont(child.font(0))
                font.setBold(True)
                child.setFont(0, font)
            tops[f["account"]].addChild(child)
            if first is None and f.get("role") == "inbox":
                first = child
            if f["id"] == keep:
                target = child
        self.tree.expandAll()
        self.tree.blockSignals(False)
        chosen = target or first or (tops[next(iter(tops))].child(0) if tops and tops[next(iter(tops))].childCount()
                                      else None)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        else:
            self.folder_id = None
            self.reload_messages()
        self._show_last_check()

    def _role_name(self, role: str) -> str:
        return {"agency": self.tr("Agency mailbox"), "unit": self.tr("Unit mailbox"),
                "personal": self.tr("Personal mailbox"), "archive": self.tr("Archive")}.get(role, role)

    def select_folder(self, account: str, role_or_name: str) -> bool:
        """Choose a folder by account and role (or name); used by tests and shortcuts."""
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top.data(0, ACCOUNT_ROLE) != account:
                continue
            for j in range(top.childCount()):
                child = top.child(j)
                fid = child.data(0, FOLDER_ID_ROLE)
                f = next((x for x in self._folders() if x["id"] == fid), None)
                if f and role_or_name in (f.get("role"), f["name"]):
                    self.tree.setCurrentItem(child)
                    return True
        return False

    def _folder_chosen(self, current: QTreeWidgetItem | None, _previous=None) -> None:
        if current is None:
            return
        fid = current.data(0, FOLDER_ID_ROLE)
        if fid is None and current.childCount():  # an account: show its first folder (the inbox)
            self.tree.setCurrentItem(current.child(0))
            return
        self.folder_id = fid
        folder = next((f for f in self._folders() if f["id"] == fid), {})
        self.folder_role, self.folder_account = folder.get("role"), folder.get("account")
        self.reload_messages()

    # ------------------------------------------------------------------ list
    def _range(self) -> tuple[str | None, str | None]:
        key = self.filter_range.currentData()
        today = date.today()
        if key == "today":
            return today.isoformat(), None
        if key in ("7", "30"):
            return (today - timedelta(days=int(key) - 1)).isoformat(), None
        if key == "year":
            return date(today.year, 1, 1).isoformat(), None
        if key == "custom":
            since = self.date_from.date().toPython()
            until = self.date_to.date().toPython() + timedelta(days=1)
            return since.isoformat(), until.isoformat()
        return None, None

    def _range_changed(self) -> None:
        custom = self.filter_range.currentData() == "custom"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self.reload_messages()

    def reload_messages(self) -> None:
        """Paint the newest page at once (index walk), then build the full order in the read worker.

        bench/ui: 100,000 messages with 4 KB bodies: first paint ~10 ms, full order
        ~0.4 s in the worker, each later page ~7 ms wherever the clerk scrolls.
        """
        from camau_desk.mail import views

        self._list_generation += 1
        generation = self._list_generation
        self.reading.clear()
        if self.session is None or self.session.ui_db is None or self.folder_id is None:
            self.model.clear()
            self.count_label.setText("")
            self.list_ready.emit()
            return
        db, folder = self.session.ui_db, self.folder_id
        # the spam folder itself always shows its content
        include_spam = self.filter_spam.isChecked() or self.folder_role == "junk"
        since, until = self._range()
        unregistered = self.filter_unregistered.isChecked()
        key, desc = self.model.sort_key, self.model.descending

        def fetch(chunk: list[int]) -> list[dict]:
            return views.messages_by_ids(db, chunk, folder=folder)

        if (key, desc) == ("received_at", True):
            ids = views.first_page_ids(db, folder=folder, account=self.folder_account, include_spam=include_spam,
                                       since=since, until=until, limit=self.model.page_size,
                                       unregistered=unregistered)
            self.model.show_rows(fetch(ids), fetch)
        self.count_label.setText(self.tr("Loading..."))

        def order(_ctx, rdb, _blobs):
            return views.message_ids(rdb, folder=folder, include_spam=include_spam, since=since, until=until,
                                     sort=key, descending=desc, unregistered=unregistered)

        def done(ids: list[int]) -> None:
            if generation != self._list_generation or self.session is None or self.session.ui_db is not db:
                return  # the clerk already chose something else
            self.model.set_order(ids, fetch)
            self.count_label.setText(self.tr("%n message(s)", "", self.model.total))
            self._update_actions()
            self.list_ready.emit()

        self.session.run_read(order, on_result=done, on_error=self.banner.show_exception)
        self._update_actions()

    def show_message(self, message_id: int) -> bool:
        """Select ``message_id`` in the list (a search hit): its folder, filters that would hide it cleared.

        Returns False when the message is in no folder.  The selection happens once
        the list knows its full order (``list_ready``); ``message_shown`` follows.
        """
        if self.session is None or self.session.ui_db is None:
            return False
        db = self.session.ui_db
        row = db.execute("SELECT l.folder, COALESCE(m.spam_override, m.is_spam) FROM locations l"
                         " JOIN messages m ON m.id = l.message WHERE l.message = ?"
                         " ORDER BY l.removed_on_server, l.id LIMIT 1", [message_id]).fetchone()
        if row is None:
            return False
        folder, spam = int(row[0]), bool(row[1])
        self._select_after_load = message_id
        for w, value in ((self.filter_unregistered, False), (self.filter_spam, spam or self.filter_spam.isChecked())):
            w.blockSignals(True)
            w.setChecked(value)
            w.blockSignals(False)
        self.filter_range.blockSignals(True)
        self.filter_range.setCurrentIndex(0)
        self.filter_range.blockSignals(False)
        self.date_from.hide()
        self.date_to.hide()
        item = self._tree_item_of(folder)
        if item is not None and folder != self.folder_id:
            self.tree.setCurrentItem(item)  # reloads the list
        else:
            self.reload_messages()
        self.raise_window()
        return True

    def _tree_item_of(self, folder_id: int) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                if top.child(j).data(0, FOLDER_ID_ROLE) == folder_id:
                    return top.child(j)
        return None

    def _select_pending_message(self) -> None:
        mid, self._select_after_load = self._select_after_load, None
        if mid is None:
            return
        pos = self.model.position_of(mid)
        if pos < 0:
            return
        while self.model.rowCount() <= pos and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        if pos < self.model.rowCount():
            self.table.selectRow(pos)
            self.table.scrollTo(self.model.index(pos, 0))

    def current_message_id(self) -> int | None:
        row = self.table.currentIndex().row()
        data = self.model.row_dict(row)
        return data.get("id") if data else None

    def _message_chosen(self, current, _previous=None) -> None:
        row = self.model.row_dict(current.row()) if current.isValid() else None
        if row is None or self.session is None:
            self.reading.clear()
            self._update_actions()
            self.leader_ui.update_actions()
            return
        mid = row["id"]
        self.session.run_read(load_message, mid, on_result=self._message_loaded, on_error=self.banner.show_exception)

    def _message_loaded(self, msg) -> None:
        if msg.id != self.current_message_id():
            return  # the clerk already moved on
        self.reading.show_message(msg)
        self._update_actions()
        self.message_shown.emit(msg.id)

    def mark_spam(self, spam: bool) -> None:
        mid = self.current_message_id()
        if mid is None or self.session is None:
            return
        from camau_desk.mail.store import set_spam

        self.session.run_db(lambda _c, db, m, s: set_spam(db, m, s), mid, spam,
                            on_result=lambda _r: self.reload_messages(), on_error=self.banner.show_exception)

    # ------------------------------------------------------------------ sync
    def _remote_accounts(self) -> list:
        return [a for a in self._accounts() if not a.is_local and a.imap_host]

    def start_sync(self) -> None:
        if self.session is None or self.sync_task is not None or not sync_available():
            return
        accounts = self._remote_accounts()
        if not accounts:
            return
        from camau_desk.mail.sync import sync_account

        def run(ctx, db, blobs, accts):
            from camau_desk import checks

            before = checks.max_message_id(db)
            results = []
            for account in accts:
                if ctx.cancelled:
                    break
                results.append(sync_account(
                    db, blobs, account,
                    progress=lambda p: ctx.progress(p.done, p.total, f"{p.account} / {p.folder}"),
                    cancel=lambda: ctx.cancelled))
            if not ctx.cancelled:  # the offline copy and the search index follow the store (R6.2)
                from camau_desk.archive.keeper import archive_new_mail

                archive_new_mail(db, blobs, mirror_default, progress=lambda _phase, d, t: ctx.progress(d, t, archiving),
                                 cancel=lambda: ctx.cancelled)
            try:
                urgent, _text = checks.urgent_since(db, before)
            except Exception:  # noqa: BLE001 - a notification must never fail the sync
                urgent = []
            return results, urgent

        blobs = self.session.blobs
        mirror_default = self.session.profile.default_mirror_dir
        archiving = self.tr("offline archive and search index")
        self._set_state("syncing")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.sync_task = self.session.run_db(
            lambda ctx, db, accts: run(ctx, db, blobs, accts), accounts,
            on_result=lambda r: self._sync_done(*r), on_error=self._sync_failed, on_progress=self._sync_progress)
        self._update_actions()

    def _sync_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        self.statusBar().showMessage(self.tr("Syncing %1").replace("%1", text))

    def _sync_finished(self) -> None:
        self.sync_task = None
        self.progress.hide()
        self.cancel_button.hide()
        self.statusBar().clearMessage()
        self._update_actions()

    def _sync_done(self, results, urgent: list | None = None) -> None:
        self._sync_finished()
        if urgent:
            if self.tray is not None:
                self.tray.show_urgent(urgent)
            self.urgent_arrived.emit(list(urgent))
        errors = [e for r in results for e in r.errors]
        if any(r.cancelled for r in results) and not errors:
            self._set_state("offline")
            self.statusBar().showMessage(self.tr("Sync cancelled"), 8000)
        elif errors:
            self._set_state("offline")
            self.banner.show_error(errors[0], "\n".join(errors))
        else:
            self._set_state("online")
            new = sum(r.new for r in results)
            self.statusBar().showMessage(self.tr("Sync finished: %n new message(s)", "", new), 8000)
            self.register_ui.flush_after_sync()  # the server is reachable: give the waiting documents a number
            self.leader_ui.refresh_banner()  # another desk may have recorded a delegation
            self.live.after_sync()  # the server answered: send what waits in the outbox
        self.reload_tree()

    def _sync_failed(self, exc: BaseException) -> None:
        self._sync_finished()
        self._set_state("offline")
        from ui.tasks import Cancelled

        if not isinstance(exc, Cancelled):
            self.banner.show_exception(exc)
        self.reload_tree()

    def cancel_sync(self) -> None:
        if self.sync_task is not None:
            self.sync_task.cancel()
            self.statusBar().showMessage(self.tr("Cancelling..."))

    def _set_state(self, state: str) -> None:
        self.state_label.setText({"online": self.tr("Online"), "offline": self.tr("Offline"),
                                  "syncing": self.tr("Syncing...")}[state])
        self.state_label.setProperty("state", state)

    def _show_last_check(self) -> None:
        if self.session is None or self.session.ui_db is None:
            return
        row = self.session.ui_db.execute("SELECT MAX(last_sync) FROM folders").fetchone()
        when = format_datetime(row[0]) if row and row[0] else self.tr("never")
        self.last_check.setText(self.tr("Last check: %1").replace("%1", when))

    def _update_actions(self) -> None:
        has_session = self.session is not None and self.session.ui_db is not None
        can_sync = has_session and sync_available() and bool(self._remote_accounts()) and self.sync_task is None
        self.act_sync.setEnabled(can_sync)
        if not sync_available():
            self.act_sync.setToolTip(self.tr("Coming soon"))
        elif has_session and not self._remote_accounts():
            self.act_sync.setToolTip(self.tr("No mailbox with a server to sync"))
        else:
            self.act_sync.setToolTip(self.tr("Fetch new mail from the server (F5)"))
        self.act_cancel.setEnabled(self.sync_task is not None)
        has_msg = self.reading.message is not None
        self.act_source.setEnabled(has_msg)
        self.act_save_att.setEnabled(has_msg and bool(self.reading.attachments.parts))
        self.act_spam.setEnabled(has_msg)
        self.act_not_spam.setEnabled(has_msg)
        self.act_add_account.setEnabled(has_session)
        self.act_settings.setEnabled(has_session)
        self.act_import.setEnabled(has_session)
        self.act_delegation.setEnabled(has_session)
        self.act_delegated.setEnabled(has_session)
        self.act_handover.setEnabled(has_session)
        self.welcome_add.setEnabled(has_session)

    # --------------------------------------------------------------- dialogs
    def add_account(self) -> None:
        if self.session is None:
            return
        dialog = AccountDialog(self.session.run_io, self.session.run_db, checker=self.login_checker, parent=self)
        dialog.saved.connect(lambda _a: (self.reload_tree(), self._update_actions()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.account_dialog = dialog

    def show_settings(self):
        """"Cài đặt": checked with the same rules as the CLI, saved in the db worker."""
        if self.session is None or self.session.ui_db is None:
            return None
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.session, self)
        old_lang = dialog.initial.get("language")

        def saved(values: dict) -> None:
            text = self.tr("Settings saved")
            if values.get("language", old_lang) != old_lang:
                text = self.tr("Settings saved. The new language applies the next time Cà Mau Desk starts.")
            self.statusBar().showMessage(text, 10000)

        dialog.saved.connect(saved)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.settings_dialog = dialog
        return dialog

    def show_delegated(self):
        """Văn bản › "Văn bản nhận theo ủy quyền": the deputy's own list (R7.1a-N)."""
        if self.session is None:
            return None
        from ui.delegated_view import DelegatedView

        dialog = DelegatedView(self.session, self)
        dialog.open_message.connect(self.show_message)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.delegated_view = dialog
        return dialog

    def show_delegations(self):
        """Văn bản › "Ủy quyền...": list, add, end (R7.1a-N)."""
        if self.session is None or self.session.ui_db is None:
            return None
        from ui.delegation_dialog import DelegationDialog

        dialog = DelegationDialog(self.session, self)
        dialog.changed.connect(self.leader_ui.refresh_banner)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.delegation_dialog = dialog
        return dialog

    def show_handover(self):
        """Tệp › "Bàn giao hộp thư...": export or import a handover package (R4.2)."""
        if self.session is None or self.session.ui_db is None:
            return None
        from ui.handover_dialog import HandoverDialog

        dialog = HandoverDialog(self.session, [a.name for a in self._accounts()], self)
        dialog.done.connect(lambda _r: self.reload_tree())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.handover_dialog = dialog
        return dialog

    def about(self) -> None:
        from camau_desk import __version__

        box = QMessageBox(QMessageBox.Icon.Information, self.tr("About Cà Mau Desk"),
                          self.tr("Cà Mau Desk %1: agency mailbox, incoming-document register and offline archive "
                                  "for the clerks of Cà Mau province.").replace("%1", __version__),
                          QMessageBox.StandardButton.NoButton, self)
        box.addButton(self.tr("Close"), QMessageBox.ButtonRole.AcceptRole)  # Qt ships no Vietnamese "OK"
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ------------------------------------------------------- window state
    def restore_state(self) -> None:
        s = self.settings
        if s is None:
            return
        for key, fn in (("geometry", self.restoreGeometry), ("windowState", self.restoreState),
                        ("mainSplit", self.main_split.restoreState), ("listSplit", self.list_split.restoreState),
                        ("readingSplit", self.reading.split.restoreState),
                        ("columns", self.table.horizontalHeader().restoreState)):
            value = s.value(key)
            if value is not None:
                fn(value)

    def save_state(self) -> None:
        s = self.settings
        if s is None:
            return
        s.setValue("geometry", self.saveGeometry())
        s.setValue("windowState", self.saveState())
        s.setValue("mainSplit", self.main_split.saveState())
        s.setValue("listSplit", self.list_split.saveState())
        s.setValue("readingSplit", self.reading.split.saveState())
        s.setValue("columns", self.table.horizontalHeader().saveState())
        s.sync()

    def minimize_to_tray_enabled(self) -> bool:
        if self.session is None or self.session.ui_db is None:
            return False
        from camau_desk import settings

        try:
            return bool(settings.get(self.session.ui_db, "minimize_to_tray"))
        except Exception:  # noqa: BLE001 - an unreadable setting never blocks closing
            return False

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        from ui.tray import minimize_to_tray_on_close

        if minimize_to_tray_on_close(self, event, self.tray, self.minimize_to_tray_enabled()):
            return
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.tray is not None:
            self.tray.hide()
        self.live.stop()
        self.save_state()
        if self.session is not None:
            self.session.close()
        super().closeEvent(event)

    def raise_window(self) -> None:
        """A second launch asked us to come to the front."""
        self.showNormal()
        self.raise_()
        self.activateWindow()
