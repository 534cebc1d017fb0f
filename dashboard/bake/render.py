"""HTML from page data: Jinja2 with autoescaping on (every CSV text is escaped), glossary links
added to the prose after escaping, the one inline style sheet, and the tags that let a page be
found and shared (canonical URL, Open Graph, Twitter card)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from dashboard import wording
from dashboard.bake.pages import Page
from dashboard.glossary import TERMS, Term
from dashboard.settings import NOT_DECLARED, Settings

TEMPLATES = Path(__file__).resolve().parent / "templates"
GLOSSARY_FILE = "glossary.html"
SITE_NAME = "Ketamine for depression, in plain words"


def term_words(term: Term) -> tuple[str, ...]:
    """The words of a glossary entry that a page's prose may use ("NNT", "placebo", "esketamine")."""
    words: list[str] = []
    for inside in re.findall(r"\(([^)]*)\)", term.term):
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", inside) and inside.isupper():
            words.append(inside)
    bare = re.sub(r"\s*\([^)]*\)", "", term.term)
    for part in re.split(r",\s*|\s+and\s+|\s+or\s+", bare):
        part = part.strip()
        if part:
            words.append(part)
    return tuple(dict.fromkeys(words))


WORDS: tuple[tuple[str, str], ...] = tuple(
    sorted(((w, t.anchor) for t in TERMS for w in term_words(t)), key=lambda pair: -len(pair[0]))
)
"""(word, anchor), longest first, so "racemic ketamine" wins over a shorter word inside it."""
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(w) for w, _ in WORDS) + r")\b", re.IGNORECASE)
_ANCHOR = {w.lower(): a for w, a in WORDS}


@dataclass
class Linker:
    """Links the first use of each glossary word on a page to its definition."""

    target: str = GLOSSARY_FILE
    linked: set[str] = field(default_factory=set)

    def __call__(self, text: object) -> Markup:
        safe = str(escape(str(text)))

        def swap(match: re.Match[str]) -> str:
            anchor = _ANCHOR[match.group(1).lower()]
            if anchor in self.linked:
                return match.group(0)
            self.linked.add(anchor)
            return f'<a href="{self.target}#{anchor}">{match.group(0)}</a>'

        return Markup(_PATTERN.sub(swap, safe))  # noqa: S704 - escaped above; only constant links added


@pass_context
def _gloss(context: Context, text: object) -> Markup:
    linker: Linker | None = context.get("linker")
    return linker(text) if linker is not None else escape(str(text))


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["gloss"] = _gloss
    return env


def page_url(settings: Settings, file: str) -> str:
    """The page's canonical address: absolute under DASHBOARD_SITE_URL, else relative."""
    name = "" if file == "index.html" else file
    return f"{settings.site_url}/{name}" if settings.site_url else (name or "./")


@dataclass(frozen=True)
class Footer:
    notice: str
    evidence: str
    producer: str
    funding: str
    update_policy: str


def footer(settings: Settings, as_of: str | None, version: str) -> Footer:
    return Footer(
        wording.NOTICE,
        wording.evidence_date(as_of, version),
        settings.producer or NOT_DECLARED,
        settings.funding or NOT_DECLARED,
        settings.update_policy or NOT_DECLARED,
    )


def render_page(env: Environment, page: Page, pages: list[Page], settings: Settings, foot: Footer) -> str:
    linker = Linker(target="" if page.slug == "glossary" else GLOSSARY_FILE)
    if page.slug == "glossary":
        linker.linked.update(t.anchor for t in TERMS)  # the page is the definitions themselves
    return env.get_template("page.html").render(
        page=page,
        pages=pages,
        site_name=SITE_NAME,
        canonical=page_url(settings, page.file),
        settings=settings,
        footer=foot,
        notice_plain=wording.NOTICE_PLAIN,
        linker=linker,
    )


def render_sitemap(env: Environment, pages: list[Page], settings: Settings, as_of: str | None) -> str:
    return env.get_template("sitemap.xml").render(urls=[page_url(settings, p.file) for p in pages], as_of=as_of)


def render_robots(settings: Settings) -> str:
    """Everything may be read but the interactive app when it lives under its own path on this site:
    its pages are an empty shell until a script runs, and the baked pages say the same in words."""
    lines = ["User-agent: *", "Allow: /"]
    if settings.app_base.startswith("/") and settings.app_base != "/":
        lines.append(f"Disallow: {settings.app_base}")
    if settings.site_url:
        lines.append(f"Sitemap: {settings.site_url}/sitemap.xml")
    return "\n".join(lines) + "\n"
