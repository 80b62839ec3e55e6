"""Read the staff page's upload form as it streams in: the file straight into the staging
folder, within the size cap, and only after the form's CSRF token has been checked.

Starlette's own form parser would first spool the whole body to a temporary file elsewhere;
here the file never lands outside the staging folder, which is removed whatever happens. The
page puts the CSRF field before the file field, as browsers send fields in page order; a file
arriving before a valid token is refused before a byte of it is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from fastapi import HTTPException, Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from index.download import megabytes
from index.intake import Incoming, check_upload_name
from web.staff_auth import tokens_match

FILE_FIELD = "bestand"
CSRF_FIELD = "csrf"
MAX_FIELDS = 20
MAX_FIELD_BYTES = 4096
CSRF_REFUSED = (
    "Het formulier is verlopen of komt niet van deze pagina (CSRF-controle). Laad de pagina "
    "opnieuw en probeer het nog eens."
)
BROKEN = "Het formulier kan niet worden gelezen; de gegevens zijn beschadigd of onvolledig."


@dataclass
class UploadForm:
    """The fields of the form, and the uploaded file if one was chosen."""

    fields: dict[str, str] = field(default_factory=dict)
    file: Incoming | None = None


class _Reader:
    """python-multipart callbacks that build an UploadForm."""

    def __init__(self, folder: Path, csrf: str, max_file_bytes: int) -> None:
        self.form = UploadForm()
        self._folder = folder
        self._csrf = csrf
        self._max_file_bytes = max_file_bytes
        self._headers: dict[str, bytes] = {}
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._name = ""
        self._value = bytearray()
        self._out: BinaryIO | None = None
        self._written = 0
        self._csrf_ok = False
        self._parts = 0

    @property
    def csrf_ok(self) -> bool:
        """Tell whether the form carried the session's CSRF token."""
        return self._csrf_ok

    def part_begin(self) -> None:
        self._headers, self._value, self._name = {}, bytearray(), ""
        self._parts += 1
        if self._parts > MAX_FIELDS:
            raise HTTPException(status_code=400, detail="Het formulier heeft te veel velden.")

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def header_end(self) -> None:
        self._headers[bytes(self._header_field).decode("latin-1").lower()] = bytes(
            self._header_value
        )
        self._header_field, self._header_value = bytearray(), bytearray()

    def headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get("content-disposition", b""))
        self._name = options.get(b"name", b"").decode("latin-1")
        if b"filename" not in options:
            return
        if not self._csrf_ok:  # a file before (or without) a valid token: not one byte stored
            raise HTTPException(status_code=403, detail=CSRF_REFUSED)
        filename = options[b"filename"].decode("utf-8", errors="replace")
        if self._name != FILE_FIELD or self.form.file is not None or not filename:
            return  # no file chosen, or a file field the page does not have: ignored
        check_upload_name(filename)
        path = self._folder / "upload"
        self._out = path.open("xb")
        self.form.file = Incoming(path, filename)

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self._out is not None:
            self._written += end - start
            if self._written > self._max_file_bytes:
                raise HTTPException(
                    status_code=413,
                    detail=f"Het bestand is groter dan {megabytes(self._max_file_bytes)}.",
                )
            self._out.write(data[start:end])
        elif len(self._value) + end - start <= MAX_FIELD_BYTES:
            self._value += data[start:end]
        else:
            raise HTTPException(status_code=400, detail="Een veld van het formulier is te groot.")

    def part_end(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
            return
        value = self._value.decode("utf-8", errors="replace")
        if self._name == CSRF_FIELD:
            self._csrf_ok = tokens_match(self._csrf, value)
        elif self._name:
            self.form.fields[self._name] = value

    def close(self) -> None:
        if self._out is not None:
            self._out.close()


async def read_upload(request: Request, folder: Path, csrf: str, max_file_bytes: int) -> UploadForm:
    """Read the multipart form of `request`; a file goes into `folder`.

    Raises HTTPException: 403 for a missing or wrong CSRF token, 413 for a file over
    `max_file_bytes`, 400 for a form that cannot be read. `IntakeError` for a bad file name.
    """
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise HTTPException(status_code=400, detail=BROKEN)
    reader = _Reader(folder, csrf, max_file_bytes)
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": reader.part_begin,
            "on_header_field": reader.header_field,
            "on_header_value": reader.header_value,
            "on_header_end": reader.header_end,
            "on_headers_finished": reader.headers_finished,
            "on_part_data": reader.part_data,
            "on_part_end": reader.part_end,
        },
    )
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise HTTPException(status_code=400, detail=BROKEN) from exc
    finally:
        reader.close()
    if not reader.csrf_ok:
        raise HTTPException(status_code=403, detail=CSRF_REFUSED)
    return reader.form
