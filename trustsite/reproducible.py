"""What makes a build reproducible: the build's date and the one deterministic zip writer.

SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/) is read here
only. Each caller says what to use when it is unset, because they need different things:
review notices need today's date, Word documents a fixed date, zips a date zip can hold.

The zip writer writes the bytes Python's zipfile writes for the same entries (deflated at
zlib's default level; tests/test_project.py compares the two), but it also takes an entry
that is already deflated, so a Word file, which python-docx has deflated once, is re-dated
without being deflated again.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Iterable

ZIP_EARLIEST = datetime(1980, 1, 1, tzinfo=timezone.utc)  # zip cannot date an entry earlier


def source_date() -> datetime | None:
    """The build's date from SOURCE_DATE_EPOCH (seconds since 1970, UTC), None when unset."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc)


@dataclass(frozen=True)
class Deflated:
    """An entry's data as a zip stores it: a raw deflate stream, with the CRC-32 and size of
    the data it holds."""
    stream: bytes
    crc: int
    size: int


def deflate(data: bytes) -> Deflated:
    """`data` deflated as zipfile deflates an entry (zlib's default level, no header)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Deflated(compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


# The zip format's records (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16), as zipfile packs them.
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_CENTRAL_ENTRY = struct.Struct("<4s4B4HL2L5H2L")
_END_OF_CENTRAL = struct.Struct("<4s4H2LH")
_ZIP64_LIMIT = (1 << 31) - 1  # beyond this zipfile would write zip64 records; we refuse
_MAX_ENTRIES = 0xFFFF
_UNIX = 3  # create_system: Unix, on every system, so the attributes mean the same
_ATTRIBUTES = 0o644 << 16


def write_deterministic_zip(target: Path | BinaryIO,
                            entries: Iterable[tuple[str, bytes | Deflated]],
                            when: datetime | None) -> None:
    """Zip `entries` (name, bytes or already Deflated data) in the order given, each dated
    `when` (1980-01-01 when None or earlier) with the same attributes, so the same entries
    always give the same bytes."""
    stamp = max(when or ZIP_EARLIEST, ZIP_EARLIEST).astimezone(timezone.utc).timetuple()[:6]
    if isinstance(target, (str, os.PathLike)):
        with open(target, "wb") as file:
            _write_zip(file, entries, stamp)
    else:
        _write_zip(target, entries, stamp)


def _write_zip(out: BinaryIO, entries: Iterable[tuple[str, bytes | Deflated]],
               stamp: tuple[int, ...]) -> None:
    central = []
    for name, data in entries:
        deflated = data if isinstance(data, Deflated) else deflate(data)
        entry = _entry(name, stamp, deflated)
        entry.header_offset = out.tell()  # from the stream's start, as zipfile counts
        out.write(entry.FileHeader(zip64=False))
        out.write(deflated.stream)
        central.append(_central_record(entry))
    if len(central) > _MAX_ENTRIES:
        raise ValueError(f"a zip of more than {_MAX_ENTRIES} files is not supported")
    directory = b"".join(central)
    offset = out.tell()
    _within_limit(offset, "the zip")
    out.write(directory)
    out.write(_END_OF_CENTRAL.pack(b"PK\x05\x06", 0, 0, len(central), len(central),
                                   len(directory), offset, 0))


def _entry(name: str, stamp: tuple[int, ...], deflated: Deflated) -> zipfile.ZipInfo:
    """The entry zipfile's writestr would make for a ZipInfo(name, stamp) we set up."""
    _within_limit(deflated.size, name)
    _within_limit(len(deflated.stream), name)
    entry = zipfile.ZipInfo(name, date_time=stamp)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.create_system = _UNIX
    entry.external_attr = _ATTRIBUTES
    entry.CRC, entry.compress_size, entry.file_size = (deflated.crc, len(deflated.stream),
                                                      deflated.size)
    return entry


def _within_limit(size: int, what: str) -> None:
    if size > _ZIP64_LIMIT:
        raise ValueError(f"{what} is over 2 GB, which a zip without zip64 cannot hold")


def _central_record(entry: zipfile.ZipInfo) -> bytes:
    """The central directory's record of `entry`, after its local header was written."""
    year, month, day, hour, minute, second = entry.date_time
    dos_date = (year - 1980) << 9 | month << 5 | day
    dos_time = hour << 11 | minute << 5 | second // 2
    name = entry.filename.encode("ascii") if entry.filename.isascii() \
        else entry.filename.encode("utf-8")
    flags = 0 if entry.filename.isascii() else 0x800  # 0x800: the name is UTF-8
    return _CENTRAL_ENTRY.pack(
        b"PK\x01\x02", entry.create_version, entry.create_system, entry.extract_version,
        entry.reserved, flags, entry.compress_type, dos_time, dos_date, entry.CRC,
        entry.compress_size, entry.file_size, len(name), 0, 0, 0, entry.internal_attr,
        entry.external_attr, entry.header_offset) + name


def deflated_entries(zip_bytes: bytes) -> list[tuple[str, Deflated]]:
    """The entries of a zip whose entries are deflated, as they are stored (not inflated),
    in order; a stored (undeflated) entry is deflated here."""
    entries = []
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        for info in archive.infolist():
            if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
                entries.append((info.filename, deflate(archive.read(info))))
                continue
            header = zip_bytes[info.header_offset:info.header_offset + _LOCAL_HEADER.size]
            fields = _LOCAL_HEADER.unpack(header)
            if fields[0] != b"PK\x03\x04":
                raise zipfile.BadZipFile(f"no local header for {info.filename}")
            start = info.header_offset + _LOCAL_HEADER.size + fields[-2] + fields[-1]
            entries.append((info.filename, Deflated(zip_bytes[start:start + info.compress_size],
                                                    info.CRC, info.file_size)))
    return entries


# Chromium writes the clock time into a PDF's /CreationDate and /ModDate as
# (D:YYYYMMDDHHmmSS+00'00'); the same fixed-width form keeps every byte offset in place.
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[^)]{0,7}\)")


def stamp_pdf_dates(pdf: bytes, when: datetime | None) -> bytes:
    """The PDF with its creation and modification dates set to `when` (unchanged when None),
    so two prints of one revision give the same bytes."""
    if when is None:
        return pdf

    def stamped(match: re.Match[bytes]) -> bytes:
        date = when.astimezone(timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'").encode()
        new = b"/" + match[1] + b" (" + date + b")"
        return new if len(new) == len(match[0]) else match[0]  # offsets must not move

    return _PDF_DATE.sub(stamped, pdf)
