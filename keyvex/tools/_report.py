"""The verification report: issues with path and code, statistics and the quality score."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Issue(BaseModel):
    """One finding: where (path), what kind (code), and a sentence (message)."""

    model_config = ConfigDict(extra="forbid")

    path: str
    code: str
    message: str
    severity: Literal["error", "warning"] = "error"


class VerificationStats(BaseModel):
    model_config = ConfigDict(extra="forbid")

    samples: int = 0
    test_cases: int = 0
    test_cases_passed: int = 0
    outcomes_reached: dict[str, int] = Field(default_factory=dict)
    duration_ms: float = 0.0


class VerificationReport(BaseModel):
    """Errors block publishing; warnings are advice. ``quality`` is 0-100 (see quality_score)."""

    model_config = ConfigDict(extra="forbid")

    tool_id: str | None = None
    ok: bool
    quality: int
    errors: list[Issue] = Field(default_factory=list)
    warnings: list[Issue] = Field(default_factory=list)
    stats: VerificationStats = Field(default_factory=VerificationStats)

    def codes(self) -> set[str]:
        """Codes of all errors and warnings (handy in tests and UIs)."""
        return {i.code for i in self.errors} | {i.code for i in self.warnings}


def quality_score(errors: int, warnings: int) -> int:
    """100 - 20 per error - 5 per warning, within 0-100; any error caps it at 40.

    A tool with errors can never look better than a mediocre clean one.
    """
    score = max(0, min(100, 100 - 20 * errors - 5 * warnings))
    return min(score, 40) if errors else score
