"""The project's paths come from one root folder, so a scratch copy of the project builds in
this process; SOURCE_DATE_EPOCH is read in one place and every zip is written one way."""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import time
import zipfile
import zlib
from datetime import datetime, timezone
from pathlib import Path

from trustsite.build import build_many, write_zip
from trustsite.locale import load_locale
from trustsite.project import INSTALLED, Project
from trustsite import reproducible
from trustsite.reproducible import (Deflated, deflated_entries, source_date,
                                    write_deterministic_zip)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_path_is_under_the_given_root():
    project = Project(Path("/srv/guide"))
    assert project.docs == Path("/srv/guide/docs")
    assert project.includes == Path("/srv/guide/includes")
    assert project.overrides == Path("/srv/guide/overrides")
    assert project.locales == Path("/srv/guide/locales")
    assert project.mkdocs_yml == Path("/srv/guide/mkdocs.yml")
    assert project.default_out == Path("/srv/guide/dist")
    assert project.schema_file == Path("/srv/guide/locales/schema.json")


def test_the_installed_project_is_the_one_holding_this_test():
    assert INSTALLED.root == Path(__file__).resolve().parents[1]
    assert INSTALLED.mkdocs_yml.is_file()


def test_a_scratch_project_builds_in_this_process_from_its_own_files(scratch_project, tmp_path,
                                                                    monkeypatch):
    monkeypatch.delenv("TRUST", raising=False)  # restored after the build sets it
    edit(scratch_project / "docs" / "index.md", "The aim is simple.",
         "The aim is simple. Scratch pages are built.")
    edit(scratch_project / "overrides" / "partials" / "trust-footer.html", "About this site",
         "About this copy")
    edit(scratch_project / "includes" / "abbreviations.md", "*[NHS]: National Health Service",
         "*[NHS]: Scratch Health Service")
    # References, the glossary list and Trust-type facts come from the scratch project too.
    edit(scratch_project / "includes" / "references.yml", "Health and Care Services Engagement",
         "Scratch Services Engagement")
    edit(scratch_project / "includes" / "abbreviations.md", "*[CQC]: Care Quality Commission",
         "*[CQC]: Scratch Quality Commission")
    edit(scratch_project / "includes" / "trust-types.yml",
         "where_care_happens: wards, clinics, theatres and the emergency department",
         "where_care_happens: scratch wards")
    out = tmp_path / "out"
    locale = load_locale(scratch_project / "locales" / "example.yml")
    [result] = build_many([locale], out, jobs=1, project=Project(scratch_project))
    assert result.ok, result.message
    home = (out / "example" / "index.html").read_text(encoding="utf-8")
    assert "Scratch pages are built." in home
    assert "About this copy" in home
    assert 'title="Scratch Health Service"' in home
    assert "scratch wards" in home
    site = out / "example"
    assert "Scratch Services Engagement" in (site / "about" / "references.html").read_text()
    assert "Scratch Quality Commission" in (site / "glossary.html").read_text()
    with zipfile.ZipFile(site / "downloads" / "engagement-plan.docx") as word:
        assert "Scratch Services Engagement" in word.read("word/document.xml").decode()
    assert "Scratch pages are built." not in (INSTALLED.docs / "index.md").read_text()


def test_source_date_is_the_variable_in_utc_or_none(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert source_date() == datetime(2026, 1, 1, tzinfo=timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    assert source_date() is None
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert source_date() is None


def zipped(entries: list[tuple[str, bytes]], when: datetime | None) -> bytes:
    buffer = io.BytesIO()
    write_deterministic_zip(buffer, entries, when)
    return buffer.getvalue()


def test_zip_entries_keep_their_order_and_one_date():
    data = zipped([("b.txt", b"second"), ("a.txt", b"first")],
                  datetime(2026, 1, 1, 12, 30, tzinfo=timezone.utc))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert [info.filename for info in archive.infolist()] == ["b.txt", "a.txt"]
        assert {info.date_time for info in archive.infolist()} == {(2026, 1, 1, 12, 30, 0)}
        assert {info.external_attr for info in archive.infolist()} == {0o644 << 16}
        assert archive.read("a.txt") == b"first"


def test_zip_dates_before_1980_or_unset_become_1980():
    for when in (None, datetime(1970, 1, 1, tzinfo=timezone.utc)):
        with zipfile.ZipFile(io.BytesIO(zipped([("a.txt", b"x")], when))) as archive:
            assert archive.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


_ZIP_IN_A_NEW_PROCESS = """
import io, sys
from trustsite.reproducible import write_deterministic_zip
out = io.BytesIO()
write_deterministic_zip(out, [("a.txt", b"x" * 1000), ("b/c.txt", b"y")], None)
sys.stdout.buffer.write(out.getvalue())
"""


def test_the_same_entries_give_the_same_bytes_in_any_process_time_zone_and_moment():
    def zipped_elsewhere(time_zone: str, seed: str) -> bytes:
        return subprocess.run([sys.executable, "-c", _ZIP_IN_A_NEW_PROCESS], cwd=INSTALLED.root,
                              env=dict(os.environ, TZ=time_zone, PYTHONHASHSEED=seed),
                              capture_output=True, check=True, timeout=60).stdout

    first = zipped_elsewhere("UTC", "1")
    time.sleep(2.1)  # a zip's dates count in 2 s steps: a read of the clock would now differ
    assert first == zipped_elsewhere("Asia/Kolkata", "2")
    assert first == zipped([("a.txt", b"x" * 1000), ("b/c.txt", b"y")], None)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.read("b/c.txt") == b"y"


def zipped_by_zipfile(entries: list[tuple[str, bytes]], when: datetime | None) -> bytes:
    """What the zip writer replaced: Python's zipfile, writing the same entries."""
    stamp = (max(when, reproducible.ZIP_EARLIEST) if when else reproducible.ZIP_EARLIEST
             ).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return buffer.getvalue()


def random_entries(rng: random.Random) -> list[tuple[str, bytes]]:
    names = ["index.html", "assets/site.css", "pages/ünïcode-ß.md", "d" * 300, "a b/é.docx"]
    entries = []
    for number in range(rng.randint(0, 6)):
        kind = rng.random()
        data = (b"" if kind < 0.1 else rng.randbytes(rng.randint(1, 5000)) if kind < 0.5
                else b"Research is part of best care. " * rng.randint(1, 5000))
        entries.append((f"{rng.choice(names)}{number}", data))
    return entries


WHENS = [None, datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc),
         datetime(1970, 1, 1, tzinfo=timezone.utc)]


def test_the_zip_writer_writes_what_zipfile_writes():
    """Byte for byte, so zips made before and after it are the same files."""
    rng = random.Random(2026)
    for case in range(150):
        entries, when = random_entries(rng), rng.choice(WHENS)
        assert zipped(entries, when) == zipped_by_zipfile(entries, when), case


def test_deflated_entries_are_written_again_without_a_change():
    """A zip's stored streams, zipped again, give the same zip; the entries read back."""
    rng = random.Random(29)
    for case in range(60):
        entries, when = random_entries(rng), rng.choice(WHENS)
        original = zipped_by_zipfile(entries, when)
        kept = deflated_entries(original)
        assert all(isinstance(data, Deflated) for _, data in kept)
        assert zipped(kept, when) == original, case
        with zipfile.ZipFile(io.BytesIO(zipped(kept, when))) as archive:
            assert archive.testzip() is None
            assert [(info.filename, archive.read(info)) for info in archive.infolist()] \
                == entries


def test_a_stored_entry_is_deflated_when_zipped_again():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("a.txt", b"stored " * 100)
    (name, data), = deflated_entries(buffer.getvalue())
    assert name == "a.txt" and isinstance(data, Deflated)
    assert zlib.decompress(data.stream, -15) == b"stored " * 100  # a raw deflate stream
    assert (data.crc, data.size) == (zlib.crc32(b"stored " * 100), 700)


def test_an_entry_too_big_for_a_plain_zip_is_refused(monkeypatch):
    monkeypatch.setattr(reproducible, "_ZIP64_LIMIT", 100)
    try:
        zipped([("big.bin", b"x" * 101)], None)
    except ValueError as error:
        assert "big.bin is over 2 GB" in str(error)
    else:
        raise AssertionError("a 101-byte entry passed a 100-byte limit")


def test_a_site_zip_is_sorted_under_its_folder_and_dated_by_the_variable(tmp_path,
                                                                         monkeypatch):
    site = tmp_path / "example"
    (site / "sub").mkdir(parents=True)
    (site / "sub" / "page.html").write_text("page", encoding="utf-8")
    (site / "index.html").write_text("home", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    write_zip(site, tmp_path / "example.zip", {"README.txt": b"kit"})
    with zipfile.ZipFile(tmp_path / "example.zip") as archive:
        assert archive.namelist() == ["example/server-kit/README.txt", "example/site/index.html",
                                      "example/site/sub/page.html"]
        assert archive.infolist()[0].date_time == (2026, 1, 1, 0, 0, 0)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    write_zip(site, tmp_path / "example.zip")
    with zipfile.ZipFile(tmp_path / "example.zip") as archive:
        assert archive.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


def test_pdf_dates_are_stamped_in_place_and_left_alone_without_a_date():
    from trustsite.reproducible import stamp_pdf_dates

    pdf = b"<< /Creator (x) /CreationDate (D:20991231235959+00'00') /ModDate (D:20991231235959+00'00') >>"
    when = datetime(2001, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
    assert stamp_pdf_dates(pdf, when) == pdf.replace(b"20991231235959", b"20010203040506")
    assert stamp_pdf_dates(pdf, None) == pdf
