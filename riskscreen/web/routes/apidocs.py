"""/api/docs: the API reference rendered from the OpenAPI document, with no external scripts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from riskscreen.web.context import service

router = APIRouter()


@router.get("/api/docs")
def api_docs(request: Request) -> Response:
    spec: dict[str, Any] = request.app.openapi()
    operations = []
    for path, methods in spec.get("paths", {}).items():
        for method, operation in methods.items():
            params = [{"name": p["name"], "where": p["in"], "required": p.get("required", False),
                       "description": p.get("description", "")}
                      for p in operation.get("parameters", [])]
            operations.append({"method": method.upper(), "path": path,
                               "summary": operation.get("summary", ""),
                               "description": operation.get("description", ""),
                               "params": params, "body": "requestBody" in operation,
                               "id": operation.get("operationId", f"{method}-{path}")})
    return service(request).pages.render(request, "api_docs.html", title="API reference",
                                         operations=operations, version=spec["info"]["version"])


@router.get("/accessibility")
def accessibility(request: Request) -> Response:
    return service(request).pages.render(request, "accessibility.html",
                                         title="Accessibility statement")
