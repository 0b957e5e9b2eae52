"""Lookup functions over data tables and lists: VLOOKUP, INDEX, MATCH, XLOOKUP."""

from __future__ import annotations

from ._family import MORE_SCRIPT, Family

FAMILY = Family(arities={}, script=MORE_SCRIPT)
