"""The code-defined service forms. Importing this package registers all of them."""

from . import buecherei, flurkarte, personenstand, sperrmuell  # noqa: F401
