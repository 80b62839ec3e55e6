"""Dutch descriptions of operating-system errors met while reading or writing index files."""

from __future__ import annotations

import errno
import os

FULL = "de schijf is vol of het bestand is te groot"
_PROBLEMS = {
    errno.ENOSPC: FULL,
    errno.EFBIG: FULL,
    errno.EDQUOT: FULL,
    errno.EACCES: "er is geen toestemming om daar te schrijven",
    errno.EPERM: "er is geen toestemming om daar te schrijven",
    errno.EROFS: "het bestandssysteem is alleen-lezen",
    errno.ENOENT: "het bestand of de map bestaat niet",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EISDIR: "dat is een map, geen bestand",
    errno.EIO: "de schijf gaf een lees- of schrijffout",
}
NO_READ_PERMISSION = "er is geen toestemming om het te lezen"
_READ_PROBLEMS = {**_PROBLEMS, errno.EACCES: NO_READ_PERMISSION, errno.EPERM: NO_READ_PERMISSION}


def describe(exc: OSError | RuntimeError, *, reading: bool = False) -> str:
    """Return a Dutch phrase for what went wrong while writing (or, with `reading`, reading).

    An OSError is described by its errno. faiss reports a failed open or write as a RuntimeError
    whose message holds the C library's strerror text, either in parentheses ("write error in
    x.faiss: 4 != 8 (File too large)") or after a colon at the end ("could not open x.faiss for
    writing: Is a directory"); that text is turned back into its errno and described the same way.
    Only a faiss *write* error without a recognisable cause is taken for a full disk (a short
    write); any other error is unexpected, never a full disk.
    """
    if isinstance(exc, RuntimeError):
        code = _faiss_errno(str(exc).rstrip())
        if code is None:
            return FULL if "write error in " in str(exc) else "onverwachte systeemfout (faiss)"
        exc = OSError(code, os.strerror(code))
    problems = _READ_PROBLEMS if reading else _PROBLEMS
    if exc.errno in problems:
        return problems[exc.errno]
    name = errno.errorcode.get(exc.errno, str(exc.errno)) if exc.errno else type(exc).__name__
    return f"onverwachte systeemfout ({name})"


def is_failed_faiss_open(exc: RuntimeError) -> bool:
    """Whether faiss failed to open a file ("could not open x.faiss for reading: No such file ...").

    Only a failed open carries a trustworthy cause. A short read ("read error in x.faiss: 0 != 1
    (...)") names whatever errno was left over (an empty file reports "Inappropriate ioctl for
    device"), so it says nothing about the system: the file is truncated or damaged.
    """
    message = str(exc).rstrip()
    return "could not open " in message and _faiss_errno(message) is not None


def _faiss_errno(message: str) -> int | None:
    """Return the errno whose strerror text ends a faiss error message, if any."""
    for code in errno.errorcode:
        text = os.strerror(code)
        if f"({text})" in message or message.endswith(f": {text}"):
            return code
    return None
