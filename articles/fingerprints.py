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
