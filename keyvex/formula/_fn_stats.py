"""Statistics functions: MEDIAN, MODE, STDEV, VAR, PERCENTILE, ... COUNTIF(S), SUMIF(S)."""

from __future__ import annotations

from ._family import MORE_SCRIPT, Family

FAMILY = Family(arities={}, script=MORE_SCRIPT)
