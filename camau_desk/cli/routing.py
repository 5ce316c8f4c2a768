"""Routing from the command line: organisation, delegation, forwarding, outbox, tracking (issue 6).

    org import FILE.csv | org export FILE.csv | org list [--json]
    delegate add --deputy ADDR --from DD/MM/YYYY --to DD/MM/YYYY --reason TEXT
    delegate list [--json] | delegate end ID [--on DATE]
    forward NUMBER [--year Y] [--date DATE] [--json]
    assign NUMBER [--year Y] --to ADDR|UNIT [--deadline DATE] [--coordinate X ...] [--note TEXT]
    status NUMBER [--year Y] [--set STATUS] [--reply-symbol S] [--json]
    outbox list [--all] [--json] | outbox flush | outbox cancel ID | outbox requeue ID
    send --to ADDR ... --subject S --body-file F [--attach FILE ...] [--so-ky-hieu S --approved-by NAME] [--yes]
    tracking --date DD/MM/YYYY [--overdue] [--xlsx F | --pdf F] [--json]

Everything that writes the shared log or sends mail uses the mailbox with role
'agency' and its password from the keyring.
"""

from __future__ import annotations

import argparse
import sys

from camau_desk.cli._common import open_store, print_json, profile
from camau_desk.errors import InvalidInput


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("org", help="danh bạ tổ chức: nhập/xuất CSV, xem")
    s = p.add_subparsers(dest="org_cmd", metavar="import|export|list", required=True)
    x = s.add_parser("import", help="nhập danh bạ tổ chức từ CSV (thay toàn bộ)")
    x.add_argument("file")
    x.set_defaults(func=cmd_org_import)
    x = s.add_parser("export", help="xuất danh bạ tổ chức ra CSV")
    x.add_argument("file")
    x.set_defaults(func=cmd_org_export)
    x = s.add_parser("list", help="xem danh bạ tổ chức")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_org_list)

    p = sub.add_parser("delegate", help="ủy quyền của thủ trưởng cho cấp phó")
    s = p.add_subparsers(dest="delegate_cmd", metavar="add|list|end|received", required=True)
    x = s.add_parser("add", help="ghi ủy quyền (ghi vào sổ chung trên máy chủ)")
    x.add_argument("--deputy", required=True, metavar="ADDR")
    x.add_argument("--from", dest="start", required=True, metavar="DD/MM/YYYY")
    x.add_argument("--to", dest="end", required=True, metavar="DD/MM/YYYY")
    x.add_argument("--reason", required=True)
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_delegate_add)
    x = s.add_parser("list", help="các ủy quyền")
    x.add_argument("--json", action="store_true")
    x.add_argument("--offline", action="store_true", help="không đọc sổ chung trên máy chủ")
    x.set_defaults(func=cmd_delegate_list)
    x = s.add_parser("end", help="kết thúc ủy quyền sớm")
    x.add_argument("id")
    x.add_argument("--on", metavar="DATE", help="từ ngày này văn bản lại trình thủ trưởng (mặc định hôm nay)")
    x.add_argument("--reason")
    x.set_defaults(func=cmd_delegate_end)
    x = s.add_parser("received", help="(máy của cấp phó) văn bản nhận được theo ủy quyền")
    x.add_argument("account", metavar="ACCOUNT", help="hộp thư cá nhân của cấp phó")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_delegate_received)

    x = sub.add_parser("forward", help="trình lãnh đạo một văn bản đến đã vào sổ")
    x.add_argument("number", type=int)
    x.add_argument("--year", type=int)
    x.add_argument("--date", metavar="DATE", help="ngày trình (mặc định hôm nay): chọn người nhận theo ủy quyền")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_forward)

    x = sub.add_parser("assign", help="ghi ý kiến phân công của lãnh đạo")
    x.add_argument("number", type=int)
    x.add_argument("--year", type=int)
    x.add_argument("--to", required=True, metavar="ADDR|UNIT", help="đơn vị/người chủ trì")
    x.add_argument("--deadline", metavar="DATE")
    x.add_argument("--coordinate", nargs="*", default=[], metavar="ADDR|UNIT", help="đơn vị phối hợp")
    x.add_argument("--note", help="ý kiến chỉ đạo")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_assign)

    x = sub.add_parser("status", help="tình trạng xử lý một văn bản đến")
    x.add_argument("number", type=int)
    x.add_argument("--year", type=int)
    x.add_argument("--set", dest="new_status", choices=["processing", "done"], help="chuyển trạng thái")
    x.add_argument("--reply-symbol", help="số, ký hiệu văn bản trả lời")
    x.add_argument("--note", help="tiến độ")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_status)

    p = sub.add_parser("outbox", help="hộp thư đi: thư chờ gửi, thư bị từ chối")
    s = p.add_subparsers(dest="outbox_cmd", metavar="list|flush|cancel|requeue", required=True)
    x = s.add_parser("list", help="thư chờ gửi và thư bị máy chủ từ chối")
    x.add_argument("--all", action="store_true", help="cả thư đã gửi/đã hủy")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_outbox_list)
    x = s.add_parser("flush", help="gửi lại ngay các thư chờ gửi")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_outbox_flush)
    x = s.add_parser("cancel", help="hủy một thư còn chờ gửi hoặc bị từ chối")
    x.add_argument("id", type=int)
    x.set_defaults(func=cmd_outbox_cancel)
    x = s.add_parser("requeue", help="đưa lại vào hàng chờ gửi một thư bị máy chủ từ chối (sau khi đã sửa lỗi)")
    x.add_argument("id", type=int)
    x.set_defaults(func=cmd_outbox_requeue)

    x = sub.add_parser("send", help="gửi thư (qua hộp thư đi) từ hộp thư cơ quan")
    x.add_argument("--to", nargs="+", required=True, metavar="ADDR")
    x.add_argument("--cc", nargs="*", default=[], metavar="ADDR")
    x.add_argument("--subject", required=True)
    x.add_argument("--body-file", required=True, metavar="FILE")
    x.add_argument("--attach", nargs="*", default=[], metavar="FILE")
    x.add_argument("--so-ky-hieu", help="văn bản đi: số, ký hiệu")
    x.add_argument("--approved-by", help="văn bản đi: lãnh đạo duyệt ký")
    x.add_argument("--yes", action="store_true", help="xác nhận gửi cho nhiều người nhận")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_send)

    x = sub.add_parser("tracking", help="sổ theo dõi giải quyết văn bản đến")
    x.add_argument("--date", metavar="DATE", help="ngày xem (mặc định hôm nay)")
    x.add_argument("--overdue", action="store_true", help="chỉ văn bản quá hạn")
    x.add_argument("--year", type=int)
    g = x.add_mutually_exclusive_group()
    g.add_argument("--xlsx", metavar="FILE")
    g.add_argument("--pdf", metavar="FILE")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_tracking)


# ------------------------------------------------------------------ helpers


def _ctx(args: argparse.Namespace):
    from camau_desk.mail.blobs import BlobStore
    from camau_desk.register import service as svc

    db = open_store(args)
    return db, BlobStore(profile(args).blobs_dir), svc.agency_account(db)


def _imap(account):
    from camau_desk.mail.connect import imap_connect

    return lambda *_a: imap_connect(account)


def _fmt_delegation(d: dict) -> str:
    from camau_desk.routing.delegation import fmt_date

    who = " ".join(x for x in (d.get("deputy_title"), d.get("deputy_name")) if x) or d["deputy"]
    end = fmt_date(d.get("effective_end") or d["end_date"])
    return f"{d['id'][:8]}  {who} <{d['deputy']}>  {fmt_date(d['start_date'])} - {end}  {d.get('reason') or ''}"


# ------------------------------------------------------------------ org


def cmd_org_import(args: argparse.Namespace) -> int:
    from camau_desk.routing import org

    got = org.import_csv(open_store(args), args.file)
    print(f"Đã nhập {got['units']} đơn vị và {got['people']} người.")
    return 0


def cmd_org_export(args: argparse.Namespace) -> int:
    from camau_desk.routing import org

    org.export_csv(open_store(args), args.file)
    print(f"Đã xuất danh bạ tổ chức ra {args.file}.")
    return 0


def cmd_org_list(args: argparse.Namespace) -> int:
    from camau_desk.routing import org

    data = org.list_org(open_store(args))
    if args.json:
        print_json(data)
        return 0
    for u in data["units"]:
        print(f"[{u['kind']}] {u['code']}  {u['name']}  {u['email'] or ''}".rstrip())
    for p in data["people"]:
        print(f"({p['role']}) {p['title'] or ''} {p['name']} <{p['email']}> {p['unit'] or ''}".rstrip())
    return 0


# ------------------------------------------------------------------ delegation


def cmd_delegate_add(args: argparse.Namespace) -> int:
    from camau_desk.routing import delegation as dl

    db, _, account = _ctx(args)
    d = dl.add_delegation(db, account, deputy=args.deputy, start=args.start, end=args.end, reason=args.reason,
                          client_factory=_imap(account))
    if args.json:
        print_json(d)
    else:
        print("Đã ghi ủy quyền: " + _fmt_delegation(d))
    return 0


def cmd_delegate_received(args: argparse.Namespace) -> int:
    """The deputy's own list: documents forwarded to them under a delegation (R7.1a-N)."""
    from camau_desk import accounts
    from camau_desk.mail.blobs import BlobStore
    from camau_desk.routing import delegation as dl

    db = open_store(args)
    account = accounts.get_account(db, args.account)
    dl.index_delegated(db, BlobStore(profile(args).blobs_dir), account.name)
    rows = dl.list_delegated(db, account.name)
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        print(f"{(r['received_at'] or r['date'] or '')[:10]}\t{r['so_den'] or ''}\t{r['from_addr']}\t{r['subject']}")
    if not rows:
        print("Chưa có văn bản nào nhận theo ủy quyền.")
    return 0


def cmd_delegate_list(args: argparse.Namespace) -> int:
    from camau_desk.errors import MailError
    from camau_desk.routing import delegation as dl

    db, _, account = _ctx(args)
    if not args.offline:
        try:
            dl.sync_log(db, account, client_factory=_imap(account))
        except MailError as err:
            print(f"Chưa đọc được sổ chung trên máy chủ ({err.message}); hiển thị dữ liệu đã có.", file=sys.stderr)
    rows = dl.list_delegations(db)
    if args.json:
        print_json(rows)
        return 0
    banner = dl.active_banner(db)
    if banner:
        print(banner)
    for d in rows:
        print(_fmt_delegation(d))
    if not rows:
        print("Chưa có ủy quyền nào.")
    return 0


def cmd_delegate_end(args: argparse.Namespace) -> int:
    from camau_desk.routing import delegation as dl

    db, _, account = _ctx(args)
    d = dl.end_delegation(db, account, args.id, on=args.on, reason=args.reason, client_factory=_imap(account))
    print("Đã kết thúc ủy quyền: " + _fmt_delegation(d))
    return 0


# ------------------------------------------------------------------ forward / assign / status


def cmd_forward(args: argparse.Namespace) -> int:
    from camau_desk.routing import forward as fw

    db, blobs, account = _ctx(args)
    r = fw.forward_entry(db, blobs, account, args.number, args.year, on=args.date)
    if args.json:
        print_json(r)
        return 0
    p = r["recipient"]
    who = " ".join(x for x in (p.get("title"), p.get("name")) if x) or p["email"]
    how = " (theo ủy quyền)" if r["under_delegation"] else ""
    row = r["outbox"]
    state = "đã gửi" if row["status"] == "sent" else f"{row['status_label'].lower()}: {row['last_error']}"
    print(f"Trình số đến {r['so_den']}/{r['year']} tới {who} <{p['email']}>{how}: {state}.")
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    from camau_desk.routing import tracking as tr

    db, _, account = _ctx(args)
    st = tr.assign(db, account, args.number, args.year, lead=args.to, coordinate=args.coordinate,
                   deadline=args.deadline, direction=args.note)
    return _say_status(st, args.json)


def _say_status(st: dict, as_json: bool) -> int:
    from camau_desk.mail.outbox import STATUS_LABELS
    from camau_desk.routing.delegation import fmt_date

    if as_json:
        print_json(st)
        return 0
    print(f"Số đến {st['so_den']}/{st['year']}: {st['status_label']}. {st.get('trich_yeu') or ''}".rstrip())
    if st.get("don_vi_nhan"):
        print(f"  Đơn vị hoặc người nhận: {st['don_vi_nhan']}")
    if st.get("han_giai_quyet"):
        print(f"  Hạn giải quyết: {fmt_date(st['han_giai_quyet'])}")
    assignments = st.get("assignments") or []
    if len(assignments) > 1:  # assigned more than once (maybe from two desks): the server's last one applies
        for a in assignments:
            state = "đang áp dụng" if a["in_force"] else "đã được thay"
            print(f"  Phân công {state}: {a['lead']}, hạn {fmt_date(a['deadline'])}, "
                  f"ghi bởi {a['recorded_by']} lúc {a['recorded_at']}")
    if st.get("pending"):
        print(f"  {st['pending_note']}")
    for f in st.get("forwards") or []:
        extra = " (theo ủy quyền)" if f["under_delegation"] else ""
        who = f"{f['recipient_name'] or ''} <{f['recipient']}>{extra}"
        if f["outbox_status"] == "sent":
            print(f"  Đã trình {who} lúc {f['sent_at']}")
            continue
        label = STATUS_LABELS.get(f["outbox_status"], f["outbox_status"])  # the forward did not reach the leader
        why = f" ({f['last_error']})" if f["last_error"] else ""
        print(f"  Trình {who} lúc {f['forwarded_at']}: {label}{why}")
    if st.get("recalled"):
        print("  Đã bị cơ quan ban hành thu hồi.")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from camau_desk.routing import tracking as tr

    if args.new_status:
        db, _, account = _ctx(args)
        st = tr.set_status(db, account, args.number, args.year, args.new_status, reply_symbol=args.reply_symbol,
                           note=args.note)
    else:
        if args.reply_symbol or args.note:
            raise InvalidInput("--reply-symbol và --note đi cùng --set processing|done.")
        st = tr.status_of(open_store(args), args.number, args.year)
    return _say_status(st, args.json)


# ------------------------------------------------------------------ outbox / send


def _say_outbox(rows: list[dict], as_json: bool) -> None:
    if as_json:
        print_json(rows)
        return
    for r in rows:
        err = f"  ({r['last_error']})" if r["status"] != "cancelled" and r.get("last_error") else ""
        print(f"{r['id']:>5}  {r['status_label']:<9} {', '.join(r['rcpt_to'])}  {r['subject']}{err}")
    if not rows:
        print("Hộp thư đi trống.")


def cmd_outbox_list(args: argparse.Namespace) -> int:
    from camau_desk.mail import outbox

    db = open_store(args)
    _say_outbox(outbox.list_outbox(db, None if args.all else ("queued", "sending", "refused")), args.json)
    return 0


def cmd_outbox_flush(args: argparse.Namespace) -> int:
    from camau_desk.mail import outbox

    db, blobs, _ = _ctx(args)
    rows = outbox.flush_outbox(db, blobs, force=True)
    _say_outbox(rows, args.json)
    return 0 if all(r["status"] == "sent" for r in rows) else 1


def cmd_outbox_cancel(args: argparse.Namespace) -> int:
    from camau_desk.mail import outbox

    r = outbox.cancel(open_store(args), args.id)
    print(f"Đã hủy thư số {r['id']}: {r['subject']}.")
    return 0


def cmd_outbox_requeue(args: argparse.Namespace) -> int:
    from camau_desk.mail import outbox

    r = outbox.requeue(open_store(args), args.id)
    print(f"Thư số {r['id']} đã vào lại hàng chờ gửi: {r['subject']}. Lệnh 'outbox flush' gửi ngay.")
    return 0


def cmd_send(args: argparse.Namespace) -> int:
    from pathlib import Path

    from camau_desk import settings
    from camau_desk.mail import compose, outbox

    db, blobs, account = _ctx(args)
    try:
        body = Path(args.body_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"Không đọc được nội dung thư {args.body_file} (cần UTF-8): {exc}.") from None
    official = bool(args.so_ky_hieu or args.approved_by)
    name = settings.get(db, "agency_name") or account.display_name or ""
    msg = compose.new_message(from_addr=(name, account.email), to=args.to, cc=args.cc, subject=args.subject,
                              body=body, attachments=[compose.attachment_from_path(a) for a in args.attach],
                              headers={"X-Camau-So-Ky-Hieu": args.so_ky_hieu} if args.so_ky_hieu else None)
    r = outbox.send_or_queue(db, blobs, account, msg, kind="official" if official else "new", official=official,
                             so_ky_hieu=args.so_ky_hieu, approved_by=args.approved_by, confirm_many=args.yes)
    if args.json:
        print_json(r)
    elif r["status"] == "sent":
        print(f"Đã gửi thư số {r['id']} tới {', '.join(r['rcpt_to'])}.")
    else:
        print(f"Thư số {r['id']} đang chờ gửi: {r['last_error']}")
    return 0


# ------------------------------------------------------------------ tracking


def cmd_tracking(args: argparse.Namespace) -> int:
    from camau_desk.routing import tracking as tr

    db = open_store(args)
    rows = tr.tracking_rows(db, args.date, overdue_only=args.overdue, year=args.year)
    if args.xlsx:
        tr.export_xlsx(db, rows, args.xlsx, args.date)
        print(f"Đã xuất {len(rows)} dòng ra {args.xlsx}.")
    elif args.pdf:
        tr.export_pdf(db, rows, args.pdf, args.date)
        print(f"Đã xuất {len(rows)} dòng ra {args.pdf}.")
    elif args.json:
        print_json(rows)
    else:
        for r in rows:
            print(f"{r['so_den']:>5}  {r['van_ban']}  | {r['don_vi_nhan']} | hạn {r['thoi_han'] or '-'} | "
                  f"{r['tien_do']}")
        if not rows:
            print("Không có văn bản nào." if not args.overdue else "Không có văn bản quá hạn.")
    return 0
