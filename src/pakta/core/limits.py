"""Bounds on input shared by forms, serializers and services, so that no value reaches the
database out of range (a year of 9223372036854775808 is a clear 400, never a 500)."""

from __future__ import annotations

YEAR_MIN = 2000
YEAR_MAX = 2100

# JSON request bodies of the API (file uploads are multipart and have their own limits).
JSON_MAX_BYTES = 1024 * 1024
JSON_MAX_DEPTH = 32
