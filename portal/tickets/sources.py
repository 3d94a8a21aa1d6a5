"""What can become a ticket. Each source app registers its kind once, in its AppConfig.ready(),
with the labels of its own public statuses (an idea's stages, …): they name the lines of the
ticket's timeline that the source wrote (`TicketEvent.public_status`)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceKind:
    key: str
    label: str
    statuses: dict = field(default_factory=dict)


_REGISTRY: dict[str, SourceKind] = {}


def register_source_kind(key: str, label, *, statuses: dict | None = None) -> None:
    _REGISTRY[key] = SourceKind(key, label, dict(statuses or {}))


def source_status_label(key: str, status: str) -> str:
    """The public label of a source's own status or step ("" when the source declares none)."""
    kind = _REGISTRY.get(key)
    label = kind.statuses.get(status) if kind else None
    return str(label) if label else ""


def source_kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in _REGISTRY.values()]


def source_kind_label(key: str) -> str:
    kind = _REGISTRY.get(key)
    return str(kind.label) if kind else key
