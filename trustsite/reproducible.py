"""What makes a build reproducible: the build's date and the one deterministic zip writer.

SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/) is read here
only. Each caller says what to use when it is unset, because they need different things:
review notices need today's date, Word documents a fixed date, zips a date zip can hold.
"""

from __future__ import annotations

import os
import re
import zipfile
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


def write_deterministic_zip(target: Path | BinaryIO, entries: Iterable[tuple[str, bytes]],
                            when: datetime | None) -> None:
    """Zip `entries` (name, bytes) in the order given, each dated `when` (1980-01-01 when None
    or earlier) with the same attributes, so the same entries always give the same bytes."""
    stamp = max(when or ZIP_EARLIEST, ZIP_EARLIEST).astimezone(timezone.utc).timetuple()[:6]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, on every system, so the attributes mean the same
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)


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
