"""Logic and check functions: IFERROR, IFNA, XOR, SWITCH, ISNUMBER, ISTEXT, ISERROR, LET."""

from __future__ import annotations

from ._family import Family

FAMILY = Family(arities={})
