"""Screening one engagement: facts, rules, proportionality, escalation, what-if, rule examples."""
