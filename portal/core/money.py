"""Amounts of money as citizens read them."""


def euros(minor: int) -> str:
    """12,00 € / 1.234,56 € from cents: German formatting without locale tricks."""
    return f"{minor // 100:,}".replace(",", ".") + f",{minor % 100:02d} €"
