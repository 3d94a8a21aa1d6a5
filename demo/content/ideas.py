"""The demo Ideenpool of Schwerte: the Stabsstelle Smart City (with a demo clerk) answers the
pool's ideas, six ideas from different demo citizens stand at different stages (one waits for
the Vorprüfung, one is zulässig with a few supports, one reached the quorum, one was not taken
up with its reason, one is being implemented as part of the Marktplatz project, one came in
through the MitMachBüro), and the home page's "Ideen" tile leads to the pool.

Everything goes through the services, so timelines, tickets, counters and e-mails are what real
use leaves behind. Safe to load again: an idea whose title exists is left as it is. The demo
citizen buerger@schwerte.example supports none of these ideas (a browser test does that).
"""

import json

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from participation.contributions.models import Support
from participation.ideas import services
from participation.ideas.constants import Stage
from participation.ideas.models import PoolIdea
from participation.ideas.rules import allowed
from participation.projects.constants import ContributionChannel
from participation.projects.models import FieldOfAction, ProjectPage
from portal.accounts.models import TrustLevel, User
from portal.cms.models import HomePage, StandardPage
from portal.departments.models import (
    Department,
    DepartmentKind,
    DepartmentMembership,
    District,
    MembershipRole,
)
from portal.tickets.services import ticket_route

DEPARTMENT_NAME = "Stabsstelle Smart City"
DEPARTMENT_SHORT = "SC"
DEPARTMENT_EMAIL = "smart-city@schwerte.example"
# the demo clerk; add it to the README's table of demo accounts
CLERK = ("smartcity@schwerte.example", "Demo-SmartCity-2026", "Svenja", "Smart")
CLERK_GROUP = "Sachbearbeitung"

MARKTPLATZ_SLUG = "neugestaltung-marktplatz"
POOL_URL = "/ideenpool/"
IDEAS_PAGE_SLUG = "ideen"

AUTHOR_EMAIL = "ideen-{:02d}@schwerte.example"
SUPPORTER_EMAIL = "unterstuetzer-{:02d}@schwerte.example"
AUTHORS = ["Anna aus Holzen", "Pendler aus Lichtendorf", "Jonas", "Marktbesucherin", "Familie K."]

# title, text, field of action (code), district, place, author number, supporters (or "quorum"),
# the stages it moves through as (stage, public text), and the Vorhaben it became
IDEAS = [
    {
        "title": "Trinkbrunnen in der Innenstadt",
        "text": "An heißen Tagen fehlt in der Fußgängerzone frisches Wasser. Zwei oder drei "
        "Trinkbrunnen – etwa am Postplatz und an der Hüsingstraße – würden Kindern, älteren "
        "Menschen und allen helfen, die einkaufen.",
        "field": "ZM 03",
        "district": "Schwerte-Mitte",
        "address": "Fußgängerzone, Postplatz",
        "author": 1,
        "supporters": 2,
        "stages": [],
    },
    {
        "title": "Mitfahrbänke für Lichtendorf und Geisecke",
        "text": "Wer auf der Mitfahrbank sitzt, zeigt mit einem Klappschild, wohin er möchte – "
        "Autofahrende nehmen ihn mit. Für die Dörfer, in denen der Bus abends selten fährt, wäre "
        "das eine einfache Hilfe.",
        "field": "ZM 02",
        "district": "Lichtendorf",
        "address": "Lichtendorf, Haltestelle Dorfmitte",
        "author": 2,
        "supporters": 3,
        "stages": [
            (
                Stage.ADMISSIBLE,
                "Vielen Dank für die Idee! Sie ist zulässig: Die Stadt ist zuständig, und "
                "Mitfahrbänke sind auf städtischen Flächen möglich. Wir sammeln jetzt "
                "Unterstützung und klären mit dem Tiefbauamt mögliche Standorte.",
            ),
        ],
    },
    {
        "title": "Freies WLAN auf dem Marktplatz und im Freibad",
        "text": "Ein offenes WLAN an den Orten, an denen sich viele Menschen aufhalten, hilft "
        "Gästen, Jugendlichen und allen, deren Datenvolumen knapp ist. Andere Städte bieten das "
        "längst an.",
        "field": "ZM 08",
        "district": "Schwerte-Mitte",
        "address": "Marktplatz",
        "author": 3,
        "supporters": "quorum",
        "stages": [
            (
                Stage.ADMISSIBLE,
                "Die Idee ist zulässig. Ob und wie ein freies WLAN betrieben werden kann, "
                "hängt von Kosten, Standorten und einem Betreiber ab.",
            ),
            "supports",
            (
                Stage.REVIEW,
                "Die Idee hat das Quorum erreicht und steht auf der Liste für den Rat. Bis zur "
                "Sitzung prüfen wir Kosten, Standorte und mögliche Betreiber.",
            ),
        ],
    },
    {
        "title": "Kostenlos parken im Parkhaus am Rathaus",
        "text": "Wer in der Innenstadt einkauft, sollte im Parkhaus am Rathaus nichts bezahlen "
        "müssen. Das würde die Geschäfte stärken.",
        "field": "ZM 06",
        "district": "Schwerte-Mitte",
        "address": "Parkhaus am Rathaus",
        "author": 4,
        "supporters": 4,
        "stages": [
            (
                Stage.ADMISSIBLE,
                "Die Idee ist zulässig; wir prüfen sie mit der Wirtschaftsförderung.",
            ),
            (
                Stage.REJECTED,
                "Wir nehmen die Idee nicht auf. Die Parkgebühren legt der Rat in der "
                "Parkgebührenordnung fest; aus ihnen werden Unterhalt und Sanierung des Parkhauses "
                "bezahlt. Ohne sie fehlten jedes Jahr rund 180.000 Euro. Die Anregung geht aber in "
                "das Innenstadtkonzept ein: Dort wird eine kostenlose erste halbe Stunde geprüft.",
            ),
        ],
    },
    {
        "title": "Mehr Schatten und Sitzplätze auf dem Marktplatz",
        "text": "Im Sommer ist der Marktplatz eine heiße Steinfläche. Bäume und Bänke im Schatten "
        "würden ihn zu einem Ort machen, an dem man gern bleibt – nicht nur am Markttag.",
        "field": "ZM 01",
        "district": "Schwerte-Mitte",
        "address": "Marktplatz",
        "author": 5,
        "supporters": 6,
        "stages": [
            (Stage.ADMISSIBLE, "Die Idee ist zulässig und passt zur geplanten Neugestaltung."),
            (
                Stage.ELABORATION,
                "Wir konkretisieren die Idee mit dem Planungsamt: Wie viele Bäume haben über "
                "den Leitungen Platz, und wo stehen die Marktstände?",
            ),
            (Stage.REVIEW, "Das Planungsamt prüft Standorte und Kosten."),
            (Stage.PRIORITISED, "Der Ausschuss für Stadtentwicklung hat die Idee priorisiert."),
            (
                Stage.PLANNING,
                "Die Idee ist Teil der Planung zur Neugestaltung des Marktplatzes geworden.",
            ),
            (
                Stage.IMPLEMENTATION,
                "Die Umsetzung hat begonnen: Acht Bäume und zwölf Bänke sind Teil der "
                "Neugestaltung des Marktplatzes.",
            ),
        ],
        "became": MARKTPLATZ_SLUG,
    },
]

OFFLINE_IDEA = {
    "title": "Digital-Sprechstunde für Seniorinnen und Senioren",
    "text": "Einmal in der Woche sollte jemand im Rathaus oder in der Bücherei helfen, das "
    "Smartphone einzurichten und Online-Dienste der Stadt zu nutzen – in Ruhe und ohne Termin.",
    "field": "ZM 07",
    "district": "Ergste",
    "address": "",
    "channel": ContributionChannel.MITMACHBUERO,
    "offline_name": "Frau K. aus Ergste (im MitMachBüro notiert)",
}


# --- people ---------------------------------------------------------------------------------------
def _department(stdout) -> Department:
    department = Department.objects.filter(name=DEPARTMENT_NAME).first()
    if department is None:
        department, created = Department.objects.get_or_create(
            short_name=DEPARTMENT_SHORT,
            defaults={
                "name": DEPARTMENT_NAME,
                "email": DEPARTMENT_EMAIL,
                "kind": DepartmentKind.OFFICE,
            },
        )
        if created:
            stdout.write(f"  Fachbereich angelegt: {DEPARTMENT_NAME}")
    return department


def _clerk(department: Department, stdout) -> User:
    email, password, first, last = CLERK
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=first,
            last_name=last,
            trust_level=TrustLevel.EMAIL_CONFIRMED,
        )
        user.groups.set(Group.objects.filter(name=CLERK_GROUP))
        stdout.write(f"  Konto angelegt: {email}")
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    DepartmentMembership.objects.get_or_create(
        user=user, department=department, defaults={"role": MembershipRole.CLERK}
    )
    return user


def _citizens(pattern: str, count: int, names: list[str] | None = None) -> list[User]:
    """Demo citizens with a confirmed address and no password (nobody logs in as them)."""
    emails = [pattern.format(number) for number in range(1, count + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        [
            User(
                email=email,
                password=make_password(None),
                display_name=names[number] if names else "",
                trust_level=TrustLevel.EMAIL_CONFIRMED,
            )
            for number, email in enumerate(emails)
            if email not in existing
        ]
    )
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    return [users[email] for email in emails]


# --- ideas ----------------------------------------------------------------------------------------
def _submit(entry: dict, *, actor, fields, districts, **extra) -> PoolIdea:
    idea = services.idea_submit(
        actor=actor,
        title=entry["title"],
        text=entry["text"],
        field_of_action=fields.get(entry["field"]) or next(iter(fields.values())),
        district=districts.get(entry["district"]),
        address=entry["address"],
        **extra,
    )
    ticket_route(ticket_id=idea.ticket_id)
    return PoolIdea.objects.select_related("input__ticket").get(pk=idea.pk)


def _support(idea: PoolIdea, users: list[User]) -> None:
    supporting = set(
        Support.objects.filter(idea_id=idea.input_id).values_list("user_id", flat=True)
    )
    for user in users:
        if user.pk not in supporting and user.pk != idea.author_id:
            services.idea_support(actor=user, idea=idea)


def _handler(idea: PoolIdea, clerk: User, office: User | None):
    """The department's clerk answers; if an admin routed the pool elsewhere, the office does."""
    if allowed("ideas.handle", clerk, idea):
        return clerk
    return office


def _build(entry, *, author, supporters, quorum_supporters, clerk, office, fields, districts):
    idea = _submit(entry, actor=author, fields=fields, districts=districts)
    actor = _handler(idea, clerk, office)
    if entry["supporters"] == "quorum":
        helpers = quorum_supporters
    else:
        helpers = supporters[: entry["supporters"]]
    if "supports" not in entry["stages"]:
        _support(idea, helpers)
    for step in entry["stages"]:
        if step == "supports":
            _support(idea, helpers)
            continue
        if actor is None:
            break
        stage, text = step
        services.stage_change(actor=actor, idea=idea, stage=stage, public_text=text)
    became = entry.get("became")
    if became and actor is not None:
        project = ProjectPage.objects.filter(slug=became).first()
        if project is not None:
            services.idea_link_project(actor=actor, idea=idea, project=project)
    return idea


def _link_from_home(stdout) -> None:
    """The home page's "Ideen" tile leads to the Ideenpool, and the page "Ideen einreichen"
    links to it. Changes nothing once they do."""
    home = HomePage.objects.first()
    if home is None:
        return
    tiles = list(home.tiles.raw_data)
    if not any(tile["value"].get("url") == POOL_URL for tile in tiles):
        tile = next((t for t in tiles if t["value"].get("icon") == "idea"), None)
        if tile is not None:
            tile["value"]["page"] = None
            tile["value"]["url"] = POOL_URL
            home.tiles = json.dumps(tiles)
            home.save_revision().publish()
    page = StandardPage.objects.child_of(home).filter(slug=IDEAS_PAGE_SLUG).first()
    if page is not None:
        body = list(page.body.raw_data)
        if POOL_URL not in json.dumps(body):
            body.append(
                {
                    "type": "paragraph",
                    "value": f'<p><a href="{POOL_URL}">Zum Ideenpool: Ideen ansehen, '
                    "einreichen und unterstützen</a></p>",
                }
            )
            page.body = json.dumps(body)
            page.save_revision().publish()
            stdout.write("  Ideenpool von der Startseite verlinkt")


def load(stdout) -> None:
    department = _department(stdout)
    clerk = _clerk(department, stdout)
    category = services.idea_category()
    if category.default_department_id is None:
        category.default_department = department
        category.save(update_fields=["default_department"])
    _link_from_home(stdout)

    fields = {field.code: field for field in FieldOfAction.objects.all()}
    if not fields:
        return  # the Vorhabenliste's demo brings the Handlungsfelder
    districts = {district.name: district for district in District.objects.all()}
    office = User.objects.filter(is_superuser=True).order_by("pk").first()
    existing = set(PoolIdea.objects.values_list("input__title", flat=True))
    missing = [entry for entry in IDEAS if entry["title"] not in existing]
    created = 0
    if missing:
        authors = _citizens(AUTHOR_EMAIL, len(AUTHORS), AUTHORS)
        supporters = _citizens(SUPPORTER_EMAIL, max(settings.IDEAS_QUORUM_SUPPORTS, 8))
        quorum = supporters[: settings.IDEAS_QUORUM_SUPPORTS]
        for entry in missing:
            _build(
                entry,
                author=authors[entry["author"] - 1],
                supporters=supporters,
                quorum_supporters=quorum,
                clerk=clerk,
                office=office,
                fields=fields,
                districts=districts,
            )
            created += 1
    if OFFLINE_IDEA["title"] not in existing and office is not None:
        _submit(
            OFFLINE_IDEA,
            actor=office,
            fields=fields,
            districts=districts,
            channel=OFFLINE_IDEA["channel"],
            offline_name=OFFLINE_IDEA["offline_name"],
        )
        created += 1
    if created:
        stdout.write(f"  Ideenpool: {created} Ideen angelegt")
