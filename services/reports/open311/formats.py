"""Open311 responses in XML and JSON from one neutral structure.

JSON is the mechanical ("Spark") mapping of the XML: the root of a collection disappears, so
lists and errors are top-level arrays, while discovery and the service definition are objects.
Optional fields that are `None` are left out in both formats, never written as null or empty.
"""

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.http import HttpResponse

from portal.core.text import clean_text

XML = "xml"
JSON = "json"
FORMATS = (XML, JSON)
CONTENT_TYPES = {
    XML: "text/xml; charset=utf-8",
    JSON: "application/json; charset=utf-8",
}
# written as a constant so that it reads exactly like the spec's examples (double quotes)
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class Many:
    """A repeated element: `<attributes><attribute/>…</attributes>` in XML, an array in JSON."""

    item: str
    items: list


def _to_json(value):
    if isinstance(value, Many):
        return [_to_json(item) for item in value.items]
    if isinstance(value, dict):
        return {key: _to_json(item) for key, item in value.items() if item is not None}
    return value


def _xml_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    # ElementTree writes control characters as they are, which makes the document unparsable
    return clean_text(str(value))


def _to_xml(parent: ET.Element, value) -> None:
    if isinstance(value, Many):
        for item in value.items:
            _to_xml(ET.SubElement(parent, value.item), item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if item is not None:
                _to_xml(ET.SubElement(parent, key), item)
    else:
        parent.text = _xml_text(value)


def render_body(fmt: str, root: str, content) -> bytes:
    """`content` is a dict (an object) or a `Many` (a collection) below the XML root `root`."""
    if fmt == JSON:
        return json.dumps(_to_json(content), ensure_ascii=False).encode()
    element = ET.Element(root)
    _to_xml(element, content)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode").encode()


def render(fmt: str, root: str, content, *, status: int = 200) -> HttpResponse:
    return HttpResponse(
        render_body(fmt, root, content), status=status, content_type=CONTENT_TYPES[fmt]
    )


def render_errors(fmt: str, status: int, *descriptions: str, code: int | None = None):
    """The spec's error body (`errors` → `error` {code, description}) with its HTTP status."""
    errors = [{"code": code or status, "description": str(text)} for text in descriptions]
    return render(fmt, "errors", Many("error", errors), status=status)
