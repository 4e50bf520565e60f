"""Markdown to safe HTML, done once per revision.

Python-Markdown with tables, fenced code, admonitions, footnotes and heading anchors
(plus a table of contents), and ``[[slug]]`` / ``[[slug|text]]`` links between articles.
The HTML then goes through nh3 with an allow-list, so whatever an author or an imported
file wrote (script tags, event handlers, ``javascript:`` URLs, inline styles) never
reaches a page. Pure: no database, no request.
"""
from __future__ import annotations

import html as html_module
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.inlinepatterns import InlineProcessor

WIKI_LINK = r"\[\[([a-z0-9][a-z0-9-]*)(?:\|([^\]\n]+))?\]\]"

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "li": {"id"},
    "sup": {"id"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    **{tag: {"id"} for tag in ("h1", "h2", "h3", "h4", "h5", "h6")},
    **{tag: {"class"} for tag in ("div", "p", "span", "code", "pre")},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Resolves a slug to (url, title) for the article being rendered, or None when no
# article with that slug exists.
LinkResolver = Callable[[str], "tuple[str, str] | None"]


@dataclass
class Rendered:
    html: str
    toc_html: str
    links: list[str] = field(default_factory=list)     # slugs linked with [[...]]
    missing_links: list[str] = field(default_factory=list)


class _WikiLinkProcessor(InlineProcessor):
    def __init__(self, pattern, md, resolve: LinkResolver, rendered: Rendered):
        super().__init__(pattern, md)
        self.resolve = resolve
        self.rendered = rendered

    def handleMatch(self, match, data):  # noqa: N802 (Python-Markdown's API)
        slug, text = match.group(1), match.group(2)
        target = self.resolve(slug)
        self.rendered.links.append(slug)
        if target is None:
            self.rendered.missing_links.append(slug)
            element = etree.Element("span", {"class": "kb-link kb-link--missing"})
            element.text = (text or slug).strip()
        else:
            url, title = target
            element = etree.Element("a", {"href": url, "class": "kb-link"})
            element.text = (text or title).strip()
        return element, match.start(0), match.end(0)


def _markdown(resolve: LinkResolver, rendered: Rendered) -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "admonition", "footnotes", "toc", "sane_lists"],
        extension_configs={"toc": {"permalink": "#", "permalink_title": "", "toc_depth": "2-4"}},
        output_format="html",
    )
    md.inlinePatterns.register(_WikiLinkProcessor(WIKI_LINK, md, resolve, rendered), "academy_wikilink", 175)
    return md


def sanitize(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render(body_md: str, resolve: LinkResolver = lambda slug: None) -> Rendered:
    """Render an article body; the result is safe to mark as such in templates."""
    rendered = Rendered(html="", toc_html="")
    md = _markdown(resolve, rendered)
    html = md.convert(body_md)
    rendered.html = sanitize(html)
    rendered.toc_html = sanitize(md.toc) if md.toc_tokens else ""
    return rendered


_TAG = re.compile(r"<[^>]+>")


def plain_text(html: str) -> str:
    """The readable text of rendered HTML (for search snippets and diffs of meaning)."""
    return re.sub(r"\s+", " ", html_module.unescape(_TAG.sub(" ", html))).strip()
