"""Choosing zh_CN or en from a user setting, a cookie or an Accept-Language header."""

from __future__ import annotations

SUPPORTED_LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"

# Browsers send script-tagged and regional variants that Babel's negotiation misses;
# every Simplified-Chinese spelling maps to zh_CN, every English one to en.
_ALIASES = {
    "zh": "zh_CN",
    "zh_cn": "zh_CN",
    "zh_hans": "zh_CN",
    "zh_hans_cn": "zh_CN",
    "zh_sg": "zh_CN",
    "zh_hans_sg": "zh_CN",
    "en": "en",
}


def normalize(tag: str | None) -> str | None:
    """Map a language tag to a supported locale, or None."""
    if not tag:
        return None
    key = tag.strip().replace("-", "_").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    if key.startswith("en_"):
        return "en"
    if key.startswith("zh_") and "hant" not in key and key not in {"zh_tw", "zh_hk", "zh_mo"}:
        return "zh_CN"
    return None


def parse_accept_language(header: str | None) -> list[str]:
    """Language tags in order of preference (q-values honoured, q=0 dropped)."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0 and tag.strip() != "*":
            weighted.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(
    user_setting: str | None = None,
    cookie: str | None = None,
    accept_language: str | None = None,
) -> str:
    """The user's setting wins, then the cookie, then the browser, then zh_CN."""
    for candidate in (user_setting, cookie):
        chosen = normalize(candidate)
        if chosen:
            return chosen
    for tag in parse_accept_language(accept_language):
        chosen = normalize(tag)
        if chosen:
            return chosen
    return DEFAULT_LOCALE
