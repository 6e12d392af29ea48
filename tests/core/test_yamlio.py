from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from riskscreen.errors import InputError
from riskscreen.inputs import yamlio
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


BUNDLED_YAML = sorted(
    path
    for folder in ("rules", "taxonomies", "examples")
    for path in (Path(__file__).resolve().parents[2] / folder).rglob("*.yaml")
)


def _same_with_lines(fast: object, exact: object, where: str) -> None:
    assert type(fast) is type(exact), where
    if isinstance(exact, LineDict):
        assert isinstance(fast, LineDict)
        assert (list(fast), fast.line, fast.key_lines) == (list(exact), exact.line, exact.key_lines), where
        for key in exact:
            _same_with_lines(fast[key], exact[key], f"{where}.{key}")
    elif isinstance(exact, LineList):
        assert isinstance(fast, LineList)
        assert (len(fast), fast.line, fast.item_lines) == (len(exact), exact.line, exact.item_lines), where
        for index, (left, right) in enumerate(zip(fast, exact, strict=True)):
            _same_with_lines(left, right, f"{where}[{index}]")
    else:
        assert fast == exact, where


@pytest.mark.skipif(yamlio._FAST_LOADER is None, reason="PyYAML built without LibYAML")
@pytest.mark.parametrize("path", BUNDLED_YAML, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_libyaml_gives_the_exact_loaders_values_and_lines(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    fast = yaml.load(text, Loader=yamlio._FAST_LOADER)
    exact = yaml.load(text, Loader=yamlio._LineLoader)
    _same_with_lines(fast, exact, path.name)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # LibYAML says "mapping values are not allowed in this context"
        ("id: A\ntitle: a: b\n", "bad.yaml:2: invalid YAML: mapping values are not allowed here"),
        ("id: A\ntitle: x\nid: B\n", "bad.yaml:3: invalid YAML: duplicate key 'id'"),
        ("a: " + "[" * 30 + "]" * 30 + "\n",
         "bad.yaml:1: invalid YAML: nested more than 20 levels deep (see docs/limits.md)"),
        ("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True)),
         "bad.yaml:1: invalid YAML: aliases expand the document more than 10 times over "
         "(see docs/limits.md)"),
    ],
)
def test_errors_are_the_exact_loaders_whichever_parser_ran(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "bad.yaml")
    assert str(caught.value) == message


def test_anchors_and_aliases_within_limits_load() -> None:
    data = parse_yaml("base: &base [culture, sport]\nsectors: *base\nnote: R&D\n", "f.yaml")
    assert data == {"base": ["culture", "sport"], "sectors": ["culture", "sport"], "note": "R&D"}


def test_escaped_surrogate_pairs_become_characters(tmp_path: Path) -> None:
    path = tmp_path / "emoji.yaml"
    path.write_text('title: "Twin \\ud83c\\udf89"\nlone: "\\ud800"\n', encoding="utf-8")
    assert load_yaml_file(path) == {"title": "Twin \U0001f389", "lone": "\ufffd"}
