"""The Trust's work inside MkDocs is one plugin, found by its entry point."""

from __future__ import annotations

from importlib.metadata import entry_points

import yaml

from trustsite.plugin import TrustSitePlugin

from conftest import ROOT


def test_the_plugin_is_registered_and_named_in_mkdocs_yml():
    (entry,) = entry_points(group="mkdocs.plugins", name="trustsite")
    assert entry.load() is TrustSitePlugin
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert "trustsite" in config["plugins"] and "hooks" not in config
