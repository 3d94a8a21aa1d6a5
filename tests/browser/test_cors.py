"""A web page of another site, in Debian's Chromium: it reads the open interfaces, and the
browser refuses its attempt to write to them."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from services.reports.models import ApiClient, Report
from tests.factories import CategoryFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


READ = """async url => {
    const response = await fetch(url, {headers: {"If-None-Match": "W/\\"alt\\""}});
    return {status: response.status, etag: response.headers.get("ETag"),
            body: await response.text()};
}"""
WRITE = """async ([url, body]) => {
    try {
        const response = await fetch(url, {method: "POST", body: new URLSearchParams(body)});
        return "read: " + response.status;
    } catch (error) {
        return "refused: " + error.name;
    }
}"""


class OtherSite(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<!doctype html><title>Andere Stadt</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def other_site():
    """Another web site on this machine (another port: another origin)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), OtherSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_another_site_reads_open311_but_cannot_post(page, live_server, other_site):
    page.goto(other_site)

    answer = page.evaluate(READ, live_server.url + "/open311/v2/services.json")
    assert answer["status"] == 200
    assert answer["body"].startswith("[")
    answer = page.evaluate(READ, live_server.url + "/open311/v2/requests.json")
    assert answer["status"] == 200
    assert answer["etag"]  # exposed: the other site can revalidate

    # a valid key and service: sent by an app, this would be a report
    client = ApiClient(name="Stadt-App")
    key = client.issue_key()
    client.save()
    category = CategoryFactory(name="Schlagloch", slug="schlagloch")
    post = {"api_key": key, "service_code": category.slug, "description": "Loch"}
    post |= {"lat": "51.441", "long": "7.561"}
    outcome = page.evaluate(WRITE, [live_server.url + "/open311/v2/requests.json", post])
    assert outcome == "refused: TypeError"
    assert not Report.objects.exists()
    # the same from the portal's own pages is taken
    page.goto(live_server.url + "/open311/v2/discovery.json")
    outcome = page.evaluate(WRITE, [live_server.url + "/open311/v2/requests.json", post])
    assert outcome == "read: 200"
    assert Report.objects.count() == 1
