"""Commented engagement templates: every field, what it means and its allowed values.

A template starts from a preset for the kind of engagement (``--type``), or from the answers of
``riskscreen init --interactive``; either way the same renderer writes it, so what a person
answers and what the template shows cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from riskscreen.authoring.fields import NESTED, field_help, field_paths, is_required
from riskscreen.authoring.vocabularies import FIELD_VOCABULARY, vocabulary
from riskscreen.inputs.taxonomy import Taxonomies

_COMMON_LEAD = {"name": "Example City Council", "type": "local_authority", "approval": "committee"}

# Starting values per kind of engagement; each validates and screens with the bundled taxonomies.
PRESETS: dict[str, dict[str, Any]] = {
    "twinning": {
        "id": "TWIN-0001",
        "title": "Twinning link with Ville d'Exemple",
        "lead": {"name": "Example Town Council", "type": "local_authority", "approval": "committee"},
        "partner": {"name": "Ville d'Exemple", "type": "city_government", "country": "FR"},
        "agreement_type": "twinning",
        "sectors": ["culture", "education"],
        "binding": False,
        "published": True,
        "objectives_defined": True,
        "term_years": 5,
    },
    "friendship": {
        "id": "FRIEND-0001",
        "title": "Friendship agreement with Example City",
        "lead": _COMMON_LEAD,
        "partner": {"name": "Example City Government", "type": "city_government", "country": "JP"},
        "agreement_type": "friendship_agreement",
        "sectors": ["culture", "tourism"],
        "binding": False,
        "published": True,
        "objectives_defined": True,
    },
    "mou": {
        "id": "MOU-0001",
        "title": "Memorandum of understanding with Example Province",
        "lead": _COMMON_LEAD,
        "partner": {"name": "Example Provincial Government", "type": "regional_government",
                    "country": "DE"},
        "agreement_type": "mou",
        "sectors": ["trade_promotion"],
        "binding": False,
        "published": True,
        "objectives_defined": True,
        "term_years": 3,
    },
    "research": {
        "id": "RES-0001",
        "title": "Research collaboration with Example University",
        "lead": {"name": "University of Example", "type": "university", "approval": "board",
                 "due_diligence": ["sanctions", "ownership"]},
        "partner": {"name": "Example University", "type": "university", "country": "NL"},
        "agreement_type": "research_collaboration",
        "sectors": ["research"],
        "involves": ["ip_transfer"],
        "value_gbp": 0,
        "term_years": 3,
        "published": True,
        "objectives_defined": True,
    },
    "investment": {
        "id": "INV-0001",
        "title": "Investment by Example Holdings",
        "lead": {"name": "Example Strategic Authority", "type": "strategic_authority",
                 "approval": "cabinet", "due_diligence": ["sanctions", "ownership", "financial"]},
        "partner": {"name": "Example Holdings Ltd", "type": "private_company", "country": "CA"},
        "agreement_type": "investment",
        "sectors": ["property"],
        "involves": ["equity_stake"],
        "value_gbp": 1000000,
        "binding": True,
        "published": True,
        "objectives_defined": True,
    },
    "trade_mission": {
        "id": "TRADE-0001",
        "title": "Trade mission to Example City",
        "lead": {"name": "Example Growth Company", "type": "growth_company", "approval": "officer"},
        "partner": {"name": "Example Chamber of Commerce", "type": "ngo", "country": "US"},
        "agreement_type": "trade_mission",
        "sectors": ["trade_promotion"],
        "involves": ["elected_member_travel"],
        "published": True,
        "objectives_defined": True,
    },
    "student_exchange": {
        "id": "EXCH-0001",
        "title": "Student exchange with Example University",
        "lead": {"name": "University of Example", "type": "university", "approval": "officer"},
        "partner": {"name": "Example University", "type": "university", "country": "ES"},
        "agreement_type": "student_exchange",
        "sectors": ["higher_education"],
        "involves": ["personal_data"],
        "published": True,
        "objectives_defined": True,
    },
}
DEFAULT_PRESET = "mou"
# Shown commented out when a preset does not fill them.
PLACEHOLDERS: dict[str, str] = {
    "review_date": "YYYY-MM-DD",
    "lead.international_team_fte": "1",
    "lead.has_international_strategy": "true    # true or false",
    "partner.state_linked": "false    # true or false",
    "partner.parent": "ultimate owner's name",
    "value_gbp": "0",
    "term_years": "3",
    "binding": "false    # true or false",
    "published": "true    # true or false",
    "objectives_defined": "true    # true or false",
    "notes": "free text",
}
# Waivers are a reviewer's tool; a new engagement starts without them.
SKIPPED = {"waivers"}


def _scalar(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    return text.removesuffix("\n...\n").strip()


def _allowed(taxonomies: Taxonomies, path: str, indent: str) -> list[str]:
    name = FIELD_VOCABULARY.get(path)
    if name is None or name == "countries":
        return []
    terms = vocabulary(taxonomies, name).terms
    width = max(len(t.id) for t in terms)
    lines = [f"{indent}# allowed ({len(terms)}; riskscreen vocab {name}):"]
    lines += [f"{indent}#   {t.id:<{width}}  {t.label}" for t in terms]
    return lines


def render_template(
    taxonomies: Taxonomies, values: Mapping[str, Any], *, kind: str, schema_ref: str | None
) -> str:
    """A commented engagement YAML with ``values`` filled in and every other field described."""
    lines: list[str] = []
    if schema_ref:
        lines.append(f"# yaml-language-server: $schema={schema_ref}")
    lines += [
        f"# riskscreen engagement ({kind}). Replace the example values, delete optional fields",
        "# you do not need, then run:  riskscreen screen THIS_FILE",
        "# Allowed values for any field: riskscreen vocab NAME (riskscreen vocab lists them).",
        "",
    ]
    for path in field_paths():
        head, _, tail = path.partition(".")
        if head in SKIPPED:
            continue
        indent = "  " if tail else ""
        name = tail or head
        if not tail and lines[-1] != "":
            lines.append("")
        if not tail and head in NESTED:
            lines.append(f"# {field_help(path)}")
            lines.append(f"{name}:")
            continue
        value = values.get(head, {}).get(tail) if tail else values.get(head)
        required = "" if is_required(path) else " (optional)"
        help_text = field_help(path)
        lines.append(f"{indent}# {help_text}{required if 'Required' not in help_text else ''}")
        lines += _allowed(taxonomies, path, indent)
        if value is not None:
            lines.append(f"{indent}{name}: {_scalar(value)}")
        elif path in PLACEHOLDERS:
            lines.append(f"{indent}# {name}: {PLACEHOLDERS[path]}")
        elif path in ("involves", "lead.due_diligence", "partner.aliases"):
            lines.append(f"{indent}{name}: []")
        else:
            lines.append(f"{indent}# {name}:")
    return "\n".join(lines).rstrip("\n") + "\n"


def preset(kind: str) -> dict[str, Any]:
    return PRESETS[kind]
