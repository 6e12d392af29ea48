"""Laying one engagement mapping over another (rule examples, what-if changes)."""

from __future__ import annotations

from typing import Any


def overlay(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` laid over ``base``: mappings merge, other values replace, ``None`` deletes.

    The result shares no mapping or list with either input, so callers may change it freely.
    """
    merged: dict[str, Any] = _copied(base)
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = overlay(merged[key], value)
        else:
            merged[key] = _copied(value)
    return merged


def _copied(value: Any) -> Any:
    # Engagement mappings hold only mappings, lists and immutable scalars (str, numbers, bool,
    # dates), so copying the containers is a full copy, and several times faster than deepcopy.
    if isinstance(value, dict):
        return {key: _copied(item) if isinstance(item, _CONTAINERS) else item for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) if isinstance(item, _CONTAINERS) else item for item in value]
    return value


_CONTAINERS = (dict, list)
