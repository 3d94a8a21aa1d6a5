"""Settings shared by every environment.

One django-environ reader. Development works with no environment variables at all; production.py
insists on the secrets it needs.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# The portal's public address (scheme and host, no path). Every absolute link (e-mails, API,
# exports, feeds, Open311, payment return addresses) is built from it by portal.core.links,
# never from the host a request came in on.
BASE_URL = env("BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# German; a form of a stored page sent without JavaScript is offered once more (core.views)
CSRF_FAILURE_VIEW = "portal.core.views.csrf_failure"

INSTALLED_APPS = [
    # our apps first so that their templates override the packages'
    "portal.core",
    "portal.accounts",
    "portal.departments",
    "portal.tickets",
    "portal.contact",
    "services.reports",
    "portal.cms",
    "services.catalogue",
    "services.eforms",
    "services.payments",
    "participation.projects",
    "participation.contributions",
    "participation.polls",
    "participation.following",
    "participation.ideas",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    # Leaflet's JS/CSS as static files (leaflet/leaflet.js); its form widgets need GeoDjango
    "leaflet",
    "rules.apps.AutodiscoverRulesConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

# the open interfaces any web page may read (regular expressions of paths, portal.core.cors);
# the staff API is never shared
PORTAL_CORS_PATHS = [r"^/open311/", r"^/api/v1/", r"^/api/schema/", r"^/offene-daten/"]
PORTAL_CORS_EXCLUDED_PATHS = [r"^/api/v1/tickets(?:/|$)"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # GET/HEAD of the open interfaces readable from any web page, writes never (portal.core.cors)
    "portal.core.cors.OpenDataCorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every page, 304 when it has not changed (also for pages from the cache)
    "django.middleware.http.ConditionalGetMiddleware",
    # public pages for visitors without an account from the cache (portal.core.pagecache)
    "portal.core.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # the site and the route of a CMS page from the per-process memo (portal.cms.middleware)
    "portal.cms.middleware.WagtailMemoMiddleware",
    "django.middleware.common.CommonMiddleware",
    # control characters and the like leave every query string and form body (portal.core.text)
    "portal.core.middleware_text.CleanTextMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.accounts.middleware.StaffSessionTimeoutMiddleware",
    "portal.accounts.middleware.AdminSecondFactorMiddleware",
    "portal.core.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.core.context_processors.portal",
            ],
        },
    },
]

# --- data -----------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the Celery worker read while the other writes. SQLite has one
    # write lock for the whole file: in a rush (200 people supporting one idea at once) a request
    # waits up to 20 s for its turn rather than failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
REDIS_CACHE_URL = env("REDIS_CACHE_URL", default=REDIS_URL.rsplit("/", 1)[0] + "/1")

CACHES = {
    "default": {
        "BACKEND": "portal.core.cache.ResilientRedisCache",
        "LOCATION": REDIS_CACHE_URL,
        "KEY_PREFIX": "portal",
        # a stalled Redis costs one request at most this long, then its breaker opens for all
        # (portal.core.breaker): a citizen's submit stays well under 5 s
        "OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1},
    }
}

# --- auth -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# sessions of users with admin access end after this long without a request, and in any case
# this long after the login; citizens keep theirs (SESSION_COOKIE_AGE)
PORTAL_STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
PORTAL_STAFF_SESSION_MAX_HOURS = env.int("STAFF_SESSION_MAX_HOURS", default=12)
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
# an e-mail to the account's address when its password or e-mail address changes
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = env("EMAIL_SUBJECT_PREFIX", default="[Bürgerportal] ")
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_SESSION_REMEMBER = None
# allauth's own limits (login failures, sign-up, password reset, confirmation mails); they are kept
# in the default cache, which is Redis, so every web process shares one count.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Bürgerportal")
MFA_RECOVERY_CODE_COUNT = 10
# accept the code of the neighbouring 30-second step too (RFC 6238 §5.2): a code typed at the
# end of its step, or a phone clock a little off, must not lock staff out
MFA_TOTP_TOLERANCE = 1

# --- language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch")]

# --- files ----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # applicants' uploads: outside MEDIA_ROOT, served only after an owner or staff check
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(env.path("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
        },
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- e-mail ---------------------------------------------------------------------------------------
vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Bürgerportal <noreply@buergerportal.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- security -------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CONTENT_SECURITY_POLICY = {
    # the API documentation (Swagger UI) starts itself with an inline script
    "EXCLUDE_URL_PREFIXES": ["/api/docs/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # nobody frames the site (X-Frame-Options: DENY says the same); the admin frames its own
        # previews: there both say "same origin" (portal.core.middleware)
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# Content of other providers embedded in rich text (videos) loads in a frame only after the
# citizen's "Inhalt laden" (templates/wagtailembeds/embed_frontend.html): these hosts may be framed.
EMBED_FRAME_HOSTS = env.list(
    "EMBED_FRAME_HOSTS",
    default=[
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ],
)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"] = ["'self'", *EMBED_FRAME_HOSTS]
# Added to the policy in the Wagtail admin, for what Wagtail's own pages need (Wagtail 8): its
# form widgets start with inline scripts (date pickers, choosers, inline panels) and its markup
# carries style attributes; image uploads preview as blob: URLs. Everything else stays as strict
# as on the public site; our own admin templates carry no inline script or style (see
# static/css/admin/, static/js/admin/).
CONTENT_SECURITY_POLICY_ADMIN_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}
# account and application pages are never stored (nor is the admin, nor any page shown to a
# logged-in person): Cache-Control: no-store
PORTAL_NO_STORE_PATH_PREFIXES = ["/konto/", "/accounts/", "/antraege/"]
# Public pages for visitors without an account come from the cache (portal.core.pagecache), thrown
# away on every public change and at the latest after this long (what changes with the clock).
PORTAL_PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=120)
# Public parts of signed-in people's pages ({% public_part %}, public_data: lists, a report's
# description, the API lists) come from the same cache under the same version; False renders them
# for every request (the page cache's seconds at 0 switch them off too).
PORTAL_PUBLIC_PARTS = env.bool("PUBLIC_PARTS", default=True)
PORTAL_PAGE_CACHE_EXCLUDED_PREFIXES = ["/admin/", "/django-admin/", "/healthz", "/datenauskunft/"]

# --- maps (Leaflet from django-leaflet, tiles from MAP_TILE_URL) ----------------------------------
MAP_TILE_URL = env("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="© OpenStreetMap-Mitwirkende")
MAP_CENTER = env.tuple("MAP_CENTER", cast=float, default=(51.4436, 7.5653))  # lat, lon: Schwerte
MAP_ZOOM = env.int("MAP_ZOOM", default=13)
# Tiles are images from the tile server: allow its origin in img-src, and nothing else. A
# subdomain placeholder ("{s}.tile.example.org") becomes a CSP wildcard ("*.tile.example.org").
_tiles = urlsplit(MAP_TILE_URL)
if _tiles.scheme in ("http", "https") and _tiles.netloc:
    _tile_host = _tiles.netloc.replace("{s}", "*")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tile_host}")

# --- Wagtail --------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env("SITE_NAME", default="Bürgerportal Schwerte")
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
# one login for everyone (allauth's): private pages send visitors there, and no page or document
# gets a shared password of its own (an unthrottled second way in)
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
# staff avatars stay local: no request to Gravatar with a hash of the e-mail address
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# the dashboard would ask releases.wagtail.org for the latest version from every browser
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000

# --- API ------------------------------------------------------------------------------------------
API_RATES = {
    "read": env("API_RATE_READ", default="1200/min"),
    "read_key": env("API_RATE_READ_KEY", default="12000/min"),
    "write": env("API_RATE_WRITE", default="60/min"),
    "staff": env("API_RATE_STAFF", default="3000/min"),
}
_PER = {"s": "Sekunde", "m": "Minute", "h": "Stunde", "d": "Tag"}


def _rate_de(rate: str) -> str:
    number, period = rate.split("/")
    return f"{int(number):,} je {_PER[period[0]]}".replace(",", ".")


REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # DRF's parsers, cleaning text as the middleware does for all other views (portal.core.text)
    "DEFAULT_PARSER_CLASSES": [
        "portal.core.parsers.CleanJSONParser",
        "portal.core.parsers.CleanFormParser",
        "portal.core.parsers.CleanMultiPartParser",
    ],
    # limit/offset checked (400 on a malformed value), at most 200 a page, links under BASE_URL
    "DEFAULT_PAGINATION_CLASS": "portal.core.pagination.ApiPagination",
    # one error shape for every error the API answers with
    "EXCEPTION_HANDLER": "portal.core.api_errors.api_exception_handler",
    # three scopes (portal.core.throttling): public reads per address or citizen, or per API key
    # when a client sends one; writes; staff
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.core.throttling.ReadThrottle",
        "portal.core.throttling.WriteThrottle",
        "portal.core.throttling.StaffThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": API_RATES,
}
# the model whose keys identify API clients (the Open311 keys): for the read scope of the limits
PORTAL_API_CLIENT_MODEL = "reports.ApiClient"
SPECTACULAR_SETTINGS = {
    "TITLE": "Bürgerportal API",
    "DESCRIPTION": (
        "Offene Schnittstelle des Bürgerportals (Anliegen, Mängelmelder, Dienste).\n\n"
        f"Limits: lesende Anfragen {_rate_de(API_RATES['read'])} und Adresse (oder angemeldeter "
        f"Person), mit einem API-Schlüssel der Stadt (Kopfzeile `X-API-Key`) "
        f"{_rate_de(API_RATES['read_key'])} und Schlüssel; schreibende Anfragen "
        f"{_rate_de(API_RATES['write'])}; Beschäftigte der Verwaltung "
        f"{_rate_de(API_RATES['staff'])}. "
        "Darüber antwortet die Schnittstelle mit 429 und `Retry-After`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Wagtail's own /admin/api/ is not ours to document and makes the validator fail.
    "PREPROCESSING_HOOKS": ["portal.core.api_schema.only_public_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # the one error shape, and 400/403/404/429 on the operations that answer with them
        "portal.core.api_schema.document_errors",
    ],
    # the documentation's scripts come from our own static files, never from a CDN
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery: the database is the truth, the broker is the doorbell (ARCHITECTURE.md) -----
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 10
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # a stalled broker costs the first publish this long; then its breaker opens and the relays
    # take over (portal.core.doorbell)
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
    # at least twice the longest task, or a slow task is delivered twice
    "visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT + 60,
}
# a short publish retry: a dead broker must cost a request seconds, not minutes
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# With Redis, priority 0 (every other task) is served first: in a burst of submissions the tickets
# are routed before the e-mails about them go out, not one after another behind them. A mail waits
# at most as long as the burst lasts; it is owed in the database all the while.
CELERY_TASK_ROUTES = {"outbox.send": {"priority": 6}}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# the dialogue with the citizen (portal/tickets/services/dialogue.py): an unanswered question is
# reminded of after this many working days and closed after that many; "nicht behoben" can be
# said this many calendar days after the closing
TICKETS_QUESTION_REMIND_DAYS = env.int("TICKETS_QUESTION_REMIND_DAYS", default=5)
TICKETS_QUESTION_CLOSE_DAYS = env.int("TICKETS_QUESTION_CLOSE_DAYS", default=10)
TICKETS_REOPEN_WITHIN_DAYS = env.int("TICKETS_REOPEN_WITHIN_DAYS", default=28)
# the public figures (/zahlen/): the share of Anliegen the city means to complete within their
# category's period (SOLL), beside the share it did (IST); fewer ratings than this show no mean
FIGURES_SLA_TARGET_PERCENT = env.int("FIGURES_SLA_TARGET_PERCENT", default=90)
FIGURES_MIN_RATINGS = env.int("FIGURES_MIN_RATINGS", default=5)

# Open311 servicerequestupdates end this many seconds before now: a change recorded earlier has
# committed by then, so a client polling after its last update misses none (open311/README.md)
OPEN311_UPDATES_SETTLE_SECONDS = env.int("OPEN311_UPDATES_SETTLE_SECONDS", default=10)

CELERY_BEAT_SCHEDULE = {
    # the relay: tickets and e-mails whose doorbell was not heard (Redis down, message lost)
    "tickets-relay": {"task": "tickets.relay", "schedule": 60.0},
    # photos of report forms never sent (services/reports ReportPhotoDraft)
    "reports-photo-drafts-purge": {"task": "reports.photo_drafts_purge", "schedule": 60 * 60.0},
    "tickets-daily-digest": {
        "task": "tickets.daily_digest",
        "schedule": crontab(hour=7, minute=0),
    },
    # the public figures at /zahlen/, from the timeline (portal.core.figures)
    "figures-compute": {"task": "figures.compute", "schedule": crontab(hour=2, minute=15)},
    # the open data files and their catalogue (portal.core.opendata), after the figures
    "opendata-publish": {"task": "opendata.publish", "schedule": crontab(hour=2, minute=45)},
    # the daily e-mail of new reports in an area (services/reports/area_alerts.py)
    "reports-area-digests": {
        "task": "reports.area_digests",
        "schedule": crontab(hour=6, minute=0),
    },
    # unanswered questions to citizens: a reminder, later a documented closing
    "tickets-questions-due": {
        "task": "tickets.questions_due",
        "schedule": crontab(hour=6, minute=30),
    },
}

# --- outbox ---------------------------------------------------------------------------------------
# portal.core.outbox, the one table of owed e-mails (docs/architecture.md, "The kernel"). The relay
# rings the send task again for messages still unsent after OUTBOX_RELAY_AFTER_SECONDS (a lost
# doorbell), OUTBOX_RELAY_BATCH at a time. OUTBOX_SENDING_ENABLED = False pauses all outgoing
# e-mail: messages are still recorded and go out, each once, when it is switched on again.
OUTBOX_RELAY_AFTER_SECONDS = env.int("OUTBOX_RELAY_AFTER_SECONDS", default=120)
OUTBOX_RELAY_BATCH = env.int("OUTBOX_RELAY_BATCH", default=500)
OUTBOX_SENDING_ENABLED = env.bool("OUTBOX_SENDING_ENABLED", default=True)
CELERY_BEAT_SCHEDULE["outbox-relay"] = {"task": "outbox.relay", "schedule": 60.0}
# portal.core.subscriptions: following a report, a project, a pool idea, the Mitmachpool. Every
# confirmation link is signed and expires after SUBSCRIPTIONS_CONFIRM_MAX_AGE seconds.
SUBSCRIPTIONS_CONFIRM_MAX_AGE = env.int("SUBSCRIPTIONS_CONFIRM_MAX_AGE", default=7 * 24 * 60 * 60)
# --- end outbox -----------------------------------------------------------------------------------

# --- privacy: retention (portal.core.retention, docs/datenschutz.md) ------------------------------
# The daily job erases what is due and writes the Löschprotokoll (counts only). Periods in days.
PRIVACY_OUTBOX_ADDRESS_DAYS = env.int("PRIVACY_OUTBOX_ADDRESS_DAYS", default=30)
# what was never confirmed by its e-mail link (subscriptions, report supports, accounts)
PRIVACY_UNCONFIRMED_DAYS = env.int("PRIVACY_UNCONFIRMED_DAYS", default=7)
CELERY_BEAT_SCHEDULE["privacy-retention"] = {
    "task": "privacy.retention",
    "schedule": crontab(hour=3, minute=30),
}
# contact data of an Anliegen (Ticket.contact_email, a report's name and address) this many days
# after it was closed; the Anliegen itself stays for its own period (3 years, Aktenplan)
PRIVACY_CONTACT_DAYS_AFTER_CLOSE = env.int("PRIVACY_CONTACT_DAYS_AFTER_CLOSE", default=90)
# applications never sent or never paid (drafts, unpaid, withdrawn), untouched this many days
PRIVACY_DRAFT_DAYS = env.int("PRIVACY_DRAFT_DAYS", default=30)
# uploaded proofs of an application, after its Anliegen closed (the decision is made)
PRIVACY_PROOFS_DAYS_AFTER_CLOSE = env.int("PRIVACY_PROOFS_DAYS_AFTER_CLOSE", default=365)
# a poll's browser keys this many days after its last poll phase ended (a phase that is
# prolonged soon after its end still finds the browsers that answered)
PRIVACY_POLL_KEY_DAYS = env.int("PRIVACY_POLL_KEY_DAYS", default=30)
# reports of contributions ("Melden") this many days after the moderation decided on them
PRIVACY_MODERATION_REPORT_DAYS = env.int("PRIVACY_MODERATION_REPORT_DAYS", default=365)
# "Meine Daten" (portal.core.mydata): a copy of one's data can be downloaded this many days after
# it was asked for, then it is erased; the relay builds copies whose doorbell was not heard.
PRIVACY_EXPORT_DAYS = env.int("PRIVACY_EXPORT_DAYS", default=7)
CELERY_BEAT_SCHEDULE["privacy-export-relay"] = {"task": "privacy.export_relay", "schedule": 120.0}

# --- logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Wagtail's background tasks log every run at INFO
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# --- the city ------------------------------------------------------------------------------------
PORTAL_CITY_NAME = env("CITY_NAME", default="Schwerte")
# open data (/offene-daten/, portal.core.opendata): where the nightly job writes the files, who
# publishes them and under which licence (default: Datenlizenz Deutschland – Namensnennung 2.0)
OPENDATA_ROOT = env.path("OPENDATA_ROOT", default=str(VAR_DIR / "offene-daten"))
OPENDATA_PUBLISHER = env.str("OPENDATA_PUBLISHER", default=f"Stadt {PORTAL_CITY_NAME}")
OPENDATA_LICENSE_URI = env.str(
    "OPENDATA_LICENSE_URI", default="http://dcat-ap.de/def/licenses/dl-by-de/2.0"
)
OPENDATA_LICENSE_NAME = env.str(
    "OPENDATA_LICENSE_NAME", default="Datenlizenz Deutschland – Namensnennung – Version 2.0"
)
OPENDATA_LICENSE_URL = env.str(
    "OPENDATA_LICENSE_URL", default="https://www.govdata.de/dl-de/by-2-0"
)
# DCAT-AP.de: the publisher's id at GovData and the municipality's geocoding URI (Schwerte)
OPENDATA_CONTRIBUTOR_ID = env.str(
    "OPENDATA_CONTRIBUTOR_ID", default="http://dcat-ap.de/def/contributors/buergerportal"
)
OPENDATA_POLITICAL_GEOCODING_URI = env.str(
    "OPENDATA_POLITICAL_GEOCODING_URI",
    default="http://dcat-ap.de/def/politicalGeocoding/municipalityKey/059780036036",
)
PORTAL_STATE = env("CITY_STATE", default="NW")  # Land for public holidays (NRW)

# --- the areas' own settings ----------------------------------------------------------------------
# Mängelmelder, payments, contributions, polls, following, Ideenpool: portal/settings/areas.py
from .areas import *  # noqa: E402,F403
from .areas import AREA_BEAT_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE.update(AREA_BEAT_SCHEDULE)
del AREA_BEAT_SCHEDULE
