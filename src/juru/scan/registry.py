"""One registry for detectors: built-ins register here exactly as third-party plugins do.

A plugin package exposes an entry point in the ``juru.detectors`` group that points at a
callable ``register(registry)``; built-ins are registered by ``juru.scan.builtin``.

Detectors that share their work (the ten ``pii.*`` detectors read one pass over the text) may
also carry a ``group`` attribute: a ``DetectorGroup`` whose ``detect_group`` returns the findings
of every detector in the group at once. The scanner then calls the group once per text instead
of each detector; ``detect`` must still give the same findings on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Protocol

from juru.scan.findings import Finding, ScanContext

if TYPE_CHECKING:
    from juru.rules.config import OrgConfig
    from juru.scan.text import PreparedText


class Detector(Protocol):
    """Finds things in a prepared text. Must be pure and thread-safe after construction."""

    name: str

    def detect(self, text: PreparedText, context: ScanContext) -> Iterable[Finding]:
        """Return findings with offsets into ``text.original``."""
        ...


class DetectorGroup(Protocol):
    """The shared work of several detectors (optional ``group`` attribute of a detector)."""

    def detect_group(self, text: PreparedText, context: ScanContext) -> Mapping[str, Sequence[Finding]]:
        """Findings by detector name, each list as that detector's ``detect`` gives it (no finding: may be absent)."""
        ...


DetectorFactory = Callable[["OrgConfig"], Detector]


@dataclass(frozen=True, slots=True)
class DetectorSpec:
    """A registered detector: its id, the entities it emits, whether it is a (slow) classifier."""

    name: str
    factory: DetectorFactory
    entities: tuple[str, ...] = ()
    classifier: bool = False
    noncommercial: bool = False


class DetectorRegistry:
    """Holds detector specs by name; duplicate names are an error, not a silent override."""

    def __init__(self) -> None:
        self._specs: dict[str, DetectorSpec] = {}

    def register(self, spec: DetectorSpec) -> None:
        """Add a detector spec; raises ``ValueError`` if the name is taken."""
        if spec.name in self._specs:
            raise ValueError(f"detector {spec.name!r} is already registered")
        self._specs[spec.name] = spec

    def specs(self) -> list[DetectorSpec]:
        """All registered specs in registration order."""
        return list(self._specs.values())

    def get(self, name: str) -> DetectorSpec:
        """The spec called ``name``; ``KeyError`` if unknown."""
        return self._specs[name]


def default_registry() -> DetectorRegistry:
    """A registry holding the built-in detectors plus every installed plugin."""
    from juru.scan import builtin

    registry = DetectorRegistry()
    builtin.register(registry)
    for entry in entry_points(group="juru.detectors"):
        entry.load()(registry)
    return registry
