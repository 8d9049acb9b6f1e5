"""Classifier detectors: whole-text findings when a model's calibrated probability passes its threshold.

Models load lazily on the first text, once per process. A task whose model may not run for the
text's language (non-commercial data switched off, or not installed) produces no finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from juru.scan.findings import Finding, ScanContext
from juru.scan.licensing import noncommercial_enabled
from juru.scan.registry import DetectorSpec

if TYPE_CHECKING:
    from juru.rules.config import OrgConfig
    from juru.scan.text import PreparedText

ENTITIES = {
    "sentiment": "NEGATIVE_SENTIMENT",
    "emotion": "ANGER",
    "abusive": "ABUSIVE",
    "hate": "HATE",
}


class ClassifierDetector:
    """Runs one task's model (Indonesian or English by the text's language) over the whole text."""

    __slots__ = ("name", "noncommercial", "task")

    def __init__(self, task: str, noncommercial: bool) -> None:
        self.task = task
        self.noncommercial = noncommercial
        self.name = f"classifier.{task}"

    def detect(self, text: PreparedText, context: ScanContext) -> Iterable[Finding]:
        """One finding spanning the text when the task's score reaches the model's threshold."""
        from juru.scan.classify import UnavailableError, classify

        if not text.original.strip():
            return []
        try:
            prediction = classify(self.task, text.original, text.lang or context.lang or "id", self.noncommercial)
        except UnavailableError:
            return []
        if not prediction.flagged:
            return []
        explanation = {"model": prediction.model, "lang": prediction.lang, "threshold": round(prediction.threshold, 4)}
        return [Finding(self.name, ENTITIES[self.task], 0, len(text.original), prediction.score, explanation)]


def _factory(task: str) -> Callable[[OrgConfig], ClassifierDetector]:
    def build(config: OrgConfig) -> ClassifierDetector:
        # The switch is read when the detector is built: a scanner's own setting wins over the environment.
        return ClassifierDetector(task, noncommercial_enabled())

    return build


SPECS: list[DetectorSpec] = [
    DetectorSpec(
        name=f"classifier.{task}",
        factory=_factory(task),
        entities=(entity,),
        classifier=True,
        # Mixed: the English models are permissive, the Indonesian abusive/hate and English sentiment
        # models are not; the runtime skips those when JURU_NONCOMMERCIAL_MODELS is off.
        noncommercial=False,
    )
    for task, entity in ENTITIES.items()
]
