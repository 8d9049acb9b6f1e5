"""Policy and training texts: Markdown to sanitised HTML, their sections, and diffs between versions.

Sections are the ``##`` headings, numbered from 1 in order; the number (not the heading text) is how
a quiz question names the section it tests, so the same number works in Indonesian and English.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "hr", "li", "ol", "p", "pre", "strong",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "h2": {"id"}}


def _parser() -> MarkdownIt:
    # Raw HTML in the source is shown as text, never passed through; nh3 then cleans the output.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def section_anchor(number: int) -> str:
    """The HTML id of the n-th section (1-based)."""
    return f"section-{number}"


def _number_sections(tokens: Sequence[Token]) -> list[str]:
    titles = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            titles.append(tokens[index + 1].content)
            token.attrSet("id", section_anchor(len(titles)))
    return titles


def to_html(source: str) -> str:
    """Sanitised HTML for a Markdown text, with ids on its sections."""
    parser = _parser()
    tokens = parser.parse(source or "")
    _number_sections(tokens)
    html = parser.renderer.render(tokens, parser.options, {})
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES)


def sections(source: str) -> list[str]:
    """The section headings of a Markdown text, in order (section n is ``sections[n - 1]``)."""
    return _number_sections(_parser().parse(source or ""))


@dataclass(frozen=True)
class DiffLine:
    """One line of a text diff: ``kind`` is ``same``, ``added`` or ``removed``."""

    kind: str
    text: str


@dataclass(frozen=True)
class ConfigChange:
    """What changed in one key of the rule configuration."""

    key: str
    added: list[str]
    removed: list[str]


def text_diff(old: str, new: str, context: int = 2) -> list[DiffLine | None]:
    """Changed lines with a little context; ``None`` marks skipped unchanged lines."""
    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    out: list[DiffLine | None] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if out:
            out.append(None)
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [DiffLine("same", line) for line in old_lines[i1:i2]]
                continue
            out += [DiffLine("removed", line) for line in old_lines[i1:i2]]
            out += [DiffLine("added", line) for line in new_lines[j1:j2]]
    return out


def config_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[ConfigChange]:
    """Per key of the rule configuration, the entries added and removed."""
    changes = []
    for key in sorted(set(old) | set(new)):
        before, after = _as_list(old.get(key)), _as_list(new.get(key))
        added = [v for v in after if v not in before]
        removed = [v for v in before if v not in after]
        if added or removed:
            changes.append(ConfigChange(key, added, removed))
    return changes


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]
