"""Citizens at their browsers: N submissions of the form "Anliegen an die Stadt", C at a time.

Each submission is a fresh browser session: GET /anliegen/neu/ (session and CSRF cookies, the
one-time form token, the topics offered), then POST the filled form with the page as Referer, as a
browser does over HTTPS. A network error or a 5xx answer is retried the way a person would retry:
the same form (same token) sent again; the form token makes that safe (portal.core.formtokens).

Prints "accepted <n>" after each submission the portal confirmed (302 to the receipt page), so
that the caller can act at a given point, and at the end one JSON line with every submission's
e-mail address and receipt token.

    python client.py BASE_URL CA_FILE COUNT CONCURRENCY RUN_ID
"""

import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urlsplit

import requests


def say(*parts, file=None, flush=True) -> None:
    """A line for the operator (the run's output is its report)."""
    stream = file or sys.stdout
    stream.write(" ".join(str(part) for part in parts) + "\n")
    if flush:
        stream.flush()


FORM_PATH = "/anliegen/neu/"
RECEIPT_PREFIX = "/anliegen/eingegangen/"
ATTEMPTS = 5


class Inputs(HTMLParser):
    """The <input> elements of a page: name → list of (type, value)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[tuple[str, str]]] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            attributes = dict(attrs)
            name = attributes.get("name")
            if name:
                self.fields.setdefault(name, []).append(
                    (attributes.get("type", "text"), attributes.get("value") or "")
                )


def submit(base_url: str, ca_file: str, run_id: str, number: int) -> dict:
    email = f"buerger-{run_id}-{number}@scaleout.example"
    with requests.Session() as browser:
        # passed with each request: a session's own `verify` loses to REQUESTS_CA_BUNDLE
        form_url = base_url + FORM_PATH
        errors = []
        for _attempt in range(ATTEMPTS):
            try:
                page = browser.get(form_url, verify=ca_file, timeout=60)
                if page.status_code != 200:
                    errors.append(f"GET {page.status_code}")
                    continue
                inputs = Inputs()
                inputs.feed(page.text)
                break
            except requests.RequestException as exc:
                errors.append(f"GET {type(exc).__name__}: {str(exc)[:300]}")
        else:
            return {"number": number, "email": email, "token": "", "errors": errors}
        categories = [value for kind, value in inputs.fields.get("category", []) if kind == "radio"]
        data = {
            "csrfmiddlewaretoken": inputs.fields["csrfmiddlewaretoken"][0][1],
            "form_token": inputs.fields["form_token"][0][1],
            "category": categories[number % len(categories)],
            "message": f"Scale-out-Probe {run_id}, Anliegen Nr. {number}: Die Straßenlaterne "
            "vor Hausnummer 12 flackert seit Tagen.",
            "address": f"Ruhrstraße {number % 200 + 1}",
            "email": email,
            "homepage": "",
        }
        for _attempt in range(ATTEMPTS):
            try:
                answer = browser.post(
                    form_url,
                    data=data,
                    headers={"Referer": form_url, "Origin": base_url},
                    allow_redirects=False,
                    verify=ca_file,
                    timeout=60,
                )
            except requests.RequestException as exc:
                errors.append(f"POST {type(exc).__name__}: {str(exc)[:300]}")
                continue
            location = urlsplit(answer.headers.get("Location", "")).path
            if answer.status_code == 302 and location.startswith(RECEIPT_PREFIX):
                token = location[len(RECEIPT_PREFIX) :].strip("/")
                return {"number": number, "email": email, "token": token, "errors": errors}
            errors.append(f"POST {answer.status_code}")
            if answer.status_code < 500:
                break  # the form came back with an error: retrying the same data will not help
    return {"number": number, "email": email, "token": "", "errors": errors}


def main() -> None:
    base_url, ca_file, count, concurrency, run_id = sys.argv[1:6]
    count, concurrency = int(count), int(concurrency)
    accepted = 0
    lock = threading.Lock()
    started = time.monotonic()

    def one(number: int) -> dict:
        nonlocal accepted
        result = submit(base_url, ca_file, run_id, number)
        if result["token"]:
            with lock:
                accepted += 1
                say(f"accepted {accepted}", flush=True)
        return result

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, range(1, count + 1)))
    say(
        json.dumps({"seconds": round(time.monotonic() - started, 1), "submissions": results}),
        flush=True,
    )


if __name__ == "__main__":
    main()
