"""Seeded generator of an agency inbox: what a Sở's văn thư receives in a year or two.

~70% short text mails (notices, invitations, replies), ~30% with one PDF/DOCX-like
attachment of 20 KB-2 MB (random bytes: only size and MIME shape matter for sync
speed).  Attachment sizes are log-uniform, so most are small and a few are large,
as in real agency mail.  Same seed -> byte-identical corpus.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Iterator
from email.header import Header

KINDS = ["Công văn", "Giấy mời", "Kế hoạch", "Báo cáo", "Thông báo", "Quyết định", "Tờ trình", "Lịch công tác"]
SENDERS = [
    ("Văn phòng UBND tỉnh Cà Mau", "vpubnd@camau.gov.vn"),
    ("Sở Tài chính", "stc@camau.gov.vn"),
    ("Sở Nội vụ", "snv@camau.gov.vn"),
    ("UBND huyện Năm Căn", "ubndnamcan@camau.gov.vn"),
    ("Phòng Công nghệ thông tin", "cntt@sotttt.camau.gov.vn"),
    ("Nguyễn Văn An", "nguyenvanan@gmail.com"),
]
WORDS = ("triển khai thực hiện kế hoạch năm báo cáo kết quả công tác đề nghị các đơn vị phối hợp "
         "tổ chức hội nghị tổng kết đánh giá tình hình quý chuyển đổi số văn bản điện tử").split()


def _text(rng: random.Random, n_words: int) -> str:
    lines, line = [], []
    for _ in range(n_words):
        line.append(rng.choice(WORDS))
        if len(line) >= 12:
            lines.append(" ".join(line))
            line = []
    lines.append(" ".join(line))
    return "\r\n".join(lines)


def message(i: int, rng: random.Random) -> bytes:
    kind = rng.choice(KINDS)
    name, addr = rng.choice(SENDERS)
    subject = f"{kind} số {rng.randint(1, 3000)}/{rng.choice(['UBND-VP', 'STC-KH', 'SNV-TCBM'])} về {_text(rng, 6)}"
    head = (
        f"From: {Header(name, 'utf-8').encode()} <{addr}>\r\n"
        "To: vanthu@sotttt.camau.gov.vn\r\n"
        f"Subject: {Header(subject, 'utf-8').encode()}\r\n"
        f"Date: {['Mon', 'Tue', 'Wed', 'Thu', 'Fri'][i % 5]}, {1 + i % 28} Mar 2024 "
        f"{7 + i % 10:02d}:{i % 60:02d}:00 +0700\r\n"
        f"Message-ID: <bench-{i}-{rng.getrandbits(32):08x}@camau.gov.vn>\r\nMIME-Version: 1.0\r\n"
    )
    body = f"Kính gửi: Sở Thông tin và Truyền thông\r\n\r\n{_text(rng, rng.randint(40, 400))}\r\n"
    if rng.random() >= 0.30:
        return (head + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + body).encode("utf-8")
    size = int(20_000 * (100 ** rng.random()))  # 20 KB .. 2 MB, log-uniform
    ext, mime = rng.choice([("pdf", "application/pdf"),
                            ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")])
    payload = base64.encodebytes(rng.randbytes(size)).replace(b"\n", b"\r\n")
    fname = f"{kind.replace(' ', '_')}_{i}.{ext}"
    return (
        (head + 'Content-Type: multipart/mixed; boundary="=_b"\r\n\r\n--=_b\r\n'
         "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body
         + f'--=_b\r\nContent-Type: {mime}; name="{fname}"\r\n'
         f'Content-Disposition: attachment; filename="{fname}"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
         ).encode("utf-8") + payload + b"--=_b--\r\n"
    )


def generate(n: int, seed: int = 2024) -> Iterator[bytes]:
    rng = random.Random(seed)
    for i in range(n):
        yield message(i, rng)
