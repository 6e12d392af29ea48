"""A small structural reader for the HTML reports, on the standard library's html.parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"meta", "br", "input", "img", "link", "hr", "rect", "circle", "path"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None
    children: list[Element] = field(default_factory=list)
    content: list[str | Element] = field(default_factory=list)  # text and children in document order

    @property
    def text(self) -> str:
        return " ".join(" ".join(p if isinstance(p, str) else p.text for p in self.content).split())

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        found: list[Element] = []
        for child in self.children:
            if child.tag == tag and all(attr_match(child, k, v) for k, v in attrs.items()):
                found.append(child)
            found.extend(child.find_all(tag, **attrs))
        return found

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


def attr_match(element: Element, key: str, value: str) -> bool:
    if key == "class_":
        return value in element.classes()
    return element.attrs.get(key) == value


class Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root
        self.order: list[Element] = []  # every element in document order
        self.doctype: str | None = None
        self.mismatched: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        self.current.content.append(element)
        self.order.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        self.current.content.append(element)
        self.order.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.current.tag != tag:
            self.mismatched.append(f"</{tag}> closes <{self.current.tag}>")
            return
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.content.append(data)


def parse(html: str) -> Reader:
    reader = Reader()
    reader.feed(html)
    reader.close()
    return reader
