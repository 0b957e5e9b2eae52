"""Write the small Access fixtures (customers.mdb, Jet 4; customers.accdb, ACE 12) from scratch.

No tool here can write Access files (access-parser and mdbtools only read), so this script lays
out the pages itself, following the Jet 4 format notes shipped with mdbtools (HACKING.md):
page 0 the database definition page (its RC4-masked header), page 1 the usage maps, page 2 the
MSysObjects catalogue, then one table-definition page and one data page per user table. Text is
stored as uncompressed UCS-2, dates as days since 1899-12-30. The files were checked with
mdbtools (``mdb-tables``, ``mdb-export``) and access-parser. Run from the repository root:

    python tests/data/files/make_access.py
"""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PAGE = 4096
HERE = Path(__file__).resolve().parent
BOOL, LONG, INT, DOUBLE, DATETIME, TEXT, OLE = 0x01, 0x04, 0x03, 0x07, 0x08, 0x0A, 0x0B
VARIABLE = (TEXT, OLE)
FIXED_SIZE = {BOOL: 0, LONG: 4, INT: 2, DOUBLE: 8, DATETIME: 8}
EPOCH = dt.datetime(1899, 12, 30)


@dataclass
class Table:
    name: str
    columns: list[tuple[str, int]]
    rows: list[list[Any]]
    system: bool = False


def rc4(key: bytes, data: bytes) -> bytes:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def header_page(engine: str, version: int) -> bytes:
    page = bytearray(PAGE)
    page[0:4] = b"\x00\x01\x00\x00"
    page[4:20] = f"Standard {engine} DB\x00".encode("ascii")
    struct.pack_into("<I", page, 0x14, version)
    plain = bytearray(128)  # offsets below are relative to 0x18, where the masking starts
    struct.pack_into("<H", plain, 0x3C - 0x18, 1252)  # code page
    struct.pack_into("<I", plain, 0x6E - 0x18, 0x409)  # sort order: General
    page[0x18 : 0x18 + 128] = rc4(struct.pack("<I", 0x6B39DAC7), bytes(plain))
    return bytes(page)


def data_page(owner: int, records: list[bytes]) -> bytes:
    """Rows are stored from the end of the page backwards; the offsets table follows the header."""
    page = bytearray(PAGE)
    page[0:2] = b"\x01\x01"
    struct.pack_into("<IIH", page, 4, owner, 0, len(records))
    end = PAGE
    for index, record in enumerate(records):
        start = end - len(record)
        page[start:end] = record
        struct.pack_into("<H", page, 14 + 2 * index, start)
        end = start
    free = end - (14 + 2 * len(records))
    assert free >= 0, "records do not fit on one page"
    struct.pack_into("<H", page, 2, free)
    return bytes(page)


def encode(kind: int, value: Any) -> bytes:
    if kind == LONG:
        return struct.pack("<i", value)
    if kind == INT:
        return struct.pack("<h", value)
    if kind == DOUBLE:
        return struct.pack("<d", value)
    if kind == DATETIME:
        return struct.pack("<d", (value - EPOCH).total_seconds() / 86400)
    if kind == TEXT:
        return str(value).encode("utf-16-le")
    return b""  # booleans live in the null mask


def record(table: Table) -> list[bytes]:
    fixed = [(i, k) for i, (_, k) in enumerate(table.columns) if k not in VARIABLE]
    var = [(i, k) for i, (_, k) in enumerate(table.columns) if k in VARIABLE]
    out = []
    for row in table.rows:
        mask = bytearray((len(table.columns) + 7) // 8)
        for i, value in enumerate(row):
            present = bool(value) if table.columns[i][1] == BOOL else value is not None
            if present:
                mask[i // 8] |= 1 << (i % 8)
        body = bytearray(struct.pack("<H", len(table.columns)))
        for i, kind in fixed:
            body += encode(kind, row[i]) if row[i] is not None else bytes(FIXED_SIZE[kind])
        offsets = []
        for i, kind in var:
            offsets.append(len(body))
            if row[i] is not None:
                body += encode(kind, row[i])
        eod = len(body)
        tail = [struct.pack("<H", eod)] + [struct.pack("<H", o) for o in reversed(offsets)]
        body += b"".join(tail) + struct.pack("<H", len(var)) + mask
        out.append(bytes(body))
    return out


def tdef_page(table: Table, used_map: int, free_map: int) -> bytes:
    columns, names, fixed_offset, var_index = bytearray(), bytearray(), 0, 0
    for number, (name, kind) in enumerate(table.columns):
        is_fixed = kind not in VARIABLE
        flags = (0x01 if is_fixed else 0) | 0x02
        misc = struct.pack("<HBB", 0x409, 0, 1) if kind == TEXT else bytes(4)
        length = max(FIXED_SIZE[kind], 1) if is_fixed else (510 if kind == TEXT else 0)
        columns += struct.pack("<BIHHH", kind, 0, number, 0 if is_fixed else var_index, number)
        columns += misc + struct.pack("<BBI", flags, 0, 0)
        columns += struct.pack("<HH", fixed_offset if is_fixed else 0, length)
        if is_fixed:
            fixed_offset += FIXED_SIZE[kind]
        else:
            var_index += 1
        encoded = name.encode("utf-16-le")
        names += struct.pack("<H", len(encoded)) + encoded
    n_var = sum(1 for _, k in table.columns if k in VARIABLE)
    body = struct.pack(
        "<IIIIB3sI8sBHHHIIII",
        0,  # tdef_len, set below
        0,
        len(table.rows),
        0,
        1,
        b"\x00" * 3,
        0,
        b"\x00" * 8,
        0x53 if table.system else 0x4E,
        len(table.columns),
        n_var,
        len(table.columns),
        0,
        0,
        used_map,
        free_map,
    )
    body += bytes(columns) + bytes(names) + b"\xff\xff"
    page = bytearray(PAGE)
    page[0:2] = b"\x02\x01"
    page[8 : 8 + len(body)] = body
    struct.pack_into("<I", page, 8, 8 + len(body))
    struct.pack_into("<H", page, 2, PAGE - 8 - len(body) - 8)
    return bytes(page)


def usage_map(page_number: int | None) -> bytes:
    bitmap = bytearray(8)
    if page_number is not None:
        bitmap[page_number // 8] |= 1 << (page_number % 8)
    return b"\x00" + struct.pack("<I", 0) + bytes(bitmap)


def build(tables: list[Table]) -> list[bytes]:
    """Page 2 holds the catalogue; user table N gets tdef page 4+2N and data page 5+2N."""
    tdef_pages = [2] + [4 + 2 * n for n in range(len(tables))]
    catalogue = Table(
        "MSysObjects",
        [
            ("Id", LONG),
            ("ParentId", LONG),
            ("Name", TEXT),
            ("Type", INT),
            ("Flags", LONG),
            ("LvProp", OLE),
        ],
        [[2, 0, "MSysObjects", 1, -0x80000000, None]]
        + [[p, 0, t.name, 1, 0, None] for p, t in zip(tdef_pages[1:], tables, strict=True)],
        system=True,
    )
    everything = [catalogue, *tables]
    maps = []
    for tdef in tdef_pages:
        maps += [usage_map(tdef + 1), usage_map(None)]
    pages: dict[int, bytes] = {1: data_page(0, maps)}
    for n, (table, tdef) in enumerate(zip(everything, tdef_pages, strict=True)):
        pages[tdef] = tdef_page(table, (1 << 8) | (2 * n), (1 << 8) | (2 * n + 1))
        pages[tdef + 1] = data_page(tdef, record(table))
    return [pages.get(i, bytes(PAGE)) for i in range(1, max(pages) + 1)]


TABLES = [
    Table(
        "Customers",
        [
            ("ID", LONG),
            ("Name", TEXT),
            ("Joined", DATETIME),
            ("Spend", DOUBLE),
            ("Active", BOOL),
            ("Notes", TEXT),
        ],
        [
            [1, "Ann Smith", dt.datetime(2023, 1, 15), 1250.5, True, "first order"],
            [2, "Zoë Müller", dt.datetime(2023, 6, 1, 9, 30), 300.0, False, None],
            [3, "=SUM(A1)", dt.datetime(2024, 2, 29), 0.25, True, "formula-looking name"],
        ],
    ),
    Table("Regions", [("Code", TEXT), ("Label", TEXT)], [["N", "North"], ["S", "South"]]),
]


def main() -> None:
    for suffix, engine, version in (("mdb", "Jet", 1), ("accdb", "ACE", 2)):
        pages = [header_page(engine, version), *build(TABLES)]
        (HERE / f"customers.{suffix}").write_bytes(b"".join(pages))


if __name__ == "__main__":
    main()
