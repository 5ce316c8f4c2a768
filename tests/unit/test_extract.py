"""Register field proposals from an incoming e-mail (R7.1a-1; DOMAIN.md §1, §3)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from camau_desk.register import extract
from camau_desk.register.extract import (
    clean_subject,
    find_dates,
    find_secrecy,
    find_signer,
    find_urgency,
    issuer_name,
    letterhead,
    propose_fields,
    trich_yeu_from_subject,
)

pytestmark = pytest.mark.unit

STC_DOC = """ỦY BAN NHÂN DÂN TỈNH CÀ MAU      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ TÀI CHÍNH      Độc lập - Tự do - Hạnh phúc
Số: 1234/STC-QLNS      Cà Mau, ngày 05 tháng 3 năm 2024
V/v hướng dẫn lập dự toán ngân sách
năm 2025 và kế hoạch tài chính
Kính gửi: Các sở, ban, ngành tỉnh.
Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ;
Căn cứ Quyết định số 26/2009/QĐ-UBND ngày 09/12/2009 của UBND tỉnh;
Đề nghị các đơn vị khẩn trương thực hiện. Mật khẩu truy cập phần mềm gửi kèm.
Việc bảo vệ bí mật nhà nước thực hiện theo quy định.
Nơi nhận:      KT. GIÁM ĐỐC
- Như trên;      PHÓ GIÁM ĐỐC
- Lưu: VT, QLNS.

Nguyễn Văn An
"""

TTR_DOC = """UBND TỈNH CÀ MAU
SỞ THÔNG TIN VÀ TRUYỀN THÔNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 470/TTr-STTTT
Cà Mau, ngày 9 tháng 12 năm 2009
TỜ TRÌNH
Về việc phê duyệt Kế hoạch ứng dụng công nghệ thông tin năm 2010
Kính gửi: Ủy ban nhân dân tỉnh Cà Mau.
GIÁM ĐỐC
(Đã ký)
Trần Thị Bình
"""


# --- subject cleaning / trích yếu ----------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "cleaned"),
    [
        ("Fwd: TR: RE: Giấy mời họp", "Giấy mời họp"),
        ("FW: Fwd: fw: Báo cáo tuần", "Báo cáo tuần"),
        ("Chuyển tiếp: TL: Re[2]: Thông báo", "Thông báo"),
        ("Tr: [KHẨN] Công văn 12/UBND-VX", "Công văn 12/UBND-VX"),
        ("Re: Fwd: (Mật) Báo cáo", "Báo cáo"),
        ("Trả lời: Về việc nghỉ lễ", "Về việc nghỉ lễ"),
    ],
)
def test_clean_subject_strips_forward_prefixes_repeatedly(subject, cleaned):
    assert clean_subject(subject) == cleaned


@pytest.mark.parametrize(
    ("subject", "trich_yeu"),
    [
        ("Fwd: TR: 4295/UBND-TH - V/v triển khai Nghị định 30", "Triển khai Nghị định 30"),
        ("RE: Công văn số 4295/UBND-TH ngày 09/12/2009 V/v triển khai", "Triển khai"),
        ("470/TTr-STTTT: Về việc phê duyệt kế hoạch", "Phê duyệt kế hoạch"),
        ("Số 15/QĐ-BNV về việc ban hành quy chế", "Ban hành quy chế"),
        ("V/v góp ý dự thảo Luật", "Góp ý dự thảo Luật"),
        ("Fwd: Giấy mời họp giao ban", "Giấy mời họp giao ban"),
        ("KHẨN: Báo cáo tình hình bão", "Báo cáo tình hình bão"),
        ("HỎA TỐC Giấy mời họp khẩn", "Giấy mời họp khẩn"),
        ("Khẩn trương báo cáo số liệu", "Khẩn trương báo cáo số liệu"),
        ("Fwd: Tờ trình 470/TTr-STTTT về việc xin chủ trương (Mật)", "Xin chủ trương"),
        ("Gửi Kế hoạch số 112/KH-UBND ngày 10/12/2024 của UBND tỉnh",
         "Gửi Kế hoạch số 112/KH-UBND ngày 10/12/2024 của UBND tỉnh"),
        ("CV 12/UBND-VX: triển khai", "triển khai"),
        ("Tr: 470_TTr-STTTT", ""),
        ("", ""),
    ],
)
def test_trich_yeu_from_subject(subject, trich_yeu):
    assert trich_yeu_from_subject(subject) == trich_yeu


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("ngày 09 tháng 12 năm 2009", dt.date(2009, 12, 9)),
        ("Cà Mau, ngày 9 tháng 12 năm 2009", dt.date(2009, 12, 9)),
        ("NGÀY 9 THÁNG 12 NĂM 2009", dt.date(2009, 12, 9)),
        ("ngay 9 thang 12 nam 2009", dt.date(2009, 12, 9)),
        ("09/12/2009", dt.date(2009, 12, 9)),
        ("9-12-2009", dt.date(2009, 12, 9)),
        ("9.12.2009", dt.date(2009, 12, 9)),
        (unicodedata.normalize("NFD", "ngày 05 tháng 3 năm 2024"), dt.date(2024, 3, 5)),
    ],
)
def test_find_dates_forms(text, date):
    assert [d for d, _raw, _pos in find_dates(text)] == [date]


@pytest.mark.parametrize("text", ["31/02/2024", "ngày   tháng   năm 2024", "2024/12/09", "1/2", "12/2009"])
def test_find_dates_rejects_invalid_or_partial(text):
    assert find_dates(text) == []


def test_date_with_place_keeps_raw():
    (_d, raw, _pos), = find_dates("Số: 1/UBND-VP      Cà Mau, ngày 05 tháng 3 năm 2024")
    assert raw == "Cà Mau, ngày 05 tháng 3 năm 2024"


# --- urgency and secrecy -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "texts", "level"),
    [
        ("[KHẨN] Giấy mời họp", [], "Khẩn"),
        ("(Khẩn) Giấy mời", [], "Khẩn"),
        ("HỎA TỐC - Công điện về phòng chống bão", [], "Hỏa tốc"),
        ("hoa toc: ve viec phong chong bao", [], "Hỏa tốc"),
        ("Fwd: [THƯỢNG KHẨN] Báo cáo", [], "Thượng khẩn"),
        ("Giấy mời họp - KHẨN", [], "Khẩn"),
        ("Công văn 12/UBND-VX", ["ỦY BAN NHÂN DÂN\nHỎA TỐC\nSố: 12/UBND-VX"], "Hỏa tốc"),
        ("Công văn", ["Số: 12/UBND-VX      THƯỢNG KHẨN\n"], "Thượng khẩn"),
        ("Thông báo văn bản đến", ["Độ khẩn: Thượng khẩn\nĐộ mật: Bình thường"], "Thượng khẩn"),
        ("[KHẨN] Báo cáo", ["HỎA TỐC"], "Hỏa tốc"),  # highest level wins
        ("Khẩn trương triển khai", ["Đề nghị khẩn trương báo cáo."], None),
        ("KHẨN TRƯƠNG triển khai", [], None),
        ("Báo cáo tình hình khán giả", [], None),
        ("Giấy mời họp", ["Kính mời đồng chí dự họp."], None),
    ],
)
def test_urgency_marks(subject, texts, level):
    found = find_urgency(subject, texts)
    assert (found[0] if found else None) == level


@pytest.mark.parametrize(
    ("subject", "texts", "level"),
    [
        ("[MẬT] Báo cáo", [], "Mật"),
        ("(Mật) Báo cáo", [], "Mật"),
        ("TỐI MẬT - Kế hoạch", [], "Tối mật"),
        ("Fwd: [Tuyệt mật] Đề án", [], "Tuyệt mật"),
        ("Báo cáo", ["ỦY BAN NHÂN DÂN\nMẬT\nSố: 5/BC-UBND"], "Mật"),
        ("Báo cáo", ["  TỐI MẬT  \n"], "Tối mật"),
        # running text is never a mark
        ("Cấp lại mật khẩu hộp thư công vụ", ["Mật khẩu mới của anh là: x"], None),
        ("MẬT KHẨU hộp thư", [], None),
        ("Mật khẩu: đổi định kỳ", [], None),
        ("Tập huấn bảo vệ bí mật nhà nước", ["Luật Bảo vệ bí mật nhà nước 2018."], None),
        ("Báo cáo", ["BÍ MẬT NHÀ NƯỚC"], None),
        ("Thông báo", ["Độ mật: Bình thường"], None),
        ("Mật ong Cà Mau", [], None),
    ],
)
def test_R3_2_secrecy_marks(subject, texts, level):
    found = find_secrecy(subject, texts)
    assert (found[0] if found else None) == level


# --- letterhead, issuer, signer -----------------------------------------------------------


def test_letterhead_skips_national_motto():
    assert letterhead(STC_DOC) == ["ỦY BAN NHÂN DÂN TỈNH CÀ MAU", "SỞ TÀI CHÍNH"]
    assert letterhead(TTR_DOC) == ["UBND TỈNH CÀ MAU", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"]


def test_issuer_name_lookup_is_editable():
    assert issuer_name("STTTT") == "Sở Thông tin và Truyền thông"
    assert issuer_name("QH13") == "Quốc hội"
    assert issuer_name("ubnd") == "Ủy ban nhân dân tỉnh Cà Mau"
    assert issuer_name("XYZ") is None
    extract.ISSUER_NAMES["XYZ"] = "Ban Quản lý dự án XYZ"
    try:
        assert issuer_name("XYZ") == "Ban Quản lý dự án XYZ"
    finally:
        del extract.ISSUER_NAMES["XYZ"]


def test_signer_from_signature_block():
    assert find_signer(STC_DOC) == ("Nguyễn Văn An", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC")
    assert find_signer(TTR_DOC)[0] == "Trần Thị Bình"
    text = "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\nLê Văn Sử\n"
    assert find_signer(text) == ("Lê Văn Sử", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")
    assert find_signer("Giám đốc Sở đã ký.\nTrân trọng cảm ơn") is None


# --- whole proposals -------------------------------------------------------------------------


def test_R7_1a_1_propose_from_forwarded_mail_with_document():
    p = propose_fields(
        subject="Fwd: TR: RE: [KHẨN] Công văn số 1234/STC-QLNS ngày 05/3/2024 V/v hướng dẫn lập dự toán",
        body_text="Kính chuyển anh/chị.\nMật khẩu file: 123456",
        attachment_names=["1234_STC-QLNS.signed.pdf"],
        attachment_texts=[STC_DOC],
        sender='"Văn thư Sở Tài chính" <vanthu.stc@camau.gov.vn>',
    )
    assert p.so_ky_hieu == "1234/STC-QLNS"
    assert p.symbol is not None and p.symbol.style == "congvan"
    assert p.kind == "Công văn"
    assert p.issuer == "Sở Tài chính"
    assert p.raw["issuer"] == "STC"
    assert p.doc_date == dt.date(2024, 3, 5)
    assert p.doc_date_raw == "Cà Mau, ngày 05 tháng 3 năm 2024"
    assert p.trich_yeu == "Hướng dẫn lập dự toán"
    assert p.urgency == "Khẩn"
    assert p.secrecy is None  # "Mật khẩu", "bí mật nhà nước" are not marks
    assert p.signer == "Nguyễn Văn An"
    assert p.page_count is None
    assert p.raw["so_ky_hieu"] == "1234/STC-QLNS"


def test_document_number_beats_cited_numbers():
    """The "Số:" line of the document wins over "Căn cứ Nghị định số 30/2020/NĐ-CP"."""
    p = propose_fields("", "", [], [STC_DOC], "")
    assert p.so_ky_hieu == "1234/STC-QLNS"
    assert p.trich_yeu == "Hướng dẫn lập dự toán ngân sách năm 2025 và kế hoạch tài chính"
    assert p.raw["trich_yeu"].startswith("V/v hướng dẫn")


def test_propose_to_trinh_from_attachment_only():
    p = propose_fields("Tr: 470_TTr-STTTT", "", ["470_TTr-STTTT.pdf"], [TTR_DOC], "stttt@camau.gov.vn")
    assert p.so_ky_hieu == "470/TTr-STTTT"  # the printed form from the document
    assert p.kind == "Tờ trình"
    assert p.issuer == "Sở Thông tin và Truyền thông"
    assert p.doc_date == dt.date(2009, 12, 9)
    assert p.trich_yeu == "Phê duyệt Kế hoạch ứng dụng công nghệ thông tin năm 2010"
    assert p.signer == "Trần Thị Bình"


def test_symbol_from_file_name_is_kept_as_found():
    p = propose_fields("Gửi tờ trình", "", ["470-TTr-STTTT.pdf"], [], "")
    assert p.so_ky_hieu == "470-TTr-STTTT"
    assert p.symbol.normalized == "470/TTr-STTTT"
    assert p.kind == "Tờ trình"


def test_kind_from_subject_when_no_symbol():
    sender = "Văn phòng UBND tỉnh <vp@camau.gov.vn>"
    p = propose_fields("Fwd: Giấy mời họp giao ban tháng 12", "Kính mời", [], [], sender)
    assert p.symbol is None and p.so_ky_hieu is None
    assert p.kind == "Giấy mời"
    assert p.issuer == "Văn phòng UBND tỉnh"


def test_issuer_from_letterhead_when_symbol_issuer_unknown():
    doc = "SỞ TÀI CHÍNH\nSố: 12/QLG-KH\nCà Mau, ngày 1 tháng 2 năm 2024\nV/v giá"
    p = propose_fields("", "", [], [doc], "")
    assert p.so_ky_hieu == "12/QLG-KH"
    assert p.issuer == "Sở Tài chính"
    assert p.raw["issuer"] == "SỞ TÀI CHÍNH"


def test_issuer_from_sender_mailbox_code():
    p = propose_fields("Báo cáo tuần", "", [], [], "stc@camau.gov.vn")
    assert p.issuer == "Sở Tài chính"
    assert p.kind == "Báo cáo"


def test_date_nearest_to_symbol_in_subject():
    p = propose_fields("Công văn 12/UBND-VX ngày 09/12/2009 về lịch họp 15/12/2009", "", [], [], "")
    assert p.doc_date == dt.date(2009, 12, 9)
    assert p.doc_date_raw == "09/12/2009"


def test_secret_document_flagged():
    doc = "ỦY BAN NHÂN DÂN TỈNH CÀ MAU\nTỐI MẬT\nSố: 5/BC-UBND\nBÁO CÁO\nVề tình hình"
    p = propose_fields("Fwd: báo cáo", "", [], [doc], "")
    assert p.secrecy == "Tối mật"
    assert p.kind == "Báo cáo"


def test_empty_input():
    p = propose_fields("", "", [], [], "")
    assert p.so_ky_hieu is None and p.kind is None and p.issuer is None and p.doc_date is None
    assert p.trich_yeu is None and p.urgency is None and p.secrecy is None and p.raw == {}
