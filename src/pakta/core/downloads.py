"""File downloads: one helper for every response that hands the user a file.

The file name goes through Django's ``content_disposition_header`` (RFC 6266 with a UTF-8
``filename*`` for names outside ASCII), the response is never cached by shared caches, and the
browser is told not to sniff another content type.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
JSON = "application/json"


def download_response(
    content: bytes | str,
    filename: str,
    content_type: str = "application/octet-stream",
    *,
    inline: bool = False,
) -> HttpResponse:
    """A response that downloads ``content`` as ``filename`` (shown in the browser if inline)."""
    response = HttpResponse(content, content_type=content_type or "application/octet-stream")
    name = filename.replace("/", "-").replace("\\", "-").strip() or "file"
    response["Content-Disposition"] = content_disposition_header(not inline, name) or ""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def streaming_download(
    chunks: Iterable[bytes], filename: str, content_type: str = "application/octet-stream"
) -> StreamingHttpResponse:
    """A download whose content is produced while it is sent (large exports): the first bytes
    leave before the last row is read, and memory does not grow with the rows."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    name = filename.replace("/", "-").replace("\\", "-").strip() or "file"
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
