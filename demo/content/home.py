"""The demo home page's tiles, shared by the loaders of the pages they lead to."""

import json

from wagtail.models import Page

from portal.cms.models import HomePage

MAX_TILES = 8


def link_tile(home: HomePage, index: Page, *, icon: str, title: str, text: str) -> None:
    """The home page's tile with `icon` leads to `index`; without such a tile (and with room
    for one) the index gets a tile of its own. Changes nothing once a tile leads there."""
    tiles = list(home.tiles.raw_data)
    if any(tile["value"].get("page") == index.pk for tile in tiles):
        return
    tile = next((t for t in tiles if t["value"].get("icon") == icon), None)
    if tile is not None:
        tile["value"]["page"] = index.pk
        tile["value"]["url"] = ""
    elif len(tiles) < MAX_TILES:
        tiles.append(
            {
                "type": "tile",
                "value": {"title": title, "text": text, "icon": icon, "page": index.pk, "url": ""},
            }
        )
    else:
        return
    home.tiles = json.dumps(tiles)
    home.save_revision().publish()
