"""The demo site of Schwerte: home page, entry pages, legal pages and a little news."""

import datetime
import json

from django.urls import reverse
from wagtail.models import Page, Site

from portal.cms.models import HomePage, NewsIndexPage, NewsPage, SiteSettings, StandardPage


def _p(*paragraphs: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]


def _h(text: str) -> dict:
    return {"type": "heading", "value": text}


def _box(title: str, text: str, kind: str = "info") -> dict:
    return {"type": "infobox", "value": {"kind": kind, "title": title, "text": f"<p>{text}</p>"}}


ENTRY_PAGES = [
    # slug, title, in menu, intro, body
    (
        "maengel-melden",
        "Mängel melden",
        True,
        "Schlagloch, defekte Laterne, wilder Müll: Sagen Sie uns, wo etwas nicht in Ordnung ist.",
        [
            _box(
                "Notfall?",
                "Bei Gefahr für Leib und Leben rufen Sie bitte sofort die Polizei (110) oder die "
                "Feuerwehr (112) an. Der Mängelmelder ist nicht für Notfälle gedacht.",
                "warning",
            ),
            *_p(
                "Mit dem Mängelmelder melden Sie Schäden und Störungen im öffentlichen Raum – "
                "mit Ort, Foto und Kategorie. Ihre Meldung geht direkt an den zuständigen "
                "Fachbereich, und Sie können jederzeit sehen, wie weit die Bearbeitung ist.",
                "Sie brauchen dafür kein Konto. Ihre persönlichen Daten werden nie öffentlich "
                "angezeigt.",
                '<a href="/maengel/melden/">Jetzt einen Mangel melden</a> oder '
                '<a href="/maengel/">alle Meldungen ansehen</a>.',
            ),
        ],
    ),
    (
        "online-dienste",
        "Online-Dienste",
        True,
        "Urkunden bestellen, Anträge stellen und Gebühren online bezahlen – rund um die Uhr.",
        _p(
            "Im Serviceportal finden Sie alle Leistungen der Stadtverwaltung Schwerte: welche "
            "schon online möglich sind, was sie kosten und ob Sie direkt online bezahlen können.",
            "Für Leistungen des Landes verweisen wir auf das Servicekonto.NRW.",
        ),
    ),
    (
        "ideen",
        "Ideen einreichen",
        True,
        "Sie haben eine Idee für Schwerte? Reichen Sie sie ein und sammeln Sie Unterstützung.",
        _p(
            "Im Ideenpool kann jede und jeder Vorschläge für unsere Stadt machen. Erreicht eine "
            "Idee 75 Unterstützungen in 6 Wochen, wird sie nach einer Vorprüfung dem Rat "
            "vorgelegt.",
            "Jede Idee bleibt sichtbar – auch wenn sie nicht umgesetzt werden kann, erfahren Sie "
            "den Grund.",
        ),
    ),
    (
        "mitmachen",
        "Mitmachen",
        True,
        "Die MitMachStadt: Vorhaben der Stadt, Beteiligungsverfahren und Umfragen.",
        _p(
            "In der Vorhabenliste sehen Sie, woran die Stadt arbeitet, was es kostet und wie Sie "
            "sich beteiligen können – von der Information bis zur Mitentscheidung.",
            "Sie möchten lieber persönlich mitmachen? Das MitMachBüro im Rathaus hilft Ihnen "
            "gern und nimmt Ihre Beiträge auch auf Papier oder am Telefon auf.",
        ),
    ),
    (
        "ueber-das-portal",
        "Über das Portal",
        True,
        "Was das Bürgerportal ist, wer es betreibt und wie Ihre Anliegen bearbeitet werden.",
        [
            *_p(
                "Das Bürgerportal ist die gemeinsame digitale Anlaufstelle der Stadt Schwerte "
                "für Beteiligung, Mängelmeldungen und Online-Dienste.",
            ),
            _h("Was mit Ihrem Anliegen passiert"),
            *_p(
                "Jede Meldung, jeder Antrag und jede Idee wird zu einem Anliegen mit einer "
                "Vorgangsnummer. Das Anliegen geht an den zuständigen Fachbereich, und Sie "
                "erhalten bei jedem Schritt eine Nachricht.",
            ),
        ],
    ),
]

# Line breaks as Wagtail stores them (`<br/>`): its page editor cannot read a bare `<br>` (500).
LEGAL_PAGES = [
    (
        "impressum",
        "Impressum",
        "Angaben gemäß § 5 Digitale-Dienste-Gesetz.",
        _p(
            "Stadt Schwerte<br/>Der Bürgermeister<br/>Rathausstraße 31<br/>58239 Schwerte",
            "Telefon: 02304 104-0<br/>E-Mail: buergerportal@schwerte.example",
            "Die Stadt Schwerte ist eine Körperschaft des öffentlichen Rechts. Sie wird durch den "
            "Bürgermeister vertreten.",
            "Hinweis: Dies ist eine Demo-Installation des quelloffenen Bürgerportals.",
        ),
    ),
    (
        "datenschutz",
        "Datenschutz",
        "Wie wir mit Ihren Daten umgehen und wie Sie Ihre Rechte wahrnehmen.",
        None,  # _privacy_body(): its links are the portal's own addresses, reversed at load time
    ),
    (
        "barrierefreiheit",
        "Erklärung zur Barrierefreiheit",
        "Die Stadt Schwerte ist bemüht, das Bürgerportal barrierefrei zugänglich zu machen.",
        [
            _h("Stand der Vereinbarkeit mit den Anforderungen"),
            *_p(
                "Dieses Portal soll die Anforderungen der Barrierefreie-Informationstechnik-"
                "Verordnung (BITV 2.0) und der WCAG 2.1 auf Stufe AA erfüllen. Jede Seite wird "
                "bei jeder Änderung automatisch geprüft. Das Portal ist derzeit teilweise mit "
                "den Anforderungen vereinbar.",
            ),
            _h("Nicht barrierefreie Inhalte"),
            *_p(
                "Ältere PDF-Dokumente sind nicht immer barrierefrei. Kartenansichten haben "
                "stets eine gleichwertige Liste und ein Adressfeld als Alternative.",
            ),
            _h("Barriere melden"),
            *_p(
                "Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Schreiben Sie uns an "
                "barrierefreiheit@schwerte.example oder rufen Sie an: 02304 104-0. Wir antworten "
                "innerhalb eines Monats.",
                'Am schnellsten geht es mit unserem <a href="/barrierefreiheit/rueckmeldung/">'
                "Formular „Barriere melden“</a>.",
            ),
            _h("Schlichtungsverfahren"),
            *_p(
                "Wenn Sie keine zufriedenstellende Antwort erhalten, können Sie sich an die "
                "Ombudsstelle für barrierefreie Informationstechnik des Landes NRW wenden: "
                '<a href="https://www.mags.nrw/ombudsstelle-barrierefreie-it">'
                "Ombudsstelle barrierefreie IT NRW</a>.",
            ),
        ],
    ),
    (
        "leichte-sprache",
        "Leichte Sprache",
        "Das Bürger·portal in Leichter Sprache.",
        _p(
            "Das ist das Bürger·portal von der Stadt Schwerte.",
            "Hier können Sie der Stadt etwas sagen.<br/>Zum Beispiel: Eine Lampe an der Straße "
            "ist kaputt.",
            "Hier können Sie auch Ideen für die Stadt aufschreiben.",
            "Sie brauchen Hilfe?<br/>Rufen Sie an: 02304 104-0.",
        ),
    ),
]

NEWS = [
    (
        "start-buergerportal",
        "Das neue Bürgerportal ist online",
        datetime.date(2026, 11, 2),
        "Mängel melden, Ideen einreichen, Anträge stellen: Ab sofort an einem Ort.",
    ),
    (
        "laub-2026",
        "Laubsammlung im November",
        datetime.date(2026, 11, 9),
        "Die Technischen Betriebe holen Laub von städtischen Bäumen in allen Stadtteilen ab.",
    ),
    (
        "ruhrufer-beteiligung",
        "Ruhrufer Westhofen: Ihre Meinung ist gefragt",
        datetime.date(2026, 11, 16),
        "Wie soll das Ruhrufer in Westhofen künftig aussehen? Die Online-Beteiligung läuft.",
    ),
]


def _privacy_body() -> list[dict]:
    my_data, delete = reverse("accounts:my_data"), reverse("accounts:delete")
    return [
        *_p(
            "Wir verarbeiten nur die Daten, die für Ihr Anliegen nötig sind (Art. 5 DSGVO). "
            "Öffentlich erscheinen nie Ihr Name oder Ihre E-Mail-Adresse, sondern nur ein "
            "selbst gewählter Anzeigename oder „anonym“.",
        ),
        _h("Cookies und Inhalte anderer Anbieter"),
        *_p(
            "Das Portal setzt nur technisch notwendige Cookies (Sitzung, Schutz vor "
            "Fälschung von Anfragen). Es gibt keine Analyse- oder Werbe-Cookies. Karten und "
            "eingebettete Videos anderer Anbieter laden erst, wenn Sie es mit einem Klick "
            "erlauben; vorher erhält kein anderer Anbieter Ihre IP-Adresse.",
        ),
        _h("Ihre Rechte"),
        *_p(
            "Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung "
            "(Art. 17), Einschränkung der Verarbeitung (Art. 18), Datenübertragbarkeit (Art. 20) "
            "und Widerspruch (Art. 21). Vieles davon erledigen Sie selbst im Portal:",
        ),
        _h("Eine Kopie Ihrer Daten"),
        *_p(
            f'Mit einem Konto fordern Sie unter <a href="{my_data}">Meine Daten</a> jederzeit '
            "eine Kopie aller Daten an, die das Portal zu Ihnen gespeichert hat: Anliegen, "
            "Meldungen, Anträge mit Ihren Nachweisen, Zahlungen, Ideen, Kommentare und "
            "Benachrichtigungen. Sie erhalten eine lesbare Seite und dieselben Daten für "
            "Programme; wir schreiben Ihnen, sobald die Kopie bereit ist.",
            "Ohne Konto öffnen Sie den Link zur Statusseite aus Ihrer Eingangsbestätigung. Dort "
            "fordern Sie eine Kopie von allem an, was Sie mit diesem Anliegen geschickt haben; "
            "den Link zum Herunterladen schicken wir an die E-Mail-Adresse, die Sie dabei "
            "angegeben haben.",
        ),
        _h("Ihr Konto löschen"),
        *_p(
            f'Unter <a href="{delete}">Konto löschen</a> löschen Sie Ihr Konto selbst, sofort '
            "und endgültig. Ihre öffentlichen Beiträge bleiben ohne Ihren Namen als „gelöschtes "
            "Konto“ stehen. Anliegen, Anträge und Zahlungen, die die Stadt aufbewahren muss, "
            "bleiben ohne Bezug zu Ihnen erhalten, bis ihre gesetzliche Aufbewahrungsfrist endet.",
        ),
        _h("Unsere Datenschutzbeauftragte"),
        *_p(
            "Für alle anderen Fragen und Anliegen zu Ihren Daten, etwa eine Berichtigung oder "
            "einen Widerspruch, oder wenn Sie uns lieber schreiben, wenden Sie sich an unsere "
            "Datenschutzbeauftragte:",
        ),
        {"type": "privacy_contact", "value": None},
        _h("Beschwerde bei der Aufsichtsbehörde"),
        *_p(
            "Sie können sich auch bei der Landesbeauftragten für Datenschutz und "
            "Informationsfreiheit Nordrhein-Westfalen beschweren: "
            '<a href="https://www.ldi.nrw.de">www.ldi.nrw.de</a>.',
        ),
        _h("Welche Daten wir wofür verarbeiten"),
        *_p(
            "Die folgende Übersicht nennt für jede Art von Daten im Portal den Zweck, die "
            "Rechtsgrundlage und wie lange wir sie speichern. Sie entsteht aus denselben "
            "Festlegungen, nach denen das Portal Daten herausgibt und löscht.",
        ),
        {"type": "processing_overview", "value": None},
    ]


def _child(parent: Page, slug: str):
    return parent.get_children().filter(slug=slug).specific().first()


def load(stdout) -> None:
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="Bürgerportal Schwerte",
            slug="startseite",
            seo_title="Bürgerportal der Stadt Schwerte",
            intro="<p>Willkommen im Bürgerportal der Stadt Schwerte. Hier melden Sie Mängel, "
            "erledigen Behördengänge online und gestalten Ihre Stadt mit.</p>",
        )
        root.add_child(instance=home)
        stdout.write("  Startseite angelegt")

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Bürgerportal Schwerte",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Bürgerportal Schwerte"
        site.save()
    # Wagtail's "Welcome" placeholder page is no longer needed
    Page.objects.filter(depth=2, content_type__model="page", slug="home").delete()

    pages = {}
    for slug, title, in_menu, intro, body in ENTRY_PAGES:
        pages[slug] = _child(home, slug) or home.add_child(
            instance=StandardPage(
                title=title,
                slug=slug,
                show_in_menus=in_menu,
                intro=intro,
                body=json.dumps(body),
            )
        )
    for slug, title, intro, body in LEGAL_PAGES:
        body = _privacy_body() if slug == "datenschutz" else body
        pages[slug] = _child(home, slug) or home.add_child(
            instance=StandardPage(title=title, slug=slug, intro=intro, body=json.dumps(body))
        )

    news_index = _child(home, "aktuelles") or home.add_child(
        instance=NewsIndexPage(
            title="Aktuelles",
            slug="aktuelles",
            show_in_menus=True,
            intro="Neuigkeiten aus dem Bürgerportal und der Stadtverwaltung.",
        )
    )
    for slug, title, date, teaser in NEWS:
        if _child(news_index, slug) is None:
            news_index.add_child(
                instance=NewsPage(
                    title=title,
                    slug=slug,
                    date=date,
                    teaser=teaser,
                    body=json.dumps(_p(teaser)),
                )
            )

    if not home.tiles:
        home.tiles = json.dumps(
            [
                _tile(
                    "Mängel melden",
                    "Schlagloch, Laterne, Müll: Melden Sie Schäden im Stadtgebiet.",
                    "report",
                    pages["maengel-melden"],
                ),
                _tile(
                    "Online-Dienste",
                    "Anträge stellen, Urkunden bestellen und online bezahlen.",
                    "service",
                    pages["online-dienste"],
                ),
                _tile(
                    "Ideen einreichen",
                    "Machen Sie Vorschläge und unterstützen Sie die Ideen anderer.",
                    "idea",
                    pages["ideen"],
                ),
                _tile(
                    "Mitmachen",
                    "Vorhaben der Stadt, Beteiligungen und Umfragen.",
                    "participate",
                    pages["mitmachen"],
                ),
            ]
        )
        home.save_revision().publish()

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    if settings.impressum_page_id is None:
        settings.impressum_page = pages["impressum"]
        settings.privacy_page = pages["datenschutz"]
        settings.accessibility_page = pages["barrierefreiheit"]
        settings.easy_language_page = pages["leichte-sprache"]
        settings.contact_address = "Stadt Schwerte\nRathausstraße 31\n58239 Schwerte"
        settings.contact_phone = "02304 104-0"
        settings.contact_email = "buergerportal@schwerte.example"
        settings.save()
    if not (settings.dpo_name or settings.dpo_email):
        # fictitious, like every person of the demo
        settings.dpo_name = "Datenschutzbeauftragte der Stadt Schwerte"
        settings.dpo_address = (
            "Stadt Schwerte\nDatenschutzbeauftragte\nRathausstraße 31\n58239 Schwerte"
        )
        settings.dpo_phone = "02304 104-0"
        settings.dpo_email = "datenschutz@schwerte.example"
        settings.save()


def _tile(title: str, text: str, icon: str, page: Page) -> dict:
    return {
        "type": "tile",
        "value": {"title": title, "text": text, "icon": icon, "page": page.pk, "url": ""},
    }
