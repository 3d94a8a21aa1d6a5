"""A person's own data (Art. 15, 17 and 20 GDPR), built on the declarations of
portal.core.privacy: which rows are whose (`people`), the copy as a download (`export`), and the
erasure (`erasure`). The account pages and the status link of an Anliegen offer them to
citizens; the admin's "Datenschutz-Anfragen" to the city for requests by letter."""
