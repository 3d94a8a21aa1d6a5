"""The content of the demo catalogue: Lebenslagen, departments, application categories and
28 services of the city of Schwerte (13 of them online).

LeiKa keys are left empty on purpose: a wrong key looks as real as a right one, and only keys
checked against the federal catalogue belong here.
"""

# the code-defined forms of services/eforms that the catalogue offers; their fees are declared in
# the form (services/eforms/definitions), and the service page publishes them from there
FORM_PERSONENSTANDSURKUNDE = "personenstandsurkunde"
FORM_FLURKARTE = "flurkarte"
FORM_SPERRMUELL = "sperrmuell"
FORM_BUECHEREIAUSWEIS = "buechereiausweis"

SERVICEKONTO = ("https://servicekonto.nrw/", "Servicekonto.NRW")
WIRTSCHAFTSPORTAL = ("https://service.wirtschaft.nrw/", "Wirtschafts-Service-Portal.NRW")
BAUPORTAL = ("https://bauportal.nrw/", "Bauportal.NRW")
FUEHRUNGSZEUGNIS = (
    "https://www.fuehrungszeugnis.bund.de/",
    "Online-Portal des Bundesamts für Justiz",
)

TOPICS = [
    # slug, name, icon, description
    ("familie-und-kinder", "Familie und Kinder", "family", "Geburt, Heirat, Kita und Ferien."),
    ("wohnen-und-bauen", "Wohnen und Bauen", "house", "Umzug, Grundstück und Bauvorhaben."),
    ("abfall-und-umwelt", "Abfall und Umwelt", "leaf", "Sperrmüll, Tonnen, Bäume."),
    (
        "ausweise-und-dokumente",
        "Ausweise und Dokumente",
        "id-card",
        "Ausweis, Pass, Urkunden und Bescheinigungen.",
    ),
    ("bildung-und-kultur", "Bildung und Kultur", "book", "Stadtbücherei, Schule und Freizeit."),
    ("mobilitaet", "Mobilität", "car", "Parken, Umzug und Schulweg."),
    ("gewerbe", "Gewerbe", "briefcase", "Gewerbe anmelden, ändern und abmelden."),
    ("soziales", "Soziales", "heart", "Wohngeld und Hilfen für den Alltag."),
]

# departments the catalogue needs beyond those of demo/content/departments.py
DEPARTMENTS = [
    ("Stadtbücherei", "BUE", "stadtbuecherei@schwerte.example"),
    ("Sozialamt", "SOZ", "sozialamt@schwerte.example"),
    ("Bauordnungsamt", "BOA", "bauordnung@schwerte.example"),
    ("Schulverwaltungsamt", "SVA", "schulverwaltung@schwerte.example"),
    ("Steueramt", "STEU", "steueramt@schwerte.example"),
]

# the categories that applications of the code-defined forms become Anliegen in
APPLICATION_CATEGORIES = {
    # form key: (slug, name, department short name, SLA working days, icon)
    FORM_PERSONENSTANDSURKUNDE: (
        "antrag-personenstandsurkunde",
        "Antrag: Personenstandsurkunde",
        "STA",
        5,
        "document",
    ),
    FORM_FLURKARTE: (
        "antrag-flurkarte",
        "Antrag: Auszug aus dem Liegenschaftskataster",
        "VKA",
        3,
        "map",
    ),
    FORM_SPERRMUELL: ("antrag-sperrmuell", "Antrag: Sperrmüllabholung", "TBS", 10, "trash"),
    FORM_BUECHEREIAUSWEIS: (
        "antrag-buechereiausweis",
        "Antrag: Büchereiausweis",
        "BUE",
        5,
        "book",
    ),
}


def _docs(*items: tuple[str, str] | str) -> list[dict]:
    blocks = []
    for item in items:
        name, note = (item, "") if isinstance(item, str) else item
        blocks.append({"type": "document", "value": {"name": name, "note": note}})
    return blocks


def _body(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


SERVICES = [
    {
        "slug": "personenstandsurkunde",
        "title": "Personenstandsurkunde beantragen",
        "topics": ["ausweise-und-dokumente", "familie-und-kinder"],
        "department": "STA",
        "teaser": "Geburts-, Ehe-, Lebenspartnerschafts- oder Sterbeurkunde aus den Registern "
        "des Standesamts Schwerte online bestellen und bezahlen.",
        "body": _body(
            "Das Standesamt stellt Urkunden aus den Personenstandsregistern aus, wenn das "
            "Ereignis – Geburt, Eheschließung oder Sterbefall – in Schwerte beurkundet wurde.",
            "Urkunden erhalten die Person selbst, ihre Ehegattin oder ihr Ehegatte, Eltern, "
            "Kinder und Enkel. Andere Personen müssen ein rechtliches Interesse nachweisen.",
        ),
        "is_online": True,
        "has_fee": True,
        "has_epayment": True,
        "documents": _docs(
            ("Personalausweis oder Reisepass", "bei Abholung im Standesamt"),
            (
                "Nachweis des rechtlichen Interesses",
                "nur bei Urkunden über Personen, mit denen Sie nicht in gerader Linie "
                "verwandt sind",
            ),
        ),
        "processing_time": "in der Regel 3 bis 5 Werktage, dann Versand per Post",
        "legal_basis": "§§ 55 und 62 Personenstandsgesetz (PStG)",
        "form_key": FORM_PERSONENSTANDSURKUNDE,
    },
    {
        "slug": "flurkarte",
        "title": "Auszug aus dem Liegenschaftskataster (Flurkarte) bestellen",
        "topics": ["wohnen-und-bauen"],
        "department": "VKA",
        "teaser": "Flurkarte oder Liegenschaftsbeschreibung für ein Grundstück in Schwerte "
        "online bestellen, bezahlen und als PDF erhalten.",
        "body": _body(
            "Die Flurkarte zeigt Grundstücksgrenzen, Flurstücksnummern und Gebäude. Sie "
            "brauchen sie zum Beispiel für einen Bauantrag, einen Kaufvertrag oder eine "
            "Finanzierung.",
            "Auszüge ohne Angaben zu Eigentümerinnen und Eigentümern erhält jede Person. Für "
            "Auszüge mit Eigentümerangaben müssen Sie ein berechtigtes Interesse darlegen.",
        ),
        "is_online": True,
        "has_fee": True,
        "has_epayment": True,
        "documents": _docs(
            ("Angaben zum Grundstück", "Adresse oder Gemarkung, Flur und Flurstück"),
            ("Nachweis des berechtigten Interesses", "nur bei Auszügen mit Eigentümerangaben"),
        ),
        "processing_time": "in der Regel 1 bis 2 Werktage",
        "legal_basis": "Vermessungs- und Katastergesetz NRW (VermKatG NRW)\n"
        "Vermessungs- und Wertermittlungsgebührenordnung NRW (VermWertGebO NRW)",
        "form_key": FORM_FLURKARTE,
    },
    {
        "slug": "sperrmuell",
        "title": "Sperrmüll anmelden",
        "topics": ["abfall-und-umwelt"],
        "department": "TBS",
        "teaser": "Abholtermin für Möbel und andere sperrige Gegenstände aus Ihrem Haushalt "
        "online vereinbaren.",
        "body": _body(
            "Die Technischen Betriebe holen Sperrmüll aus Schwerter Haushalten auf Abruf ab. "
            "Sie nennen uns die Gegenstände und erhalten einen Abholtermin.",
            "Elektrogeräte, Bauschutt und Sonderabfälle gehören nicht in den Sperrmüll.",
        ),
        "is_online": True,
        "has_fee": False,
        "has_epayment": False,
        "documents": _docs(("Liste der Gegenstände", "Art und ungefähre Menge")),
        "processing_time": "Abholtermin in der Regel innerhalb von drei Wochen",
        "legal_basis": "Abfallsatzung der Stadt Schwerte",
        "form_key": FORM_SPERRMUELL,
    },
    {
        "slug": "buechereiausweis",
        "title": "Büchereiausweis beantragen oder verlängern",
        "topics": ["bildung-und-kultur"],
        "department": "BUE",
        "teaser": "Ausweis der Stadtbücherei online beantragen oder um ein Jahr verlängern – "
        "für Bücher, Medien und die Onleihe.",
        "body": _body(
            "Mit dem Büchereiausweis leihen Sie Bücher, Filme, Spiele und E-Medien aus. Sie "
            "können ihn online beantragen und die Jahresgebühr direkt bezahlen.",
        ),
        "is_online": True,
        "has_fee": True,
        "has_epayment": True,
        "documents": _docs(
            ("Personalausweis oder Reisepass", "bei der ersten Ausleihe vorzeigen"),
            ("Einverständnis der Eltern", "bei Kindern und Jugendlichen unter 18 Jahren"),
        ),
        "processing_time": "sofort nach dem Bezahlen nutzbar",
        "legal_basis": "Benutzungs- und Entgeltordnung der Stadtbücherei Schwerte",
        "form_key": FORM_BUECHEREIAUSWEIS,
    },
    {
        "slug": "personalausweis",
        "title": "Personalausweis beantragen",
        "topics": ["ausweise-und-dokumente"],
        "department": "BB",
        "teaser": "Einen neuen Personalausweis beantragen Sie persönlich im Bürgerbüro – "
        "am besten mit Termin.",
        "body": _body(
            "Deutsche ab 16 Jahren müssen einen gültigen Personalausweis oder Reisepass "
            "besitzen. Für die Fingerabdrücke und die Unterschrift müssen Sie persönlich "
            "kommen.",
        ),
        "is_online": False,
        "has_fee": True,
        "fee_amount": "37.00",
        "fee_text": "ab 24 Jahren; unter 24 Jahren 22,80 €",
        "documents": _docs(
            "bisheriger Personalausweis oder Reisepass",
            "ein aktuelles biometrisches Lichtbild",
            ("Geburts- oder Eheurkunde", "nur wenn Sie kein Ausweisdokument haben"),
        ),
        "processing_time": "etwa 3 bis 4 Wochen",
        "legal_basis": "Personalausweisgesetz (PAuswG)\n"
        "Personalausweisgebührenverordnung (PAuswGebV)",
    },
    {
        "slug": "reisepass",
        "title": "Reisepass beantragen",
        "topics": ["ausweise-und-dokumente"],
        "department": "BB",
        "teaser": "Reisepass für Reisen außerhalb der EU persönlich im Bürgerbüro beantragen.",
        "body": _body(
            "Für viele Länder außerhalb der Europäischen Union brauchen Sie einen Reisepass. "
            "Planen Sie genug Zeit ein: Die Herstellung dauert mehrere Wochen.",
        ),
        "is_online": False,
        "has_fee": True,
        "fee_amount": "70.00",
        "fee_text": "ab 24 Jahren; unter 24 Jahren 37,50 €",
        "documents": _docs(
            "bisheriger Reisepass oder Personalausweis",
            "ein aktuelles biometrisches Lichtbild",
        ),
        "processing_time": "etwa 3 bis 4 Wochen",
        "legal_basis": "Passgesetz (PassG)\nPassverordnung (PassV)",
    },
    {
        "slug": "wohnsitz-anmelden",
        "title": "Wohnsitz anmelden oder ummelden",
        "topics": ["ausweise-und-dokumente", "wohnen-und-bauen"],
        "department": "BB",
        "teaser": "Nach einem Umzug nach Schwerte oder innerhalb der Stadt melden Sie sich "
        "innerhalb von zwei Wochen im Bürgerbüro an.",
        "body": _body(
            "Sie können auch eine andere Person mit der Anmeldung beauftragen. Sie braucht "
            "dann eine schriftliche Vollmacht und Ihren Ausweis.",
        ),
        "is_online": False,
        "has_fee": False,
        "documents": _docs(
            ("Personalausweis oder Reisepass", "aller umziehenden Personen"),
            ("Wohnungsgeberbestätigung", "von Ihrer Vermieterin oder Ihrem Vermieter"),
        ),
        "processing_time": "sofort bei Ihrem Termin",
        "legal_basis": "§ 17 Bundesmeldegesetz (BMG)",
    },
    {
        "slug": "meldebescheinigung",
        "title": "Meldebescheinigung beantragen",
        "topics": ["ausweise-und-dokumente"],
        "department": "BB",
        "teaser": "Bescheinigung über Ihre Anschrift online beantragen und bezahlen; sie "
        "kommt per Post.",
        "body": _body(
            "Eine Meldebescheinigung bestätigt, wo Sie gemeldet sind – zum Beispiel für "
            "Arbeitgeber, Banken oder Behörden im Ausland.",
        ),
        "is_online": True,
        "has_fee": True,
        "has_epayment": True,
        "fee_amount": "5.00",
        "fee_text": "einfache Meldebescheinigung",
        "documents": _docs(("Servicekonto.NRW", "für den Online-Antrag")),
        "processing_time": "Versand per Post in der Regel innerhalb von 3 Werktagen",
        "legal_basis": "§ 18 Bundesmeldegesetz (BMG)",
        "external": SERVICEKONTO,
    },
    {
        "slug": "fuehrungszeugnis",
        "title": "Führungszeugnis beantragen",
        "topics": ["ausweise-und-dokumente"],
        "department": "BB",
        "teaser": "Führungszeugnis online beim Bundesamt für Justiz beantragen – mit der "
        "Online-Ausweisfunktion – oder persönlich im Bürgerbüro.",
        "body": _body(
            "Das Führungszeugnis stellt das Bundesamt für Justiz aus. Online beantragen Sie es "
            "dort mit der Online-Ausweisfunktion Ihres Personalausweises; im Bürgerbüro nehmen "
            "wir Ihren Antrag entgegen.",
            "Für ehrenamtlich Tätige kann die Gebühr auf Antrag erlassen werden.",
        ),
        "is_online": True,
        "has_fee": True,
        "has_epayment": True,
        "fee_amount": "13.00",
        "fee_text": "",
        "documents": _docs(
            ("Personalausweis mit Online-Ausweisfunktion", "für den Online-Antrag"),
            ("Bestätigung des Trägers", "nur für die Gebührenbefreiung bei Ehrenamt"),
        ),
        "processing_time": "in der Regel 1 bis 2 Wochen, Versand durch das Bundesamt für Justiz",
        "legal_basis": "§ 30 Bundeszentralregistergesetz (BZRG)",
        "external": FUEHRUNGSZEUGNIS,
    },
    {
        "slug": "gewerbe-anmelden",
        "title": "Gewerbe anmelden",
        "topics": ["gewerbe"],
        "department": "OA",
        "teaser": "Gewerbe in Schwerte online im Wirtschafts-Service-Portal.NRW (früher "
        "Gewerbe-Service-Portal.NRW) anmelden und die Gebühr bezahlen.",
        "body": _body(
            "Wer ein Gewerbe beginnt, muss es beim Ordnungsamt anzeigen. Online geht das im "
            "Wirtschafts-Service-Portal.NRW; es leitet die Anzeige an uns weiter.",
            "Erlaubnispflichtige Gewerbe (zum Beispiel Makler oder Bewachung) brauchen "
            "zusätzlich eine Erlaubnis.",
        ),
        "is_online": True,
        "has_fee": True,
        "has_epayment": True,
        "fee_amount": "26.00",
        "fee_text": "für natürliche Personen; juristische Personen 33,00 €",
        "documents": _docs(
            "Personalausweis oder Reisepass",
            ("Handelsregisterauszug", "wenn der Betrieb eingetragen ist"),
            ("Erlaubnis oder Handwerkskarte", "bei erlaubnispflichtigen Gewerben und Handwerk"),
        ),
        "processing_time": "Gewerbeschein in der Regel innerhalb einer Woche",
        "legal_basis": "§ 14 Gewerbeordnung (GewO)",
        "external": WIRTSCHAFTSPORTAL,
    },
    {
        "slug": "gewerbe-ummelden-abmelden",
        "title": "Gewerbe ummelden oder abmelden",
        "topics": ["gewerbe"],
        "department": "OA",
        "teaser": "Umzug, neue Tätigkeit oder Aufgabe des Betriebs online im "
        "Wirtschafts-Service-Portal.NRW anzeigen.",
        "body": _body(
            "Ändert sich Ihr Betrieb wesentlich oder geben Sie ihn auf, zeigen Sie das dem "
            "Ordnungsamt an.",
        ),
        "is_online": True,
        "has_fee": True,
        "has_epayment": True,
        "fee_text": "Ummeldung 26,00 €; Abmeldung gebührenfrei",
        "documents": _docs("Personalausweis oder Reisepass"),
        "processing_time": "in der Regel innerhalb einer Woche",
        "legal_basis": "§ 14 Gewerbeordnung (GewO)",
        "external": WIRTSCHAFTSPORTAL,
    },
    {
        "slug": "gaststaette",
        "title": "Gaststättengewerbe anzeigen",
        "topics": ["gewerbe"],
        "department": "OA",
        "teaser": "Wer in Schwerte eine Gaststätte eröffnen oder übernehmen will, zeigt das "
        "dem Ordnungsamt an.",
        "body": _body(
            "Sprechen Sie uns früh an: Bau-, Lebensmittel- und Jugendschutzrecht spielen mit "
            "hinein, und wir sagen Ihnen, welche Stellen beteiligt sind.",
        ),
        "is_online": False,
        "has_fee": True,
        "fee_text": "nach Aufwand",
        "documents": _docs(
            "Personalausweis oder Reisepass",
            "Gewerbeanmeldung",
            ("Grundriss der Gasträume", "mit Angabe der Nutzung"),
        ),
        "processing_time": "etwa 2 bis 4 Wochen",
        "legal_basis": "Gaststättengesetz NRW (GastG NRW)",
    },
    {
        "slug": "hund-anmelden",
        "title": "Hund anmelden (Hundesteuer)",
        "topics": [],
        "department": "STEU",
        "teaser": "Hund innerhalb von zwei Wochen nach Anschaffung oder Zuzug online zur "
        "Hundesteuer anmelden.",
        "body": _body(
            "Nach der Anmeldung erhalten Sie einen Steuerbescheid und eine Hundesteuermarke.",
        ),
        "is_online": True,
        "has_fee": False,
        "fee_text": "Die Anmeldung ist gebührenfrei; die Hundesteuer richtet sich nach der "
        "Hundesteuersatzung.",
        "documents": _docs(("Nachweis der Haftpflichtversicherung", "bei großen Hunden")),
        "processing_time": "Steuerbescheid in der Regel innerhalb von 2 Wochen",
        "legal_basis": "Hundesteuersatzung der Stadt Schwerte",
        "external": SERVICEKONTO,
    },
    {
        "slug": "wohngeld",
        "title": "Wohngeld beantragen",
        "topics": ["soziales", "wohnen-und-bauen"],
        "department": "SOZ",
        "teaser": "Zuschuss zur Miete oder zu den Kosten für selbst genutztes Wohneigentum "
        "online beantragen.",
        "body": _body(
            "Wohngeld erhalten Haushalte mit geringem Einkommen, die keine anderen "
            "Sozialleistungen für die Wohnkosten bekommen. Ob Sie Anspruch haben, hängt von "
            "Einkommen, Miete und Zahl der Haushaltsmitglieder ab.",
        ),
        "is_online": True,
        "has_fee": False,
        "documents": _docs(
            ("Einkommensnachweise", "aller Haushaltsmitglieder der letzten zwölf Monate"),
            "Mietvertrag und Mietbescheinigung",
            "Personalausweis oder Reisepass",
        ),
        "processing_time": "etwa 6 bis 8 Wochen",
        "legal_basis": "Wohngeldgesetz (WoGG)",
        "external": SERVICEKONTO,
    },
    {
        "slug": "wohnberechtigungsschein",
        "title": "Wohnberechtigungsschein (WBS) beantragen",
        "topics": ["soziales", "wohnen-und-bauen"],
        "department": "SOZ",
        "teaser": "Mit dem Wohnberechtigungsschein können Sie eine öffentlich geförderte "
        "Wohnung mieten.",
        "body": _body("Der Schein gilt ein Jahr und in ganz Nordrhein-Westfalen."),
        "is_online": False,
        "has_fee": False,
        "documents": _docs(
            ("Einkommensnachweise", "aller Haushaltsmitglieder"),
            "Personalausweis oder Reisepass",
        ),
        "processing_time": "etwa 2 bis 4 Wochen",
        "legal_basis": "Gesetz zur Förderung und Nutzung von Wohnraum für das Land "
        "Nordrhein-Westfalen (WFNG NRW)",
    },
    {
        "slug": "kita-anmeldung",
        "title": "Kita-Platz anmelden",
        "topics": ["familie-und-kinder"],
        "department": "JA",
        "teaser": "Ihr Kind für einen Platz in einer Kindertageseinrichtung oder in der "
        "Kindertagespflege anmelden. Die Online-Anmeldung ist in Vorbereitung.",
        "body": _body(
            "Ab dem ersten Geburtstag hat Ihr Kind einen Rechtsanspruch auf Förderung in einer "
            "Kita oder in der Kindertagespflege. Melden Sie Ihr Kind möglichst früh an.",
        ),
        "is_online": False,
        "has_fee": False,
        "fee_text": "Elternbeiträge richten sich nach dem Einkommen.",
        "documents": _docs("Geburtsurkunde oder Ausweis des Kindes"),
        "processing_time": "Zusagen für das Kindergartenjahr ab August in der Regel im Frühjahr",
        "legal_basis": "§ 24 Achtes Buch Sozialgesetzbuch (SGB VIII)\n"
        "Kinderbildungsgesetz NRW (KiBiz)",
    },
    {
        "slug": "ferienspiele",
        "title": "Ferienspiele: Kinder anmelden",
        "topics": ["familie-und-kinder", "bildung-und-kultur"],
        "department": "JA",
        "teaser": "Ausflüge, Sport und Basteln in den Sommerferien für Kinder von 6 bis 12 "
        "Jahren. Die Online-Buchung folgt.",
        "body": _body("Die Plätze werden in der Reihenfolge der Anmeldungen vergeben."),
        "is_online": False,
        "has_fee": True,
        "fee_text": "je nach Angebot; Ermäßigung für Familien mit geringem Einkommen",
        "documents": _docs(("Einverständniserklärung der Eltern", "mit Notfallkontakt")),
        "processing_time": "Zusage innerhalb von 2 Wochen nach Anmeldeschluss",
        "legal_basis": "§ 11 Achtes Buch Sozialgesetzbuch (SGB VIII)",
    },
    {
        "slug": "schokoticket",
        "title": "SchokoTicket beantragen",
        "topics": ["bildung-und-kultur", "mobilitaet"],
        "department": "SVA",
        "teaser": "Schülerticket für Bus und Bahn im VRR über die Schule beantragen.",
        "body": _body(
            "Ob die Stadt die Fahrkosten übernimmt, hängt vom Schulweg ab. Den Antrag erhalten "
            "Sie im Sekretariat Ihrer Schule oder beim Schulverwaltungsamt.",
        ),
        "is_online": False,
        "has_fee": True,
        "fee_text": "Eigenanteil nach Tarif des VRR; bei Anspruch auf Fahrkostenübernahme geringer",
        "documents": _docs(("Schulbescheinigung", "vom Sekretariat")),
        "processing_time": "etwa 2 bis 3 Wochen",
        "legal_basis": "Schülerfahrkostenverordnung NRW (SchfkVO)",
    },
    {
        "slug": "bewohnerparkausweis",
        "title": "Bewohnerparkausweis beantragen",
        "topics": ["mobilitaet"],
        "department": "OA",
        "teaser": "Parkausweis für die Bewohnerparkzonen der Innenstadt online beantragen und "
        "bezahlen.",
        "body": _body(
            "Den Ausweis erhalten Personen mit Hauptwohnsitz in der Zone für ein Fahrzeug, das "
            "auf sie zugelassen ist oder ihnen dauerhaft zur Verfügung steht.",
        ),
        "is_online": True,
        "has_fee": True,
        "has_epayment": True,
        "fee_amount": "30.00",
        "fee_text": "je Jahr",
        "documents": _docs(
            "Zulassungsbescheinigung Teil I (Fahrzeugschein)",
            ("Nachweis der Nutzung", "bei Firmen- oder Leihwagen"),
        ),
        "processing_time": "Versand per Post in der Regel innerhalb einer Woche",
        "legal_basis": "§ 45 Absatz 1b Straßenverkehrs-Ordnung (StVO)",
        "external": SERVICEKONTO,
    },
    {
        "slug": "halteverbot-umzug",
        "title": "Halteverbot für einen Umzug beantragen",
        "topics": ["mobilitaet", "wohnen-und-bauen"],
        "department": "OA",
        "teaser": "Vorübergehendes Halteverbot für Umzugswagen oder Container online beantragen.",
        "body": _body(
            "Die Schilder müssen mindestens drei Tage vorher stehen. Stellen Sie den Antrag "
            "deshalb spätestens zwei Wochen vor dem Umzug.",
        ),
        "is_online": True,
        "has_fee": True,
        "has_epayment": True,
        "fee_text": "nach Dauer und Länge der Fläche",
        "documents": _docs(("Skizze der Fläche", "mit Hausnummer und Länge in Metern")),
        "processing_time": "etwa 1 Woche",
        "legal_basis": "§§ 45 und 46 Straßenverkehrs-Ordnung (StVO)",
        "external": SERVICEKONTO,
    },
    {
        "slug": "sondernutzung",
        "title": "Sondernutzungserlaubnis für Straßen (Container, Gerüst)",
        "topics": ["wohnen-und-bauen", "mobilitaet"],
        "department": "TBA",
        "teaser": "Container, Gerüst oder Baustelle auf Gehweg oder Straße aufstellen.",
        "body": _body(
            "Wer Straßen, Wege oder Plätze über den Gemeingebrauch hinaus nutzt, braucht eine "
            "Erlaubnis des Tiefbauamts.",
        ),
        "is_online": False,
        "has_fee": True,
        "fee_text": "nach der Sondernutzungssatzung der Stadt Schwerte",
        "documents": _docs(("Lageplan", "mit der genutzten Fläche")),
        "processing_time": "etwa 2 Wochen",
        "legal_basis": "§ 18 Straßen- und Wegegesetz NRW (StrWG NRW)\n"
        "Sondernutzungssatzung der Stadt Schwerte",
    },
    {
        "slug": "baugenehmigung",
        "title": "Baugenehmigung beantragen",
        "topics": ["wohnen-und-bauen"],
        "department": "BOA",
        "teaser": "Bauantrag mit allen Bauvorlagen digital über das Bauportal.NRW einreichen.",
        "body": _body(
            "Den Bauantrag stellt die Bauherrin oder der Bauherr zusammen mit einer "
            "bauvorlageberechtigten Person, meist einer Architektin oder einem Architekten.",
        ),
        "is_online": True,
        "has_fee": True,
        "has_epayment": False,
        "fee_text": "nach der Allgemeinen Verwaltungsgebührenordnung NRW, abhängig von den "
        "Baukosten",
        "documents": _docs(
            "Bauvorlagen nach der Bauprüfverordnung (BauPrüfVO)",
            ("amtlicher Lageplan", "auf Grundlage der Flurkarte"),
        ),
        "processing_time": "abhängig vom Vorhaben; Eingangsbestätigung innerhalb von 2 Wochen",
        "legal_basis": "Landesbauordnung NRW (BauO NRW 2018)",
        "external": BAUPORTAL,
    },
    {
        "slug": "bauvoranfrage",
        "title": "Bauvoranfrage stellen",
        "topics": ["wohnen-und-bauen"],
        "department": "BOA",
        "teaser": "Vor dem Bauantrag einzelne Fragen verbindlich klären lassen, etwa ob ein "
        "Grundstück bebaut werden darf.",
        "body": _body("Der Vorbescheid gilt drei Jahre."),
        "is_online": False,
        "has_fee": True,
        "fee_text": "nach Aufwand",
        "documents": _docs("Lageplan", "Beschreibung des Vorhabens und der Fragen"),
        "processing_time": "etwa 6 bis 8 Wochen",
        "legal_basis": "Landesbauordnung NRW (BauO NRW 2018)",
    },
    {
        "slug": "abfallbehaelter",
        "title": "Abfallbehälter bestellen, tauschen oder abmelden",
        "topics": ["abfall-und-umwelt"],
        "department": "TBS",
        "teaser": "Rest-, Bio- oder Papiertonne für Ihr Grundstück bestellen, die Größe "
        "ändern oder abmelden.",
        "body": _body(
            "Änderungen beantragt die Eigentümerin oder der Eigentümer des Grundstücks oder die "
            "Hausverwaltung.",
        ),
        "is_online": False,
        "has_fee": True,
        "fee_text": "Gebühren nach der Abfallgebührensatzung der Stadt Schwerte",
        "documents": _docs(("Nachweis der Verfügungsberechtigung", "bei Hausverwaltungen")),
        "processing_time": "Lieferung in der Regel innerhalb von 2 Wochen",
        "legal_basis": "Abfallsatzung und Abfallgebührensatzung der Stadt Schwerte",
    },
    {
        "slug": "baumfaellung",
        "title": "Baumfällung auf Privatgrundstücken",
        "topics": ["abfall-und-umwelt", "wohnen-und-bauen"],
        "department": "GFA",
        "teaser": "Beratung und Genehmigung, bevor Sie einen großen Baum auf Ihrem Grundstück "
        "fällen.",
        "body": _body(
            "Vom 1. März bis zum 30. September dürfen Bäume zum Schutz brütender Vögel "
            "grundsätzlich nicht gefällt werden. Das Grünflächenamt berät Sie, ob und wann "
            "eine Fällung möglich ist.",
        ),
        "is_online": False,
        "has_fee": True,
        "fee_text": "nach Aufwand",
        "documents": _docs(("Fotos des Baums", "mit Standort auf dem Grundstück")),
        "processing_time": "etwa 2 bis 4 Wochen",
        "legal_basis": "§ 39 Absatz 5 Bundesnaturschutzgesetz (BNatSchG)",
    },
    {
        "slug": "fundsachen",
        "title": "Fundsache abgeben oder Verlorenes suchen",
        "topics": [],
        "department": "BB",
        "teaser": "Das Fundbüro im Bürgerbüro nimmt Fundsachen an und hilft bei der Suche nach "
        "Verlorenem.",
        "body": _body(
            "Fundsachen werden sechs Monate aufbewahrt. Meldet sich niemand, kann die Person, "
            "die sie gefunden hat, Eigentum daran erwerben.",
        ),
        "is_online": False,
        "has_fee": False,
        "documents": _docs(("Personalausweis oder Reisepass", "bei Abholung")),
        "processing_time": "sofort",
        "legal_basis": "§§ 965 bis 984 Bürgerliches Gesetzbuch (BGB)",
    },
    {
        "slug": "beglaubigung",
        "title": "Kopien amtlich beglaubigen lassen",
        "topics": ["ausweise-und-dokumente"],
        "department": "BB",
        "teaser": "Abschriften und Kopien von Zeugnissen und Bescheinigungen im Bürgerbüro "
        "beglaubigen lassen.",
        "body": _body(
            "Bringen Sie das Original und die Kopie mit. Urkunden aus Personenstandsregistern "
            "beglaubigt das Standesamt nicht; dafür gibt es neue Urkunden.",
        ),
        "is_online": False,
        "has_fee": True,
        "fee_amount": "5.00",
        "fee_text": "je Seite",
        "documents": _docs("Original und Kopie des Dokuments"),
        "processing_time": "sofort",
        "legal_basis": "§ 33 Verwaltungsverfahrensgesetz NRW (VwVfG NRW)",
    },
    {
        "slug": "eheschliessung",
        "title": "Eheschließung anmelden",
        "topics": ["familie-und-kinder"],
        "department": "STA",
        "teaser": "Ihre Eheschließung melden Sie gemeinsam beim Standesamt an – frühestens "
        "sechs Monate vor dem Wunschtermin.",
        "body": _body(
            "Welche Unterlagen Sie brauchen, hängt von Staatsangehörigkeit, Familienstand und "
            "Wohnort ab. Das Standesamt sagt Ihnen vorab, was in Ihrem Fall nötig ist.",
        ),
        "is_online": False,
        "has_fee": True,
        "fee_text": "je nach Fall; mit Auslandsbezug höher",
        "documents": _docs(
            "Personalausweis oder Reisepass beider Verlobten",
            ("beglaubigter Ausdruck aus dem Geburtenregister", "nicht älter als sechs Monate"),
        ),
        "processing_time": "Termin zur Anmeldung nach Vereinbarung",
        "legal_basis": "§ 12 Personenstandsgesetz (PStG)",
    },
]
