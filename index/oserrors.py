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
    errno.EIO: "de schijf gaf een lees- of schrijffout",
}


def describe(exc: OSError | RuntimeError) -> str:
    """Return a Dutch phrase for what went wrong.

    An OSError is described by its errno. faiss reports a failed write as a RuntimeError whose
    message holds the C library's strerror text, either in parentheses ("... (File too large)")
    or after a colon at the end ("could not open x.faiss for writing: Permission denied"); it is
    matched against the known errors. An unrecognised faiss write error is most likely a full disk.
    """
    if isinstance(exc, OSError):
        if exc.errno in _PROBLEMS:
            return _PROBLEMS[exc.errno]
        name = errno.errorcode.get(exc.errno, str(exc.errno)) if exc.errno else type(exc).__name__
        return f"onverwachte systeemfout ({name})"
    message = str(exc).rstrip()
    for code, problem in _PROBLEMS.items():
        text = os.strerror(code)
        if f"({text})" in message or message.endswith(f": {text}"):
            return problem
    return FULL
