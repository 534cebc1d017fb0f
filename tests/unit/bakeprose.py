"""The prose of a baked page as a reader meets it: the text of <p>, <li> and headings inside <main>,
leaving out tables, citations, source lines, figures and the footer (stdlib html.parser only)."""

from __future__ import annotations

from html.parser import HTMLParser

PROSE = {"p", "li", "h1", "h2", "h3", "h4"}
SKIP = {"table", "cite", "figure", "figcaption", "footer", "svg", "nav", "header", "style"}
VOID = {"meta", "link", "br", "img", "input", "hr", "path"}


class Prose(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.in_main = 0
        self.skip = 0
        self.blocks: list[str] = []
        self.current: list[str] | None = None
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.stack.append(tag)
        if tag == "main":
            self.in_main += 1
        if tag in SKIP or "src" in classes:
            self.skip += 1
            self.stack[-1] = f"{tag}!"
        elif self.in_main and not self.skip and tag in PROSE and self.current is None:
            self.current = []
            self.depth = len(self.stack)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self.stack:
            return
        top = self.stack.pop()
        if top.endswith("!"):
            self.skip -= 1
        if top == "main":
            self.in_main -= 1
        if self.current is not None and len(self.stack) < self.depth:
            text = " ".join("".join(self.current).split())
            if text:
                self.blocks.append(text)
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current is not None and not self.skip:
            self.current.append(data)


def prose_blocks(html: str) -> list[str]:
    parser = Prose()
    parser.feed(html)
    return parser.blocks


def prose(html: str) -> str:
    """Blocks joined as sentences (a heading or list item without a full stop ends one)."""
    return " ".join(b if b[-1] in ".?!:" else f"{b}." for b in prose_blocks(html))
