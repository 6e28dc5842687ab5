"""GeoReport v2 documents as JSON or XML (UTF-8), with the element names the specification uses.

Every payload is built as plain Python data first (dicts, lists, strings, numbers, None) and
only then written out, so the JSON and XML answers always carry the same fields. XML is written
by xml.etree, which escapes resident text (`<script>` arrives as `&lt;script&gt;`).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from flask import Response

FORMATS = ("json", "xml")
MIMETYPES = {"json": "application/json", "xml": "text/xml"}

# The XML element of a list's items, by the list's element name (GeoReport v2 examples).
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}


# Characters XML 1.0 cannot carry at all (escaping does not help): dropped on the way out.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return XML_INVALID.sub("", str(value))


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list | tuple):
        child = ITEM_NAMES.get(name, "item")
        for item in value:
            _append(element, child, item)
    elif value is not None:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    """An XML document whose root element is `root` (a list becomes repeated children)."""
    element = ET.Element(root)
    if isinstance(value, list | tuple):
        child = ITEM_NAMES.get(root, "item")
        for item in value:
            _append(element, child, item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def to_json(value: Any) -> bytes:
    """Compact UTF-8 JSON (non-ASCII characters kept as they are)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def respond(value: Any, fmt: str, root: str, status: int = 200) -> Response:
    """A response in the asked format; `root` names the XML root element."""
    body = to_xml(root, value) if fmt == "xml" else to_json(value)
    return Response(body, status=status, content_type=f"{MIMETYPES[fmt]}; charset=utf-8")
