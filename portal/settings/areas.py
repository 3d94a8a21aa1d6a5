"""The settings of the areas' apps (participation/, services/), read by base.py at its end.

Each section belongs to one app and is read from the environment like the rest (the .env file is
already read by base.py). Beat entries go into AREA_BEAT_SCHEDULE; base.py adds them to Celery's.
"""

import environ
from celery.schedules import crontab

env = environ.Env()

AREA_BEAT_SCHEDULE: dict[str, dict] = {}

# --- reports --------------------------------------------------------------------------------------
# Mängelmelder. Optional Nominatim-compatible geocoder: its base URL (e.g. the city's own
# Nominatim, "https://nominatim.example.de"); empty = the street list only. Asked for address
# suggestions and lookups, at most REPORTS_GEOCODER_TIMEOUT seconds, answers cached. User agent:
# empty = the portal's name and BASE_URL.
REPORTS_GEOCODER_URL = env("REPORTS_GEOCODER_URL", default="")
REPORTS_GEOCODER_USER_AGENT = env("REPORTS_GEOCODER_USER_AGENT", default="")
REPORTS_GEOCODER_TIMEOUT = env.float("REPORTS_GEOCODER_TIMEOUT", default=2.0)
REPORTS_GEOCODER_CACHE_SECONDS = env.int("REPORTS_GEOCODER_CACHE_SECONDS", default=24 * 60 * 60)
REPORTS_ADDRESS_SUGGEST_LIMIT_PER_MINUTE = env.int("REPORTS_ADDRESS_SUGGEST_LIMIT", default=60)
# "Meldung folgen": requests per hour from one IP address and for one e-mail address
REPORTS_FOLLOW_LIMIT_PER_IP_HOUR = env.int("REPORTS_FOLLOW_LIMIT_PER_IP_HOUR", default=30)
REPORTS_FOLLOW_LIMIT_PER_EMAIL_HOUR = env.int("REPORTS_FOLLOW_LIMIT_PER_EMAIL_HOUR", default=10)
# "Ich bin auch betroffen" with an e-mail address (each sends a confirmation link), per hour
REPORTS_SUPPORT_LIMIT_PER_IP_HOUR = env.int("REPORTS_SUPPORT_LIMIT_PER_IP_HOUR", default=30)
REPORTS_SUPPORT_LIMIT_PER_EMAIL_HOUR = env.int("REPORTS_SUPPORT_LIMIT_PER_EMAIL_HOUR", default=5)
# The map's clusters are kept current by every write; the nightly rebuild catches reports written
# past the writers (an import straight into the database; `manage.py rebuild_map_clusters` at once).
AREA_BEAT_SCHEDULE["reports-map-clusters-rebuild"] = {
    "task": "reports.map_clusters_rebuild",
    "schedule": crontab(hour=3, minute=40),
}
# --- end reports ---
# --- payments -------------------------------------------------------------------------------------
# services/payments. The provider of new payments; "demo" is the built-in stand-in for a payment
# service provider: its pay page moves no money. More providers: PAYMENTS_PROVIDER_CLASSES.
PAYMENTS_PROVIDER = env("PAYMENTS_PROVIDER", default="demo")
# the beat job asks the provider about unfinished payments not checked for this long
PAYMENTS_RECONCILE_AFTER_SECONDS = env.int("PAYMENTS_RECONCILE_AFTER_SECONDS", default=120)
# our own limit for payments the provider never ends itself: cancelled at the provider after this
PAYMENTS_EXPIRE_AFTER_SECONDS = env.int("PAYMENTS_EXPIRE_AFTER_SECONDS", default=2 * 60 * 60)
# the demo provider: its transactions expire like GOV.UK Pay's (90 minutes)
PAYMENTS_DEMO_TTL_SECONDS = env.int("PAYMENTS_DEMO_TTL_SECONDS", default=90 * 60)
PAYMENTS_DEMO_WEBHOOK_SECRET = env(
    "PAYMENTS_DEMO_WEBHOOK_SECRET", default="dev-only-demo-webhook-secret"
)
# off: poll-only, like XBezahldienste (the return and the beat job still settle every payment)
PAYMENTS_DEMO_WEBHOOKS = env.bool("PAYMENTS_DEMO_WEBHOOKS", default=True)
# GOV.UK Pay's retry schedule after a failed delivery: 1 min, 5 min, 1 h, 1 day, 2 days
PAYMENTS_DEMO_WEBHOOK_RETRY_DELAYS = env.list(
    "PAYMENTS_DEMO_WEBHOOK_RETRY_DELAYS", cast=int, default=[60, 300, 3600, 86400, 172800]
)
AREA_BEAT_SCHEDULE["payments-reconcile"] = {"task": "payments.reconcile", "schedule": 60.0}
AREA_BEAT_SCHEDULE["payments-demo-webhooks"] = {
    "task": "payments.demo_webhooks_relay",
    "schedule": 60.0,
}
# --- end payments ---------------------------------------------------------------------------------
# --- contributions --------------------------------------------------------------------------------
# participation/contributions: ideas, comments, supports, moderation, offline input (MitMachBüro).
# A contribution with this many open reports is hidden until a moderator decides.
CONTRIBUTIONS_AUTO_HIDE_AFTER_REPORTS = env.int("CONTRIBUTIONS_AUTO_HIDE_AFTER_REPORTS", default=3)
# authors may change their own comment or idea for this long after sending it
CONTRIBUTIONS_EDIT_MINUTES = env.int("CONTRIBUTIONS_EDIT_MINUTES", default=15)
# "Melden" is open to everyone: reports per IP address and hour
CONTRIBUTIONS_REPORT_LIMIT_PER_IP_HOUR = env.int(
    "CONTRIBUTIONS_REPORT_LIMIT_PER_IP_HOUR", default=20
)
# --- end contributions ----------------------------------------------------------------------------
# --- polls ----------------------------------------------------------------------------------------
# participation/polls. Answers without an account: at most this many per IP address and hour
# (offices and schools share an address), one per browser (signed cookie) and per account.
POLLS_ANSWER_LIMIT_PER_IP_HOUR = env.int("POLLS_ANSWER_LIMIT_PER_IP_HOUR", default=60)
POLLS_FREE_TEXT_MAX_LENGTH = env.int("POLLS_FREE_TEXT_MAX_LENGTH", default=2000)
POLLS_BROWSER_COOKIE_NAME = "umfrage_browser"
POLLS_BROWSER_COOKIE_AGE = 2 * 365 * 24 * 60 * 60
# --- end polls ------------------------------------------------------------------------------------
# --- following ------------------------------------------------------------------------------------
# participation/following: "Vorhaben folgen" and the Mitmachpool (confirmation links expire after
# SUBSCRIPTIONS_CONFIRM_MAX_AGE, the kernel's). The scan looks back FOLLOWING_NOTICE_LOOKBACK_HOURS
# for phases that started, progress updates and results (a missed run loses nothing; the outbox
# key sends each notice once).
FOLLOWING_NOTICE_LOOKBACK_HOURS = env.int("FOLLOWING_NOTICE_LOOKBACK_HOURS", default=48)
FOLLOWING_LIMIT_PER_IP_HOUR = env.int("FOLLOWING_LIMIT_PER_IP_HOUR", default=30)
FOLLOWING_LIMIT_PER_EMAIL_HOUR = env.int("FOLLOWING_LIMIT_PER_EMAIL_HOUR", default=5)
AREA_BEAT_SCHEDULE["following-notices-scan"] = {
    "task": "following.notices_scan",
    "schedule": 10 * 60.0,
}
# --- end following --------------------------------------------------------------------------------
# --- ideas ----------------------------------------------------------------------------------------
# participation/ideas, the Ideenpool. An idea that reaches IDEAS_QUORUM_SUPPORTS supports within
# IDEAS_SUPPORT_WEEKS weeks of its submission goes to the council list (Schwerte: 75 in 6 weeks).
# Whether a reached quorum stays reached when supports are withdrawn later in the window:
IDEAS_QUORUM_SUPPORTS = env.int("IDEAS_QUORUM_SUPPORTS", default=75)
IDEAS_SUPPORT_WEEKS = env.int("IDEAS_SUPPORT_WEEKS", default=6)
IDEAS_QUORUM_KEPT_AFTER_WITHDRAWAL = env.bool("IDEAS_QUORUM_KEPT_AFTER_WITHDRAWAL", default=True)
IDEAS_SUBMIT_LIMIT_PER_USER_DAY = env.int("IDEAS_SUBMIT_LIMIT_PER_USER_DAY", default=10)
# --- end ideas ------------------------------------------------------------------------------------
