"""Content hashes of rule packs and taxonomy directories, so a screening can be reproduced."""

from __future__ import annotations

import hashlib
from pathlib import Path


def directory_hash(directory: Path, pattern: str = "*.yaml") -> str:
    """sha256 over the relative names and bytes of the matching files, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob(pattern)):
        digest.update(path.relative_to(directory).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
