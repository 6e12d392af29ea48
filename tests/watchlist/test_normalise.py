from __future__ import annotations

import pytest

from riskscreen.watchlist.normalise import normalise, token_weight


def latin(name: str) -> str:
    return normalise(name).latin


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # English-speaking legal forms
        ("Huawei Technologies Co., Ltd.", "huawei technologies"),
        ("Acme Limited", "acme"),
        ("Acme LLC", "acme"),
        ("Acme Inc.", "acme"),
        ("Acme Corp", "acme"),
        ("Acme Corporation", "acme"),
        ("Acme PLC", "acme"),
        ("Acme Pty Ltd", "acme"),
        ("Smith & Co.", "smith"),
        # Russian forms, before and after the name, Latin and Cyrillic
        ("PJSC Gazprom", "gazprom"),
        ("Gazprom PJSC", "gazprom"),
        ("JSC Acme", "acme"),
        ("OJSC Acme", "acme"),
        ("OAO Acme", "acme"),
        ("ZAO Acme", "acme"),
        ("PAO Acme", "acme"),
        # Continental European forms
        ("Siemens AG", "siemens"),
        ("Acme GmbH", "acme"),
        ("Acme GmbH & Co. KG", "acme"),
        ("Société Générale S.A.", "societe generale"),
        ("Acme SA", "acme"),
        ("Fincantieri S.p.A.", "fincantieri"),
        ("Fincantieri SpA", "fincantieri"),
        ("Acme BV", "acme"),
        ("Acme N.V.", "acme"),
        ("Acme SARL", "acme"),
        ("Acme Sp. z o.o.", "acme"),
        # Asian forms
        ("Acme KK", "acme"),
        ("Acme Pte. Ltd.", "acme"),
        ("Acme Sdn Bhd", "acme"),
    ],
)
def test_legal_forms_are_removed(name: str, expected: str) -> None:
    assert latin(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("A & B Trading", "a and b trading"),
        ("A and B Trading", "a and b trading"),
        ("Example Tech (UK) Limited", "example technologies"),
        ("Example Technologies", "example technologies"),
        ("Acme Intl Hldgs", "acme international holdings"),
        ("Acme Grp", "acme group"),
        ("Huawei Technologies (UK) Co Ltd", "huawei technologies"),
        ("Huawei UK", "huawei"),
        ("Acme (Europe) GmbH", "acme"),
        ("Acme International", "acme"),
        ("Bank of England", "bank of england"),  # 'England' after 'of' is part of the name
        ("Acme (Holdings) Ltd", "acme holdings"),  # brackets that are not qualifiers stay
        ("  HUAWEI    technologies  ", "huawei technologies"),
        ("Müller Präzisionstechnik", "muller prazisionstechnik"),
        ("B.C.E.G.", "bceg"),
        ("Mahan Airlines", "mahan air"),
    ],
)
def test_ampersands_abbreviations_qualifiers_and_accents(name: str, expected: str) -> None:
    assert latin(name) == expected


def test_cyrillic_keeps_native_form_and_transliterates() -> None:
    norm = normalise("ПАО «Газпром»")
    assert [form.text for form in norm.forms] == ["gazprom", "газпром"]
    assert [form.native for form in norm.forms] == [False, True]
    assert normalise("ООО Ромашка").forms[1].text == "ромашка"


def test_chinese_strips_legal_suffixes_and_joins_pinyin() -> None:
    norm = normalise("华为技术有限公司")
    assert [form.text for form in norm.forms] == ["huaweijizhu", "华为技术"]
    assert normalise("四川国栋建设股份有限公司").forms[1].text == "四川国栋建设"
    assert normalise("北京建工集团有限责任公司").forms[1].text == "北京建工"
    assert normalise("华为").latin == "huawei"


def test_a_name_that_is_only_a_legal_form_is_kept() -> None:
    assert latin("Ltd") == "ltd"
    assert latin("") == ""
    assert normalise("!!!").forms[0].compact == ""


def test_token_weights() -> None:
    assert token_weight("huawei") == 1.0
    assert token_weight("holdings") == 0.25
    assert token_weight("china") == 0.25
    assert token_weight("of") == 0.1
