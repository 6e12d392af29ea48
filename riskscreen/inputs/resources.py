"""Locating the bundled rule pack, taxonomies and report templates.

An installed wheel carries them in ``riskscreen/_bundled/``; a source checkout (or an editable
install) keeps them at the top of the repository, beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
BUNDLED_NAMES = ("rules", "taxonomies", "reports")


def bundled_dir(name: str) -> Path:
    """The directory holding the bundled ``rules``, ``taxonomies`` or ``reports``."""
    if name not in BUNDLED_NAMES:
        raise ValueError(f"unknown bundled resource {name!r}")
    installed = _PACKAGE_DIR / "_bundled" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name
