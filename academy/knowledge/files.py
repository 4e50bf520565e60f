"""The article file format: ``articles/<slug>.<lang>.md``, YAML front matter and a
Markdown body (DESIGN.md section 4). Parsing reports every problem with its line;
writing produces files that parse back to the same article. Pure: no database.

Front matter fields: ``title`` and ``kind`` are required; ``product``, ``tags``,
``summary``, ``requires_acknowledgement``, ``new_offering`` (a product customers can
newly buy, listed under "New offerings"), ``owner`` (an e-mail), ``verify_every_days``
and ``major`` (the change is a major update: readers are told again) are optional.
An unknown field is an error, so a misspelt flag never silently does nothing.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from academy.config import LANGUAGES
from academy.content_errors import ContentProblem

KINDS = ("product", "policy", "guide")
FILE_NAME = re.compile(r"^(?P<slug>[^.]+)\.(?P<lang>[^.]+)\.md$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
KNOWN_FIELDS = ("title", "kind", "product", "tags", "summary", "requires_acknowledgement", "new_offering",
                "owner", "verify_every_days", "major")
DEFAULT_VERIFY_DAYS = 180


@dataclass
class ArticleFile:
    path: str
    slug: str
    lang: str
    title: str
    kind: str
    body: str
    product: str = ""
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    requires_acknowledgement: bool = False
    new_offering: bool = False
    owner: str | None = None
    owner_line: int = 1
    verify_every_days: int = DEFAULT_VERIFY_DAYS
    major: bool = False
    digest: str = ""


def _split_front_matter(text: str, path: str, problems: list) -> tuple[str, str, int] | None:
    """Return (yaml text, body, line where the body starts) or None after a problem."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        problems.append(ContentProblem(path, 1, "no front matter: the file must start with a line '---'"))
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    problems.append(ContentProblem(path, 1, "the front matter is not closed by a line '---'"))
    return None


def _field_lines(yaml_text: str) -> dict[str, int]:
    """File line of each top-level key (the YAML starts on line 2 of the file)."""
    node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 2 for key, _value in node.value if isinstance(key, yaml.ScalarNode)}


def _bool(value, name, line, path, problems) -> bool:
    if isinstance(value, bool):
        return value
    problems.append(ContentProblem(path, line, f"'{name}' must be true or false, not {value!r}"))
    return False


def parse(path: Path, raw: bytes, shown_path: str | None = None) -> tuple[ArticleFile | None, list[ContentProblem]]:
    """Parse one article file. Returns the article or None, and every problem found."""
    shown = shown_path or str(path)
    problems: list[ContentProblem] = []
    name = FILE_NAME.match(path.name)
    if not name:
        return None, [ContentProblem(shown, 1, "the file name must be <slug>.<language>.md, e.g. refunds.en.md")]
    slug, lang = name["slug"], name["lang"]
    if not SLUG.match(slug):
        problems.append(ContentProblem(shown, 1, f"slug '{slug}' must be lower-case letters, digits and hyphens"))
    if lang not in LANGUAGES:
        problems.append(ContentProblem(shown, 1, f"unknown language '{lang}'; use one of {', '.join(LANGUAGES)}"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, problems + [ContentProblem(shown, line, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})")]
    split = _split_front_matter(text, shown, problems)
    if split is None:
        return None, problems
    yaml_text, body, body_line = split
    try:
        data = yaml.safe_load(yaml_text) or {}
        lines = _field_lines(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, problems + [ContentProblem(shown, line, f"broken front matter: {reason}")]
    if not isinstance(data, dict):
        return None, problems + [ContentProblem(shown, 2, "the front matter must be 'key: value' lines")]

    def line_of(key: str) -> int:
        return lines.get(key, 2)

    for key in data:
        if key not in KNOWN_FIELDS:
            problems.append(ContentProblem(shown, line_of(key),
                                           f"unknown field '{key}'; known fields: {', '.join(KNOWN_FIELDS)}"))
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(ContentProblem(shown, line_of("title"), "'title' is required"))
    kind = data.get("kind")
    if kind not in KINDS:
        problems.append(ContentProblem(shown, line_of("kind"),
                                       f"unknown kind {kind!r}; use one of {', '.join(KINDS)}" if kind
                                       else "'kind' is required (product, policy or guide)"))
    tags = data.get("tags", [])
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",")]
    if not isinstance(tags, list) or not all(isinstance(t, (str, int)) for t in tags):
        problems.append(ContentProblem(shown, line_of("tags"), "'tags' must be a list such as [refunds, billing]"))
        tags = []
    days = data.get("verify_every_days", DEFAULT_VERIFY_DAYS)
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        problems.append(ContentProblem(shown, line_of("verify_every_days"),
                                       "'verify_every_days' must be a whole number of days, at least 1"))
        days = DEFAULT_VERIFY_DAYS
    owner = data.get("owner")
    if owner is not None and not (isinstance(owner, str) and "@" in owner):
        problems.append(ContentProblem(shown, line_of("owner"), "'owner' must be the owner's e-mail address"))
    for key in ("product", "summary"):
        if key in data and not isinstance(data[key], (str, type(None))):
            problems.append(ContentProblem(shown, line_of(key), f"'{key}' must be text"))
    if not body.strip():
        problems.append(ContentProblem(shown, body_line, "the article has no text after the front matter"))
    flags = {key: _bool(data.get(key, False), key, line_of(key), shown, problems)
             for key in ("requires_acknowledgement", "new_offering", "major")}
    if problems:
        return None, problems
    return ArticleFile(
        path=shown, slug=slug, lang=lang, title=title.strip(), kind=kind, body=body.strip("\n") + "\n",
        product=(data.get("product") or "").strip(), tags=[str(t).strip() for t in tags if str(t).strip()],
        summary=(data.get("summary") or "").strip(), requires_acknowledgement=flags["requires_acknowledgement"],
        new_offering=flags["new_offering"], owner=owner.strip().lower() if owner else None,
        owner_line=line_of("owner"), verify_every_days=days, major=flags["major"],
        digest=hashlib.sha256(raw).hexdigest(),
    ), []


def dump(article: ArticleFile) -> str:
    """The file text for an article; ``parse(dump(a))`` gives back the same article."""
    meta: dict = {"title": article.title, "kind": article.kind}
    if article.product:
        meta["product"] = article.product
    if article.tags:
        meta["tags"] = list(article.tags)
    if article.summary:
        meta["summary"] = article.summary
    if article.requires_acknowledgement:
        meta["requires_acknowledgement"] = True
    if article.new_offering:
        meta["new_offering"] = True
    if article.owner:
        meta["owner"] = article.owner
    if article.verify_every_days != DEFAULT_VERIFY_DAYS:
        meta["verify_every_days"] = article.verify_every_days
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)
    return f"---\n{front}---\n{article.body.strip(chr(10))}\n"
