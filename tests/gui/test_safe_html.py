"""No remote content, ever (reading pane privacy and safety)."""

from __future__ import annotations

import http.server
import threading

import pytest

from tests.gui.conftest import find_row, wait_message

pytestmark = pytest.mark.gui


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css" if self.path.endswith(".css") else "image/png")
        self.end_headers()
        self.wfile.write(b"body { background: red }" if self.path.endswith(".css") else b"")

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    _Counter.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Counter.hits
    server.shutdown()
    server.server_close()


def test_remote_image_and_stylesheet_are_never_fetched(open_window, tmp_path, qtbot, http_server):
    """An HTML mail with remote <img>, <link rel=stylesheet>, @import and url() makes 0 requests."""
    from datetime import datetime

    from tests.gui.sample_mail import TZ, build_profile, mail

    base, hits = http_server
    html = f"""<html><head>
      <link rel="stylesheet" href="{base}/remote.css">
      <style>@import url("{base}/import.css"); body {{ background: url({base}/bg.png) }}</style>
    </head><body background="{base}/body-bg.png" style="background-image: url({base}/inline.png)">
      <p>Thư có <b>hình từ xa</b></p>
      <img src="{base}/pixel.png" width="1" height="1">
      <img src="file:///etc/passwd"><img src="//127.0.0.1/x.png">
      <table background="{base}/table.png"><tr><td>ô</td></tr></table>
      <script src="{base}/x.js"></script>
    </body></html>"""
    raw = mail("Bản tin có hình từ xa", "Tiếp thị <m@example.com>", datetime(2026, 11, 21, 9, 0, tzinfo=TZ), html=html)
    profile = build_profile(tmp_path / "remote", extra=[raw])
    window = open_window(profile)
    wait_message(qtbot, window, find_row(window, "Bản tin có hình từ xa"))
    qtbot.wait(1000)
    assert "hình từ xa" in window.reading.body.toPlainText()
    assert window.reading.remote_note.isVisible()
    assert hits == []
    # and the second wall: loadResource itself refuses every non-cid URL
    from ui.qt import QTextDocument, QUrl

    browser = window.reading.body
    for url in (f"{base}/pixel.png", f"{base}/remote.css", "file:///etc/passwd", "ftp://example.com/a.png"):
        for kind in (QTextDocument.ResourceType.ImageResource, QTextDocument.ResourceType.StyleSheetResource):
            assert browser.loadResource(int(kind.value), QUrl(url)) is None
    qtbot.wait(200)
    assert hits == []


@pytest.mark.parametrize(
    "dirty, forbidden",
    [
        ("<script>alert(1)</script><p>x</p>", "alert"),
        ('<img src="http://t.example/p.gif">', "t.example"),
        ('<link rel="stylesheet" href="https://t.example/a.css">', "t.example"),
        ("<style>@import url(https://t.example/a.css)</style>", "t.example"),
        ('<p style="background:url(https://t.example/b.png)">x</p>', "t.example"),
        ('<a href="javascript:alert(1)">x</a>', "javascript"),
        ('<iframe src="https://t.example"></iframe>', "t.example"),
        ('<img src=x onerror="alert(1)">', "onerror"),
        ('<form action="https://t.example"><input></form>', "t.example"),
    ],
)
def test_sanitizer_drops_active_and_remote_content(dirty, forbidden):
    from ui.html import sanitize_html

    assert forbidden not in sanitize_html(dirty)


def test_sanitizer_keeps_text_formatting_and_cid_images():
    from ui.html import sanitize_html

    out = sanitize_html('<p style="color:red"><b>Kính gửi</b></p><img src="cid:logo@x"><a href="https://camau.gov.vn">l</a>')
    assert '<b>Kính gửi</b>' in out and 'src="cid:logo@x"' in out and 'href="https://camau.gov.vn"' in out
    assert 'style="color:red"' in out


def test_risky_extensions():
    from ui.html import human_size, is_risky

    for name in ("a.exe", "B.BAT", "x.cmd", "s.js", "v.vbs", "p.ps1", "s.scr", "i.msi", "c.com", "j.jar",
                 "l.lnk", "h.hta", "hoa_don.pdf.exe", "trick.exe."):
        assert is_risky(name), name
    for name in ("Công văn.pdf", "bao_cao.docx", "so_lieu.xlsx", "anh.png"):
        assert not is_risky(name), name
    assert human_size(39731) == "38,8 KB"


def test_blocked_remote_image_leaves_alt_text_not_an_empty_box():
    from ui.html import sanitize_html

    out = sanitize_html('<img src="https://t.example/logo.png" alt="Logo Sở" width="600"><img src="cid:a">')
    assert out == '[Logo Sở]<img src="cid:a">'
