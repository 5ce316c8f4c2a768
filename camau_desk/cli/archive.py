"""Archive commands: `search`, `archive verify|rebuild|mirror|rescan`, `index`, `convert-encoding`.

All of them work offline on the local profile (R6.2): the mirror root is the
``mirror_root`` setting, else the profile's default mirror folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from camau_desk.cli._common import open_store, print_json, profile


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="tìm thư, tệp đính kèm và văn bản đã vào sổ (không dấu cũng được)")
    p.add_argument("query", nargs="+", metavar="QUERY",
                   help='từ cần tìm; lọc: from: so: loai: nam: den: has:attachment status: '
                        '(ví dụ: "quyet dinh" nam:2024)')
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    a = sub.add_parser("archive", help="thư mục lưu trữ ngoại tuyến: sao lưu, kiểm tra, sắp xếp lại")
    asub = a.add_subparsers(dest="archive_command", metavar="COMMAND")
    v = asub.add_parser("verify", help="kiểm tra mọi tệp trong thư mục lưu trữ (thiếu, bị sửa, lạ)")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=cmd_verify)
    r = asub.add_parser("rebuild", help="sắp xếp lại thư mục lưu trữ theo mẫu đặt tên (mới)")
    r.add_argument("--template", metavar="T", help="mẫu mới, ví dụ '{year}/{month:02}/{kind}/{day:02} - {trich_yeu}'")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_rebuild)
    m = asub.add_parser("mirror", help="sao mọi thư chưa sao vào thư mục lưu trữ")
    m.add_argument("--json", action="store_true")
    m.set_defaults(func=cmd_mirror)
    s = asub.add_parser("rescan", help="đối chiếu thư mục lưu trữ với chỉ mục (tệp đã đổi tên, xóa, thêm)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_rescan)
    a.set_defaults(func=lambda args: (a.print_help(sys.stderr), 2)[1])

    i = sub.add_parser("index", help="cập nhật chỉ mục tìm kiếm")
    i.add_argument("--rebuild", action="store_true", help="xóa và lập lại toàn bộ chỉ mục")
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=cmd_index)

    c = sub.add_parser("convert-encoding", help="chuyển tệp .docx/.txt từ TCVN3 (ABC) hoặc VNI sang Unicode")
    c.add_argument("file", metavar="FILE")
    c.add_argument("-o", "--output", metavar="OUT", help="tệp kết quả (mặc định: '<tên> (Unicode).<đuôi>')")
    c.set_defaults(func=cmd_convert)


def _root(args: argparse.Namespace, db) -> Path:
    from camau_desk.archive.mirror import mirror_root

    return mirror_root(db, profile(args).default_mirror_dir)


def _blobs(args: argparse.Namespace):
    from camau_desk.mail.blobs import BlobStore

    return BlobStore(profile(args).ensure().blobs_dir)


def cmd_search(args: argparse.Namespace) -> int:
    from camau_desk.archive.search import index_pending, search

    db = open_store(args)
    index_pending(db, _blobs(args), attachments=False)  # cheap: headers and bodies not yet indexed
    hits = search(db, " ".join(args.query), limit=args.limit, root=_root(args, db))
    if args.json:
        print_json([h.as_dict() for h in hits])
        return 0
    if not hits:
        print("Không tìm thấy kết quả nào.")
    labels = {"message": "Thư", "attachment": "Tệp", "register": "Sổ"}
    for h in hits:
        print(f"[{labels.get(h.kind, h.kind)} {h.id}] {(h.date or '')[:10]}  {h.title}")
        if h.snippet:
            print(f"    {h.snippet}")
        if h.path:
            print(f"    {h.path}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from camau_desk.archive.mirror import verify

    db = open_store(args)
    root = _root(args, db)
    rep = verify(db, root)
    if args.json:
        print_json({"root": str(root), **rep.as_dict()})
    else:
        print(f"Thư mục lưu trữ: {root}")
        print(f"Đã kiểm tra {rep.checked} tệp: {len(rep.missing)} thiếu, {len(rep.changed)} bị sửa, "
              f"{len(rep.unknown)} tệp lạ, {len(rep.deleted)} đã bị xóa.")
        for title, items in (("Thiếu", rep.missing), ("Bị sửa", rep.changed), ("Tệp lạ", rep.unknown)):
            for p in items:
                print(f"  {title}: {p}")
    return 0 if rep.ok else 1


def cmd_rebuild(args: argparse.Namespace) -> int:
    from camau_desk.archive.mirror import rebuild

    db = open_store(args)
    rep = rebuild(db, _blobs(args), _root(args, db), args.template)
    if args.json:
        print_json(rep.__dict__)
    else:
        print(f"Đã chuyển {rep.moved} tệp, tạo lại {rep.recreated} tệp, {rep.unchanged} tệp giữ nguyên chỗ.")
        for p in rep.kept_changed:
            print(f"  Tệp đã bị sửa được giữ nguyên tại: {p}")
    return 0


def cmd_mirror(args: argparse.Namespace) -> int:
    from camau_desk.archive.mirror import mirror_all

    db = open_store(args)
    counts = mirror_all(db, _blobs(args), _root(args, db))
    if args.json:
        print_json(counts)
    else:
        print(f"Đã sao {counts.get('ok', 0)} thư; bỏ qua {counts.get('secret', 0)} thư mật, "
              f"{counts.get('spam', 0)} thư rác; {counts.get('error', 0)} lỗi.")
    return 1 if counts.get("error") else 0


def cmd_rescan(args: argparse.Namespace) -> int:
    from camau_desk.archive.watcher import rescan

    db = open_store(args)
    rep = rescan(db, _root(args, db))
    if args.json:
        print_json(rep.as_dict())
    else:
        print(f"{len(rep.moved)} tệp đã chuyển chỗ, {len(rep.deleted)} đã xóa, {len(rep.added)} mới, "
              f"{len(rep.offered)} tệp chờ gửi.")
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    from camau_desk.archive.search import index_pending, rebuild_index

    db = open_store(args)
    fn = rebuild_index if args.rebuild else index_pending
    counts = fn(db, _blobs(args))
    if args.json:
        print_json(counts)
    else:
        print(f"Đã lập chỉ mục {counts['messages']} thư, {counts.get('attachments', 0)} tệp đính kèm, "
              f"{counts['register']} mục trong sổ ({counts['ms'] / 1000:.1f} giây).")
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    from camau_desk.errors import NotFound
    from camau_desk.vn.legacy import convert_file

    src = Path(args.file)
    if not src.is_file():
        raise NotFound(f"Không tìm thấy tệp {src}.")
    out = convert_file(src, Path(args.output) if args.output else None)
    print(f"Đã chuyển sang Unicode: {out}")
    return 0
