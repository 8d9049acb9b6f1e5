"""What explains an alert: the words most mentions in the burst share."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from juru.scan.lang import EN_STOPWORDS, ID_STOPWORDS

_WORD = re.compile(r"[^\W\d_][\w'-]{2,}", re.UNICODE)
_NOISE = re.compile(r"https?://\S+|[@#]\w[\w.]*")
_STOP = (
    ID_STOPWORDS
    | EN_STOPWORDS
    | frozenset(
        "min admin kak gan sis bro tolong pls please udah banget gimana".split()  # noqa: SIM905
    )
)


def top_terms(texts: Iterable[str], limit: int = 8, exclude: Iterable[str] = ()) -> list[str]:
    """The words used by the most texts (each text counts a word once), stop words and handles left out."""
    skip = _STOP | {word.lower() for word in exclude}
    counts: Counter[str] = Counter()
    for text in texts:
        words = {word.lower() for word in _WORD.findall(_NOISE.sub(" ", text))}
        counts.update(word for word in words if word not in skip)
    return [word for word, count in counts.most_common(limit) if count > 1]
