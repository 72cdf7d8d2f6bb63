"""The project's folders and files, in one place, from the project's root folder.

`INSTALLED` is the project this package belongs to. Building functions take a `Project` so a
test can build a scratch copy in the same process (tests/test_project.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"  # national pages; mkdocs.yml's docs_dir

    @property
    def includes(self) -> Path:
        return self.root / "includes"  # references, glossary, facts by kind of Trust

    @property
    def overrides(self) -> Path:
        return self.root / "overrides"  # theme templates; mkdocs.yml's theme.custom_dir

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def default_out(self) -> Path:
        return self.root / "dist"

    @property
    def schema_file(self) -> Path:
        return self.locales / "schema.json"

    @property
    def readme(self) -> Path:
        return self.root / "README.md"


INSTALLED = Project(Path(__file__).resolve().parents[1])
