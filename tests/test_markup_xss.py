"""Untrusted Markdown must never render to HTML that can run script or restyle the page.

Every output is parsed with the stdlib HTML parser and checked structurally (elements,
attribute names, URL schemes, rel on links), not by searching the raw string alone.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from registry.markup import render_markdown

BLNS_PATH = Path(__file__).parent / "data" / "blns" / "blns.json"

# What the sanitiser may let through; written out here, independently of registry.markup, so
# widening the app's allow-list makes these tests fail until the corpus has been reconsidered.
SAFE_ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
}
SAFE_TAGS = {
    "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em", "hr",
    "i", "ins", "kbd", "li", "p", "pre", "q", "s", "sub", "sup", "strong", "table", "tbody",
    "tfoot", "thead", "tr", "ul",
} | set(SAFE_ATTRIBUTES)
FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "meta", "base", "svg", "math", "link", "input", "button", "textarea", "select", "template",
    "noscript", "video", "audio", "source", "details", "body", "html", "head", "title", "div",
    "span", "marquee", "isindex", "keygen", "xmp", "plaintext", "listing", "h1",
}
URL_ATTRIBUTES = {"href", "src"}
SAFE_URL_PREFIXES = ("http:", "https:", "mailto:", "/", "#")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Browsers drop tab/CR/LF anywhere in a URL and C0 controls/spaces at either end; we go further
# and drop every C0 control and DEL anywhere, so `java\x01script:` is judged as `javascript:`.
_URL_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RAW_DANGEROUS_TAG = re.compile(
    r"<\s*/?\s*(script|style|iframe|object|embed|form|meta|base|svg|math|link)\b", re.IGNORECASE
)


class _Collector(HTMLParser):
    """Everything the parser saw: start tags with attributes, end tags, text and oddities."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.start_tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.end_tags: list[str] = []
        self.text: list[str] = []
        self.oddities: list[str] = []  # comments, declarations, processing instructions

    def handle_starttag(self, tag, attrs):
        self.start_tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.start_tags.append((tag, attrs))

    def handle_endtag(self, tag):
        self.end_tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.oddities.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.oddities.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.oddities.append(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.oddities.append(f"unknown declaration {data!r}")

    def elements(self, name: str) -> list[dict[str, str | None]]:
        return [dict(attrs) for tag, attrs in self.start_tags if tag == name]

    def plain_text(self) -> str:
        return "".join(self.text)


def collect(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def normalised_url(value: str) -> str:
    return _URL_CONTROL.sub("", value).strip(" ").lower()


def is_safe_url(value: str) -> bool:
    url = normalised_url(value)
    if url.startswith(SAFE_URL_PREFIXES):
        return True
    return _SCHEME.match(url) is None  # relative, e.g. `notes/aim.md` or `?page=2`


def assert_safe(html: str) -> _Collector:
    """Fail unless `html` contains only allow-listed elements, attributes and URLs."""
    found = collect(html)
    assert not found.oddities, f"{found.oddities} in {html!r}"
    assert not _RAW_DANGEROUS_TAG.search(html), html
    for tag in [tag for tag, _ in found.start_tags] + found.end_tags:
        assert tag not in FORBIDDEN_TAGS, f"<{tag}> in {html!r}"
        assert tag in SAFE_TAGS, f"<{tag}> is not on the allow-list: {html!r}"
    for tag, attrs in found.start_tags:
        for name, value in attrs:
            assert not name.startswith("on"), f"event handler {name} on <{tag}>: {html!r}"
            assert name != "style", f"style attribute on <{tag}>: {html!r}"
            assert name in SAFE_ATTRIBUTES.get(tag, set()), f"<{tag} {name}> in {html!r}"
            if name in URL_ATTRIBUTES:
                assert value is not None and is_safe_url(value), f"{name}={value!r} in {html!r}"
            if name == "id":
                assert (value or "").startswith("md-"), f"unprefixed id {value!r} in {html!r}"
        attributes = dict(attrs)
        if tag == "a" and normalised_url(attributes.get("href") or "").startswith("http"):
            rel = (attributes.get("rel") or "").split()
            assert "nofollow" in rel and "noopener" in rel, f"rel={rel} in {html!r}"
    return found


def render(text: str) -> str:
    return str(render_markdown(text))


# A base64 SVG whose <script> would run if loaded as a document.
_SVG_B64 = "PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pjwvc3ZnPg=="
_HTML_B64 = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="

XSS_VECTORS = [
    # script elements, in many spellings
    ("script", "<script>alert(1)</script>"),
    ("script-upper", "<SCRIPT>alert(1)</SCRIPT>"),
    ("script-mixed-case", "<ScRiPt>alert(1)</sCrIpT>"),
    ("script-src", '<script src="https://evil.example/x.js"></script>'),
    ("script-slash-src", '<script/src="//evil.example/x.js"></script>'),
    ("script-newline-in-tag", "<script\n>alert(1)</script\n>"),
    ("script-type", '<script type="text/javascript">alert(1)</script>'),
    ("script-unclosed", "<script>alert(1)"),
    ("script-double-open", "<<script>alert(1);//<</script>"),
    ("script-split-name", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script-entity-encoded", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("script-in-paragraph", "Some *text* <script>alert(1)</script> more text"),
    ("script-in-heading", "## Aim <script>alert(1)</script>"),
    ("script-in-list", "* one\n* <script>alert(1)</script>"),
    ("script-in-table", "| a |\n|---|\n| <script>alert(1)</script> |"),
    ("script-in-blockquote", "> <script>alert(1)</script>"),
    ("doctype-html-head-script",
     "<!DOCTYPE html><html><head><script>alert(1)</script></head></html>"),
    # event-handler attributes
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("img-onerror-mixed-case", "<IMG SRC=x OnErRoR=alert(1)>"),
    ("img-onerror-self-closing", '<img src=x onerror="alert(1)"/>'),
    ("img-slashes-as-spaces", "<img/src=x/onerror=alert(1)>"),
    ("img-onerror-spaced", "<img src=x onerror  =  alert(1)>"),
    ("img-onerror-entity-body", '<img src=x onerror="&#97;&#108;&#101;&#114;&#116;(1)">'),
    ("img-quote-confusion", '<img """><script>alert(1)</script>">'),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-slash-onload", "<svg/onload=alert(1)>"),
    ("body-onload", "<body onload=alert(1)>"),
    ("details-ontoggle", "<details open ontoggle=alert(1)>x</details>"),
    ("video-source-onerror", "<video><source onerror=alert(1)></video>"),
    ("video-onerror", "<video src=x onerror=alert(1)></video>"),
    ("audio-onerror", "<audio src=x onerror=alert(1)></audio>"),
    ("input-onfocus", "<input autofocus onfocus=alert(1)>"),
    ("select-onfocus", "<select autofocus onfocus=alert(1)></select>"),
    ("textarea-onfocus", "<textarea autofocus onfocus=alert(1)></textarea>"),
    ("keygen-onfocus", "<keygen autofocus onfocus=alert(1)>"),
    ("marquee-onstart", "<marquee onstart=alert(1)>x</marquee>"),
    ("div-onmouseover", '<div onmouseover="alert(1)">hover</div>'),
    ("a-onclick", '<a href="https://example.org" onclick="alert(1)">x</a>'),
    ("p-onclick", "<p onclick=alert(1)>para</p>"),
    ("heading-onclick", "<h2 onclick=alert(1) id=x>t</h2>"),
    ("isindex-onerror", "<isindex type=image src=1 onerror=alert(1)>"),
    # javascript: in Markdown links
    ("md-link-javascript", "[x](javascript:alert(1))"),
    ("md-link-mixed-case", "[x](JaVaScRiPt:alert(1))"),
    ("md-link-colon-entity", "[x](javascript&#58;alert(1))"),
    ("md-link-first-letter-entity", "[x](&#106;avascript:alert(1))"),
    ("md-link-all-hex-entities",
     "[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))"),
    ("md-link-padded-decimal-entities", "[x](&#0000106&#0000097vascript:alert(1))"),
    ("md-link-tab", "[x](java\tscript:alert(1))"),
    ("md-link-newline-in-angle-brackets", "[x](<java\nscript:alert(1)>)"),
    ("md-link-leading-space", "[x]( javascript:alert(1))"),
    ("md-link-encoded-newline", "[x](javascript://%0aalert(1))"),
    ("md-link-control-char", "[x](\x01javascript:alert(1))"),
    ("md-link-controls-inside-scheme", "[x](java\x01\x02\x0bscript:alert(1))"),
    ("md-link-with-title", '[x](javascript:alert(1) "title")'),
    ("md-reference-link", "[x][ref]\n\n[ref]: javascript:alert(1)"),
    ("md-reference-link-upper", '[x][ref]\n\n[ref]: JAVASCRIPT:alert(1) "t"'),
    ("md-autolink-javascript", "<javascript:alert(1)>"),
    ("md-autolink-upper", "<JAVASCRIPT:alert(1)>"),
    ("md-image-javascript", "![x](javascript:alert(1))"),
    ("md-image-data-svg", f"![x](data:image/svg+xml;base64,{_SVG_B64})"),
    ("md-image-in-javascript-link", "[![img](https://example.org/a.png)](javascript:alert(1))"),
    ("md-link-vbscript", "[x](vbscript:msgbox(1))"),
    ("md-link-vbscript-mixed-case", "[x](VBScript:msgbox(1))"),
    ("md-link-data-base64", f"[x](data:text/html;base64,{_HTML_B64})"),
    ("md-link-data-inline", "[x](data:text/html,<script>alert(1)</script>)"),
    ("md-inside-html-div", '<div markdown="1">[x](javascript:alert(1))</div>'),
    # javascript:, vbscript: and data: in raw HTML
    ("a-href-leading-space", '<a href=" javascript:alert(1)">x</a>'),
    ("a-href-unquoted", "<a href=javascript:alert(1)>x</a>"),
    ("a-href-control-entity", '<a href="&#14;javascript:alert(1)">x</a>'),
    ("a-href-tab-entity", '<a href="java&#x09;script:alert(1)">x</a>'),
    ("a-href-newline-entity", '<a href="java&#x0A;script:alert(1)">x</a>'),
    ("a-href-cr-entity", '<a href="jav&#x0D;ascript:alert(1)">x</a>'),
    ("a-href-named-tab", '<a href="java&Tab;script:alert(1)">x</a>'),
    ("a-href-named-colon", '<a href="javascript&colon;alert(1)">x</a>'),
    ("a-href-comment-inside", '<a href="javas<!-- -->cript:alert(1)">x</a>'),
    ("a-href-nul", '<a href="\x00javascript:alert(1)">x</a>'),
    ("a-href-data", f'<a href="data:text/html;base64,{_HTML_B64}">x</a>'),
    ("a-href-vbscript", '<a href="vbscript:msgbox(1)">x</a>'),
    ("a-nested-javascript", '<a href="x"><a href="javascript:alert(1)">y</a></a>'),
    ("img-src-javascript", '<img src="javascript:alert(1)">'),
    ("img-src-vbscript", '<img src="vbscript:msgbox(1)">'),
    ("img-src-data", f'<img src="data:image/svg+xml;base64,{_SVG_B64}">'),
    ("img-dynsrc-lowsrc", '<img dynsrc="javascript:alert(1)" lowsrc="javascript:alert(1)">'),
    ("img-srcset", '<img src="https://example.org/a.png" srcset="javascript:alert(1) 2x">'),
    ("table-background", '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>'),
    # style attributes and blocks
    ("style-attr-url", '<p style="background:url(javascript:alert(1))">x</p>'),
    ("style-attr-expression", '<div style="width: expression(alert(1))">x</div>'),
    ("style-attr-overlay",
     '<span style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</span>'),
    ("style-block", '<style>body{background:url("javascript:alert(1)")}</style>'),
    ("style-block-import", "<STYLE>@import 'https://evil.example/x.css';</STYLE>"),
    ("link-stylesheet", '<link rel=stylesheet href="https://evil.example/x.css">'),
    # frames, objects, embeds
    ("iframe-javascript", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("iframe-upper", '<IFRAME SRC="https://evil.example"></IFRAME>'),
    ("frameset", '<frameset><frame src="javascript:alert(1)"></frameset>'),
    ("object-data", '<object data="javascript:alert(1)"></object>'),
    ("object-scriptlet", '<object type="text/x-scriptlet" data="https://evil.example/x"></object>'),
    ("embed-data", f'<embed src="data:image/svg+xml;base64,{_SVG_B64}">'),
    ("embed-javascript", '<embed src="javascript:alert(1)">'),
    ("applet", '<applet code="Evil.class"></applet>'),
    # forms
    ("form-action", '<form action="javascript:alert(1)"><input type=submit></form>'),
    ("button-formaction", '<form><button formaction="javascript:alert(1)">x</button></form>'),
    ("input-formaction", "<input type=image formaction=javascript:alert(1) src=x>"),
    ("isindex-action", '<isindex action="javascript:alert(1)" type=submit>'),
    # document-level elements
    ("meta-refresh-javascript", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("meta-refresh-redirect", '<meta http-equiv="refresh" content="0; url=https://evil.example">'),
    ("base-href", '<base href="https://evil.example/">'),
    ("base-href-javascript", '<base href="javascript:alert(1)//">'),
    # svg and math
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    ("svg-xlink-href",
     '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>'),
    ("svg-animate-onbegin", "<svg><animate onbegin=alert(1) attributeName=x dur=1s></svg>"),
    ("svg-set-href", '<svg><a><set attributeName="href" to="javascript:alert(1)"/>x</a></svg>'),
    ("svg-use-data", f'<svg><use href="data:image/svg+xml;base64,{_SVG_B64}#x"/></svg>'),
    ("svg-foreignobject",
     '<svg><foreignObject><iframe srcdoc="<script>alert(1)</script>"></iframe>'
     "</foreignObject></svg>"),
    ("math-href", '<math href="javascript:alert(1)">x</math>'),
    ("math-maction",
     '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>'),
    ("math-mglyph-style-mxss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("svg-style-mxss", '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">'),
    ("form-math-mxss",
     "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>"),
    # mXSS-style nesting, raw-text elements and unclosed tags
    ("noscript-title-breakout", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("title-raw-text", "<title><img src=x onerror=alert(1)></title>"),
    ("textarea-raw-text", "<textarea><img src=x onerror=alert(1)></textarea>"),
    ("xmp-raw-text", "<xmp><img src=x onerror=alert(1)></xmp>"),
    ("plaintext", "<plaintext><img src=x onerror=alert(1)>"),
    ("listing", "<listing>&lt;img src=x onerror=alert(1)&gt;</listing>"),
    ("template", "<template><img src=x onerror=alert(1)></template>"),
    ("tag-in-tag", "<div <img src=x onerror=alert(1)>>"),
    ("double-angle", "<<img src=x onerror=alert(1)>>"),
    ("unclosed-at-eof", "<img src=x onerror=alert(1)//"),
    ("unclosed-attribute", '<img src="x onerror=alert(1)//'),
    # comments, CDATA and processing instructions hiding markup
    ("comment-hiding-img", "<!--<img src=x onerror=alert(1)>-->"),
    ("comment-bang-close", "<!-- --!><img src=x onerror=alert(1)> -->"),
    ("conditional-comment", "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->"),
    ("cdata", "<![CDATA[<img src=x onerror=alert(1)>]]>"),
    ("processing-instruction", '<?xml-stylesheet href="javascript:alert(1)"?>'),
    # Markdown titles, alt text and autolinks breaking out of attributes
    ("md-title-double-quote-breakout", '[x](https://example.org "a\\" onmouseover=\\"alert(1)")'),
    ("md-title-single-quote-breakout", "[x](https://example.org 'a\" onmouseover=\"alert(1)')"),
    ("md-reference-title-breakout",
     '[x][r]\n\n[r]: https://example.org "t\\" onclick=\\"alert(1)"'),
    ("md-url-quote-breakout", '[x](https://example.org"onmouseover="alert(1))'),
    ("md-image-alt-breakout", '![x" onerror="alert(1)](https://example.org/a.png)'),
    ("md-autolink-quote-breakout", '<https://example.org/"onmouseover="alert(1)>'),
    ("md-heading-with-html", "# Results <img src=x onerror=alert(1)>"),
    # attributes that are allowed elsewhere, or harmless-looking tags carrying danger
    ("a-rel-target-override", '<a href="https://example.org" rel="opener" target="_blank">x</a>'),
    ("a-id-clobber", '<a href="#x" id="location" name="location">x</a>'),
    ("img-id-clobber", '<img src="https://example.org/a.png" name="cookie" id="cookie">'),
]


@pytest.mark.parametrize(
    "markdown_text", [pytest.param(text, id=name) for name, text in XSS_VECTORS]
)
def test_xss_vector_is_neutralised(markdown_text):
    assert_safe(render(markdown_text))


def test_corpus_is_large_and_uniquely_named():
    names = [name for name, _ in XSS_VECTORS]
    assert len(names) >= 60
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("fence", ["```", "~~~"])
def test_fenced_code_keeps_script_as_visible_text(fence):
    html = render(f"{fence}html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n{fence}")
    found = assert_safe(html)
    assert [tag for tag, _ in found.start_tags] == ["pre", "code"]
    assert "<script>alert(1)</script>\n<img src=x onerror=alert(1)>" in found.plain_text()


def test_inline_code_keeps_script_as_visible_text():
    found = assert_safe(render("Never write `<script>alert(1)</script>` in a page."))
    assert found.elements("code") == [{}]
    assert "<script>alert(1)</script>" in found.plain_text()


def test_dangerous_link_keeps_its_text():
    found = assert_safe(render("[read me](javascript:alert(1)) please"))
    assert found.plain_text() == "read me please"
    assert all("href" not in a for a in found.elements("a"))


def test_title_breakout_stays_inside_the_title():
    found = assert_safe(render('[x](https://example.org "a\\" onmouseover=\\"alert(1)")'))
    (link,) = found.elements("a")
    assert set(link) == {"href", "title", "rel"}
    assert link["href"] == "https://example.org"
    assert "onmouseover" in link["title"]


# --- The sanitiser keeps ordinary Markdown -------------------------------------------------


def test_table_survives():
    found = assert_safe(render("| Month | Rate |\n|---|---|\n| March | 54% |\n| April | 61% |"))
    tags = [tag for tag, _ in found.start_tags]
    assert tags.count("table") == 1 and "thead" in tags and "tbody" in tags
    assert tags.count("th") == 2 and tags.count("td") == 4
    assert "61%" in found.plain_text()


def test_fenced_code_survives_with_its_text():
    found = assert_safe(render("```\nSELECT count(*) FROM patients;\n```"))
    assert [tag for tag, _ in found.start_tags] == ["pre", "code"]
    assert found.plain_text().strip() == "SELECT count(*) FROM patients;"


def test_sane_lists_keep_start_number_and_do_not_merge_list_types():
    found = assert_safe(render("3. third\n4. fourth\n\n* bullet"))
    assert found.elements("ol") == [{"start": "3"}]
    assert len(found.elements("ul")) == 1
    assert len(found.elements("li")) == 3


@pytest.mark.parametrize(
    "markdown_text, tag, heading_id",
    [
        ("# Aim of the project", "h3", "md-aim-of-the-project"),
        ("## Run charts", "h4", "md-run-charts"),
        ('<h2 id="results">Results</h2>', "h2", "md-results"),
    ],
)
def test_headings_get_prefixed_ids(markdown_text, tag, heading_id):
    found = assert_safe(render(markdown_text))
    assert found.elements(tag) == [{"id": heading_id}]


@pytest.mark.parametrize(
    "markdown_text, href",
    [
        ("[NHS Inform](https://www.nhsinform.scot/)", "https://www.nhsinform.scot/"),
        ("[old site](http://example.org/page?a=1&b=2)", "http://example.org/page?a=1&b=2"),
        ("<https://www.gov.scot/>", "https://www.gov.scot/"),
        ("[email us](mailto:qi@example.org)", "mailto:qi@example.org"),
        ("[project](/projects/valproate)", "/projects/valproate"),
        ("[notes](notes/aim.md)", "notes/aim.md"),
        ("[see aim](#md-aim)", "#md-aim"),
        ("[ref][r]\n\n[r]: https://example.org/ref", "https://example.org/ref"),
    ],
)
def test_ordinary_links_survive(markdown_text, href):
    found = assert_safe(render(markdown_text))
    (link,) = found.elements("a")
    assert link["href"] == href
    assert set(link["rel"].split()) >= {"nofollow", "noopener"}


def test_images_and_inline_formatting_survive():
    found = assert_safe(
        render('**bold** and *em*\n\n> a quote\n\n![Run chart](https://example.org/c.png "Chart")')
    )
    assert found.elements("img") == [
        {"alt": "Run chart", "src": "https://example.org/c.png", "title": "Chart"}
    ]
    assert found.elements("strong") and found.elements("em") and found.elements("blockquote")


def test_safe_raw_html_survives():
    found = assert_safe(render('<abbr title="General practitioner">GP</abbr> H<sub>2</sub>O'))
    assert found.elements("abbr") == [{"title": "General practitioner"}]
    assert found.elements("sub") == [{}]


# --- The checker itself must be able to fail ----------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<p style="color:red">x</p>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="\x01JavaScript:alert(1)">x</a>',
        '<img src="data:image/png;base64,AAAA">',
        '<a href="https://example.org">no rel</a>',
        '<a href="https://example.org" rel="nofollow">half rel</a>',
        '<h2 id="location">clobber</h2>',
        "<div>not allowed</div>",
        "<!-- comment -->",
    ],
)
def test_checker_rejects_unsafe_html(html):
    with pytest.raises(AssertionError):
        assert_safe(html)


# --- Big List of Naughty Strings ------------------------------------------------------------


def _blns() -> list[str]:
    return json.loads(BLNS_PATH.read_text(encoding="utf-8"))


def test_blns_corpus_is_present():
    strings = _blns()
    assert len(strings) > 500 and all(isinstance(s, str) for s in strings)
    assert (BLNS_PATH.parent / "LICENSE").is_file()


@pytest.mark.parametrize(
    "naughty", [pytest.param(s, id=f"blns-{i:03d}") for i, s in enumerate(_blns())]
)
def test_blns_string_renders_safely(naughty):
    assert_safe(render(naughty))
