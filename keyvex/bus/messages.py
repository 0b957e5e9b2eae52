"""The messages the bus carries: typed, small, and the same in every process."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from keyvex.caches import CacheSpec


class Invalidate(BaseModel):
    """Drop ``key`` from the shared cache named ``cache`` in every process."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["invalidate"] = "invalidate"
    cache: str
    key: str

    @classmethod
    def of(cls, spec: CacheSpec[str, Any], key: str) -> Invalidate:
        return cls(cache=spec.name, key=key)


class Appended(BaseModel):
    """Co-creation session ``sid`` has event ``seq`` in its store log: streams wake up and
    read the log (the log stays the truth; this only says when to look)."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["appended"] = "appended"
    sid: str
    seq: int


class Reset(BaseModel):
    """Delivered in this process only: the bus (re)connected, so messages from other
    processes may have been missed. Shared caches are cleared, streams re-read their logs."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["reset"] = "reset"


Message = Invalidate | Appended | Reset
#: What may arrive from another process (Reset never travels).
Remote = Annotated[Invalidate | Appended, Field(discriminator="kind")]
REMOTE: TypeAdapter[Invalidate | Appended] = TypeAdapter(Remote)
