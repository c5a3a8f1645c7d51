"""The language of a cleaned text, with py3langid (langid.py's model, shipped inside the package: no
download at run time). Only the first SAMPLE characters are read: enough for a stable guess."""
from __future__ import annotations

from functools import lru_cache

SAMPLE = 1000
MIN_CHARS = 20


@lru_cache(maxsize=1)
def _identifier():
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError:  # pragma: no cover - a dependency, but keep cleaning without it
        return None
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short or unsure."""
    sample = text[:SAMPLE]
    if len(sample.strip()) < MIN_CHARS:
        return None
    identifier = _identifier()
    if identifier is None:
        return None
    code, prob = identifier.classify(sample)
    return code if prob >= 0.5 else None
