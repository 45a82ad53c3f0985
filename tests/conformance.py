"""Whether an answer of the API is what its OpenAPI document says: a documented status, a
documented content type, and a JSON body valid against the documented schema."""

from __future__ import annotations

import gzip
import json
import re

import brotli
import jsonschema_rs

from app.api.openapi import build_openapi

CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


class Conformance:
    """The document of one app, and the validators of its answers (made on first use)."""

    def __init__(self, app):
        self.spec = build_openapi(app)
        self._validators: dict[str, jsonschema_rs.Validator] = {}

    def problems(
        self, rule: str, method: str, status: int, content_type: str, body: bytes, encoding=""
    ):
        """What is wrong with this answer to `method` on the route `rule` (empty: nothing).
        `body` as sent, in its Content-Encoding (br, gzip) if any."""
        path = CONVERTER.sub(r"{\2}", rule)
        operation = self.spec["paths"].get(path, {}).get(method.lower())
        if operation is None:
            return []  # not a documented operation (a 405, a HEAD)
        answer = operation["responses"].get(str(status))
        where = f"{method} {path} → {status}"
        if answer is None:
            return [f"{where}: status not documented"]
        content = answer.get("content")
        if status in (204, 304):
            body = b""  # no body goes out with these, whatever the view made (werkzeug)
        body = DECODE.get(encoding, bytes)(body)
        if not content:
            return [] if not body else [f"{where}: a body where none is documented"]
        media = content_type.split(";")[0].strip()
        if media not in content:
            return [f"{where}: content type {media!r} not documented ({sorted(content)})"]
        if media != "application/json":
            return []
        schema = content[media]["schema"]
        key = json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            self._validators[key] = jsonschema_rs.Draft202012Validator(
                {**schema, "components": self.spec["components"]}
            )
        try:
            instance = json.loads(body)
        except ValueError:
            return [f"{where}: not JSON"]
        return [
            f"{where}: {error.message} at {'/'.join(map(str, error.instance_path))}"
            for error in self._validators[key].iter_errors(instance)
        ]


def references(node) -> list[str]:
    """Every `$ref` in a document."""
    if isinstance(node, dict):
        return [r for k, v in node.items() for r in ([v] if k == "$ref" else references(v))]
    if isinstance(node, list):
        return [r for v in node for r in references(v)]
    return []


def unresolved(spec: dict) -> list[str]:
    """The `$ref`s of `spec` that point at nothing in it."""

    def resolves(ref: str) -> bool:
        if not ref.startswith("#/"):
            return False
        node = spec
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
        return True

    return sorted({ref for ref in references(spec) if not resolves(ref)})
