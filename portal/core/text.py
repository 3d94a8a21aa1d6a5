"""Characters that no text of the portal may carry, removed in one place.

Text from outside (what citizens type, what city apps and devices send) is cleaned on the way in,
for every request (`portal.core.middleware_text` for query strings and form bodies,
`portal.core.parsers` for the REST API's bodies). Formats that break on such characters clean
again on the way out (Atom feeds, Open311 XML, CSV and XLSX exports), for text that was stored
before the input was cleaned or that reached the database another way.

Removed, not refused: nobody types these characters on purpose; they come from broken encodings,
copy and paste or fuzzing clients, and a refusal would only puzzle a citizen about an invisible
character. What goes:

- the C0 control characters except TAB, LF and CR: XML 1.0 forbids them (one U+0001 made every
  Atom feed answer 500), openpyxl refuses them, PostgreSQL refuses U+0000;
- DEL and the C1 control characters U+007F–U+009F: XML 1.0 discourages them, XML 1.1 only allows
  them escaped; they only ever arrive as mojibake of a Windows code page;
- lone surrogates U+D800–U+DFFF (a JSON body can carry "\\ud800"): they cannot be encoded as
  UTF-8, so the database, CSV and every response would fail on them;
- the noncharacters U+FDD0–U+FDEF and U+xFFFE/U+xFFFF of every plane: XML forbids U+FFFE and
  U+FFFF, Unicode reserves all of them for a program's internal use.

Everything else stays: TAB/LF/CR, emoji, combining marks, zero-width and bidirectional formatting
characters (names and right-to-left scripts need them; HTML escaping handles them).

Input is cleaned before any form, view or service sees it, so a removal can never join two parts
into something a check has already let through.
"""

from __future__ import annotations

import re

from django.http import QueryDict

_NONCHARACTERS = "".join(
    chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17)
)
UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]"
)


def clean_text(value: str) -> str:
    """`value` without the characters above; the same object when there is nothing to remove."""
    if UNWANTED.search(value) is None:
        return value
    return UNWANTED.sub("", value)


def clean_data(value):
    """Every string in `value` (nested lists, tuples and dicts, keys too, as JSON brings them)
    cleaned; anything else as it is."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_data(key): clean_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean_data(item) for item in value)
    return value


def clean_querydict(data: QueryDict) -> QueryDict:
    """A query string's or a form body's values and names cleaned; `data` itself when clean."""
    if not any(
        UNWANTED.search(key) or any(UNWANTED.search(value) for value in values)
        for key, values in data.lists()
    ):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        # two names that differ only in removed characters become one field with all values
        for value in values:
            cleaned.appendlist(clean_text(key), clean_text(value))
    cleaned._mutable = data._mutable
    return cleaned


def clean_upload_names(files) -> None:
    """The names of uploaded files (`request.FILES`) cleaned in place; their content is theirs.
    The name is shown as sent (on the review page, to the clerk, in the receipt)."""
    for _field, uploads in files.lists():
        for upload in uploads:
            if upload.name:
                upload.name = clean_text(upload.name)


def search_words(query: str) -> str:
    """A visitor's search as words for Wagtail's search backend: quotation marks go (SQLite's
    full-text query syntax answered an odd number of them with an error, a 500)."""
    return " ".join(query.replace('"', " ").split())
