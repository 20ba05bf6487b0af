"""The package version: radar-rpc's own, written once, in ``Sources/Radar/Version.swift``.

In a checkout it is read from there; a built package (a wheel, ``pip install``) has this file
replaced by one that holds the number itself (``setup.py``).
"""

from __future__ import annotations

import re
from pathlib import Path


def _from_checkout() -> str:
    for folder in Path(__file__).resolve().parents:
        source = folder / "Sources" / "Radar" / "Version.swift"
        if source.is_file():
            match = re.search(r'static let current = "([^"]+)"', source.read_text(encoding="utf-8"))
            if match:
                return match.group(1)
    return "0+unknown"


__version__ = _from_checkout()
