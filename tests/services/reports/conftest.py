"""Fixtures of the Mängelmelder tests: categories with Zusatzfragen and a Nominatim-compatible
geocoder served by a real HTTP server in a thread."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from portal.tickets.models import AttributeDatatype, CategoryAttribute

DAMAGE_VALUES = [
    {"key": "dunkel", "name": "Leuchte dunkel"},
    {"key": "flackert", "name": "Leuchte flackert"},
    {"key": "tagsueber", "name": "Leuchte brennt tagsüber"},
]
WASTE_VALUES = [
    {"key": "sperrmuell", "name": "Sperrmüll"},
    {"key": "bauschutt", "name": "Bauschutt"},
    {"key": "elektro", "name": "Elektrogeräte"},
]


def add_questions(category) -> list[CategoryAttribute]:
    """The questions of the demo's Straßenbeleuchtung, plus one of each other datatype."""
    questions = [
        ("leuchtennummer", "Leuchtennummer", AttributeDatatype.STRING, False, "Am Mast", []),
        ("schaden", "Art des Schadens", AttributeDatatype.SINGLEVALUELIST, True, "", DAMAGE_VALUES),
        ("abfall", "Was liegt dort?", AttributeDatatype.MULTIVALUELIST, False, "", WASTE_VALUES),
        ("anzahl", "Wie viele Leuchten?", AttributeDatatype.NUMBER, False, "", []),
        ("seit", "Seit wann?", AttributeDatatype.DATETIME, False, "", []),
        ("hinweis", "Was sollen wir noch wissen?", AttributeDatatype.TEXT, False, "", []),
    ]
    return [
        CategoryAttribute.objects.create(
            category=category,
            sort_order=position,
            code=code,
            description=question,
            datatype=datatype,
            required=required,
            datatype_description=hint,
            values=values,
        )
        for position, (code, question, datatype, required, hint, values) in enumerate(questions)
    ]


# --- a Nominatim-compatible geocoder ------------------------------------------------------------
def place(lat: str, lon: str, road: str, house_number: str = "", **extra) -> dict:
    """One item of Nominatim's `format=jsonv2&addressdetails=1` answer."""
    address = {"road": road, "postcode": "58239", "town": "Schwerte", "country_code": "de"}
    if house_number:
        address["house_number"] = house_number
    return {
        "place_id": 1,
        "lat": lat,
        "lon": lon,
        "category": "place",
        "type": "house",
        "display_name": f"{house_number}, {road}, Schwerte, 58239, Deutschland",
        "address": address,
        **extra,
    }


class Geocoder:
    """What the fake server answers (`results`, `status`, `delay`) and what it was asked."""

    def __init__(self):
        self.results: list[dict] = []
        self.status = 200
        self.delay = 0.0
        self.requests: list[dict] = []
        self.url = ""


@pytest.fixture
def geocoder(settings):
    state = Geocoder()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            parts = urlsplit(self.path)
            state.requests.append(
                {
                    "path": parts.path,
                    "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                    "user_agent": self.headers.get("User-Agent", ""),
                }
            )
            if state.delay:
                time.sleep(state.delay)
            body = json.dumps(state.results).encode()
            if state.status != 200:
                body = b"<html>Internal Server Error</html>"
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting, as it should

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.REPORTS_GEOCODER_URL = state.url
    yield state
    server.shutdown()
    server.server_close()
    thread.join(5)
