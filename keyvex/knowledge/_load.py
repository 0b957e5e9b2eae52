"""Loading the knowledge base's YAML files once, validated by the schema."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import ValidationError

from keyvex.knowledge.models import (
    AssessmentBank,
    CalculatorModel,
    FactBank,
    OutcomeSet,
    Vocabulary,
)

#: libyaml's safe loader when PyYAML was built with it (about 10x faster), else the pure one.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FOLDERS: dict[str, type[Any]] = {
    "calculators": CalculatorModel,
    "assessments": AssessmentBank,
    "outcomes": OutcomeSet,
    "facts": FactBank,
}


class KnowledgeError(ValueError):
    """A knowledge-base file that does not load; the message names the file and field."""


@dataclass(frozen=True)
class KnowledgeBase:
    calculators: tuple[CalculatorModel, ...]
    assessments: tuple[AssessmentBank, ...]
    outcomes: tuple[OutcomeSet, ...]
    facts: tuple[FactBank, ...]
    vocabulary: Vocabulary

    def entries(self) -> tuple[CalculatorModel | AssessmentBank | OutcomeSet | FactBank, ...]:
        return (*self.calculators, *self.assessments, *self.outcomes, *self.facts)

    def get(self, entry_id: str) -> CalculatorModel | AssessmentBank | OutcomeSet | FactBank:
        for entry in self.entries():
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)


def _read(path: Any) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)  # a safe loader
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path.name}: not valid YAML: {exc}") from exc


def _parse(model: type[Any], path: Any) -> Any:
    try:
        return model.model_validate(_read(path))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(document)"
        raise KnowledgeError(f"{path.name}: {where}: {first['msg']}") from exc


def _folder(name: str) -> list[Any]:
    root = resources.files("keyvex.knowledge").joinpath("data", name)
    files = sorted(
        (p for p in root.iterdir() if p.name.endswith((".yaml", ".yml"))), key=lambda p: p.name
    )
    return [_parse(FOLDERS[name], path) for path in files]


@cache
def knowledge_base() -> KnowledgeBase:
    """Every entry, loaded and validated once per process (KnowledgeError names a bad file)."""
    vocab = resources.files("keyvex.knowledge").joinpath("data", "vocabulary", "industries.yaml")
    kb = KnowledgeBase(
        calculators=tuple(_folder("calculators")),
        assessments=tuple(_folder("assessments")),
        outcomes=tuple(_folder("outcomes")),
        facts=tuple(_folder("facts")),
        vocabulary=_parse(Vocabulary, vocab),
    )
    ids = [e.id for e in kb.entries()]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise KnowledgeError(f"entry ids used twice: {', '.join(duplicates)}")
    known = {i.id for i in kb.vocabulary.industries}
    for model in kb.calculators:
        for variant in model.variants:
            unknown = sorted(set(variant.industries) - known)
            if unknown:
                where = f"{model.id}/{variant.id}"
                raise KnowledgeError(f"{where}: unknown industries {', '.join(unknown)}")
    return kb
