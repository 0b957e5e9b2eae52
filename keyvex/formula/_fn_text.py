"""Text functions: CONCAT, TEXTJOIN, LEFT, RIGHT, MID, ... TEXT and FIXED."""

from __future__ import annotations

from ._family import MORE_SCRIPT, Family

FAMILY = Family(arities={}, script=MORE_SCRIPT)
