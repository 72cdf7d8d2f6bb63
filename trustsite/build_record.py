"""Which Trusts a build may skip: a record, beside the output, of what each Trust was built from.

`trustsite build` writes DIR/.trustsite-inputs.json: for each Trust whose site is in DIR, a
SHA-256 of everything that site depends on. Those inputs are the national files (docs/,
includes/, overrides/, mkdocs.yml, macros.py), the code (this package), the installed packages,
the Trust's locale file and folder, the build's options and the build's date. A Trust whose
inputs hash to what the record holds, and whose outputs are all still there, is not built
again. A record that is missing, unreadable or of another format makes every Trust build.

The record never says more than was true: before a run builds a Trust, its entry is dropped
and the record written, so a run stopped half-way leaves that Trust to be built next time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Iterable

import trustsite
from trustsite.locale import Locale
from trustsite.project import Project
from trustsite.reproducible import source_date

RECORD = ".trustsite-inputs.json"
FORMAT = 1  # bump when what is hashed changes, so old records are not trusted


def _hash_tree(digest: "hashlib._Hash", folder: Path, label: str) -> None:
    """Every file under folder, by its path relative to it and its bytes; a symbolic link by
    where it points (never followed: a Trust's link is refused by the checks anyway)."""
    if not folder.exists():
        digest.update(f"{label}: absent\0".encode())
        return
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if "__pycache__" in path.parts or path.suffix == ".pyc":
            continue  # Python's own cache: written by running the code, not part of it
        if path.is_symlink():
            digest.update(f"{label}/{relative} -> {os.readlink(path)}\0".encode())
        elif path.is_file():
            digest.update(f"{label}/{relative} {path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())


def _hash_file(digest: "hashlib._Hash", path: Path, label: str) -> None:
    digest.update(f"{label} ".encode())
    digest.update(path.read_bytes() if path.is_file() else b"absent")
    digest.update(b"\0")


def build_date() -> str:
    """The date a build's output depends on: SOURCE_DATE_EPOCH when set, else today (review
    notices say what is due now, so yesterday's site is not today's)."""
    when = source_date()
    return when.isoformat() if when else f"today {date.today().isoformat()}"


def installed_packages() -> list[str]:
    """name==version of every installed distribution, sorted: the pins as they are, not as
    requirements.txt hopes."""
    found = {f"{dist.metadata['Name']}=={dist.version}" for dist in metadata.distributions()
             if dist.metadata["Name"]}
    return sorted(found, key=str.lower)


CODE = Path(trustsite.__file__).parent  # the code that builds: this package, as installed


def national_digest(project: Project, code: Path = CODE) -> str:
    """SHA-256 of what every Trust's site depends on alike: national files, code, packages,
    Python and the build's date."""
    digest = hashlib.sha256(f"trustsite build record {FORMAT}\0".encode())
    _hash_tree(digest, project.docs, "docs")
    _hash_tree(digest, project.includes, "includes")
    _hash_tree(digest, project.overrides, "overrides")
    _hash_file(digest, project.mkdocs_yml, "mkdocs.yml")
    _hash_file(digest, project.root / "macros.py", "macros.py")
    _hash_tree(digest, code, "code")
    digest.update("\n".join(installed_packages()).encode() + b"\0")
    digest.update(f"python {sys.version}\0date {build_date()}\0".encode())
    return digest.hexdigest()


def trust_digest(national: str, locale: Locale, options: Iterable[str]) -> str:
    """SHA-256 of one Trust's inputs: the national digest, its locale file and folder, and
    the build options that change its output (the targets it is built for)."""
    digest = hashlib.sha256(f"{national}\0{locale.slug}\0".encode())
    _hash_file(digest, locale.path, "locale")
    _hash_tree(digest, locale.path.with_suffix(""), "folder")
    digest.update(("options " + ",".join(sorted(options))).encode())
    return digest.hexdigest()


def read_record(out_dir: Path) -> dict[str, str]:
    """slug -> inputs digest from out_dir's record; empty when it is missing, unreadable or
    not in this format (then every Trust builds)."""
    try:
        data = json.loads((out_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    trusts = data.get("trusts") if isinstance(data, dict) and data.get("format") == FORMAT else None
    if not isinstance(trusts, dict):
        return {}
    return {slug: value for slug, value in trusts.items()
            if isinstance(slug, str) and isinstance(value, str)}


def write_record(out_dir: Path, record: dict[str, str]) -> None:
    """Write the record in one step (a reader sees the old one or the new one)."""
    path = out_dir / RECORD
    partial = path.with_name(f".{path.name}.partial")
    text = json.dumps({"format": FORMAT, "trusts": dict(sorted(record.items()))}, indent=1)
    partial.write_text(text + "\n", encoding="utf-8")
    os.replace(partial, path)


def outputs_present(outputs: Iterable[Path]) -> bool:
    """Whether every output a build of a Trust writes (build.trust_outputs) is still there:
    someone may have deleted one since."""
    return all(path.is_file() for path in outputs)
