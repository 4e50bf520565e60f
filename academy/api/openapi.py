"""The OpenAPI 3.1 document for /api/v1. Each endpoint is described once here; a test
checks that every API route appears in it."""
from __future__ import annotations

ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": ["string", "null"]},
            },
            "required": ["code", "message", "field"],
        }
    },
}

PATHS = {
    "/me": {
        "get": {
            "summary": "The account the token belongs to",
            "responses": {
                "200": {
                    "description": "The caller",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Me"}}},
                },
                "401": {"$ref": "#/components/responses/Unauthorized"},
            },
        }
    },
    "/openapi.json": {
        "get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI 3.1"}}}
    },
}

SCHEMAS = {
    "Error": ERROR,
    "Me": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "email": {"type": "string"},
            "name": {"type": "string"},
            "role": {"enum": ["specialist", "trainer", "supervisor", "admin"]},
            "language": {"enum": ["en", "cs", "de", "lt", "et"]},
            "cohort": {"type": ["string", "null"]},
            "hired_at": {"type": ["string", "null"], "format": "date"},
            "first_contact_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
}


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Academy API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
            "responses": {
                "Unauthorized": {
                    "description": "No valid token",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
        },
    }
