"""Message list on a 100,000-message folder: time to first paint, page fetch, sort.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui/bench_message_list.py [N]
The database is generated once (rows inserted directly: this measures reading,
not parsing) into bench/out/ui-<N>/ and reused.  Target: open < 300 ms.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from camau_desk.accounts import Account, add_account  # noqa: E402
from camau_desk.paths import Profile  # noqa: E402
from camau_desk.store.db import open_db, transaction  # noqa: E402

SENDERS = ["UBND tỉnh Cà Mau", "Sở Nội vụ", "Văn phòng UBND tỉnh", "Sở Tài chính", "UBND xã Thới Bình",
           "Ban Chỉ huy PCTT", "Sở Khoa học và Công nghệ", "Bưu điện tỉnh"]
# real rows carry the body text (search, previews): 4 KB makes the bench honest about row width
BODY = ("Kính gửi các cơ quan, đơn vị. Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về việc " * 50)[:4000]
KINDS = ["Công văn", "Giấy mời", "Báo cáo", "Tờ trình", "Quyết định", "Thông báo", "Kế hoạch"]


def build(profile: Profile, n: int) -> None:
    db = open_db(profile.db_path)
    add_account(db, Account(name="Cơ quan", role="agency", email="vanthu@camau.gov.vn", is_local=True), None)
    rng = random.Random(7)
    t0 = datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=7)))
    now = datetime.now().isoformat()
    with transaction(db):
        db.execute("INSERT INTO folders (account, name, role) VALUES ('Cơ quan', 'INBOX', 'inbox')")
        fid = db.execute("SELECT id FROM folders").fetchone()[0]
        msgs, locs, atts = [], [], []
        for i in range(1, n + 1):
            when = (t0 + timedelta(minutes=rng.randrange(0, 60 * 24 * 365 * 6))).isoformat()
            kind = rng.choice(KINDS)
            has_att = rng.random() < 0.6
            urgency = rng.choice([None] * 20 + ["Khẩn", "Thượng khẩn", "Hỏa tốc"])
            subject = f"{kind} số {i}/UBND-VP về việc {i % 97}"
            msgs.append((i, "Cơ quan", f"{i:064x}", 20000, f"<{i}@camau.gov.vn>", subject,
                         f"s{i % 50}@camau.gov.vn", rng.choice(SENDERS), when, when, int(has_att),
                         BODY, int(rng.random() < 0.05), urgency, now))
            locs.append((i, fid, 1, i, "\\Seen" if rng.random() < 0.8 else ""))
            if has_att:
                atts.append((i, 1, f"{kind} {i}.pdf", f"{kind} {i}.pdf", "application/pdf", 100000))
        db.conn.executemany(
            "INSERT INTO messages (id, account, sha256, size, message_id, subject, from_addr, from_name, date,"
            " received_at, has_attachments, body_text, is_spam, urgency, created_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", msgs)
        db.conn.executemany("INSERT INTO locations (message, folder, uidvalidity, uid, flags) VALUES (?,?,?,?,?)", locs)
        db.conn.executemany("INSERT INTO attachments (message, idx, filename, safe_name, mime_type, size)"
                            " VALUES (?,?,?,?,?,?)", atts)
    db.execute("ANALYZE")
    db.conn.close()


def ms(t: float) -> str:
    return f"{(time.perf_counter() - t) * 1000:7.1f} ms"


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    profile = Profile.at(ROOT / "bench" / "out" / f"ui-{n}").ensure()
    if not profile.db_path.exists():
        t = time.perf_counter()
        build(profile, n)
        print(f"generated {n} messages in {ms(t)}")

    from ui.app import install_fonts
    from ui.main_window import MainWindow
    from ui.qt import QApplication, QEventLoop, QModelIndex, QSettings, Qt

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_fonts(app)
    settings = QSettings(str(profile.data_dir / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    window.resize(1280, 800)
    window.show()
    # wait with a QEventLoop, never a processEvents() busy loop: PySide6 6.x on Python 3.11
    # loses a reference to None per call and dies with "none_dealloc" after enough calls
    loop = QEventLoop()
    window.session_ready.connect(loop.quit)
    t = time.perf_counter()
    window.open_profile(profile)
    loop.exec()
    print(f"profile open (worker, incl. migrate check): {ms(t)}")
    app.processEvents()
    view, model = window.table, window.model

    def first_paint(label: str, action, wait_order: bool = True) -> tuple[float, float]:
        """(ms to the first painted page, ms until the full order and count are known)."""
        done = []
        loop = QEventLoop()

        def finished() -> None:
            done.append(1)
            loop.quit()

        window.list_ready.connect(finished)
        t = time.perf_counter()
        action()
        if not model.rowCount() and not done:  # nothing painted yet: the order comes from the worker
            loop.exec()
        view.viewport().repaint()
        paint = (time.perf_counter() - t) * 1000
        if wait_order and not done:
            loop.exec()
        full = (time.perf_counter() - t) * 1000
        window.list_ready.disconnect(finished)
        # for a sort, "first paint" is the old rows staying responsive; the new order shows at "full order"
        print(f"{label:<40} first paint {paint:7.1f} ms, full order {full:7.1f} ms "
              f"(rows {model.rowCount()}, total {model.total})")
        return paint, full

    results = {}
    results["open"] = first_paint("open folder (spam hidden)", window.reload_messages)[0]
    first_paint("open folder again (warm cache)", window.reload_messages)
    window.filter_spam.setChecked(True)
    first_paint("open folder, spam shown", window.reload_messages)
    window.filter_spam.setChecked(False)
    for col in range(5):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            name = model.columns[col].key
            label = f"sort by {name} {'asc' if order == Qt.SortOrder.AscendingOrder else 'desc'}"
            if (name, order == Qt.SortOrder.DescendingOrder) == (model.sort_key, model.descending):
                continue
            first_paint(label, lambda c=col, o=order: view.sortByColumn(c, o))
    first_paint("back to newest first", lambda: view.sortByColumn(0, Qt.SortOrder.DescendingOrder))
    times = []
    for _ in range(20):
        t = time.perf_counter()
        model.fetchMore(QModelIndex())
        times.append((time.perf_counter() - t) * 1000)
    print(f"page fetch ({model.page_size} rows), offsets 200..4000:  median {sorted(times)[10]:.1f} ms, "
          f"max {max(times):.1f} ms")
    from camau_desk.mail import views

    # what the list does not do: OFFSET paging re-sorts the folder for every page
    offset_page = ("SELECT m.id, m.subject, m.from_name FROM locations l JOIN messages m ON m.id = l.message"
                   " WHERE l.folder = ? AND COALESCE(m.spam_override, m.is_spam) = 0"
                   " ORDER BY m.received_at DESC, m.id DESC LIMIT 200 OFFSET ?")
    for offset in (10_000, 50_000, n - 200):
        t = time.perf_counter()
        window.session.ui_db.execute(offset_page, [window.folder_id, offset]).fetchall()
        print(f"(OFFSET paging, not used) page at offset {offset:>6}: {ms(t)}")
    ids = views.message_ids(window.session.ui_db, folder=window.folder_id, include_spam=False)
    t = time.perf_counter()
    views.messages_by_ids(window.session.ui_db, ids[-200:], folder=window.folder_id)
    print(f"id-snapshot page at offset {len(ids) - 200:>6}:           {ms(t)}")
    t = time.perf_counter()
    for _ in range(10):
        view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
        app.processEvents()  # ten calls only
    print(f"10 scrolls to the bottom (each fetches a page) {ms(t)}  -> rows {model.rowCount()}")
    window.close()
    verdict = "OK" if results["open"] < 300 else "SLOW"
    print(f"target open < 300 ms: {results['open']:.1f} ms {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
