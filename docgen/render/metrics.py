"""What layout decisions need to know about a template: its page and its styles' numbers.

Every value is read from the template (following base styles, then the document defaults), so an
office that changes a style in Word changes what docgen computes. Lengths in twips.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from docx.enum.section import WD_ORIENT

from docgen.render import ooxml
from docgen.textchars import width

#: Character widths (in characters) met so far.
_WIDTHS: dict[str, float] = {}


@dataclass(frozen=True)
class Spacing:
    """A paragraph style's vertical numbers: space before and after, line height (exact)."""

    before: int
    after: int
    line: int


class Metrics:
    """Page and style numbers of one opened template (a python-docx document)."""

    def __init__(self, document):
        self.document = document
        self.section = document.sections[0]._sectPr
        self.width = ooxml.text_width(self.section)
        self.height = ooxml.text_height(self.section)
        #: The template's landscape section (for wide tables); the main one turned if it has none.
        self.landscape = next((s._sectPr for s in document.sections if s.orientation == WD_ORIENT.LANDSCAPE),
                              None)
        if self.landscape is None:
            self.landscape = ooxml.landscape(self.section)

        #: Styles by name, and their ids: python-docx finds a style by name with an XPath search.
        self.styles = {s.name: s for s in document.styles}
        self.style_ids = {name: s.style_id for name, s in self.styles.items()}

    def _inherited(self, name: str, read):
        style = self.styles[name]
        while style is not None:
            value = read(style)
            if value is not None:
                return value
            style = style.base_style
        return None

    @cache
    def size(self, name: str) -> int:
        """The font size of style `name`."""
        found = self._inherited(name, lambda s: s.font.size)
        return round(found.pt * 20) if found is not None else ooxml.default_font_size(self.document.styles.element)

    @cache
    def indent(self, name: str) -> int:
        """The right indent of style `name`."""
        found = self._inherited(name, lambda s: s.paragraph_format.right_indent)
        return round(found.pt * 20) if found is not None else 0

    @cache
    def spacing(self, name: str) -> Spacing:
        def twips(read) -> int:
            found = self._inherited(name, read)
            return round(found.pt * 20) if found is not None and hasattr(found, "pt") else 0

        line = twips(lambda s: s.paragraph_format.line_spacing)
        return Spacing(twips(lambda s: s.paragraph_format.space_before), twips(lambda s: s.paragraph_format.space_after),
                       line or round(self.size(name) * 1.2))

    @cache
    def line_width(self, name: str) -> tuple[int, int]:
        """The width of the first line and of the other lines of a paragraph in style `name`."""
        def twips(read) -> int:
            found = self._inherited(name, read)
            return round(found.pt * 20) if found is not None else 0

        rest = self.width - twips(lambda s: s.paragraph_format.left_indent) - twips(
            lambda s: s.paragraph_format.right_indent)
        return rest - twips(lambda s: s.paragraph_format.first_line_indent), rest

    @cache
    def advance(self, name: str) -> int:
        """How far one full-width character of style `name` moves the pen (size plus spacing)."""
        spacing = self._inherited(name, lambda s: ooxml.character_spacing(s.element))
        return self.size(name) + (spacing or 0)

    def lines(self, text: str, name: str) -> int:
        """How many lines `text` takes in style `name` (closing punctuation may hang at a line's end)."""
        first, rest = self.line_width(name)
        unit = self.advance(name)
        count, room = 1, first
        widths = _WIDTHS  # a notice's first page is estimated per character: one dict lookup each
        for ch in text:
            w = widths.get(ch)
            if w is None:
                w = widths[ch] = width(ch)
            need = w * unit
            if need > room and not (ch in "，。、；：！？）》”’" and room >= 0):
                count, room = count + 1, rest
            room -= need
        return count

    @cache
    def border_below(self, name: str) -> int:
        """Room taken by the bottom border of style `name` (its distance from the text and width)."""
        found = self._inherited(name, lambda s: ooxml.bottom_border(s.element))
        return found or 0
