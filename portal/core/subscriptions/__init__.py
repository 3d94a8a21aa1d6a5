"""One subscription for everything that can be followed (docs/architecture.md, "The kernel"):
a report, a project, a pool idea, the Mitmachpool's topics × districts. Apps declare a
`SubscriptionKind` (registry.py) and call the services (services.py); the e-mails go through the
outbox (emails.py)."""
