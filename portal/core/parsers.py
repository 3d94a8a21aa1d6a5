"""The REST API's parsers (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES): DRF's own, with every text
cleaned by `portal.core.text`, as the middleware cleans the form bodies of all other views. DRF
reads the request body itself, so the middleware alone would not reach it; JSON can even carry
lone surrogates ("\\ud800"), which no form body can."""

from rest_framework import parsers

from .text import clean_data, clean_querydict, clean_upload_names


class CleanJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return clean_data(super().parse(stream, media_type, parser_context))


class CleanFormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return clean_querydict(super().parse(stream, media_type, parser_context))


class CleanMultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        clean_upload_names(parsed.files)
        return parsers.DataAndFiles(clean_querydict(parsed.data), parsed.files)
