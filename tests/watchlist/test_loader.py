from __future__ import annotations

from pathlib import Path

import pytest

from riskscreen.errors import InputError
from riskscreen.inputs.sources import load_sources
from riskscreen.watchlist import load_tag_vocabulary, load_watchlists

REQUIRED_TAGS = {
    "sanctioned",
    "state_linked",
    "state_owned",
    "military_linked",
    "firs_enhanced_tier",
    "telecoms_vendor_restricted",
    "infrastructure_finance",
    "belt_and_road",
}


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(taxonomies: Path, *extra: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_watchlists(taxonomies, extra)
    return str(caught.value)


def test_bundled_vocabulary_and_list_load() -> None:
    root = Path(__file__).resolve().parents[2] / "taxonomies"
    tags = load_tag_vocabulary(root)
    assert tags.keys() >= REQUIRED_TAGS
    matcher = load_watchlists(root)
    ids = [e.id for e in matcher.entries]
    assert {"bceg", "gazprom", "huawei-technologies", "sichuan-guodong-construction"} <= set(ids)
    # Named state-linked vendors, state nuclear companies and defence-linked universities (Policy 11).
    assert {"hikvision", "dahua", "zte", "cgn", "cnnc", "rosatom", "nudt", "beihang-university"} <= set(ids)
    # Every source starts with a bibliography key (docs/sources.md) and says which list and date.
    keys = load_sources(root / "sources.yaml")
    assert all(e.source.split(" ")[0].rstrip(",") in keys for e in matcher.entries)
    assert not any("sanctioned" in e.tags for e in matcher.entries)
    gazprom = next(e for e in matcher.entries if e.id == "gazprom")
    assert "Газпром" in gazprom.aliases
    assert gazprom.tags == ["state_linked", "state_owned"]
    assert str(gazprom.as_of) == "2026-12-04"


def test_id_is_derived_and_country_normalised(taxonomy_copy: Path, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "w.yaml",
        (
            "- name: Example Technologies Ltd\n"
            "  country: gbr\n"
            "  source: test\n"
            "- name: Kosovo Example\n"
            "  country: XK\n"
            "  source: test\n"
        ),
    )
    matcher = load_watchlists(taxonomy_copy, [path])
    assert [(e.id, e.country) for e in matcher.entries] == [
        ("example-technologies-ltd", "GB"),
        ("kosovo-example", "XK"),
    ]


def test_missing_name(taxonomy_copy: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "w.yaml", "- id: a\n  source: test\n")
    assert error_of(taxonomy_copy, path) == (
        f"{path.as_posix()}:1, field 'name': missing required field 'name'"
    )


def test_unknown_tag_with_suggestion(taxonomy_copy: Path, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "w.yaml",
        ("- id: a\n  name: A Ltd\n  source: test\n  tags:\n    - state_linked\n    - sanctiond\n"),
    )
    assert error_of(taxonomy_copy, path).startswith(
        f"{path.as_posix()}:6, field 'tags[1]': unknown tag 'sanctiond'; did you mean 'sanctioned'"
    )


def test_duplicate_id_names_both_places(taxonomy_copy: Path, tmp_path: Path) -> None:
    first = write(tmp_path, "one.yaml", "- id: dup\n  name: A\n  source: s\n")
    second = write(
        tmp_path,
        "two.yaml",
        "- id: other\n  name: B\n  source: s\n- id: dup\n  name: C\n  source: s\n",
    )
    message = error_of(taxonomy_copy, first, second)
    assert message == (
        f"{second.as_posix()}:4, field 'id': duplicate id 'dup' (first defined at "
        f"{first.as_posix()}:1); give each entry a unique id"
    )


def test_duplicate_derived_id_in_one_file(taxonomy_copy: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "w.yaml", "- name: Same\n  source: s\n- name: Same\n  source: s\n")
    assert f"{path.as_posix()}:3, field 'id': duplicate id 'same'" in error_of(taxonomy_copy, path)


def test_broken_yaml(taxonomy_copy: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "w.yaml", "- id: a\n  name: [unclosed\n  source: s\n")
    message = error_of(taxonomy_copy, path)
    assert message.startswith(f"{path.as_posix()}:")
    assert "invalid YAML" in message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "- id: a\n  name: A\n  source: s\n  aliases: Alpha\n",
            ":4, field 'aliases': Input should be a valid list (got 'Alpha')",
        ),
        (
            "- id: a\n  name: 12\n  source: s\n",
            ":2, field 'name': Input should be a valid string (got 12)",
        ),
        (
            "- id: a\n  name: A\n  source: s\n  nmae: B\n",
            ":4, field 'nmae': unknown field 'nmae'; did you mean 'name'",
        ),
        (
            "- id: a\n  name: A\n  source: s\n  country: Narnia\n",
            ":4, field 'country': unknown country 'Narnia'",
        ),
        ("- id: a\n  name: A\n", ":1, field 'source': missing required field 'source'"),
        (
            "- id: a\n  name: A\n  source: s\n  aliases: [B, '']\n",
            ":4, field 'aliases': aliases must not be blank",
        ),
        ("- just a string\n", ":1: a watchlist entry must be a mapping"),
        ("entries: 3\n", ": watchlist file must hold a list of entries"),
        ("entris: []\n", ":1: unknown key 'entris' in watchlist file"),
    ],
)
def test_wrong_types_and_fields_are_located(
    taxonomy_copy: Path, tmp_path: Path, body: str, expected: str
) -> None:
    path = write(tmp_path, "w.yaml", body)
    message = error_of(taxonomy_copy, path)
    assert message.startswith(path.as_posix())
    assert expected in message
    assert "\n" not in message


def test_tag_vocabulary_errors(tmp_path: Path) -> None:
    write(
        tmp_path,
        "watchlist_tags.yaml",
        ("entries:\n  - id: a\n    description: A\n  - id: a\n    description: again\n"),
    )
    duplicate = r"watchlist_tags\.yaml:4, field 'id': duplicate tag id 'a'"
    with pytest.raises(InputError, match=duplicate):
        load_tag_vocabulary(tmp_path)
    write(tmp_path, "watchlist_tags.yaml", "entries:\n  - id: Bad Tag\n    description: x\n")
    with pytest.raises(InputError, match="tag id must be snake_case"):
        load_tag_vocabulary(tmp_path)


def test_missing_vocabulary_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read file"):
        load_tag_vocabulary(tmp_path)
