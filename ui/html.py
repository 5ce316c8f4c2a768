"""Making an e-mail's HTML safe to show (no Qt here, so it is unit-testable).

Why nh3 with an allow-list: mail HTML is hostile input.  Scripts, forms,
frames, ``<link>``/``<style>`` (remote CSS, ``@import``) and every attribute
that can fetch something are dropped; ``img src`` survives only as ``cid:``
(parts of the same message).  The reading pane's ``loadResource`` is the
second wall: even if something slipped through, it never fetches anything
that is not a ``cid:`` part.
"""

from __future__ import annotations

import html as _html
import re

import nh3

ALLOWED_TAGS: set[str] = {
    "a", "abbr", "b", "blockquote", "br", "caption", "center", "code", "col", "colgroup", "dd", "del",
    "div", "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "ol", "p", "pre", "q", "s", "small", "span", "strike", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul",
}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"align", "valign", "dir", "title", "style", "width", "height", "bgcolor"},
    "a": {"href", "name"},
    "img": {"src", "alt"},
    "font": {"color", "face", "size"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "table": {"border", "cellpadding", "cellspacing"},
    "ol": {"start", "type"},
}
# content removed together with the tag, not just the tag
DROP_WITH_CONTENT: set[str] = {"script", "style", "title", "head", "iframe", "object", "embed", "noscript", "template"}
LINK_SCHEMES: set[str] = {"http", "https", "mailto", "cid"}
_DANGEROUS_STYLE = re.compile(r"url\s*\(|expression\s*\(|@import|javascript:|behavior\s*:", re.IGNORECASE)


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    """Drop anything that would make the viewer fetch: only ``cid:`` images, no url() in styles."""
    if tag == "img" and attr == "src":
        return value if value.strip().lower().startswith("cid:") else None
    if attr == "style" and _DANGEROUS_STYLE.search(value):
        return None
    if attr == "background":
        return None
    return value


_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)([^>]*)>", re.IGNORECASE)
_ALT = re.compile(r'\salt="([^"]*)"')


def _drop_blocked_image(match: re.Match[str]) -> str:
    """A remote image whose src was removed: keep its alt text, not an empty box."""
    alt = _ALT.search(match.group(1))
    return f"[{alt.group(1)}]" if alt and alt.group(1).strip() else ""


def sanitize_html(html: str) -> str:
    """The HTML of a message, reduced to a safe, offline subset."""
    return _IMG_WITHOUT_SRC.sub(_drop_blocked_image, _clean(html))


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=LINK_SCHEMES,
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


def text_to_html(text: str) -> str:
    """Plain text shown with its line breaks, nothing interpreted."""
    return "<pre style='white-space: pre-wrap; font-family: inherit'>" + _html.escape(text or "") + "</pre>"


def human_size(n: int | None) -> str:
    """1 234 567 -> '1,2 MB' (Vietnamese decimal comma)."""
    if n is None:
        return ""
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            text = f"{value:.0f}" if unit == "B" else f"{value:.1f}"
            return f"{text.replace('.', ',')} {unit}"
        value /= 1024
    return f"{n} B"


RISKY_EXTENSIONS: frozenset[str] = frozenset(
    {".exe", ".bat", ".cmd", ".js", ".vbs", ".ps1", ".scr", ".msi", ".com", ".jar", ".lnk", ".hta",
     ".pif", ".wsf", ".vbe", ".jse", ".cpl", ".reg"}
)


def is_risky(filename: str) -> bool:
    """Executable or script types get a warning before the OS opens them."""
    name = (filename or "").lower().rstrip(". ")
    return any(name.endswith(ext) for ext in RISKY_EXTENSIONS)
