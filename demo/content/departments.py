"""Schwerte's departments and Stadtteile. The polygons are rough boxes, good enough for a demo."""

from portal.accounts.models import User
from portal.departments.models import (
    Department,
    DepartmentKind,
    DepartmentMembership,
    District,
    DistrictKind,
    MembershipRole,
)

DEPARTMENTS = [
    # name, short name, e-mail, kind
    ("Tiefbauamt", "TBA", "tiefbauamt@schwerte.example", DepartmentKind.OFFICE),
    ("Grünflächenamt", "GFA", "gruenflaechen@schwerte.example", DepartmentKind.OFFICE),
    ("Kommunaler Ordnungsdienst", "KOD", "kod@schwerte.example", DepartmentKind.OFFICE),
    ("Ordnungsamt", "OA", "ordnungsamt@schwerte.example", DepartmentKind.OFFICE),
    (
        "Stadtreinigung (Technische Betriebe)",
        "TBS",
        "stadtreinigung@schwerte.example",
        DepartmentKind.MUNICIPAL_COMPANY,
    ),
    (
        "Stadtwerke – Straßenbeleuchtung",
        "SWS",
        "beleuchtung@stadtwerke-schwerte.example",
        DepartmentKind.MUNICIPAL_COMPANY,
    ),
    ("Bürgerbüro", "BB", "buergerbuero@schwerte.example", DepartmentKind.OFFICE),
    ("Standesamt", "STA", "standesamt@schwerte.example", DepartmentKind.OFFICE),
    ("Vermessungs- und Katasteramt", "VKA", "kataster@schwerte.example", DepartmentKind.OFFICE),
    ("Planungsamt", "PLA", "planung@schwerte.example", DepartmentKind.OFFICE),
    ("Jugendamt", "JA", "jugendamt@schwerte.example", DepartmentKind.OFFICE),
    ("Stadtkasse", "KASSE", "stadtkasse@schwerte.example", DepartmentKind.OFFICE),
    ("Stabsstelle Bürgerbeteiligung", "BTG", "mitmachen@schwerte.example", DepartmentKind.OFFICE),
    (
        "Straßen.NRW (Landesstraßen)",
        "SNRW",
        "poststelle@strassen-nrw.example",
        DepartmentKind.EXTERNAL,
    ),
]

# west, south, east, north in degrees (WGS 84)
STADTTEILE = [
    ("Schwerte-Mitte", (7.550, 51.432, 7.585, 51.452)),
    ("Schwerte-Ost", (7.585, 51.432, 7.620, 51.455)),
    ("Holzen", (7.540, 51.452, 7.590, 51.475)),
    ("Lichtendorf", (7.590, 51.455, 7.640, 51.480)),
    ("Geisecke", (7.620, 51.430, 7.660, 51.455)),
    ("Wandhofen", (7.500, 51.440, 7.550, 51.465)),
    ("Westhofen", (7.490, 51.415, 7.550, 51.440)),
    ("Ergste", (7.530, 51.400, 7.590, 51.432)),
    ("Villigst", (7.590, 51.405, 7.640, 51.432)),
]

MEMBERSHIPS = [
    ("tiefbau@schwerte.example", "TBA", MembershipRole.CLERK),
    ("gruen@schwerte.example", "GFA", MembershipRole.HEAD),
]


def box(west: float, south: float, east: float, north: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def load(stdout) -> None:
    for name, short_name, email, kind in DEPARTMENTS:
        _, created = Department.objects.get_or_create(
            short_name=short_name, defaults={"name": name, "email": email, "kind": kind}
        )
        if created:
            stdout.write(f"  Fachbereich angelegt: {name}")
    for name, bounds in STADTTEILE:
        District.objects.get_or_create(
            name=name, defaults={"kind": DistrictKind.QUARTER, "area": box(*bounds)}
        )
    for email, short_name, role in MEMBERSHIPS:
        user = User.objects.filter(email=email).first()
        if user is not None:
            DepartmentMembership.objects.get_or_create(
                user=user,
                department=Department.objects.get(short_name=short_name),
                defaults={"role": role},
            )
