"""Safe YAML reading for packs, organisation files, lexicons and vocabularies, in one place.

libyaml's safe loader, when PyYAML was built with it, reads the same data about three times
faster than the pure-Python one; start-up of ``juru scan`` reads every pack and lexicon.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """The data in ``text`` (plain YAML types only); raises ``yaml.YAMLError`` on bad input."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader, C or Python)
