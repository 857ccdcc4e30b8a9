"""The rules every route enforces, stated once in the served OpenAPI document.

Some rules hold for the whole API rather than one model: no text may carry NUL (U+0000), a
body may not pass the size limit, and any parameter or body the document describes can be
refused with a 422 problem naming what was wrong. Writing them into each model and route by hand
would drift; this walks the document FastAPI builds and says them where they apply, so that a
client generated from it (or a conformance tester) expects exactly what the service does.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from app.models.common import Problem

NO_NUL_PATTERN = "^[^\\u0000]*$"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
#: Keywords that already pin a string's characters down.
_SHAPED = ("pattern", "format", "enum", "const", "contentMediaType")


def stated_openapi(app: FastAPI) -> dict[str, Any]:
    cached = app.openapi_schema
    document = FastAPI.openapi(app)
    if cached is None:
        state_rules(document)
    return document


def state_rules(document: dict[str, Any]) -> None:
    components = document.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Problem", Problem.model_json_schema())
    inputs: set[str] = set()
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    for path_item in document.get("paths", {}).values():
        for method in _METHODS:
            operation = path_item.get(method)
            if operation is None:
                continue
            for parameter in operation.get("parameters", []):
                parameter["schema"] = _without_null(parameter.get("schema", {}))
                _forbid_nul(parameter["schema"], components, inputs)
                if parameter.get("name") == "If-Match":
                    # Optional to the framework so that its absence gets 428 naming the rule.
                    parameter["required"] = True
            body = operation.get("requestBody")
            for media in (body or {}).get("content", {}).values():
                _forbid_nul(media.get("schema", {}), components, inputs)
            responses = operation.setdefault("responses", {})
            framework_422 = "HTTPValidationError" in str(responses.get("422", ""))
            if (operation.get("parameters") or body) and ("422" not in responses or framework_422):
                # Validation errors are problem details too, not the framework's own shape.
                responses["422"] = {"description": "The request is invalid", "content": _PROBLEM_CONTENT}
            if body:
                responses.setdefault(
                    "413",
                    {
                        "description": "The body is larger than the service reads (NEXTDESK_MAX_BODY_BYTES)",
                        "content": _PROBLEM_CONTENT,
                    },
                )


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A parameter is absent or a value: on the wire it is never null, so its schema does not say so."""
    options = schema.get("anyOf")
    if isinstance(options, list) and len(options) == 2 and {"type": "null"} in options:
        value = next(option for option in options if option != {"type": "null"})
        rest = {key: item for key, item in schema.items() if key != "anyOf"}
        return {**value, **rest}
    return schema


def _forbid_nul(schema: Any, components: dict[str, Any], seen: set[str]) -> None:
    """Give every free-text string reachable from a request a pattern that leaves NUL out."""
    if isinstance(schema, list):
        for item in schema:
            _forbid_nul(item, components, seen)
        return
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[1]
        if name not in seen:
            seen.add(name)
            _forbid_nul(components.get(name), components, seen)
        return
    if schema.get("type") == "string" and not any(key in schema for key in _SHAPED):
        schema["pattern"] = NO_NUL_PATTERN
    for key, value in schema.items():
        if key in ("properties", "patternProperties", "$defs"):
            for sub in value.values():
                _forbid_nul(sub, components, seen)
        elif key in ("items", "additionalProperties", "not", "anyOf", "oneOf", "allOf", "prefixItems"):
            _forbid_nul(value, components, seen)
