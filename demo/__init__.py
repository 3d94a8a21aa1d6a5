"""The demo city of Schwerte: accounts, departments, pages, services, projects, ideas and reports,
so that `make run` shows a portal in use. Installed by the development and test settings only;
no shipped app imports it (see docs/architecture.md, "Demo content")."""
