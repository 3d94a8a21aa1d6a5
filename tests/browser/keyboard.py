"""Helpers for keyboard-only browser tests."""


def focused(page) -> dict:
    """What has the keyboard focus: id, tag, text and link target."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {id: el.id, tag: el.tagName, text: el.textContent.trim(), href: el.href || ""};
        }"""
    )


def tab_to(page, matches, limit: int = 80) -> dict:
    """Press Tab until the focused element matches; fail if it never does."""
    element = None
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if matches(element):
            return element
    raise AssertionError(f"never reached by Tab, last focus: {element}")
