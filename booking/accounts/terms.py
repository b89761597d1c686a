"""Search terms of an enterprise and of a query: pure, so migrations can use them too.

Chinese has no spaces and pg_trgm cuts no useful grams from it, so a name is indexed
by its character bigrams (苏州芯联 → 苏州, 州芯, 芯联) plus the last character of each
run of Han characters; Latin words are lowercased; the credit code is one term.
Every occurrence of a character then begins some term, so a one-character query or
a Latin word being typed is a prefix range over the index, and a longer Chinese
query is the intersection of its bigrams (then checked as a substring).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_TERM = 64
MAX_QUERY_TERMS = 24
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_WORD = re.compile(r"[0-9a-z]+")


def _normal(text: str) -> str:
    # NFKC turns full-width Latin letters and digits (ＡＢＣ１) into ASCII.
    return unicodedata.normalize("NFKC", text or "").lower()


def document_terms(name_zh: str, name_en: str, uscc: str) -> set[str]:
    terms: set[str] = set()
    for text in (_normal(name_zh), _normal(name_en)):
        for run in _HAN.findall(text):
            terms.update(run[i:i + 2] for i in range(len(run) - 1))
            terms.add(run[-1])
        terms.update(word[:MAX_TERM] for word in _WORD.findall(text))
    if uscc:
        terms.add(_normal(uscc)[:MAX_TERM])
    return terms


@dataclass(frozen=True, slots=True)
class QueryTerm:
    text: str
    prefix: bool  # True: any term starting with ``text``

    @property
    def upper_bound(self) -> str:
        """The first string after every string that starts with ``text``."""
        return self.text[:-1] + chr(ord(self.text[-1]) + 1)


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[QueryTerm, ...]
    han_runs: tuple[str, ...]  # each must occur in a name as written

    @property
    def empty(self) -> bool:
        return not self.terms


def parse_query(text: str) -> Query:
    normal = _normal(text)
    terms: list[QueryTerm] = []
    runs = _HAN.findall(normal)
    for run in runs:
        if len(run) == 1:
            terms.append(QueryTerm(run, prefix=True))
        else:
            terms.extend(QueryTerm(run[i:i + 2], prefix=False) for i in range(len(run) - 1))
    terms.extend(QueryTerm(word[:MAX_TERM], prefix=True) for word in _WORD.findall(normal))
    unique = tuple(dict.fromkeys(terms))[:MAX_QUERY_TERMS]
    return Query(terms=unique, han_runs=tuple(dict.fromkeys(runs)))
