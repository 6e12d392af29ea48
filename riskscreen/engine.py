"""The screening engine: engagement -> facts -> finding rules -> proportionality -> result.

Typical use::

    from riskscreen import Engine
    engine = Engine.load()                      # bundled rules, taxonomies and watchlist
    result = engine.screen({"id": "X", ...})    # a mapping or an Engagement
    print(result.tier)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from riskscreen import __version__
from riskscreen.backends import Backend, make_backend
from riskscreen.backends.python import compile_predicate
from riskscreen.conditions import facts_used
from riskscreen.escalation import Checklist, escalation_for
from riskscreen.facts import build_fact, input_values, screened_names
from riskscreen.facts_catalogue import ENGAGEMENT_FACTS
from riskscreen.loading import validate_engagement
from riskscreen.models.base import RISK_TYPES, Level
from riskscreen.models.engagement import Engagement
from riskscreen.models.result import (
    Decision,
    EngagementSummary,
    Evidence,
    Finding,
    PackInfo,
    Provenance,
    RiskProfileEntry,
    ScreeningResult,
)
from riskscreen.models.rule import FindingRule, ProportionalityRule
from riskscreen.proportionality import Hit, fact_key, highest_level, highest_tier, summarise
from riskscreen.resources import bundled_dir
from riskscreen.rulepack import LoadedRule, RulePack, load_rule_pack
from riskscreen.taxonomy import Taxonomies, load_taxonomies
from riskscreen.watchlist import WatchlistMatcher, load_watchlists

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
        self.backend: Backend = make_backend(backend, pack.compiled())
        self._finding_rules: dict[str, LoadedRule] = {r.id: r for r in pack.findings}
        self._decision_rules: dict[str, LoadedRule] = {r.id: r for r in pack.proportionality}
        self._stage2_cache: dict[tuple[Any, ...], list[str]] = {}

    @classmethod
    def load(
        cls,
        rules: Path | None = None,
        taxonomies: Path | None = None,
        watchlists: Sequence[Path] = (),
        backend: str | None = None,
    ) -> Engine:
        """Load from directories (bundled defaults when None) and extra watchlist files."""
        taxonomy_dir = taxonomies or bundled_dir("taxonomies")
        loaded_taxonomies = load_taxonomies(taxonomy_dir)
        pack = load_rule_pack(rules or bundled_dir("rules"), loaded_taxonomies)
        matcher = load_watchlists(taxonomy_dir, list(watchlists))
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
        hits = self.watchlist.screen(screened_names(engagement))
        return build_fact(engagement, self.taxonomies, hits, as_of or date.today())

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
        hits = self.watchlist.screen(screened_names(engagement))
        fact = build_fact(engagement, self.taxonomies, hits, as_of)
        fired = self.backend.match("engagement", fact)
        inputs = input_values(engagement)
        findings = [self._finding(self._finding_rules[rule_id], fact, inputs) for rule_id in fired]
        findings.sort(
            key=lambda f: (
                -Level(f.impact).rank * Level(f.likelihood).rank,
                RISK_TYPES.index(f.risk_type),
                f.rule_id,
            )
        )

        rule_hits = [Hit(self._finding_rules[rule_id].rule) for rule_id in fired]  # type: ignore[arg-type]
        per_type, screening = summarise(rule_hits, fact["exposure_rank"])
        profile, level_decisions = self._profile(per_type, findings)
        tier_decisions = [
            self._decision(rule_id) for rule_id in self._stage2("screening", screening)
        ]
        tier = highest_tier([d.sets_tier for d in tier_decisions if d.sets_tier])
        tier_entry = self.taxonomies.tiers[tier]
        setting_tier = [d for d in tier_decisions if d.sets_tier == tier]
        result = ScreeningResult(
            engagement_id=engagement.id,
            tier=tier,
            tier_label=tier_entry.label,
            tier_meaning=tier_entry.meaning,
            next_steps=tier_entry.next_steps,
            engagement=self._summary(engagement),
            findings=findings,
            risk_profile=profile,
            amplifier_applied=bool(screening["amplifier"]) and any(p.amplified for p in profile),
            tier_decisions=setting_tier
            + [d for d in tier_decisions if d.sets_tier != tier]
            + level_decisions,
            escalation=escalation_for(findings, self.taxonomies),
            checklist=self.checklist.evaluate(fact),
            watchlist_hits=[hit.model_dump(mode="json") for hit in hits],
            provenance=self.provenance(as_of),
        )
        if what_if:
            from riskscreen.whatif import what_would_change

            result.what_would_change = what_would_change(self, engagement, result, as_of)
        return result

    def provenance(self, as_of: date) -> Provenance:
        return Provenance(
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
        )

    # -- helpers -------------------------------------------------------------------------

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
            fired = self._stage2("risk_type", fact)
            mine = [self._decision(rule_id) for rule_id in fired]
            level = highest_level([d.sets_level for d in mine if d.sets_level])
            decided = [d for d in mine if d.sets_level == level]
            decisions.extend(
                d.model_copy(update={"subject": f"risk_type:{risk_type}"}) for d in decided
            )
            profile.append(
                RiskProfileEntry(
                    risk_type=risk_type,
                    label=self.taxonomies.risk_types[risk_type].label,
                    level=level,
                    finding_count=fact["finding_count"],
                    max_severity=fact["max_severity"],
                    amplified=fact["amplified"],
                    rules=[f.rule_id for f in findings if f.risk_type == risk_type],
                    decided_by=[d.rule_id for d in decided],
                )
            )
        return profile, decisions

    def _decision(self, rule_id: str) -> Decision:
        rule = self._decision_rules[rule_id].rule
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

    def _finding(self, loaded: LoadedRule, fact: dict[str, Any], inputs: dict[str, Any]) -> Finding:
        rule = loaded.rule
        assert isinstance(rule, FindingRule)
        return Finding(
            rule_id=rule.id,
            risk_type=rule.risk_type.value,
            title=rule.title,
            impact=rule.impact.value,
            likelihood=rule.likelihood.value,
            severity=rule.impact.rank * rule.likelihood.rank,
            tier=rule.tier.value,
            rationale=rule.rationale,
            advice=rule.advice,
            escalate_to=list(rule.escalate_to),
            evidence=evidence_for(loaded, fact, inputs),
            references=list(rule.references),
            amplifier=rule.amplifier,
        )

    def _summary(self, engagement: Engagement) -> EngagementSummary:
        return EngagementSummary(
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


def evidence_for(
    loaded: LoadedRule, fact: dict[str, Any], inputs: dict[str, Any]
) -> list[Evidence]:
    """The facts a rule tested, with the values seen and the inputs they came from."""
    evidence: dict[str, Evidence] = {}
    for leaf in facts_used(loaded.condition):
        if not compile_predicate(leaf)(fact):
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
            path: inputs.get(path) for path in spec.inputs if inputs.get(path) not in (None, [])
        }
        evidence[leaf.fact] = Evidence(fact=leaf.fact, value=value, inputs=sources)
    return list(evidence.values())
