"""A text prepared once per scan and shared by every detector.

Identifier detectors read ``original``; lexicon and classifier detectors read ``normalised``
and map their spans back with ``to_original`` so highlights land on what the author typed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PreparedText:
    """The original text, its normalised copy, and the map between their offsets.

    ``offsets[i]`` is the index in ``original`` of the character that produced
    ``normalised[i]``; it has one extra trailing entry equal to ``len(original)`` so an
    exclusive end offset maps too.
    """

    original: str
    normalised: str
    offsets: tuple[int, ...]
    lang: str

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``normalised`` back to ``original``."""
        if end <= start:
            pos = self.offsets[start]
            return pos, pos
        first = self.offsets[start]
        last = self.offsets[end - 1]
        # The last normalised char may come from a multi-char original run (e.g. "aaa" -> "a");
        # extend to the start of the next produced char so the whole run is covered.
        nxt = self.offsets[end] if end < len(self.offsets) else len(self.original)
        return first, max(last + 1, nxt if nxt > last else last + 1)
