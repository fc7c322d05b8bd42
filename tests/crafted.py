"""Crafted hostile inputs shared by the tests (built in memory; no binary files in the repository)."""

from __future__ import annotations

import struct


def compound_file(*streams: str) -> bytes:
    """A minimal OLE2 compound file (the container of .xls and of password-protected Office files)
    holding empty streams with these names."""
    free, end, fat_sector, none = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", bytes(16), 0x3E, 3, 0xFFFE,
                         9, 6, bytes(6), 0, 1, 1, 0, 0x1000, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    fat = struct.pack("<II", fat_sector, end) + struct.pack("<I", free) * 126

    def entry(name: str, kind: int, right: int, child: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, none, right, child, bytes(16), 0, 0, 0,
                           end, 0)

    entries = [entry("Root Entry", 5, none, 1 if streams else none)]
    for i, name in enumerate(streams, start=1):
        entries.append(entry(name, 2, i + 1 if i < len(streams) else none, none))
    directory = b"".join(entries) + bytes(128) * (4 - len(entries))
    return header + fat + directory
