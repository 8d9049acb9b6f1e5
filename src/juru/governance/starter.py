"""The starting point of a new organisation's governance: the bilingual policy template and training modules."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from juru.governance import quiz, render

CONTENT = resources.files("juru.governance") / "content"


@dataclass(frozen=True)
class StarterModule:
    """A training module as shipped: texts in both languages, its quiz and the roles that need it."""

    code: str
    title_id: str
    title_en: str
    body_id: str
    body_en: str
    quiz: list[dict[str, Any]]
    pass_score: int
    valid_days: int | None
    roles: tuple[str, ...]


def policy_text(organisation_name: str, lang: str) -> str:
    """The policy template in ``lang`` ("id" or "en") with the organisation's name filled in."""
    code = "en" if lang.startswith("en") else "id"
    template = (CONTENT / f"policy.{code}.md").read_text(encoding="utf-8")
    return template.replace("{organisation}", organisation_name)


@cache
def modules() -> tuple[StarterModule, ...]:
    """The shipped training modules, their quizzes checked against their texts."""
    data = yaml.safe_load((CONTENT / "modules.yaml").read_text(encoding="utf-8"))
    out = []
    for item in data:
        body_id, body_en = item["body"]["id"], item["body"]["en"]
        quiz.validate(item["quiz"], min(len(render.sections(body_id)), len(render.sections(body_en))))
        out.append(
            StarterModule(
                code=item["code"],
                title_id=item["title"]["id"],
                title_en=item["title"]["en"],
                body_id=body_id,
                body_en=body_en,
                quiz=item["quiz"],
                pass_score=item["pass_score"],
                valid_days=item["valid_days"],
                roles=tuple(item["roles"]),
            )
        )
    return tuple(out)
