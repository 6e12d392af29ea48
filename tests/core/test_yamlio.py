from __future__ import annotations

from pathlib import Path

import pytest

from riskscreen.errors import InputError
from riskscreen.inputs.yamlio import LineDict, LineList, load_yaml_file, parse_yaml


def test_mappings_and_lists_remember_their_lines() -> None:
    data = parse_yaml("id: A\nlead:\n  name: X\nsectors:\n  - culture\n  - sport\n", "f.yaml")
    assert isinstance(data, LineDict)
    assert data.line_of("lead") == 2
    assert data["lead"].line_of("name") == 3
    assert isinstance(data["sectors"], LineList)
    assert data["sectors"].item_lines == [5, 6]


def test_duplicate_keys_are_an_error_with_the_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml("id: A\ntitle: x\nid: B\n", "dup.yaml")
    assert str(caught.value) == "dup.yaml:3: invalid YAML: duplicate key 'id'"


def test_broken_yaml_is_located() -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml("id: A\nlead: [unclosed\n", "broken.yaml")
    assert str(caught.value).startswith("broken.yaml:3: invalid YAML:")


def test_unsafe_tags_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml("x: !!python/object/apply:os.system ['true']\n", "evil.yaml")
    assert "evil.yaml:1: invalid YAML" in str(caught.value)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.yaml: file is empty"):
        load_yaml_file(path)


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("id: A\nnotes: caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_yaml_file(path)
    assert str(caught.value) == f"{path}:2: file is not valid UTF-8; save it as UTF-8"


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffid: A\n".encode())
    assert load_yaml_file(path) == {"id": "A"}


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    path.write_text('{\n  "id": "A",\n  "lead": \n}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_yaml_file(path)
    assert str(caught.value).startswith(f"{path}:4: invalid JSON")
