"""What can become a ticket. Each source app registers its kind once, in its AppConfig.ready()."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceKind:
    key: str
    label: str


_REGISTRY: dict[str, SourceKind] = {}


def register_source_kind(key: str, label) -> None:
    _REGISTRY[key] = SourceKind(key, label)


def source_kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in _REGISTRY.values()]


def source_kind_label(key: str) -> str:
    kind = _REGISTRY.get(key)
    return str(kind.label) if kind else key
