"""User text inside the product's own sentences (messages shown after an action)."""


def isolated(text: str) -> str:
    """``text`` between Unicode's FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE marks
    (U+2068, U+2069), the plain-text equivalent of HTML's ``<bdi>``: whatever direction
    controls a name holds (a right-to-left override...), it cannot reorder the sentence
    around it, and an Arabic or Hebrew name keeps its own direction."""
    return f"\u2068{text}\u2069"
