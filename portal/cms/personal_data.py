"""The CMS: the contact of the city and of its data protection officer on the site settings, and
the working data of the editors in Wagtail's own models (see portal.core.privacy)."""

from portal.core.privacy import STAFF, Erasure, Export, PersonalData, Retention, declare


def _editors(model: str, purpose: str, fields: tuple[str, ...], people: tuple[str, ...], **kw):
    """Working data of the city's editors and clerks in Wagtail's models: who did what."""
    return PersonalData(
        model=model,
        category="Arbeitsdaten von Beschäftigten (Redaktion)",
        purpose=purpose,
        legal_basis=STAFF,
        fields=fields,
        people=people,
        erasure=kw.pop("erasure", Erasure.DETACH),
        retention=kw.pop("retention", Retention("solange der Inhalt besteht")),
        export=Export.ON_REQUEST,
        **kw,
    )


declare(
    PersonalData(
        model="cms.SiteSettings",
        category="Impressum und Kontakt",
        purpose="Kontakt der Stadtverwaltung auf jeder Seite und der*des Datenschutzbeauftragten "
        "in der Datenschutzerklärung (Art. 13 Abs. 1 lit. b DSGVO)",
        legal_basis=STAFF,
        fields=(),
        people=(),
        erasure=Erasure.DELETE,
        retention=Retention("solange die Seite besteht"),
        not_personal={
            "contact_address": "Anschrift der Verwaltung",
            "contact_email": "Funktionspostfach der Verwaltung",
            "contact_phone": "zentrale Rufnummer der Verwaltung",
            "dpo_address": "Dienstanschrift der*des Datenschutzbeauftragten",
            "dpo_email": "Funktionspostfach der*des Datenschutzbeauftragten",
            "dpo_name": "Bezeichnung der Stelle; die Pflicht zur Veröffentlichung (Art. 37 Abs. 7 "
            "DSGVO) erfüllt die Anschrift der Stelle, ein Name ist nicht nötig",
            "dpo_phone": "Dienstrufnummer der*des Datenschutzbeauftragten",
        },
    ),
    _editors(
        "wagtailcore.Page",
        "wer eine Seite angelegt hat und wer sie gesperrt hält",
        ("owner", "locked_by"),
        ("owner", "locked_by"),
        not_personal={
            "search_description": "Text der Seite für Suchmaschinen",
            "url_path": "Pfad der Seite",
        },
    ),
    _editors(
        "wagtailcore.Revision",
        "Versionen eines Inhalts und wer sie gespeichert hat",
        ("user", "content", "object_str"),
        ("user",),
    ),
    _editors(
        "wagtailcore.PageLogEntry", "Protokoll der Redaktion", ("user", "data", "label"), ("user",)
    ),
    _editors(
        "wagtailcore.ModelLogEntry", "Protokoll der Redaktion", ("user", "data", "label"), ("user",)
    ),
    _editors("wagtailcore.WorkflowState", "Freigabe-Abläufe", ("requested_by",), ("requested_by",)),
    _editors(
        "wagtailcore.TaskState", "Freigabe-Schritte", ("finished_by", "comment"), ("finished_by",)
    ),
    _editors(
        "wagtailcore.Comment",
        "Kommentare der Redaktion",
        ("user", "resolved_by", "text", "contentpath", "position"),
        ("user", "resolved_by"),
    ),
    _editors(
        "wagtailcore.CommentReply",
        "Antworten auf Kommentare der Redaktion",
        ("user", "text"),
        ("user",),
    ),
    _editors(
        "wagtailcore.PageSubscription",
        "Benachrichtigungen der Redaktion",
        ("user",),
        ("user",),
        title="Benachrichtigungen über Seitenkommentare",
        erasure=Erasure.DELETE,
    ),
    _editors(
        "wagtailcore.APIToken", "Zugangsschlüssel", ("user",), ("user",), erasure=Erasure.DELETE
    ),
    _editors(
        "wagtailcore.UploadedFile",
        "Hochladen vor dem Speichern",
        ("file", "uploaded_by_user"),
        ("uploaded_by_user",),
        title="Hochgeladene Dateien vor dem Speichern",
        erasure=Erasure.DELETE,
        retention=Retention("bis zum Speichern"),
    ),
    _editors(
        "wagtailadmin.EditingSession",
        "wer gerade eine Seite bearbeitet",
        ("user",),
        ("user",),
        title="Bearbeitungssitzungen",
        erasure=Erasure.DELETE,
        retention=Retention("bis zum Ende der Bearbeitung"),
    ),
    _editors(
        "wagtailadmin.FormState",
        "ungespeicherte Eingaben der Redaktion",
        ("user", "data"),
        ("user",),
        title="Ungespeicherte Eingaben",
        erasure=Erasure.DELETE,
        retention=Retention("bis zum Speichern"),
    ),
    _editors(
        "wagtaildocs.Document",
        "Dokumente der Redaktion",
        ("file", "uploaded_by_user"),
        ("uploaded_by_user",),
    ),
    _editors(
        "wagtailimages.Image",
        "Bilder der Redaktion",
        ("file", "uploaded_by_user"),
        ("uploaded_by_user",),
    ),
    _editors(
        "wagtailimages.Rendition",
        "Bildgrößen der Redaktion",
        ("file",),
        (),
        title="Bildgrößen",
    ),
    _editors(
        "wagtailforms.FormSubmission",
        "Einsendungen von Wagtail-Formularen; das Portal speichert Anträge als Online-Anträge "
        "(eforms.Submission), diese Tabelle bleibt leer",
        ("form_data",),
        (),
        erasure=Erasure.DELETE,
    ),
    _editors(
        "wagtailsearchpromotions.SearchPromotion",
        "empfohlene Seiten der Suche",
        (),
        (),
        not_personal={"description": "Text der Redaktion"},
        title="Hervorgehobene Suchergebnisse",
    ),
    PersonalData(
        model="wagtailembeds.Embed",
        category="Eingebettete Inhalte",
        purpose="Videos und Beiträge anderer Anbieter einbetten",
        legal_basis=STAFF,
        fields=("author_name",),
        people=(),
        erasure=Erasure.DELETE,
        retention=Retention("solange der Inhalt eingebettet ist"),
        export=Export.ON_REQUEST,
        not_personal={
            "html": "Einbettungscode des Anbieters",
            "provider_name": "Name des Anbieters",
            "thumbnail_url": "Vorschaubild des Anbieters",
            "title": "Titel des Inhalts",
            "url": "Adresse des Inhalts",
        },
    ),
)
