"""taxonomies/synonyms.yaml is validated on load: every target exists, every code is ISO 3166."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from riskscreen.errors import RulePackError
from riskscreen.inputs.resources import bundled_dir
from riskscreen.inputs.taxonomy import load_taxonomies


def _taxonomies(tmp_path: Path, synonyms: str | None) -> Path:
    target = tmp_path / "taxonomies"
    shutil.copytree(bundled_dir("taxonomies"), target)
    if synonyms is None:
        (target / "synonyms.yaml").unlink()
    else:
        (target / "synonyms.yaml").write_text(synonyms, encoding="utf-8")
    return target


def test_the_file_is_optional(tmp_path: Path) -> None:
    taxonomies = load_taxonomies(_taxonomies(tmp_path, None))
    assert taxonomies.synonyms.for_vocabulary("lead_types") == {}
    assert taxonomies.country_resolver.resolve("UAE") is None
    assert taxonomies.country_resolver.resolve("Republic of Korea") == "KR"  # pycountry's own name


def test_every_mistake_is_located(tmp_path: Path) -> None:
    text = """\
vocabularies:
  lead_types:
    - {ids: [strategic_autority], words: [combined_authority], source: a source}
  sector:
    - {ids: [transport], words: [ports], source: a source}
countries:
  - {name: Atlantis, code: QQ, source: a source}
"""
    with pytest.raises(RulePackError) as caught:
        load_taxonomies(_taxonomies(tmp_path, text))
    shown = f"{tmp_path}/taxonomies/synonyms.yaml"
    assert [str(p) for p in caught.value.problems] == [
        f"{shown}:3, field 'vocabularies.lead_types[0].ids': none of these ids is in lead_types "
        "(got 'strategic_autority'); did you mean 'strategic_authority'? lead_types: business_body, "
        "cultural_institution, growth_company, local_authority, other, strategic_authority, university",
        f"{shown}:4, field 'vocabularies.sector': unknown vocabulary; did you mean 'sectors'? vocabularies: "
        "agreement_types, approval_levels, due_diligence, involves, lead_types, partner_types, sectors",
        f"{shown}:7, field 'countries': not an ISO 3166 alpha-2 code (got 'QQ')",
    ]


def test_words_that_became_ids_are_exact_matches_not_synonyms(tmp_path: Path) -> None:
    text = """\
vocabularies:
  sectors:
    - {ids: [ports, transport], words: [ports, harbour, transport], source: a source}
"""
    taxonomies = load_taxonomies(_taxonomies(tmp_path, text))
    expected = {"ports": ("transport",), "harbour": ("transport",)}
    if "ports" in taxonomies.sectors:  # once 'ports' is a sector, typing it is no mistake
        expected = {"harbour": ("ports", "transport")}
    assert dict(taxonomies.synonyms.for_vocabulary("sectors")) == expected
