"""The screening engine: engagement -> facts -> finding rules -> proportionality -> result.

Typical use::

    from riskscreen import Engine
    engine = Engine.load()                      # bundled rules, taxonomies and watchlist
    result = engine.screen({"id": "X", ...})    # a mapping or an Engagement
    print(result.tier)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from riskscreen import __version__
from riskscreen.inputs.loading import validate_engagement
from riskscreen.inputs.resources import bundled_dir
from riskscreen.inputs.taxonomy import Taxonomies, load_taxonomies
from riskscreen.models.base import RISK_TYPES
from riskscreen.models.compact import CompactFinding, CompactResult, jsonable
from riskscreen.models.engagement import Engagement
from riskscreen.models.result import (
    Decision,
    EngagementSummary,
    EscalationEntry,
    Evidence,
    Finding,
    PackInfo,
    Provenance,
    RiskProfileEntry,
    ScreeningResult,
)
from riskscreen.models.rule import FindingRule, ProportionalityRule
from riskscreen.rulepack.backends import Backend
from riskscreen.rulepack.backends.python import compile_predicate
from riskscreen.rulepack.conditions import facts_used
from riskscreen.rulepack.facts_catalogue import ENGAGEMENT_FACTS
from riskscreen.rulepack.loader import LoadedRule, RulePack, load_rule_pack
from riskscreen.screening.escalation import Checklist, escalation_for
from riskscreen.screening.facts import build_fact, input_values, screened_names
from riskscreen.screening.proportionality import (
    Hit,
    fact_key,
    highest_level,
    highest_tier,
    summarise,
)
from riskscreen.screening.selfcheck import proven_backend
from riskscreen.watchlist import WatchlistHit, WatchlistMatcher, load_watchlists

_STAGE2_CACHE_LIMIT = 65536


class Engine:
    """A loaded rule pack, taxonomies and watchlists bound to one matching backend."""

    def __init__(
        self,
        taxonomies: Taxonomies,
        pack: RulePack,
        watchlist: WatchlistMatcher,
        backend: str | None = None,
    ) -> None:
        self.taxonomies = taxonomies
        self.pack = pack
        self.watchlist = watchlist
        self.checklist = Checklist(taxonomies)
        self.backend: Backend = proven_backend(backend, pack, taxonomies, watchlist)
        self._finding_rules = {
            loaded.id: _FindingRuleInfo(loaded, order) for order, loaded in enumerate(pack.findings)
        }
        self._decisions = {loaded.id: _decision(loaded) for loaded in pack.proportionality}
        # Proportionality rules that test the amplifier: a level or tier counts as amplified only
        # when such rules alone reached it, not merely because an amplifier finding exists.
        self._amplifying = {
            loaded.id
            for loaded in pack.proportionality
            if any(leaf.fact in ("amplified", "amplifier") for leaf in facts_used(loaded.condition))
        }
        self._level_decisions: dict[tuple[str, str], Decision] = {}
        self._stage2_cache: dict[tuple[Any, ...], list[str]] = {}
        self._provenance: dict[date, Provenance] = {}
        self._outcomes: dict[tuple[Any, ...], _Outcome] = {}
        self._tiers: dict[tuple[Any, ...], str] = {}

    @classmethod
    def load(
        cls,
        rules: Path | str | None = None,
        taxonomies: Path | str | None = None,
        watchlists: Sequence[Path | str] = (),
        backend: str | None = None,
    ) -> Engine:
        """Load from directories (bundled defaults when None) and extra watchlist files;
        paths may be ``str`` or ``Path``."""
        taxonomy_dir = Path(taxonomies) if taxonomies is not None else bundled_dir("taxonomies")
        loaded_taxonomies = load_taxonomies(taxonomy_dir)
        rules_dir = Path(rules) if rules is not None else bundled_dir("rules")
        pack = load_rule_pack(rules_dir, loaded_taxonomies)
        matcher = load_watchlists(taxonomy_dir, [Path(w) for w in watchlists])
        return cls(loaded_taxonomies, pack, matcher, backend)

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- input ---------------------------------------------------------------------------

    def validate(
        self, data: Mapping[str, Any], source: str | None = None, row: int | None = None
    ) -> Engagement:
        """Validate a mapping against the public input contract and these taxonomies."""
        return validate_engagement(data, self.taxonomies, source=source, row=row)

    # -- screening -----------------------------------------------------------------------

    def facts(self, engagement: Engagement, as_of: date | None = None) -> dict[str, Any]:
        """The enriched engagement fact (what the finding rules see)."""
        return self._enrich(engagement, as_of or date.today())[1]

    def _enrich(
        self, engagement: Engagement, as_of: date
    ) -> tuple[list[WatchlistHit], dict[str, Any]]:
        hits = self.watchlist.screen(screened_names(engagement))
        return hits, build_fact(engagement, self.taxonomies, hits, as_of)

    def screen(
        self,
        engagement: Engagement | Mapping[str, Any],
        as_of: date | None = None,
        what_if: bool = False,
    ) -> ScreeningResult:
        """Screen one engagement and explain the outcome.

        With ``what_if`` the result also lists concrete changes that would remove findings or lower
        the tier, each verified by re-screening the changed engagement.
        """
        if not isinstance(engagement, Engagement):
            engagement = self.validate(engagement)
        as_of = as_of or date.today()
        result = self.assemble(engagement, as_of, self.match(engagement, as_of))
        if what_if:
            from riskscreen.screening.whatif import what_would_change

            result.what_would_change = what_would_change(self, engagement, result, as_of)
        return result

    def match(self, engagement: Engagement, as_of: date) -> Matched:
        """The matching half of a screening: watchlist hits, the fact, and the finding rules fired.

        It is small and picklable, so worker processes can match while the parent assembles.
        """
        hits, fact = self._enrich(engagement, as_of)
        return Matched(tuple(hits), fact, tuple(self.backend.match("engagement", fact)))

    def assemble(self, engagement: Engagement, as_of: date, matched: Matched) -> ScreeningResult:
        """The explaining half: findings with evidence, proportionality, escalation, checklist."""
        hits, fact = matched.hits, matched.fact
        fired = [self._finding_rules[rule_id] for rule_id in matched.fired]
        fired.sort(key=lambda info: info.order)
        inputs = input_values(engagement)
        findings = [info.finding(fact, inputs) for info in fired]

        outcome = self._outcome(fired, fact["exposure_rank"])
        tier_entry = self.taxonomies.tiers[outcome.tier]
        # Every part is validated already (input, rules, taxonomies), so skip re-validation.
        return trusted(
            ScreeningResult,
            engagement_id=engagement.id,
            tier=outcome.tier,
            tier_label=tier_entry.label,
            tier_meaning=tier_entry.meaning,
            next_steps=tier_entry.next_steps,
            engagement=self._summary(engagement),
            findings=findings,
            risk_profile=list(outcome.profile),
            amplifier_applied=outcome.amplifier_applied,
            tier_decisions=list(outcome.decisions),
            escalation=list(outcome.escalation),
            checklist=self.checklist.evaluate(fact),
            watchlist_hits=[hit.model_dump(mode="json") for hit in hits],
            provenance=self.provenance(as_of),
            what_would_change=[],
        )

    def compact(self, engagement: Engagement, as_of: date, matched: Matched) -> CompactResult:
        """The register half: tier and findings as rule ids with evidence values, no texts.

        Rule texts, decisions and the checklist are the same for every engagement, so a
        register states them once; findings with the same rule and values are shared objects.
        """
        fired = sorted((self._finding_rules[rule_id] for rule_id in matched.fired),
                       key=lambda info: info.order)
        fact = matched.fact
        partner = engagement.partner
        return CompactResult(
            engagement_id=engagement.id,
            tier=self._tier(fired, fact["exposure_rank"]),
            findings=tuple(info.compact(fact) for info in fired),
            exposure_rank=fact["exposure_rank"],
            title=engagement.title,
            partner_name=partner.name,
            country=partner.country,
            agreement_type=engagement.agreement_type,
            review_date=engagement.review_date,
            waivers=tuple(engagement.waivers),
        )

    def rule_catalogue(self) -> list[Finding]:
        """Every finding rule's texts (title, rationale, advice, references) in pack order."""
        return [info.stub for info in self._finding_rules.values()]

    def tier_for(self, rule_ids: Sequence[str], exposure_rank: int) -> str:
        """The tier the proportionality rules give to these findings (e.g. once some are waived)."""
        fired = sorted((self._finding_rules[rule_id] for rule_id in rule_ids), key=lambda i: i.order)
        return self._tier(fired, exposure_rank)

    def _tier(self, fired: Sequence[_FindingRuleInfo], exposure_rank: int) -> str:
        """The tier alone: what a register needs, without the profile, decisions and escalation."""
        key = (tuple(info.rule.id for info in fired), exposure_rank)
        outcome = self._outcomes.get(key)
        if outcome is not None:
            return outcome.tier
        tier = self._tiers.get(key)
        if tier is None:
            _, screening = summarise([info.hit for info in fired], exposure_rank)
            decided = [self._decisions[rule_id].sets_tier for rule_id in self._stage2("screening", screening)]
            tier = highest_tier([t for t in decided if t])
            if len(self._tiers) >= _STAGE2_CACHE_LIMIT:
                self._tiers.clear()
            self._tiers[key] = tier
        return tier

    def provenance(self, as_of: date) -> Provenance:
        cached = self._provenance.get(as_of)
        if cached is None:
            cached = Provenance(
                tool_version=__version__,
                backend=self.backend.name,
                as_of=as_of,
                rule_pack=PackInfo(
                    name=self.pack.name, version=self.pack.version, hash=self.pack.digest
                ),
                taxonomies=PackInfo(
                    name="taxonomies", version=self.taxonomies.version, hash=self.taxonomies.digest
                ),
                watchlists=PackInfo(
                    name="watchlists",
                    version=str(len(self.watchlist.entries)),
                    hash=self.watchlist.fingerprint(),
                ),
                sanctions_list_loaded=any("sanctioned" in e.tags for e in self.watchlist.entries),
            )
            self._provenance[as_of] = cached
        return cached

    # -- helpers -------------------------------------------------------------------------

    def _outcome(self, fired: Sequence[_FindingRuleInfo], exposure_rank: int) -> _Outcome:
        """Profile, tier, decisions and escalation: a pure function of which rules fired.

        Registers repeat the same combinations of findings, so the outcome is memoised on
        them; a new combination goes through the proportionality rules on the backend.
        """
        key = (tuple(info.rule.id for info in fired), exposure_rank)
        cached = self._outcomes.get(key)
        if cached is not None:
            return cached
        findings = [info.stub for info in fired]
        per_type, screening = summarise([info.hit for info in fired], exposure_rank)
        profile, level_decisions = self._profile(per_type, findings)
        tier_decisions = [
            self._decisions[rule_id] for rule_id in self._stage2("screening", screening)
        ]
        tier = highest_tier([d.sets_tier for d in tier_decisions if d.sets_tier])
        outcome = _Outcome(
            tier=tier,
            profile=tuple(profile),
            decisions=tuple(
                [d for d in tier_decisions if d.sets_tier == tier]
                + [d for d in tier_decisions if d.sets_tier != tier]
                + level_decisions
            ),
            amplifier_applied=any(p.amplified for p in profile)
            or all(d.rule_id in self._amplifying for d in tier_decisions if d.sets_tier == tier),
            escalation=tuple(escalation_for(findings, self.taxonomies)),
        )
        if len(self._outcomes) >= _STAGE2_CACHE_LIMIT:
            self._outcomes.clear()
        self._outcomes[key] = outcome
        return outcome

    def _stage2(self, ruleset: str, fact: dict[str, Any]) -> list[str]:
        # The proportionality stage is a pure function of a small discrete summary fact,
        # so its answers are memoised; a miss goes through the backend like any other fact.
        key = (ruleset, *fact_key(fact))
        cached = self._stage2_cache.get(key)
        if cached is None:
            cached = self.backend.match(ruleset, fact)
            if len(self._stage2_cache) >= _STAGE2_CACHE_LIMIT:
                self._stage2_cache.clear()
            self._stage2_cache[key] = cached
        return cached

    def _profile(
        self, per_type: dict[str, dict[str, Any]], findings: Sequence[Finding]
    ) -> tuple[list[RiskProfileEntry], list[Decision]]:
        profile: list[RiskProfileEntry] = []
        decisions: list[Decision] = []
        for risk_type, fact in per_type.items():
            mine = [self._decisions[rule_id] for rule_id in self._stage2("risk_type", fact)]
            level = highest_level([d.sets_level for d in mine if d.sets_level])
            decided = [d for d in mine if d.sets_level == level]
            decisions.extend(self._level_decision(d.rule_id, risk_type) for d in decided)
            profile.append(
                RiskProfileEntry.model_construct(
                    risk_type=risk_type,
                    label=self.taxonomies.risk_types[risk_type].label,
                    level=level,  # type: ignore[arg-type]  # one of LEVELS by construction
                    finding_count=fact["finding_count"],
                    max_severity=fact["max_severity"],
                    # raised by the amplifier: only amplifier-testing rules reached this level
                    amplified=bool(decided) and all(d.rule_id in self._amplifying for d in decided),
                    rules=[f.rule_id for f in findings if f.risk_type == risk_type],
                    decided_by=[d.rule_id for d in decided],
                )
            )
        return profile, decisions

    def _level_decision(self, rule_id: str, risk_type: str) -> Decision:
        key = (rule_id, risk_type)
        if key not in self._level_decisions:
            self._level_decisions[key] = self._decisions[rule_id].model_copy(
                update={"subject": f"risk_type:{risk_type}"}
            )
        return self._level_decisions[key]

    def _summary(self, engagement: Engagement) -> EngagementSummary:
        return trusted(
            EngagementSummary,
            id=engagement.id,
            title=engagement.title,
            lead_name=engagement.lead.name,
            lead_type=engagement.lead.type,
            partner_name=engagement.partner.name,
            partner_type=engagement.partner.type,
            partner_parent=engagement.partner.parent,
            country=engagement.partner.country,
            country_name=self.taxonomies.country_resolver.name(engagement.partner.country),
            agreement_type=engagement.agreement_type,
            sectors=list(engagement.sectors),
            involves=list(engagement.involves),
            value_gbp=engagement.value_gbp,
            term_years=engagement.term_years,
            binding=engagement.binding,
            review_date=engagement.review_date,
        )


ModelT = TypeVar("ModelT", bound=BaseModel)


def trusted(model: type[ModelT], **values: Any) -> ModelT:
    """Build a result model from values that are already valid, skipping validation.

    Findings and evidence are built from validated rules and facts, thousands of times per
    register, so this does what ``model_construct`` does for a model whose every field is given,
    without its per-field bookkeeping. ``tests/core/test_engine.py`` checks the two agree.
    """
    instance = model.__new__(model)
    object.__setattr__(instance, "__dict__", values)
    object.__setattr__(instance, "__pydantic_fields_set__", set(values))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


@dataclass(frozen=True)
class Matched:
    hits: tuple[WatchlistHit, ...]
    fact: dict[str, Any]
    fired: tuple[str, ...]


@dataclass(frozen=True)
class _Outcome:
    tier: str
    profile: tuple[RiskProfileEntry, ...]
    decisions: tuple[Decision, ...]
    amplifier_applied: bool
    escalation: tuple[EscalationEntry, ...]


class _FindingRuleInfo:
    """A finding rule with what building its findings needs, prepared once per engine."""

    def __init__(self, loaded: LoadedRule, order: int) -> None:
        rule = loaded.rule
        assert isinstance(rule, FindingRule)
        self.rule = rule
        self.hit = Hit.of(rule)
        # Findings are listed most severe first, then by risk type, then by id.
        self.order = (-self.hit.severity, RISK_TYPES.index(rule.risk_type.value), rule.id)
        self.leaves = [(leaf, compile_predicate(leaf)) for leaf in facts_used(loaded.condition)]
        self.fact_names = tuple(dict.fromkeys(leaf.fact for leaf, _ in self.leaves))
        self.input_paths = tuple(
            dict.fromkeys(p for name in self.fact_names for p in ENGAGEMENT_FACTS[name].inputs)
        )
        self._evidence: dict[tuple[Any, ...], tuple[Evidence, ...]] = {}
        self._compact: dict[tuple[Any, ...], CompactFinding] = {}
        # What the outcome stage needs (rule, title, tier, bodies), without per-engagement evidence.
        self.stub = self.finding({}, {})

    def finding(self, fact: dict[str, Any], inputs: dict[str, Any]) -> Finding:
        rule = self.rule
        return trusted(
            Finding,
            rule_id=rule.id,
            risk_type=rule.risk_type.value,
            title=rule.title,
            impact=rule.impact.value,
            likelihood=rule.likelihood.value,
            severity=self.hit.severity,
            tier=rule.tier.value,
            rationale=rule.rationale,
            advice=rule.advice,
            escalate_to=rule.escalate_to,  # shared with the rule: results are read-only
            evidence=self.evidence(fact, inputs),
            references=rule.references,
            amplifier=rule.amplifier,
            waiver=None,
        )

    def compact(self, fact: dict[str, Any]) -> CompactFinding:
        """This rule's finding as rule id and evidence values, one shared object per distinct values."""
        key = tuple(_hashable(fact.get(name)) for name in self.fact_names)
        cached = self._compact.get(key)
        if cached is None:
            evidence = tuple((e.fact, jsonable(e.value)) for e in self._build_evidence(fact, {}))
            cached = CompactFinding(self.rule.id, self.rule.risk_type.value, self.rule.tier.value,
                                    evidence)
            if len(self._compact) >= _STAGE2_CACHE_LIMIT:
                self._compact.clear()
            self._compact[key] = cached
        return cached

    def evidence(self, fact: dict[str, Any], inputs: dict[str, Any]) -> list[Evidence]:
        """The facts the rule tested that held, with the values seen and the inputs behind them.

        Registers repeat the same values, so evidence is memoised on the values it reads.
        """
        key = tuple(_hashable(fact.get(name)) for name in self.fact_names) + tuple(
            _hashable(inputs.get(path)) for path in self.input_paths
        )
        cached = self._evidence.get(key)
        if cached is None:
            cached = self._build_evidence(fact, inputs)
            if len(self._evidence) >= _STAGE2_CACHE_LIMIT:
                self._evidence.clear()
            self._evidence[key] = cached
        return list(cached)

    def _build_evidence(self, fact: dict[str, Any], inputs: dict[str, Any]) -> tuple[Evidence, ...]:
        evidence: dict[str, Evidence] = {}
        for leaf, holds in self.leaves:
            if not holds(fact):
                continue  # a branch of an `any` that did not hold is not why the rule fired
            value = fact.get(leaf.fact)
            if leaf.op == "any" and isinstance(value, list):
                value = [v for v in value if v in leaf.value] or value
            existing = evidence.get(leaf.fact)
            if existing is not None:
                if isinstance(existing.value, list) and isinstance(value, list):
                    existing.value = sorted(set(existing.value) | set(value))
                continue
            spec = ENGAGEMENT_FACTS[leaf.fact]
            sources = {
                path: inputs[path] for path in spec.inputs if inputs.get(path) not in (None, [])
            }
            evidence[leaf.fact] = trusted(Evidence, fact=leaf.fact, value=value, inputs=sources)
        return tuple(evidence.values())


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _decision(loaded: LoadedRule) -> Decision:
    rule = loaded.rule
    assert isinstance(rule, ProportionalityRule)
    return Decision(
        rule_id=rule.id,
        title=rule.title,
        subject=rule.subject,
        sets_tier=rule.sets_tier.value if rule.sets_tier else None,
        sets_level=rule.sets_level.value if rule.sets_level else None,
        rationale=rule.rationale,
        references=rule.references,
    )
