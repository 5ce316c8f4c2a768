"""Text of attachments for the search index (R6.2, R6.3).

Why limits everywhere: attachments come from outside the agency; a 300 MB
scan, a zip bomb disguised as .docx or a PDF with a million empty pages must
not hang background indexing.  Inputs above ``MAX_BYTES`` are skipped, DOCX
and XLSX archives are checked for their unpacked size before opening, output
stops at ``MAX_CHARS``, and ``extract_with_timeout`` runs the work in a child
process that is killed when it overruns.  Types we cannot read are reported
as "không đọc được" (status ``unsupported``), never raised.

Legacy Vietnamese (TCVN3/.VnTime, VNI) is repaired with ``vn.legacy`` so the
index holds Unicode (R6.3).
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import io
import multiprocessing
import re
import threading
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from camau_desk.vn.text import nfc

__all__ = [
    "Extracted",
    "MAX_BYTES",
    "MAX_CHARS",
    "STATUS_LABELS",
    "extract",
    "extract_with_timeout",
    "kind_of",
]

MAX_BYTES = 40 * 1024 * 1024  # larger attachments are listed, not read
MAX_UNZIPPED = 200 * 1024 * 1024  # DOCX/XLSX: refuse archives that unpack beyond this
MAX_CHARS = 1_000_000
MAX_PDF_PAGES = 500
MAX_XLSX_CELLS = 300_000

#: What the clerk reads next to an attachment that was not indexed.
STATUS_LABELS = {
    "ok": "đã đọc",
    "empty": "không có chữ (có thể là ảnh quét)",
    "unsupported": "không đọc được",
    "too_large": "quá lớn, không đọc",
    "error": "tệp hỏng, không đọc được",
    "timeout": "đọc quá lâu, đã bỏ qua",
}


@dataclass
class Extracted:
    text: str
    status: str  # a key of STATUS_LABELS
    detail: str | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


_EXT_KIND = {
    ".pdf": "pdf", ".docx": "docx", ".docm": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".txt": "txt", ".csv": "txt", ".tsv": "txt", ".md": "txt", ".text": "txt", ".log": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".xml": "txt",
}
_MIME_KIND = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/plain": "txt", "text/csv": "txt", "text/html": "html", "application/xhtml+xml": "html",
}


def kind_of(filename: str | None, mime: str | None) -> str | None:
    """'pdf' | 'docx' | 'xlsx' | 'txt' | 'html' or None: by extension first (senders mislabel MIME types)."""
    ext = PurePath(filename or "").suffix.lower()
    if ext in _EXT_KIND:
        return _EXT_KIND[ext]
    return _MIME_KIND.get((mime or "").split(";")[0].strip().lower())


def _cap(text: str) -> str:
    text = nfc(text.replace("\x00", ""))
    return text[:MAX_CHARS]


def _check_zip(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        total = sum(i.file_size for i in zf.infolist())
    if total > MAX_UNZIPPED:
        raise _TooLarge(f"unzipped size {total}")


class _TooLarge(Exception):
    pass


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    out: list[str] = []
    size = 0
    for i, page in enumerate(reader.pages):
        if i >= MAX_PDF_PAGES or size >= MAX_CHARS:
            break
        t = page.extract_text() or ""
        out.append(t)
        size += len(t)
    text = "\n".join(out)
    from camau_desk.vn.legacy import repair_text

    return repair_text(text)[0]  # PDFs printed from .VnTime documents keep TCVN3 bytes as text


_LEGACY_FONT = re.compile(rb"\.Vn|VNI-|VNI Times", re.IGNORECASE)


def _docx(data: bytes) -> str:
    """Paragraphs and table cells; legacy-font runs converted (via vn.legacy.convert_docx)."""
    import docx

    _check_zip(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("word/") and n.endswith(".xml"))
    if _LEGACY_FONT.search(xml):
        import tempfile
        from pathlib import Path

        from camau_desk.vn.legacy import convert_docx

        with tempfile.TemporaryDirectory(prefix="camau-textract-") as tmp:
            src, dst = Path(tmp) / "in.docx", Path(tmp) / "out.docx"
            src.write_bytes(data)
            convert_docx(src, dst)
            document = docx.Document(str(dst))
            return _docx_text(document)
    document = docx.Document(io.BytesIO(data))
    from camau_desk.vn.legacy import repair_text

    return "\n".join(repair_text(p)[0] for p in _docx_text(document).split("\n"))


def _docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _xlsx(data: bytes) -> str:
    import openpyxl

    _check_zip(data)
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out: list[str] = []
    cells = 0
    try:
        for ws in wb.worksheets:
            out.append(ws.title)
            for row in ws.iter_rows(values_only=True):
                vals = [str(v) for v in row if v is not None]
                cells += len(row)
                if vals:
                    out.append("\t".join(vals))
                if cells > MAX_XLSX_CELLS:
                    return "\n".join(out)
    finally:
        wb.close()
    return "\n".join(out)


def _txt(data: bytes) -> str:
    from camau_desk.vn.legacy import decode_legacy_bytes

    return decode_legacy_bytes(data[: MAX_CHARS * 2])


def _html(data: bytes) -> str:
    from bs4 import BeautifulSoup

    from camau_desk.vn.legacy import decode_legacy_bytes

    html = decode_legacy_bytes(data[:8 * 1024 * 1024])
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "head"]):
        tag.decompose()
    return soup.get_text("\n")


_READERS = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "txt": _txt, "html": _html}


def extract(data: bytes, filename: str | None = None, mime: str | None = None) -> Extracted:
    """Text of one attachment, in this process (use ``extract_with_timeout`` for untrusted bulk work)."""
    kind = kind_of(filename, mime)
    if kind is None:
        return Extracted("", "unsupported", f"{filename!r} {mime!r}")
    if len(data) > MAX_BYTES:
        return Extracted("", "too_large", f"{len(data)} bytes")
    try:
        text = _cap(_READERS[kind](data))
    except _TooLarge as exc:
        return Extracted("", "too_large", str(exc))
    except Exception as exc:  # noqa: BLE001 - a broken file is listed, never fatal
        return Extracted("", "error", f"{type(exc).__name__}: {exc}"[:300])
    if not text.strip():
        return Extracted("", "empty")
    return Extracted(text, "ok")


# --------------------------------------------------------------- timeout in a child process

_POOL: cf.ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> cf.ProcessPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            # spawn: the parent has threads (watcher, UI workers); fork would copy their locks
            _POOL = cf.ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            atexit.register(shutdown)  # no helper process outlives the app (or the CLI command)
        return _POOL


def _kill_pool() -> None:
    global _POOL
    with _POOL_LOCK:
        pool, _POOL = _POOL, None
    if pool is None:
        return
    for proc in list(getattr(pool, "_processes", {}).values()):
        try:
            proc.kill()
        except Exception:  # noqa: BLE001, S110 - already gone
            pass
    pool.shutdown(wait=False, cancel_futures=True)


def shutdown() -> None:
    """Stop the helper process (at exit or in tests)."""
    _kill_pool()


def extract_with_timeout(
    data: bytes, filename: str | None = None, mime: str | None = None, timeout: float = 30.0,
) -> Extracted:
    """``extract`` in a helper process that is killed after ``timeout`` seconds.

    Plain text is read in-process (cheap and safe); the parsers of complex
    formats run in the child.
    """
    kind = kind_of(filename, mime)
    if kind in (None, "txt") or len(data) > MAX_BYTES:
        return extract(data, filename, mime)
    try:
        future = _pool().submit(extract, data, filename, mime)
        return future.result(timeout=timeout)
    except cf.TimeoutError:
        _kill_pool()
        return Extracted("", "timeout", f"> {timeout:g} s")
    except cf.process.BrokenProcessPool as exc:  # the child crashed (e.g. out of memory)
        _kill_pool()
        return Extracted("", "error", f"helper process died: {exc}")
