"""Post-processors that turn a BUILT Trust site (DIR/<slug>/) into the forms intranets take:
a SharePoint pack, paste-ready pages and a web-server kit (issue 14). They read only the
built HTML, through trustsite.built_page, never MkDocs internals."""
