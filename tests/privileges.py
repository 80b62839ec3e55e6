"""File permissions that hold for root too, so that permission tests run wherever the suite does.

Root reads any file through two capabilities, CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH. Linux keeps
capabilities per thread, and a thread may take them out of its effective set and put them back
from its permitted set: `permissions_enforced` does that around a block, for the calling thread.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator
from contextlib import contextmanager

_CAPABILITY_VERSION_3 = 0x20080522  # linux/capability.h: two 32-bit words per set
_READ_ANYTHING = (1 << 1) | (1 << 2)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH (word 0)


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _call(name: str, header: _Header, data: ctypes.Array[_Data]) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if getattr(libc, name)(ctypes.byref(header), data) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{name}: {os.strerror(errno)}")


@contextmanager
def permissions_enforced() -> Iterator[None]:
    """Within the block, the calling thread reads only what file permissions allow, as root too
    (for another user, nothing changes)."""
    if os.geteuid() != 0:
        yield
        return
    header = _Header(_CAPABILITY_VERSION_3, 0)
    data = (_Data * 2)()
    _call("capget", header, data)
    saved = data[0].effective
    data[0].effective = saved & ~_READ_ANYTHING
    _call("capset", header, data)
    try:
        yield
    finally:
        data[0].effective = saved
        _call("capset", header, data)
