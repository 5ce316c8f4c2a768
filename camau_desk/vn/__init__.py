"""Vietnamese text: NFC, search folding, tone placement, TCVN3/VNI conversion (R6.3).

``text`` is pure and dependency free (used by indexing); ``legacy`` loads the
conversion tables from ``resources/encodings`` on first use.
"""

from __future__ import annotations

from camau_desk.vn.text import canonical_tone, fold, nfc, strip_diacritics, tokens

__all__ = ["nfc", "fold", "canonical_tone", "tokens", "strip_diacritics"]
