"""How much one scan accepts and reports: the bounds that keep a single request from pinning a CPU.

The web and API layers import these constants so a request over the limit is refused with the
same number that the Python API enforces. This module imports nothing from the rest of Juru.
"""

from __future__ import annotations

# The longest text one scan accepts, in Python code points (about 14 full-length long-form posts).
MAX_TEXT_CHARS = 20_000
# Only this prefix of a text goes to the statistical language model (the word count reads all of it).
LANG_SAMPLE_CHARS = 2_000
# At most this many hits and findings are reported per scan; the verdict still counts all of them.
MAX_REPORTED_HITS = 100
MAX_REPORTED_FINDINGS = 200


class TextTooLongError(ValueError):
    """A text is longer than ``limit`` characters; ``length`` is how long it was."""

    def __init__(self, length: int, limit: int = MAX_TEXT_CHARS) -> None:
        super().__init__(f"the text is too long: {length} characters (the limit is {limit})")
        self.length = length
        self.limit = limit
