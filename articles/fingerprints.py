"""Fingerprints of content: how the loader tells a file edit from an admin edit.

A record stores the fingerprint of its content as it was when last loaded from a file. Comparing that with
the fingerprint of the record now (did the admin change it?) and of the file now (did the file change?) gives
the four cases: unchanged, file edited, admin edited, both edited (a conflict).
"""

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def fingerprint(values: Mapping[str, Any]) -> str:
    canonical = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def same_values(a: Any, b: Any) -> bool:
    """Whether `a` and `b` are the same values of the same types all the way down, so that they have the
    same fingerprint (a load tells 10,000 unchanged records so, without writing each out). Equal is not
    enough: 1 == 1.0 == True, 0.0 == -0.0 and Decimal("1.0") == Decimal("1.00"), but each is written
    differently."""
    if type(a) is not type(b):
        return False
    if isinstance(a, str | int) or a is None:  # bool is an int; the types are the same
        return a == b
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, dict):
        return (
            a.keys() == b.keys()
            and all(type(key) is str for key in a)
            and all(same_values(value, b[key]) for key, value in a.items())
        )
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same_values(x, y) for x, y in zip(a, b, strict=True))
    return str(a) == str(b)  # what the fingerprint writes for any other value (default=str)
