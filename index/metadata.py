"""Document metadata: sidecar files, date and title clean-up, and the order of precedence."""

from __future__ import annotations

import datetime as dt
import logging
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path, PurePosixPath

from index.calendar_words import MONTH_ABBREVIATIONS, MONTHS
from index.clean import collapse_whitespace
from index.types import DocumentError, DocumentMeta

logger = logging.getLogger(__name__)

SIDECAR_SUFFIX = ".toml"
MAX_TITLE_CHARS = 300
# Known but not shown: notes, and the provenance `mkb-assistent add` records (index.sidecar).
_IGNORED_KEYS = frozenset(
    {"note", "author", "auteur", "signatory", "ondertekenaar", "language", "taal", "description"}
    | {"retrieved", "sha256"}
)
# Months by their names and by their abbreviations ("17 nov 2020"), as a web page's byline
# dates it.
_MONTHS = {name: number for number, name in enumerate(MONTHS, start=1)} | MONTH_ABBREVIATIONS
_DATE_PATTERNS = (
    (re.compile(r"^D:(\d{4})(\d{2})(\d{2})"), "ymd"),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T ])"), "ymd"),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "ymd"),
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"), "dmy"),
    (re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$", re.IGNORECASE), "d-month-y"),
)
# The words by which a text states a date as its own: "stand", "(laatst) bijgewerkt (op)",
# "laatst gecontroleerd op:", "datum:" ...
_DATING = (
    r"(?:laatst\s+)?(?:stand|bijgewerkt|geactualiseerd|gewijzigd|gecontroleerd|gepubliceerd|datum)"
    r"\b\W*(?:(?:op|per)\b\W*)?"
)
_STATED_DATE = re.compile(
    rf"\b{_DATING}"
    r"(?P<date>\d{1,2}\s+[a-z]+\.?\s+\d{4}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{4}-\d{1,2}-\d{1,2})\b",
    re.IGNORECASE,
)
# A letter's place before its date: "Den Haag, " in "Den Haag, 7 februari 2024".
_PLACE_BEFORE_DATE = re.compile(r"^[A-Z][^\W\d_]*(?:[ -][A-Za-z][^\W\d_]*)*,\s*")
_DATING_LABEL = re.compile(rf"^{_DATING}$", re.IGNORECASE)  # "Gepubliceerd op:", its date below
_JUNK_TITLE = re.compile(
    r"^(?:untitled|naamloos|titel|title|document|presentatie|anonymous)$"
    r"|^microsoft (?:word|powerpoint|excel) - "
    r"|\.(?:docx?|pdf|indd|pptx?|xlsx?|odt|rtf|html?)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class MetaFields:
    """Metadata found in one place; None where that place says nothing."""

    title: str | None = None
    date: str | None = None
    kind: str | None = None
    kamerstuk: str | None = None
    source_url: str | None = None


def merge_fields(layers: Sequence[MetaFields]) -> MetaFields:
    """Return, per field, the first value that is set, taking `layers` in order."""
    values = {
        f.name: next((getattr(layer, f.name) for layer in layers if getattr(layer, f.name)), None)
        for f in fields(MetaFields)
    }
    return MetaFields(**values)


def normalize_date(value: object) -> str | None:
    """Return `value` as an ISO date "YYYY-MM-DD", or None when it is not a date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    match = _date_match(value.strip())
    return _to_iso(*match) if match else None


def read_whole_date(value: str) -> str | None:
    """Return `value` as "YYYY-MM-DD" when all of it (stripped) is one date, else None.

    `normalize_date` reads the date that opens a timestamp ("2021-04-01T10:00", "D:2021..."); a
    date typed by a person is the whole value: "2021-04-01 tot 2021-05-01" is no date."""
    text = value.strip()
    found = _date_match(text)
    if found is None:
        return None
    match, order = found
    if match.end(match.lastindex or 0) != len(text):  # more follows the date's last part
        return None
    return _to_iso(match, order)


def stated_date(head: str) -> str | None:
    """Return the first date that `head` (a document's head, `Content.head`) states as the
    document's, as "YYYY-MM-DD": "stand 14 september 2020", "(stand: 1 oktober 2020)",
    "bijgewerkt op 3 maart 2021", "Datum: 25 januari 2022"; None when it states none.

    A date without such a word ("Op 29 juni 2018 heb ik ...") may be any event's, and a
    month without a day ("stand november 2020") is no date. Only a line of the head that is
    a date and nothing else is the document's without a word: a web page's date under its
    title ("08-05-2020"), a letter's place and date ("Den Haag, 7 februari 2024")."""
    for match in _STATED_DATE.finditer(head):
        date = normalize_date(match["date"])
        if date:
            return date
    for line in head.split("\n"):
        date = read_whole_date(_PLACE_BEFORE_DATE.sub("", line))
        if date:
            return date
    return None


def is_dateline(text: str) -> bool:
    """Tell whether a line (or paragraph) holds nothing but dates it states as the page's own:
    "Gepubliceerd op: 12 maart 2021 | Laatst gecontroleerd op: 4 mei 2021", "Laatst gewijzigd
    op 3 maart 2021.", "Datum: 25 januari 2022". Such a line is the page's metadata, not a
    sentence of its text. It opens with a capital: a line of running text wrapped before
    "gewijzigd op 3 maart 2021." goes on with the sentence of the line before."""
    rest = _STATED_DATE.sub(" ", text)
    return text[:1].isupper() and rest != text and not any(ch.isalnum() for ch in rest)


def is_dating_label(text: str) -> bool:
    """Tell whether a line is the label of a dateline whose date stands on the next line, as a
    web page's "Gepubliceerd op:" over "21 april 2020" is copied."""
    return text[:1].isupper() and _DATING_LABEL.match(text.strip()) is not None


def dates_the_page(text: str) -> bool:
    """Tell whether a line is a dateline (`is_dateline`) or a dateline's label over its date
    (`is_dating_label`): the page's metadata, which stands apart from its text."""
    return is_dateline(text) or is_dating_label(text)


def _date_match(text: str) -> tuple[re.Match[str], str] | None:
    """Return the match of the first date pattern that `text` opens with, and its order."""
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return match, order
    return None


def _to_iso(match: re.Match[str], order: str) -> str | None:
    parts = match.groups()
    if order == "ymd":
        year, month, day = (int(p) for p in parts)
    elif order == "dmy":
        day, month, year = (int(p) for p in parts)
    else:
        day, year = int(parts[0]), int(parts[2])
        month = _MONTHS.get(parts[1].lower(), 0)
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def fields_from_mapping(mapping: Mapping[str, object], origin: str) -> MetaFields:
    """Read title, date, kind, kamerstuk and source_url (or url) from front matter or TOML."""
    for key in mapping:
        known = {f.name for f in fields(MetaFields)} | {"url"} | _IGNORED_KEYS
        if key not in known:
            logger.warning("%s: onbekend metadataveld %r genegeerd", origin, key)
    date = normalize_date(mapping.get("date"))
    if mapping.get("date") not in (None, "") and date is None:
        logger.warning("%s: datum %r is geen datum (JJJJ-MM-DD)", origin, mapping["date"])
    url = _text(mapping.get("source_url") or mapping.get("url"))
    if url and not url.startswith(("https://", "http://")):
        logger.warning("%s: bron-URL %r genegeerd (geen http(s))", origin, url)
        url = None
    return MetaFields(
        title=_text(mapping.get("title")),
        date=date,
        kind=_text(mapping.get("kind")),
        kamerstuk=_text(mapping.get("kamerstuk")),
        source_url=url,
    )


def _text(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = collapse_whitespace(str(value))
    return text or None


def sidecar_path(path: Path) -> Path:
    """Return where the metadata file of `path` lives ("rapport.pdf" -> "rapport.pdf.toml")."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def load_sidecar(path: Path, doc_id: str) -> MetaFields:
    """Return the metadata in the sidecar of `path`; raise DocumentError when it is invalid."""
    sidecar = sidecar_path(path)
    if sidecar.is_symlink():
        raise DocumentError(doc_id, f"metadatabestand {sidecar.name} is een symbolische koppeling")
    if not sidecar.is_file():
        return MetaFields()
    try:
        data = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        logger.debug("invalid sidecar %s", sidecar, exc_info=exc)
        where = _toml_error_place(exc)
        raise DocumentError(doc_id, f"metadatabestand {sidecar.name} is ongeldig{where}") from exc
    return fields_from_mapping(data, sidecar.name)


# tomllib ends its (English) messages with where it stopped: "(at line 2, column 3)".
_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)$")


def _toml_error_place(exc: Exception) -> str:
    """Return " (regel L, kolom K)" for a TOML syntax error that says where it is, else ""."""
    found = _TOML_PLACE.search(str(exc)) if isinstance(exc, tomllib.TOMLDecodeError) else None
    return f" (regel {found[1]}, kolom {found[2]})" if found else ""


def clean_embedded_title(raw: str) -> str | None:
    """Return a title from file properties, or None when it is empty or a file name."""
    title = collapse_whitespace(raw)
    if len(title) < 3 or _JUNK_TITLE.search(title.strip("()[] ")):
        return None
    if " " not in title and ("_" in title or "." in title):
        return None
    return title[:MAX_TITLE_CHARS]


def without_site_names(title: str) -> str:
    """Return a browser tab's title without the site names after its page's name: the part
    before the first " | " ("Tozo aanvragen | RVO.nl | Rijksdienst" -> "Tozo aanvragen"). A
    page's <title> names the page first and its site after, and a page copied from a browser
    often opens with that line."""
    return title.split(" | ")[0]


def same_title(heading: str, title: str) -> bool:
    """Tell whether a heading names the document ("Factsheet X" for "Factsheet X (stand 2019)")."""
    heading, title = heading.casefold(), " ".join(title.split()).casefold()
    return bool(heading) and (title.startswith(heading) or heading.startswith(title))


def humanize_file_name(name: str) -> str:
    """Turn a file name into a title: "rapport-mkb-2020.pdf" becomes "Rapport mkb 2020"."""
    stem = PurePosixPath(name).stem
    words = " ".join(re.split(r"[-_\s]+", stem)).strip() or name
    return words[0].upper() + words[1:]


def resolve_meta(
    doc_id: str, fmt: str, layers: Sequence[MetaFields], first_heading: str | None
) -> DocumentMeta:
    """Combine metadata by precedence: earlier layers win; then first heading, then file name."""
    merged = merge_fields(layers)
    heading = collapse_whitespace(first_heading or "")[:MAX_TITLE_CHARS]
    title = merged.title or heading or humanize_file_name(PurePosixPath(doc_id).name)
    return DocumentMeta(
        doc_id=doc_id,
        title=title,
        date=merged.date,
        kind=merged.kind,
        kamerstuk=merged.kamerstuk,
        source_url=merged.source_url,
        format=fmt,
    )
