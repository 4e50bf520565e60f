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

def _json(schema: str) -> dict:
    return {"description": schema, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


ARTICLE_SUMMARY = {
    "slug": {"type": "string"}, "lang": {"type": "string"}, "title": {"type": "string"},
    "kind": {"enum": ["product", "policy", "guide"]}, "product": {"type": "string"},
    "tags": {"type": "array", "items": {"type": "string"}}, "summary": {"type": "string"},
    "revision": {"type": "integer"}, "updated_at": {"type": "string", "format": "date-time"},
    "url": {"type": "string"},
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
    "/search": {
        "get": {
            "summary": "Search published articles, as the web search does",
            "parameters": [
                {"name": "q", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 500}},
                {"name": "lang", "in": "query", "schema": {"$ref": "#/components/schemas/Language"}},
                {"name": "kind", "in": "query", "schema": {"enum": ["product", "policy", "guide"]}},
                {"name": "product", "in": "query", "schema": {"type": "string"}},
                {"name": "tag", "in": "query", "schema": {"type": "string"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
            ],
            "responses": {"200": _json("SearchResult"), "400": {"$ref": "#/components/responses/BadRequest"},
                          "401": {"$ref": "#/components/responses/Unauthorized"}},
        }
    },
    "/articles": {
        "get": {
            "summary": "Published articles, newest first",
            "parameters": [
                {"name": "updated_since", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                {"name": "lang", "in": "query", "schema": {"$ref": "#/components/schemas/Language"}},
            ],
            "responses": {"200": _json("ArticleList"), "400": {"$ref": "#/components/responses/BadRequest"},
                          "401": {"$ref": "#/components/responses/Unauthorized"}},
        }
    },
    "/articles/{slug}": {
        "get": {
            "summary": "One article in the asked language (default: the caller's, else English); records a read",
            "parameters": [
                {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "lang", "in": "query", "schema": {"$ref": "#/components/schemas/Language"}},
            ],
            "responses": {"200": _json("Article"), "404": {"$ref": "#/components/responses/NotFound"},
                          "401": {"$ref": "#/components/responses/Unauthorized"}},
        }
    },
    "/whats-new": {
        "get": {
            "summary": "Updates the caller has not read, and pending acknowledgements; marks them as looked at",
            "responses": {"200": _json("WhatsNew"), "401": {"$ref": "#/components/responses/Unauthorized"}},
        }
    },
    "/practice/sessions": {
        "post": {
            "summary": "Start a practice conversation with a simulated customer",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["scenario"],
                "properties": {"scenario": {"type": "string", "description": "The scenario id"},
                               "lang": {"$ref": "#/components/schemas/Language"}}}}}},
            "responses": {"201": _json("PracticeSession"), "400": {"$ref": "#/components/responses/BadRequest"},
                          "401": {"$ref": "#/components/responses/Unauthorized"},
                          "404": {"$ref": "#/components/responses/NotFound"}},
        }
    },
    "/practice/sessions/{session_id}": {
        "get": {
            "summary": "A practice session: the customer's latest lines, mood, the transcript; once done the "
                       "score, pass/fail and the scorecard (after any trainer overrides)",
            "parameters": [{"name": "session_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {"200": _json("PracticeSession"), "404": {"$ref": "#/components/responses/NotFound"},
                          "401": {"$ref": "#/components/responses/Unauthorized"}},
        }
    },
    "/practice/sessions/{session_id}/messages": {
        "post": {
            "summary": "Say something to the customer; the reply has the customer's answer",
            "parameters": [{"name": "session_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["text"],
                "properties": {"text": {"type": "string", "maxLength": 5000}}}}}},
            "responses": {"200": _json("PracticeSession"), "400": {"$ref": "#/components/responses/BadRequest"},
                          "401": {"$ref": "#/components/responses/Unauthorized"},
                          "404": {"$ref": "#/components/responses/NotFound"},
                          "409": {"$ref": "#/components/responses/Conflict"}},
        }
    },
    "/practice/sessions/{session_id}/actions": {
        "post": {
            "summary": "Use the practice screen: search or open an article, escalate, hold, fill the record, end",
            "parameters": [{"name": "session_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/PracticeAction"}}}},
            "responses": {"200": _json("PracticeActionResult"), "400": {"$ref": "#/components/responses/BadRequest"},
                          "401": {"$ref": "#/components/responses/Unauthorized"},
                          "404": {"$ref": "#/components/responses/NotFound"},
                          "409": {"$ref": "#/components/responses/Conflict"}},
        }
    },
    "/openapi.json": {
        "get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI 3.1"}}}
    },
}

SCHEMAS = {
    "Error": ERROR,
    "Language": {"enum": ["en", "cs", "de", "lt", "et"]},
    "SearchResult": {
        "type": "object",
        "required": ["query", "total", "suggestion", "results"],
        "properties": {
            "query": {"type": "string"}, "total": {"type": "integer"}, "suggestion": {"type": ["string", "null"]},
            "results": {"type": "array", "items": {"type": "object", "properties": {
                "slug": {"type": "string"}, "lang": {"type": "string"}, "title": {"type": "string"},
                "kind": {"type": "string"}, "product": {"type": "string"}, "snippet": {"type": "string"},
                "score": {"type": "number"}, "url": {"type": "string"}}}},
        },
    },
    "ArticleSummary": {"type": "object", "properties": ARTICLE_SUMMARY},
    "ArticleList": {"type": "object", "properties": {
        "articles": {"type": "array", "items": {"$ref": "#/components/schemas/ArticleSummary"}}}},
    "Article": {"type": "object", "properties": {
        **ARTICLE_SUMMARY, "body_html": {"type": "string"}, "translations": {"type": "array", "items": {"type": "string"}},
        "requires_acknowledgement": {"type": "boolean"}, "needs_acknowledgement": {"type": "boolean"},
        "may_be_outdated": {"type": "boolean"}}},
    "WhatsNew": {"type": "object", "properties": {
        "since": {"type": ["string", "null"], "format": "date-time"},
        "updates": {"type": "array", "items": {"type": "object", "properties": {
            **ARTICLE_SUMMARY, "published_at": {"type": "string", "format": "date-time"},
            "is_new_offering": {"type": "boolean"}, "is_unread": {"type": "boolean"},
            "is_first_publication": {"type": "boolean"},
            "last_read_revision": {"type": ["integer", "null"]}, "needs_acknowledgement": {"type": "boolean"},
            "since_last_look": {"type": "boolean"}}}},
        "pending_acknowledgements": {"type": "array", "items": {"type": "object"}}}},
    "PracticeSession": {
        "type": "object",
        "required": ["id", "customer", "mood", "state", "done"],
        "properties": {
            "id": {"type": "integer"}, "scenario": {"type": "string"}, "lang": {"type": "string"},
            "channel": {"enum": ["phone", "chat", "email", "post", "fax", "in_person"]},
            "customer": {"type": "array", "items": {"type": "string"},
                         "description": "What the customer said in answer (on GET: since the agent's last turn)"},
            "mood": {"type": "integer", "minimum": 0, "maximum": 100, "description": "0 calm, 100 furious"},
            "patience": {"type": "integer", "minimum": 0},
            "state": {"type": "string", "description": "Where the customer is in the scenario"},
            "outcome": {"enum": ["resolved", "escalated", "customer_left", "ended_by_agent", None],
                        "description": "Set once the customer has finished; record and end the session then"},
            "done": {"type": "boolean", "description": "The agent ended the session: it is scored"},
            "score": {"type": "integer", "minimum": 0, "maximum": 100},
            "passed": {"type": "boolean"},
            "rubric": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string"}, "weight": {"type": "number"}, "critical": {"type": "boolean"},
                "met": {"type": "boolean"}, "evidence": {"type": "string"}, "hint": {"type": "string"},
                "better": {"type": "string"}}}},
            "transcript": {"type": "array", "items": {"type": "object", "properties": {
                "n": {"type": "integer"}, "speaker": {"enum": ["agent", "customer", "system"]},
                "text": {"type": "string"}, "at": {"type": "number", "description": "Seconds from the start"},
                "moves": {"type": "array", "items": {"type": "object", "properties": {
                    "move": {"type": "string"}, "confidence": {"type": "number"}}}},
                "mood": {"type": "number"}}}},
        },
    },
    "PracticeAction": {
        "type": "object",
        "required": ["action"],
        "properties": {
            "action": {"enum": ["search", "open_article", "escalate", "hold", "record", "end"]},
            "query": {"type": "string", "description": "search"},
            "slug": {"type": "string", "description": "open_article"},
            "lang": {"$ref": "#/components/schemas/Language"},
            "to": {"type": "string", "description": "escalate: supervisor (default), second_line, billing"},
            "note": {"type": "string", "description": "escalate"},
            "nature": {"enum": ["inquiry", "complaint", "request", "order", "cancellation", "other"]},
            "resolution": {"enum": ["resolved", "escalated", "unresolved", "callback"]},
            "escalated": {"type": "boolean", "description": "record (required there)"},
            "summary": {"type": "string", "description": "record"},
        },
    },
    "PracticeActionResult": {"allOf": [{"$ref": "#/components/schemas/PracticeSession"}, {"type": "object", "properties": {
        "results": {"$ref": "#/components/schemas/SearchResult"},
        "article": {"type": "object", "properties": {
            "slug": {"type": "string"}, "lang": {"type": "string"}, "title": {"type": "string"},
            "body_html": {"type": "string"}, "url": {"type": "string"}}}}}]},
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
                "BadRequest": {
                    "description": "A parameter is missing or invalid; 'field' names it",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                },
                "NotFound": {
                    "description": "No such resource",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                },
                "Conflict": {
                    "description": "The practice session has ended",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                },
                "Unauthorized": {
                    "description": "No valid token",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
        },
    }
