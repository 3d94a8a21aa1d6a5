"""System checks: a provider that does not exist fails at once; the demo provider or its
development secret in a deployment is pointed out by `check --deploy`."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

DEV_WEBHOOK_SECRET = "dev-only-demo-webhook-secret"


@register()
def payments_provider_known(app_configs, **kwargs):
    from .providers import provider_classes

    if settings.PAYMENTS_PROVIDER not in provider_classes():
        return [
            Error(
                f"PAYMENTS_PROVIDER {settings.PAYMENTS_PROVIDER!r} is not a known provider.",
                hint="Use one of: " + ", ".join(sorted(provider_classes())),
                id="payments.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def payments_demo_in_deployment(app_configs, **kwargs):
    messages = []
    if settings.PAYMENTS_PROVIDER == "demo":
        messages.append(
            Warning(
                "The demo payment provider is active: no money is taken.",
                hint="Set PAYMENTS_PROVIDER to a real provider for a live portal.",
                id="payments.W001",
            )
        )
        if settings.PAYMENTS_DEMO_WEBHOOK_SECRET == DEV_WEBHOOK_SECRET:
            messages.append(
                Warning(
                    "The demo provider signs webhooks with the development secret.",
                    hint="Set PAYMENTS_DEMO_WEBHOOK_SECRET.",
                    id="payments.W002",
                )
            )
    return messages
