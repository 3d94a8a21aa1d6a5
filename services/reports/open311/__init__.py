"""The Open311 GeoReport v2 API of the Mängelmelder, under /open311/v2/ (see README.md)."""
