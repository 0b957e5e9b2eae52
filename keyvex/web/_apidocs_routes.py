"""Human-readable API reference at /api/docs, rendered on the server from the OpenAPI schema.

Swagger UI and ReDoc load scripts from CDNs and run inline scripts, which our CSP forbids;
this page needs neither. The machine-readable schema stays at /api/openapi.json.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from keyvex.web.deps import OptionalUser
from keyvex.web.templating import render

router = APIRouter()
_METHODS = ("get", "post", "put", "patch", "delete")


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    operations = []
    for path, item in schema.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "description": p.get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "body": body.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
                    or ("JSON object" if body else ""),
                    "responses": sorted(op.get("responses", {})),
                    "returns": _returns(op),
                }
            )
    return operations


def _returns(op: dict[str, Any]) -> str:
    """'200: ToolOut' or '200: text/csv': what a successful call answers with."""
    for code, response in sorted(op.get("responses", {}).items()):
        if not code.startswith("2"):
            continue
        for media, body in response.get("content", {}).items():
            ref = body.get("schema", {}).get("$ref", "")
            return f"{code}: {ref.rsplit('/', 1)[-1] if ref else media}"
        return f"{code}: no body"
    return ""


@router.get("/api/docs", include_in_schema=False)
async def api_docs(request: Request, user: OptionalUser) -> Response:
    """Public, like the schema; a signed-in creator sees their own header (``user`` resolves
    the session so the page knows it)."""
    schema = request.app.openapi()
    return render(
        request,
        "api_docs.html",
        {"operations": _operations(schema), "api_version": schema.get("info", {}).get("version")},
    )
