"""The officer's questions, grouped by topic, and the mapping between form fields and the
engagement contract. Validation is the core's: a page keeps the problems the engine's own
validator finds in that page's fields, so the web and the CLI can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from riskscreen.errors import InputError, Problem
from riskscreen.inputs.taxonomy import Taxonomies

Kind = Literal["text", "textarea", "lines", "number", "radios", "yesno", "checkboxes", "date"]

YES_NO_UNKNOWN = (("yes", "Yes"), ("no", "No"), ("unknown", "I do not know"))

# Plain-English questions for the engagement's ``involves`` flags (the taxonomy's labels are nouns).
INVOLVES_QUESTIONS: dict[str, str] = {
    "personal_data": "Will personal data about residents, staff or students be shared?",
    "sensitive_research": "Does it touch research in sensitive areas (for example AI, quantum, semiconductors)?",
    "ip_transfer": "Will intellectual property or know-how pass to the partner?",
    "critical_infrastructure": "Does it concern energy, water, transport, telecoms or other critical infrastructure?",
    "site_access": "Will the partner get access to your sites, systems or networks?",
    "dual_use": "Does it involve dual-use or export-controlled technology?",
    "foreign_funding": "Will the partner or its government fund any of it?",
    "low_cost_financing": "Is finance offered at little or no upfront cost?",
    "political_statement": "Does it ask you to make a political statement or support a cause?",
    "sovereignty_recognition": "Could it be read as recognising a claim to statehood or sovereignty?",
    "exclusivity": "Does it give the partner exclusive rights?",
    "elected_member_travel": "Will elected members travel overseas as part of it?",
    "media_profile": "Is it likely to attract national or international media attention?",
    "equity_stake": "Will either side take an equity stake?",
    "land_or_property": "Does it involve land or property?",
    "designated_party": "Did your own sanctions check find a designated person or body?",
}


@dataclass(frozen=True)
class Question:
    path: tuple[str, ...]
    kind: Kind
    label: str
    hint: str = ""
    vocabulary: str | None = None
    required_message: str = ""
    width: str = ""
    autocomplete: str = ""

    @property
    def key(self) -> str:
        return ".".join(self.path)

    @property
    def html_id(self) -> str:
        return "-".join(part.replace("_", "-") for part in self.path)


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    heading: str
    questions: tuple[Question, ...]
    caption: str = ""

    def owns(self, field_path: str) -> Question | None:
        bare = re.sub(r"\[\d+\]", "", field_path or "")
        for question in self.questions:
            if bare == question.key or bare.startswith(question.key + "."):
                return question
        return None


SECTIONS: tuple[Section, ...] = (
    Section("lead", "Who is leading", "Who is leading the engagement?", (
        Question(("lead", "name"), "text", "Name of your organisation",
                 required_message="Enter the name of your organisation", autocomplete="organization"),
        Question(("lead", "type"), "radios", "What kind of organisation is it?",
                 vocabulary="lead_types", required_message="Select what kind of organisation is leading"),
        Question(("lead", "international_team_fte"), "number",
                 "How many full-time staff work on international relations?",
                 hint="Full-time equivalent, for example 1.5. Leave blank if you do not know.",
                 width="govuk-input--width-4"),
        Question(("lead", "has_international_strategy"), "yesno",
                 "Does your organisation have an agreed international strategy?"),
    )),
    Section("partner", "The partner", "Who is the overseas partner?", (
        Question(("partner", "name"), "text", "Partner's name",
                 required_message="Enter the partner's name"),
        Question(("partner", "type"), "radios", "What kind of body is the partner?",
                 vocabulary="partner_types", required_message="Select what kind of body the partner is"),
        Question(("partner", "country"), "text", "Country",
                 hint="The English name or an ISO code, for example Taiwan, TW or TWN.",
                 required_message="Enter the partner's country", width="govuk-!-width-one-half",
                 autocomplete="country-name"),
        Question(("partner", "state_linked"), "yesno",
                 "Is the partner known to be controlled by a foreign state?"),
        Question(("partner", "parent"), "text", "Ultimate owner (if any)",
                 hint="The parent company or body that ultimately owns or controls the partner."),
        Question(("partner", "aliases"), "lines", "Other names the partner uses",
                 hint="One name on each line. These are also checked against the watchlists."),
    )),
    Section("agreement", "The agreement", "What is the agreement?", (
        Question(("id",), "text", "Your reference for this engagement",
                 hint="For example a register or committee reference. Leave it as it is if you have none.",
                 width="govuk-input--width-20"),
        Question(("agreement_type",), "radios", "What type of agreement is it?",
                 vocabulary="agreement_types", required_message="Select the type of agreement"),
        Question(("title",), "text", "Title", hint="How the agreement is known, for example in committee papers."),
        Question(("value_gbp",), "number", "Value in pounds",
                 hint="The total value to your organisation. Enter 0 if there is no money involved.",
                 width="govuk-input--width-10"),
        Question(("term_years",), "number", "Term in years", hint="For example 3 or 0.5.",
                 width="govuk-input--width-4"),
        Question(("binding",), "yesno", "Is the agreement legally binding?"),
        Question(("published",), "yesno", "Will the agreement be published?"),
        Question(("objectives_defined",), "yesno", "Are its objectives written down and measurable?"),
        Question(("review_date",), "date", "When will it be reviewed?",
                 hint="For example 31 3 2027."),
    )),
    Section("sectors", "Sectors", "Which sectors does it cover?", (
        Question(("sectors",), "checkboxes", "Which sectors does it cover?",
                 hint="Select all that apply.", vocabulary="sectors",
                 required_message="Select at least one sector"),
    )),
    Section("involves", "What it involves", "What does the engagement involve?", (
        Question(("involves",), "checkboxes", "Which of these apply?",
                 hint="Select all that apply. Leave them all unselected if none do.",
                 vocabulary="involves"),
    )),
    Section("diligence", "Due diligence and approval", "Due diligence and approval", (
        Question(("lead", "due_diligence"), "checkboxes", "Which checks have you completed?",
                 hint="Select all that apply.", vocabulary="due_diligence"),
        Question(("lead", "approval"), "radios", "Who approved it, or will approve it?",
                 vocabulary="approval_levels"),
        Question(("notes",), "textarea", "Notes", hint="Anything a reviewer should know."),
    )),
)

SECTION_BY_SLUG = {section.slug: section for section in SECTIONS}


def section_for(field_path: str) -> tuple[Section, Question] | None:
    for section in SECTIONS:
        question = section.owns(field_path)
        if question is not None:
            return section, question
    return None


def choices(question: Question, taxonomies: Taxonomies) -> list[tuple[str, str, str]]:
    """(value, label, hint) for a question's options, in the taxonomy's own order."""
    if question.kind == "yesno":
        return [(value, label, "") for value, label in YES_NO_UNKNOWN]
    if question.vocabulary is None:
        return []
    table: Mapping[str, Any] = getattr(taxonomies, question.vocabulary)
    options = []
    for entry_id, entry in table.items():
        label = entry.label
        hint = entry.description
        if question.vocabulary == "involves":
            label = INVOLVES_QUESTIONS.get(entry_id, entry.label)
            hint = entry.description or entry.label
        options.append((entry_id, label, hint))
    return options


# -- reading and writing values ------------------------------------------------------------


def get_value(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = data
    for part in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def set_value(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = data
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    if value is None or value == "" or value == []:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value


def form_values(question: Question, data: Mapping[str, Any]) -> Any:
    """What the form shows for a stored value."""
    value = get_value(data, question.path)
    if question.kind == "yesno":
        # Not known is stored as no value, so nothing is pre-selected (GOV.UK: never pre-answer).
        return {True: "yes", False: "no"}.get(value, "")
    if question.kind == "lines":
        return "\n".join(value) if isinstance(value, list) else ""
    if question.kind == "checkboxes":
        return list(value) if isinstance(value, list) else []
    if question.kind == "date":
        parsed = value if isinstance(value, date) else _iso(value)
        if parsed is None:
            return {"day": "", "month": "", "year": ""}
        return {"day": str(parsed.day), "month": str(parsed.month), "year": str(parsed.year)}
    if question.kind == "number" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _iso(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass
class FormProblem:
    question: Question
    message: str
    anchor: str = ""

    @property
    def href(self) -> str:
        return "#" + (self.anchor or self.question.html_id)


@dataclass
class ParsedSection:
    data: dict[str, Any]
    problems: list[FormProblem] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)  # what was typed, to show back on errors


def parse_section(section: Section, form: Mapping[str, Any], getlist: Any,
                  current: Mapping[str, Any]) -> ParsedSection:
    """Apply a submitted page to a copy of the current input; type errors are page problems."""
    import copy

    data: dict[str, Any] = copy.deepcopy(dict(current))
    parsed = ParsedSection(data)
    for question in section.questions:
        name = question.key
        if question.kind == "checkboxes":
            values = [v for v in getlist(name) if isinstance(v, str) and v]
            parsed.raw[name] = values
            set_value(data, question.path, values)
        elif question.kind == "date":
            parts = {p: str(form.get(f"{name}-{p}", "")).strip() for p in ("day", "month", "year")}
            parsed.raw[name] = parts
            if not any(parts.values()):
                set_value(data, question.path, None)
                continue
            try:
                value = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
            except ValueError:
                parsed.problems.append(FormProblem(question, f"{question.label.rstrip('?')} must be a real date",
                                                   anchor=f"{question.html_id}-day"))
                continue
            set_value(data, question.path, value.isoformat())
        else:
            text = str(form.get(name, "")).strip()
            parsed.raw[name] = text
            if question.kind == "number":
                if not text:
                    set_value(data, question.path, None)
                    continue
                try:
                    number = float(text.replace(",", "").lstrip("£"))
                except ValueError:
                    parsed.problems.append(FormProblem(question, f"{question.label} must be a number"))
                    continue
                set_value(data, question.path, int(number) if number.is_integer() else number)
            elif question.kind == "yesno":
                set_value(data, question.path, {"yes": True, "no": False}.get(text))
            elif question.kind == "lines":
                set_value(data, question.path, [line.strip() for line in text.splitlines() if line.strip()])
            elif question.path == ("id",):
                set_value(data, question.path, text or current.get("id"))
            else:
                set_value(data, question.path, text or None)
    return parsed


def problems_in(section: Section | None, error: InputError) -> list[FormProblem]:
    """The core's problems that belong to ``section`` (all sections when None), as form problems."""
    found: list[FormProblem] = []
    seen: set[str] = set()
    for problem in error.problems:
        for owner, question in _owners(problem.location.field or ""):
            if (section is not None and owner is not section) or question.key in seen:
                continue
            seen.add(question.key)
            found.append(FormProblem(question, message_for(question, problem)))
    return found


def _owners(field_path: str) -> list[tuple[Section, Question]]:
    """The question a problem is about; for a whole missing object (``partner``), each of its
    required questions."""
    located = section_for(field_path)
    if located is not None:
        return [located]
    return [(section, question) for section in SECTIONS for question in section.questions
            if field_path and question.key.startswith(field_path + ".") and question.required_message]


def message_for(question: Question, problem: Problem) -> str:
    if problem.message == "required field is missing" or problem.message.startswith("List should have at least"):
        return question.required_message or f"Answer '{question.label}'"
    text = problem.message[0].upper() + problem.message[1:]
    if problem.value is not None and not isinstance(problem.value, (list, dict)):
        text += f": {problem.value}"
    if problem.suggestion:
        # The form offers the choices itself; a pointer to a command line tool does not help here.
        suggestion = _COMMAND_HINT.sub("", problem.suggestion).strip()
        if suggestion:
            text += f" ({suggestion})"
    return text


_COMMAND_HINT = re.compile(r"\s*\(?(?:all \d+ [^:()]+|list every [^:()]+): riskscreen vocab \w+\)?")


def answer_text(question: Question, data: Mapping[str, Any], taxonomies: Taxonomies) -> str:
    """How an answer reads on the check-your-answers page."""
    value = get_value(data, question.path)
    if question.kind == "yesno" and value is None:
        return "Not known"
    if value is None or value == [] or value == "":
        return "Not answered" if question.kind != "checkboxes" else "None"
    if question.kind == "yesno":
        return "Yes" if value else "No"
    labels = {option[0]: option[1] for option in choices(question, taxonomies)}
    if question.vocabulary == "involves":
        labels = {k: v.label for k, v in taxonomies.involves.items()}
    if question.kind == "checkboxes":
        return ", ".join(labels.get(v, v) for v in value)
    if question.kind == "radios":
        return str(labels.get(value, value))
    if question.kind == "lines":
        return ", ".join(value)
    if question.path == ("partner", "country"):
        code = taxonomies.country_resolver.resolve(str(value))
        return f"{value}" if code is None or code == value else f"{value} ({code})"
    if question.kind == "date":
        parsed = _iso(value)
        return parsed.strftime("%-d %B %Y") if parsed else str(value)
    if question.path == ("value_gbp",):
        return f"£{value:,}" if isinstance(value, (int, float)) else str(value)
    return str(value)
