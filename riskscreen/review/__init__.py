"""The reviewers' service: storage and services for the review workflow (audit trail, decisions,
conditions, waivers, comments, assignments, jobs) on top of :mod:`riskscreen.store`.

The rules themselves — states, decisions, the hash chain, clocks — live in the pure core
:mod:`riskscreen.workflow`; this package only persists them. Only the web service and the
``audit``/``rescreen`` commands import it.
"""
