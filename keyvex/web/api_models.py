"""The base of every /api/v1 response model, so the OpenAPI document names each answer's shape.

Response models declare every field the API returns today and allow more (``extra="allow"``):
a field added to a service's JSON later still reaches clients instead of being silently
dropped by the model, and the document stays a faithful minimum.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="allow")
