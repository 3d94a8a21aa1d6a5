"""The portal's Atom feeds are written by `CleanAtom1Feed`: every text of the feed and of its
entries passes `portal.core.text.clean_text` first. Django's feed writer raises on a control
character (the whole feed answered 500 for one report) and writes U+FFFE unchecked (a feed no
reader parses); input is cleaned, but text stored before that, or written another way, is not."""

from django.utils.feedgenerator import Atom1Feed

from .text import clean_data


class CleanAtom1Feed(Atom1Feed):
    def __init__(self, *args, **kwargs):
        super().__init__(*clean_data(args), **clean_data(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*clean_data(args), **clean_data(kwargs))
