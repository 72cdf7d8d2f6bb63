"""ARCHITECTURE.md's "What must never depend on what", checked on the code itself.

Each file's imports are read with ast, those inside functions too, so a rule cannot be
broken by moving an import into a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "trustsite"
GENERATORS = ("mkdocs", "material", "mkdocs_macros")
# Modules that import nothing from MkDocs, Material or mkdocs-macros themselves, so they
# outlive the generator. locale.py reads a Trust page's "Key: value" front matter with
# MkDocs' own reader, so its check reads it exactly as the build will.
GENERATOR_FREE = ["locale.py", "schema.py", "context.py", "colours.py", "prepare.py",
                  "project.py", "reproducible.py", "built_page.py"]
ALLOWED = {("locale.py", "mkdocs.utils.meta")}
NEVER = [("plugin.py", "trustsite.build"), ("plugin.py", "trustsite.preview"),
         ("plugin.py", "trustsite.cli"), ("build.py", "trustsite.cli")]


def nodes(path: Path) -> list[ast.AST]:
    return list(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def imports(path: Path, root: Path = ROOT) -> set[str]:
    """Every module the file imports, as dotted names ('from a import b' gives a and a.b);
    a relative import is named from `root`, the folder that holds the package."""
    found: set[str] = set()
    for node in nodes(path):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: from . import x, inside trustsite/
                parts = path.relative_to(root).with_suffix("").parts[:-node.level]
                module = ".".join([*parts, module] if module else parts)
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def reads_command_line(path: Path, root: Path = ROOT) -> bool:
    """Whether the file imports argparse or reads sys.argv."""
    return any(within(name, "argparse") or name == "sys.argv"
               for name in imports(path, root)) or any(
        isinstance(node, ast.Attribute) and node.attr == "argv"
        and isinstance(node.value, ast.Name) and node.value.id == "sys"
        for node in nodes(path))


def modules_where(test) -> list[str]:
    """The package's modules (paths inside trustsite/) for which test(path) holds."""
    return sorted(path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
                  if test(path))


@pytest.mark.parametrize("module", GENERATOR_FREE)
def test_module_imports_nothing_from_the_generator(module):
    used = {name for name in imports(PACKAGE / module)
            if any(within(name, generator) for generator in GENERATORS)}
    allowed = {name for file, allowed in ALLOWED if file == module
               for name in used if within(name, allowed)}
    assert used - allowed == set()


@pytest.mark.parametrize(("module", "forbidden"), NEVER)
def test_module_never_imports(module, forbidden):
    assert not any(within(name, forbidden) for name in imports(PACKAGE / module))


def test_only_cli_reads_the_command_line():
    assert modules_where(reads_command_line) == ["cli.py"]


def touches_word_xml(path: Path, root: Path = ROOT) -> bool:
    """Whether a module that uses python-docx goes below its public API: imports docx.oxml,
    or reads an element (`.element`, or a private attribute such as a paragraph's `_p`)."""
    names = imports(path, root)
    if not any(within(name, "docx") for name in names):
        return False
    reads_xml = any(isinstance(node, ast.Attribute)
                    and (node.attr == "element" or private(node.attr)) for node in nodes(path))
    below_api = any(within(name, "docx.oxml") or (within(name, "docx") and any(
        private(part) for part in name.split("."))) for name in names)  # e.g. docx.table._Cell
    return reads_xml or below_api


def test_only_docx_xml_touches_word_xml():
    assert modules_where(touches_word_xml) == ["docx_xml.py"]


def sample_module(tmp_path: Path, code: str) -> Path:
    """A module trustsite/sample.py under tmp_path, holding `code`."""
    package = tmp_path / "trustsite"
    package.mkdir(exist_ok=True)
    sample = package / "sample.py"
    sample.write_text(code, encoding="utf-8")
    return sample


def test_the_checks_see_imports_inside_functions_and_relative_ones(tmp_path):
    sample = sample_module(tmp_path, "def f():\n    from mkdocs.config import load_config\n"
                           "    from .cli import main\n    import sys\n    return sys.argv\n")
    found = imports(sample, tmp_path)
    assert "mkdocs.config" in found and "trustsite.cli.main" in found
    assert reads_command_line(sample, tmp_path)


def test_the_word_check_sees_a_paragraphs_element(tmp_path):
    header = "from docx.text.paragraph import Paragraph\ndef f(paragraph: Paragraph):\n"
    assert touches_word_xml(sample_module(tmp_path, header + "    return paragraph._p.style\n"),
                            tmp_path)
    assert not touches_word_xml(sample_module(tmp_path, header + "    return paragraph.style\n"),
                                tmp_path)
    assert touches_word_xml(sample_module(tmp_path, "from docx.table import _Cell\n"), tmp_path)
