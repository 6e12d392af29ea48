"""Regenerate docs/sources.md from taxonomies/sources.yaml."""

from __future__ import annotations

from pathlib import Path

from riskscreen.inputs.sources import SOURCES_FILE, bibliography_markdown, load_sources
from riskscreen.inputs.yamlio import load_yaml_file

ROOT = Path(__file__).resolve().parent.parent
path = ROOT / "taxonomies" / SOURCES_FILE
as_of = load_yaml_file(path).get("as_of")
(ROOT / "docs" / "sources.md").write_text(bibliography_markdown(load_sources(path), as_of), encoding="utf-8")
