"""Public pages from the cache for visitors without an account.

A page that an anonymous visitor asks for (GET or HEAD, no cookie but the CSRF cookie, no
Authorization header) is answered from the cache (Redis in production) when it has been rendered
before and nothing public has changed since; otherwise it is rendered as usual and kept if it
carries nothing of this visitor: a 200 that sets no cookie (a form with a CSRF token sets one, and
so does a new session), is not marked private or no-store (account pages, never_cache views, the
admin) and varies on nothing but what the key holds (language, Accept, the cookies that keep it
out of the cache). Forms on such pages leave their CSRF field empty (`{% csrf_field %}`,
portal.core.templatetags.page_cache). Signed-in people never meet the cache, so their name, their
supports and their buttons are never in a stored page, and no stored page reaches them.

Invalidation: one version of "everything public". A write to any model that can show on a public
page (every model but the internal ones in `INTERNAL_MODELS`) sets a new version when its
transaction commits, and a stored page of an older version is never served again. Pages also
expire after `PORTAL_PAGE_CACHE_SECONDS` (what changes with the clock alone, such as a phase that
starts today; 0 switches the cache off). The version is read before the page is rendered, so a
page rendered while a write commits is stored under the old version and thrown away.

For a reverse proxy in front: a stored page says `Cache-Control: public, max-age=0,
must-revalidate` with its ETag (no Last-Modified: a date of one second's resolution could
answer 304 to a page that changed within that second) and `Vary: Cookie`; the proxy may keep it
and asks again each time, and an unchanged page costs a 304 (Django's ConditionalGetMiddleware,
outside this one). While Redis is unreachable, every page is rendered (portal.core.cache).
"""

import functools
import hashlib
import logging
import pickle
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import (
    cc_delim_re,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_from_request
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
# Models whose rows never show on a public page: writing them leaves the stored pages alone.
INTERNAL_MODELS = {
    "sessions.session",
    "contenttypes.contenttype",
    "auth.permission",
    "account.emailaddress",
    "account.emailconfirmation",
    "mfa.authenticator",
    "core.dataexport",
    "core.outboxmessage",
    "core.erasurelog",
    "tickets.ticketsequence",
    "tickets.failedjob",
    "contact.contactrequest",
    "reports.apiclient",
    "reports.reportphotodraft",
    "eforms.submissionsequence",
    "eforms.submission",
    "eforms.submissionfile",
    "payments.payment",
    "payments.paymentevent",
    "payments.refund",
    "payments.webhookmessage",
    "payments.demotransaction",
    "payments.demorefund",
    "payments.demowebhookdelivery",
    "contributions.contributionreport",
    "wagtailforms.formsubmission",
    "wagtailsearchpromotions.querydailyhits",
    "wagtailsearchpromotions.query",
    "wagtailimages.rendition",
    "wagtailsearch.indexentry",
    "wagtailsearch.sqliteftsindexentry",
    "wagtailadmin.admin",
    "wagtailadmin.editingsession",
    "wagtailadmin.formstate",
    "wagtailusers.userprofile",
    "wagtailcore.modellogentry",
    "wagtailcore.pagelogentry",
    "wagtailcore.revision",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.pagesubscription",
    "wagtailcore.referenceindex",
    "wagtailcore.uploadedfile",
    "wagtailcore.apitoken",
}
# Fields that change on their own without changing anything public (a login).
INTERNAL_FIELDS = {"accounts.user": {"last_login", "password"}}
# Headers a stored page may vary on: the key holds the first three, the last two keep the page
# away from anyone who sends them.
_VARY_OK = {"accept-language", "accept", "accept-encoding", "cookie", "authorization"}


def page_cache_seconds() -> int:
    return getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 120)


# --- invalidation ------------------------------------------------------------------------------
def public_content_changed(using=None) -> None:
    """Pages stored so far are stale. Inside a transaction the version changes twice: at its
    first public write, and again when it commits (a page rendered in between read the old rows
    and is thrown away with the second change); its further writes cost nothing (an import of a
    thousand rows sets two versions, not a thousand). Called by the signals below; call it after a
    bulk `QuerySet.update()` of public rows."""
    connection = transaction.get_connection(using)
    mark = _transaction_mark(connection)
    if mark is _AUTOCOMMIT:
        _new_version()  # the row is written already
        return
    if mark is not None and any(
        entry[1] is _new_version and (mark is _OUTERMOST or mark in entry[0])
        for entry in connection.run_on_commit
    ):
        return
    _new_version()
    transaction.on_commit(_new_version, using=using)


_AUTOCOMMIT = object()
_OUTERMOST = object()


def _transaction_mark(connection):
    """What tells the portal's own transaction apart: _OUTERMOST when it is the database
    transaction itself, else the savepoint of its outermost block (None if that has none, then
    every write sets a version). _AUTOCOMMIT outside, and inside only the transaction a test wraps
    around itself (which never commits: there every write counts as committed)."""
    for depth, block in enumerate(connection.atomic_blocks):
        if not getattr(block, "_from_testcase", False):
            return _OUTERMOST if depth == 0 else connection.savepoint_ids[depth - 1]
    return _AUTOCOMMIT


def _new_version() -> None:
    global _local_changes
    _local_changes += 1
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def current_version(request=None) -> str | None:
    """The version of everything public; None while Redis is unreachable. Read once per request
    (kept on it) unless this process changed something public since."""
    if request is not None:
        kept = getattr(request, "_public_version", None)
        if kept is not None and kept[0] == _local_changes:
            return kept[1]
    changes = _local_changes
    version = cache.get(VERSION_KEY)
    if version is None:
        # a Redis that lost the version (or a first start): what was kept before is stale
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY)
    if request is not None and version is not None:
        request._public_version = (changes, version)
    return version


# --- the per-process memo ----------------------------------------------------------------------
# What nearly every page reads and an editor seldom changes (the site, the route to a CMS page, the
# main menu, the site settings), kept in the process as long as the version is the same: any
# public write replaces the version, and the memo starts empty; like a stored page it is kept no
# longer than PORTAL_PAGE_CACHE_SECONDS (a write while Redis was unreachable could not replace
# the version). Kept pickled, so each request gets its own copy of the objects and nothing one
# request sets on them reaches another.
MEMO_MAX_ENTRIES = 2000
_local_changes = 0  # public writes by this process (a request re-reads the version after one)
_memo: dict = {}
_memo_version: str | None = None
_memo_since = 0.0
_memo_lock = threading.Lock()
_UNPICKLABLE = object()


def remembered(request, key, compute):
    """compute() once per process and version of everything public; a copy of its result on
    every later call. Computed afresh on every call while Redis is unreachable."""
    global _memo_version, _memo_since
    seconds = page_cache_seconds()
    version = current_version(request) if seconds > 0 else None
    if version is None:
        return compute()
    with _memo_lock:
        now = time.monotonic()
        if _memo_version != version or now - _memo_since > seconds:
            _memo.clear()
            _memo_version = version
            _memo_since = now
        stored = _memo.get(key)
    if stored is _UNPICKLABLE:
        return compute()
    if stored is not None:
        return pickle.loads(stored)
    value = compute()
    try:
        stored = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        stored = _UNPICKLABLE
    with _memo_lock:
        if _memo_version == version:
            if len(_memo) >= MEMO_MAX_ENTRIES:  # e.g. many addresses that are not found
                _memo.clear()
            _memo[key] = stored
    return value


# --- public parts of personal pages ------------------------------------------------------------
# A signed-in person's page is rendered for them, but most of it is what everybody sees: the list
# of reports, the cards of a Vorhabenliste. Such a part is kept in the cache as rendered HTML
# under the version of everything public (so any public write makes it stale, as a stored page),
# the language and the address with its query; what names the person (the header, forms with their
# CSRF token, their own supports) stays outside it. `{% public_part %}` in a template
# (portal.core.templatetags.page_cache), `public_data` for an API list's data.
PUBLIC_PART_PREFIX = "template.cache.public."


def public_part_key(request, name: str, *vary) -> str | None:
    """The cache key of a public part of this request's page; None when no part may be kept
    (page cache or PORTAL_PUBLIC_PARTS off, Redis unreachable, an editor's preview of a draft,
    not a GET)."""
    if (
        request is None
        or page_cache_seconds() <= 0
        or not getattr(settings, "PORTAL_PUBLIC_PARTS", True)
        or request.method not in ("GET", "HEAD")
        or getattr(request, "is_preview", False)
    ):
        return None
    version = current_version(request)
    if version is None:
        return None
    parts = "\0".join(
        (
            name,
            version,
            get_language() or "",
            request.get_host(),
            request.get_full_path(),
            *(str(part) for part in vary),
        )
    )
    return PUBLIC_PART_PREFIX + hashlib.sha256(parts.encode()).hexdigest()


def lazy_context(compute, *names) -> dict:
    """A template context whose values are computed on first use, all by one compute() (a dict
    with these names): a page whose public part comes from the cache reads none of its rows."""
    shared = SimpleLazyObject(compute)
    return {name: SimpleLazyObject(functools.partial(_item, shared, name)) for name in names}


def _item(shared, name):
    return shared[name]


def public_data(request, name: str, compute, *vary, keep=None):
    """compute() once per version of everything public and address (with its query), for
    everybody: only for data that shows nothing of the person who asks (a public API list, a
    rendered `{% public_part %}`). `keep(value)` False: this value is not kept."""
    key = public_part_key(request, name, *vary)
    if key is None:
        return compute()
    found = cache.get(key)
    if found is not None:
        return found
    value = compute()
    if keep is None or keep(value):
        cache.set(key, value, timeout=page_cache_seconds())
    return value


# What the cache holds of public pages: the stored pages and the template fragments ({% cache %},
# e.g. a comment with its author's name).
STORED_PREFIXES = ("pagecache:page:", "template.cache.")


def purge_stored_pages() -> int:
    """Delete every stored page and fragment now, not only make them stale: after a person's data
    is erased, no copy of a page that named them may stay in the cache until it expires. Returns
    how many entries went. While Redis is unreachable nothing can be deleted (logged); the pages
    expire after PORTAL_PAGE_CACHE_SECONDS."""
    default = caches["default"]  # the backend itself, not Django's proxy of it
    backend = getattr(default, "_cache", None)
    if isinstance(backend, RedisCacheClient):
        try:
            client = backend.get_client(write=True)
            keys = [
                key
                for prefix in STORED_PREFIXES
                for key in client.scan_iter(match=default.make_key(prefix) + "*", count=1000)
            ]
            for start in range(0, len(keys), 1000):
                client.delete(*keys[start : start + 1000])
        except (RedisConnectionError, RedisTimeoutError) as exc:
            logger.warning("Stored pages not purged, Redis unreachable: %s", exc)
            return 0
        return len(keys)
    if isinstance(default, LocMemCache):
        prefixes = tuple(default.make_key(prefix) for prefix in STORED_PREFIXES)
        with default._lock:
            keys = [key for key in default._cache if key.startswith(prefixes)]
            for key in keys:
                default._delete(key)
        return len(keys)
    return 0


def _changed(sender, **kwargs) -> None:
    label = sender._meta.label_lower
    if label in INTERNAL_MODELS or kwargs.get("raw"):
        return
    if kwargs.get("action", "post_").startswith("pre_"):  # m2m_changed fires before and after
        return
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= INTERNAL_FIELDS.get(label, set()):
        return
    public_content_changed(kwargs.get("using"))


def _on_public_signal(sender, **kwargs) -> None:
    public_content_changed()


def connect_signals() -> None:
    from django.core.signals import setting_changed
    from wagtail.signals import page_unpublished, post_page_move, unpublished

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid="pagecache-model")
    # moving a page rewrites its tree columns without a save signal; a setting can change a page
    for signal in (post_page_move, page_unpublished, unpublished, setting_changed):
        signal.connect(_on_public_signal, dispatch_uid="pagecache-signal")


# --- serving -----------------------------------------------------------------------------------
class AnonymousPageCacheMiddleware:
    """See the module's docstring. Placed after WhiteNoise, before the session: a stored page is
    answered without the session, CSRF, authentication, messages or page rendering."""

    def __init__(self, get_response):
        self.get_response = get_response
        # a cookie can change what a page shows (a session, a message, a poll answered): only
        # visitors with no cookie but these are served from the cache
        self.neutral_cookies = {settings.CSRF_COOKIE_NAME}
        self.excluded = tuple(getattr(settings, "PORTAL_PAGE_CACHE_EXCLUDED_PREFIXES", ())) + tuple(
            settings.PORTAL_NO_STORE_PATH_PREFIXES
        )

    def __call__(self, request):
        if not self._may_use_cache(request):
            if request.method in ("GET", "HEAD") and page_cache_seconds() > 0:
                # read before the view reads any row: a public part of the page rendered while
                # a write commits is then kept under the old version, and thrown away
                current_version(request)
            return self.get_response(request)
        # forms on this page leave their CSRF field empty ({% csrf_field %})
        request.page_cache_candidate = True
        key = self._key(request)
        changes = _local_changes
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        stored = found.get(key)
        if stored is not None and version is not None and stored[0] == version:
            return self._response(request, stored)
        if version is None:
            # a Redis that lost the version (or a first start): pages of no version are stale
            version = current_version(request)
        else:
            request._public_version = (changes, version)
        response = self.get_response(request)
        if version is not None and request.method == "GET" and self._may_store(request, response):
            self._store(key, version, response)
        return response

    def _may_use_cache(self, request) -> bool:
        return (
            page_cache_seconds() > 0
            and request.method in ("GET", "HEAD")
            and not set(request.COOKIES) - self.neutral_cookies
            and "Authorization" not in request.headers
            and not request.path.startswith(self.excluded)
        )

    @staticmethod
    def _key(request) -> str:
        parts = "\0".join(
            (
                request.scheme,
                request.get_host(),
                request.get_full_path(),
                get_language_from_request(request),
                request.headers.get("Accept", ""),
            )
        )
        return "pagecache:page:" + hashlib.sha256(parts.encode()).hexdigest()

    @staticmethod
    def _may_store(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        control = {
            part.split("=", 1)[0].strip().lower()
            for part in cc_delim_re.split(response.get("Cache-Control", ""))
        }
        if control & {"private", "no-store", "no-cache"}:
            return False
        vary = {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", ""))}
        return vary - {""} <= _VARY_OK

    @staticmethod
    def _store(key, version, response) -> None:
        patch_vary_headers(response, ("Cookie",))
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        if not response.has_header("ETag"):
            set_response_etag(response)
        # no Last-Modified: a date has a resolution of one second, and a page changed within the
        # second it was stored would be answered 304 to If-Modified-Since; the ETag is exact
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in ("content-length", "date")
        ]
        cache.set(key, (version, headers, response.content), timeout=page_cache_seconds())

    @staticmethod
    def _response(request, stored) -> HttpResponse:
        _, headers, content = stored
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
