"""Limits on input size, documented in docs/limits.md.

They are far beyond any real engagement or register, and exist so that hostile or broken input
(a 5 MB partner name, ``[[[[…]]]]`` nested ten thousand deep, a YAML alias bomb) is refused with
a located error in time that does not grow with the attack, instead of tying up a worker.
"""

from __future__ import annotations

MAX_ENGAGEMENT_FILE_BYTES = 1024 * 1024  # one engagement file
MAX_REGISTER_FILE_BYTES = 200 * 1024 * 1024  # a register, taxonomy or watchlist file
MAX_NESTING_DEPTH = 20  # mappings and lists inside each other; an engagement needs 4
# YAML anchors may repeat content, but not multiply it: the document as expanded may hold at
# most this many times the nodes written, plus a fixed allowance.
MAX_ALIAS_EXPANSION = 10
ALIAS_ALLOWANCE = 10_000
MAX_REGISTER_ROWS = 1_000_000

MAX_ID_LENGTH = 200
MAX_NAME_LENGTH = 300  # names of the lead, partner, parent and each alias
MAX_TITLE_LENGTH = 500
MAX_TEXT_LENGTH = 20_000  # notes, waiver reasons
MAX_LIST_ITEMS = 100  # sectors, involves, due_diligence, aliases, waivers

__all__ = [
    "ALIAS_ALLOWANCE",
    "MAX_ALIAS_EXPANSION",
    "MAX_ENGAGEMENT_FILE_BYTES",
    "MAX_ID_LENGTH",
    "MAX_LIST_ITEMS",
    "MAX_NAME_LENGTH",
    "MAX_NESTING_DEPTH",
    "MAX_REGISTER_FILE_BYTES",
    "MAX_REGISTER_ROWS",
    "MAX_TEXT_LENGTH",
    "MAX_TITLE_LENGTH",
]
