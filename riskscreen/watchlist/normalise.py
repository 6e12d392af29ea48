"""Name normalisation for watchlist matching: one canonical, explainable form per name.

A name becomes up to two *forms*: a Latin form (casefolded, accents stripped, other scripts
transliterated with unidecode) and, when the name is written in another script, a native form in
that script, so that a Cyrillic or Chinese name still matches a listed Cyrillic or Chinese alias
exactly. Legal-form suffixes, country qualifiers and abbreviations are reduced in both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from unidecode import unidecode

# Bump when the normalisation changes, so watchlist fingerprints change with it.
NORMALISER_VERSION = "1"

# fmt: off
# Legal forms, written as they look after cleaning (casefolded, dots and apostrophes removed,
# other punctuation turned into spaces). Stripped from the end of a name, repeatedly.
LEGAL_FORMS: frozenset[str] = frozenset(
    {
        # English-speaking jurisdictions
        "ltd", "limited", "co", "company", "corporation", "inc", "incorporated", "plc", "llc",
        "llp", "lp", "pllc", "pty", "pvt", "private limited", "public limited company",
        "limited liability company", "limited liability partnership", "cic", "lllp",
        # Russia and the CIS (transliterated)
        "pjsc", "ojsc", "jsc", "cjsc", "oao", "zao", "pao", "ooo", "ao", "nao", "fgup", "gup",
        "joint stock company", "public joint stock company", "open joint stock company",
        "closed joint stock company",
        # Russia (Cyrillic)
        "ооо", "оао", "зао", "пао", "ао", "нао", "фгуп", "гуп", "муп",
        "акционерное общество", "публичное акционерное общество",
        "открытое акционерное общество", "закрытое акционерное общество",
        "общество с ограниченной ответственностью",
        # German-speaking
        "gmbh", "ag", "kg", "ohg", "ug", "ev", "kgaa", "se", "gmbh and co kg", "gmbh co kg",
        # French, Italian, Spanish, Portuguese
        "sa", "sarl", "sas", "sasu", "sca", "snc", "eurl", "spa", "srl", "sapa", "scarl", "sl",
        "slu", "sau", "sa de cv", "sab de cv", "s de rl", "ltda", "eireli",
        # Benelux, Nordic, Central Europe
        "bv", "nv", "bvba", "vof", "ab", "as", "a s", "asa", "oy", "oyj", "aps", "hf",
        "sp z oo", "spzoo", "sro", "kft", "zrt", "nyrt",
        # Asia
        "kk", "kabushiki kaisha", "kabushikigaisha", "yk", "gk", "sdn bhd", "bhd", "berhad",
        "tbk", "pte", "pte ltd", "co ltd",
    }
)
# Forms that come first in the name ("PJSC Gazprom", "ООО Ромашка", "PT Example").
LEADING_LEGAL_FORMS: frozenset[str] = frozenset(
    {
        "pjsc", "ojsc", "jsc", "cjsc", "oao", "zao", "pao", "ooo", "ao", "nao", "fgup", "gup",
        "llc", "pt", "joint stock company", "public joint stock company",
        "open joint stock company", "closed joint stock company", "limited liability company",
        "ооо", "оао", "зао", "пао", "ао", "нао", "фгуп", "гуп", "муп",
        "акционерное общество", "публичное акционерное общество",
        "открытое акционерное общество", "закрытое акционерное общество",
        "общество с ограниченной ответственностью", "the",
    }
)
# Chinese, Japanese and Korean legal forms are written without spaces, so they are suffixes.
CJK_LEGAL_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            "股份有限公司", "有限责任公司", "有限責任公司", "集团有限公司", "集團有限公司",
            "有限公司", "集团", "集團", "公司", "株式会社", "有限会社", "合同会社", "주식회사",
        },
        key=len,
        reverse=True,
    )
)
CJK_LEGAL_PREFIXES: tuple[str, ...] = ("株式会社", "주식회사")

# Qualifiers a subsidiary adds to its parent's name: "Example Tech (UK) Limited".
QUALIFIERS: frozenset[str] = frozenset(
    {
        "uk", "gb", "united kingdom", "great britain", "britain", "england", "europe", "eu",
        "emea", "international", "global", "worldwide", "usa", "us", "hk", "asia", "asia pacific",
        "apac", "branch", "uk branch", "london branch",
    }
)

ABBREVIATIONS: dict[str, str] = {
    "tech": "technologies", "technology": "technologies", "techs": "technologies",
    "intl": "international", "internat": "international",
    "corp": "corporation", "grp": "group",
    "hldgs": "holdings", "hldg": "holdings", "holding": "holdings",
    "mfg": "manufacturing", "svcs": "services", "svc": "services", "service": "services",
    "natl": "national", "assn": "association", "assoc": "association",
    "univ": "university", "dept": "department", "govt": "government", "bros": "brothers",
    "inds": "industries", "indus": "industries", "industry": "industries",
    "engg": "engineering", "mgmt": "management", "mgt": "management",
    "invt": "investment", "investments": "investment",
    "ctr": "centre", "center": "centre", "cntr": "centre",
    "devt": "development", "telecom": "telecommunications", "telecoms": "telecommunications",
    "pharma": "pharmaceutical", "pharmaceuticals": "pharmaceutical", "sys": "systems",
    "labs": "laboratories", "lab": "laboratories", "laboratory": "laboratories",
    "constr": "construction", "eng": "engineering", "co": "company",
    "airlines": "air", "airways": "air", "airline": "air",
    # Transliterated Russian organisation words: 'Концерн Калашников' ~ 'Kalashnikov Concern'.
    "kontsern": "concern", "kompaniia": "company", "kompaniya": "company",
    "korporatsiia": "corporation", "korporatsiya": "corporation", "gruppa": "group",
}

# Words so common in organisation names that sharing them says little (IDF-like weighting).
COMMON_WORDS: frozenset[str] = frozenset(
    {
        "company", "companies", "group", "holdings", "international", "global", "trading",
        "trade", "industries", "industrial", "technologies", "systems", "solutions", "services",
        "enterprises", "enterprise", "investment", "capital", "partners", "management",
        "development", "resources", "energy", "construction", "engineering", "bank", "banking",
        "finance", "financial", "national", "city", "council", "county", "borough", "district",
        "university", "college", "institute", "school", "academy", "research", "centre",
        "foundation", "association", "society", "trust", "fund", "network", "networks",
        "communications", "telecommunications", "media", "consulting", "consultants",
        "logistics", "shipping", "transport", "oil", "gas", "chemical", "chemicals", "power",
        "electric", "electronics", "science", "sciences", "medical", "health", "healthcare",
        "pharmaceutical", "properties", "property", "real", "estate", "land", "import", "export",
        "commercial", "general", "united", "new", "first", "state", "federal", "public",
        "manufacturing", "products", "equipment", "machinery", "materials", "metals", "mining",
        "agricultural", "food", "foods", "motors", "automotive", "aviation", "airlines",
        "marine", "petroleum", "petrochemical", "insurance", "securities", "asset", "assets",
        "ventures", "projects", "infrastructure", "urban", "regional", "metropolitan",
        "authority", "agency", "ministry", "department", "government", "office", "corporation",
        "laboratories", "software", "digital", "data", "cloud", "education", "educational",
        "cultural", "culture", "sports", "art", "arts", "hospital", "clinic", "hotel", "hotels",
        "china", "chinese", "russia", "russian", "british", "english", "london", "beijing",
        "shanghai", "moscow", "europe", "european", "asia", "asian", "america", "american",
        "central", "greater", "royal", "air", "korea", "korean", "iran", "iranian", "islamic",
        "republic", "people", "peoples", "democratic", "india", "indian", "japan", "japanese",
        "limited", "co", "committee", "commission", "board",
        "union", "federation", "alliance", "partnership", "organisation", "organization",
        "institution", "club", "chamber", "bureau",
    }
)
STOPWORDS: frozenset[str] = frozenset(
    {
        "of", "the", "and", "for", "de", "du", "des", "la", "le", "les", "el", "di", "da",
        "del", "der", "die", "das", "und", "y", "et", "e", "in", "at", "on", "a", "an", "to",
        "i", "и",
    }
)

# fmt: on

_DOTS_AND_APOSTROPHES = re.compile(r"[.'’`´]")
_BRACKETED = re.compile(r"[(\[{（【]([^()\[\]{}（）【】]*)[)\]}）】]")
_NOT_WORD = re.compile(r"[^\w]+|_")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True)
class NameForm:
    """One comparable form of a name: its tokens, the joined text and the text without spaces."""

    text: str
    tokens: tuple[str, ...]
    compact: str
    native: bool


@dataclass(frozen=True)
class NormalisedName:
    """Every form of one name; ``forms[0]`` is always the Latin form."""

    original: str
    forms: tuple[NameForm, ...]

    @property
    def latin(self) -> str:
        return self.forms[0].text

    @property
    def display(self) -> str:
        """The forms as shown to users: 'huawei technologies' or 'gazprom / газпром'."""
        return " / ".join(dict.fromkeys(form.text for form in self.forms if form.text))


def _clean(text: str) -> str:
    """Casefold, & → and, punctuation → spaces; dots vanish so 'S.p.A.' becomes 'spa'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("&", " and ").replace("+", " and ")
    text = _DOTS_AND_APOSTROPHES.sub("", text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _is_latin(text: str) -> bool:
    return all(ord(ch) < 0x250 or not ch.isalpha() for ch in text)


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    names: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name", "alpha_2", "alpha_3"):
            value = getattr(country, attr, None)
            if value:
                names.add(_clean(unidecode(value)))
    return frozenset(names)


def _is_qualifier(text: str) -> bool:
    cleaned = _clean(unidecode(text))
    return bool(cleaned) and (
        cleaned in QUALIFIERS or cleaned in LEGAL_FORMS or cleaned in _country_words()
    )


def _drop_qualifier_brackets(text: str) -> str:
    """'Huawei Technologies (UK) Co Ltd' → 'Huawei Technologies  Co Ltd'; other brackets stay."""
    return _BRACKETED.sub(lambda m: " " if _is_qualifier(m.group(1)) else f" {m.group(1)} ", text)


def _strip_cjk(token: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in CJK_LEGAL_SUFFIXES:
            if token.endswith(suffix) and len(token) > len(suffix):
                token, changed = token[: -len(suffix)], True
                break
        for prefix in CJK_LEGAL_PREFIXES:
            if token.startswith(prefix) and len(token) > len(prefix):
                token, changed = token[len(prefix) :], True
                break
    return token


def _strip_ends(tokens: list[str]) -> list[str]:
    """Drop trailing legal forms and qualifiers and leading legal forms, keeping ≥ 1 token."""
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for size in (4, 3, 2, 1):
            if len(tokens) <= size:
                continue
            tail = " ".join(tokens[-size:])
            before = tokens[-size - 1]
            if tail in LEGAL_FORMS or (tail in QUALIFIERS and before not in STOPWORDS):
                del tokens[-size:]
                changed = True
                break
            head = " ".join(tokens[:size])
            if head in LEADING_LEGAL_FORMS:
                del tokens[:size]
                changed = True
                break
        while len(tokens) > 1 and tokens[-1] in STOPWORDS:
            tokens.pop()
            changed = True
    return tokens


def _tokens(cleaned: str) -> list[str]:
    tokens = [ABBREVIATIONS.get(token, token) for token in cleaned.split()]
    tokens = [_strip_cjk(token) if _CJK.search(token) else token for token in tokens]
    return _strip_ends(tokens)


def _form(tokens: list[str], native: bool) -> NameForm:
    text = " ".join(tokens)
    return NameForm(text=text, tokens=tuple(tokens), compact=text.replace(" ", ""), native=native)


@lru_cache(maxsize=262_144)
def normalise(name: str) -> NormalisedName:
    """The comparable forms of ``name``. Never raises; an empty name gives empty forms."""
    bracketless = _drop_qualifier_brackets(unicodedata.normalize("NFKC", name))
    native_clean = _clean(bracketless)
    native_tokens = _tokens(native_clean)
    forms: list[NameForm] = []
    if _is_latin(native_clean):
        forms.append(_form(_tokens(_clean(unidecode(bracketless))), native=False))
    else:
        # Transliterate after stripping native legal forms, so 'ПАО Газпром' → 'gazprom'.
        latin_parts: list[str] = []
        for token in native_tokens:
            translit = _clean(unidecode(token))
            # Chinese syllables come out spaced ('hua wei'); join them as one word.
            latin_parts.append(translit.replace(" ", "") if _CJK.search(token) else translit)
        forms.append(_form(_tokens(" ".join(p for p in latin_parts if p)), native=False))
        forms.append(_form(native_tokens, native=True))
    return NormalisedName(original=name, forms=tuple(forms))


@lru_cache(maxsize=1)
def _geographic_words() -> frozenset[str]:
    """One-word country names ('china', 'iran'): as common in names as 'group' is."""
    return frozenset(word for word in _country_words() if " " not in word and len(word) > 3)


def token_weight(token: str) -> float:
    """How much sharing ``token`` counts: distinctive 1.0, common words 0.25, stopwords 0.1."""
    if token in STOPWORDS:
        return 0.1
    if token in COMMON_WORDS or token in QUALIFIERS or token in _geographic_words():
        return 0.25
    return 1.0
