"""Untrusted Markdown to safe HTML: python-markdown, then the nh3 allow-list sanitiser.

Python-Markdown passes raw HTML through untouched, so everything it produces is cleaned by nh3
(the maintained successor to the deprecated bleach). Callers cache the result per revision.
"""

import html as html_entities
import re

import markdown
import nh3
from markupsafe import Markup

_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "toc"]

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q",
    "s", "sub", "sup", "strong", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "scope", "align"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
}
# No javascript:, vbscript: or data: URLs; relative links stay allowed.
_URL_SCHEMES = {"http", "https", "mailto"}
# Control characters inside a URL can hide a scheme ("java\x01script:") from the scheme check.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def render_markdown(text: str) -> Markup:
    # Headings inside a section start at level 3: the page's own section headings are h2.
    converter = markdown.Markdown(
        extensions=_EXTENSIONS,
        extension_configs={"toc": {"baselevel": 3}, "tables": {"use_align_attribute": True}},
        output_format="html",
    )
    html = converter.convert(text)
    return Markup(sanitise_html(html))


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="nofollow noopener",
        id_prefix="md-",
        attribute_filter=_drop_hidden_schemes,
    )


def _drop_hidden_schemes(_element: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src") and _CONTROL.search(value):
        return None
    return value


def plain_text(text: str) -> str:
    """Markdown as plain text, for summaries and meta descriptions."""
    html = markdown.markdown(text, output_format="html")
    return " ".join(html_entities.unescape(nh3.clean(html, tags=set())).split())


def first_paragraph(text: str) -> str:
    for block in text.strip().split("\n\n"):
        if block.strip() and not block.lstrip().startswith(("#", "|", "```", "~~~")):
            return plain_text(block)
    return ""
