"""Starting the window: QApplication, single instance, language, font, profile.

Why a single instance per profile: two windows on one database would race for
the writer and confuse the clerk; a second launch just asks the first window
to come to the front (QLocalServer keyed by the profile directory) and exits 0.
"""

from __future__ import annotations

import argparse
import hashlib
import sys

from camau_desk.paths import Profile, resources_dir
from ui.qt import (
    QApplication,
    QFont,
    QFontDatabase,
    QLibraryInfo,
    QLocale,
    QLocalServer,
    QLocalSocket,
    QTranslator,
)

APP_NAME = "Cà Mau Desk"
FONT_FAMILY = "Noto Sans"


def instance_key(args: argparse.Namespace) -> str:
    """One name per profile directory (the demo has its own)."""
    if getattr(args, "demo", False):
        base = f"demo:{getattr(args, 'data_dir', None) or ''}"
    else:
        base = str(Profile.at(getattr(args, "data_dir", None)).data_dir)
    return "camau-desk-" + hashlib.sha256(base.encode("utf-8")).hexdigest()[:16]


def ask_running_instance(key: str, timeout_ms: int = 500) -> bool:
    """True if another window owns ``key`` and accepted the 'raise' request."""
    sock = QLocalSocket()
    sock.connectToServer(key)
    if not sock.waitForConnected(timeout_ms):
        return False
    sock.write(b"raise\n")
    sock.flush()
    sock.waitForBytesWritten(timeout_ms)
    sock.disconnectFromServer()
    return True


def listen(key: str) -> QLocalServer:
    server = QLocalServer()
    if not server.listen(key):
        QLocalServer.removeServer(key)  # a stale socket left by a crash
        server.listen(key)
    return server


def install_fonts(app: QApplication) -> str:
    """Bundled Noto Sans: every Vietnamese diacritic, the same on every PC."""
    family = None
    for path in sorted((resources_dir() / "fonts").glob("*.ttf")):
        fid = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
        family = family or (families[0] if families else None)
    if family:
        font = QFont(family)
        font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
        app.setFont(font)
    return family or app.font().family()


def saved_language(profile: Profile) -> str | None:
    """The language stored in the profile's settings, read without writing anything."""
    if not profile.db_path.exists():
        return None
    try:
        from camau_desk import settings
        from ui.session import open_readonly

        db = open_readonly(profile.db_path)
        try:
            return settings.get(db, "language")
        finally:
            db.conn.close()
    except Exception:  # noqa: BLE001 - a fresh or older database: use the default
        return None


def install_translator(app: QApplication, lang: str) -> list[QTranslator]:
    """Vietnamese by default; English is the source language (no translator)."""
    installed: list[QTranslator] = []
    if lang != "vi":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return installed
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    ours = QTranslator(app)
    if ours.load(str(resources_dir() / "i18n" / "camau_desk_vi.qm")):
        app.installTranslator(ours)
        installed.append(ours)
    qt = QTranslator(app)
    if qt.load("qtbase_vi", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def run(args: argparse.Namespace) -> int:
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("CamauDesk")
    key = instance_key(args)
    if ask_running_instance(key):
        return 0
    server = listen(key)
    install_fonts(app)
    profile = Profile.at(getattr(args, "data_dir", None))
    lang = getattr(args, "lang", None) or (None if args.demo else saved_language(profile)) or "vi"
    app._translators = install_translator(app, lang)  # type: ignore[attr-defined]  # keep them alive
    window = MainWindow()

    def on_connection() -> None:
        sock = server.nextPendingConnection()
        if sock is not None:
            sock.readyRead.connect(lambda: (sock.readAll(), window.raise_window()))
            window.raise_window()

    server.newConnection.connect(on_connection)
    window.show()
    if args.demo:
        window.open_demo(getattr(args, "data_dir", None))
    else:
        window.open_profile(profile)
    code = app.exec()
    server.close()
    return int(code)
