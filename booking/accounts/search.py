"""The enterprise search index: its terms, kept by the one enterprise writer, and the
query that intersects them (see ``booking.accounts.terms`` for what a term is).

A query starts from its rarest term, found by counting each term's index entries up
to a small cap, so a common bigram such as 有限 (in every 有限公司) never drives the
scan; the other Latin words must also be among the enterprise's terms, and each run
of Han characters must occur in a name as written, which removes bigram matches
that are not one substring. The same SQL runs on SQLite and PostgreSQL; on
PostgreSQL the term column uses the "C" collation so prefix ranges follow the index.
"""

from __future__ import annotations

from booking.accounts.tables import Enterprise, EnterpriseTerm
from booking.accounts.terms import Query, QueryTerm, document_terms, parse_query

# Counting stops here: past it a term is "common". When every term is common, so is
# the result, and walking the enterprises in id order finds a page sooner than
# gathering every holder of the rarest term.
COUNT_CAP = 500


async def replace_terms(enterprise_id: int, *, name_zh: str, name_en: str, uscc: str) -> None:
    """Index the enterprise as it now is; call inside the writer's transaction."""
    await EnterpriseTerm.delete().where(EnterpriseTerm.enterprise == enterprise_id)
    terms = sorted(document_terms(name_zh, name_en, uscc))
    if terms:
        await EnterpriseTerm.insert(
            *(EnterpriseTerm(enterprise=enterprise_id, term=term) for term in terms))


def _condition(term: QueryTerm, alias: str) -> tuple[str, list[str]]:
    if term.prefix:
        return f"{alias}.term >= {{}} AND {alias}.term < {{}}", [term.text, term.upper_bound]
    return f"{alias}.term = {{}}", [term.text]


async def _capped_counts(terms: tuple[QueryTerm, ...]) -> list[int]:
    parts: list[str] = []
    args: list[object] = []
    for i, term in enumerate(terms):
        condition, values = _condition(term, "t")
        parts.append(f"(SELECT COUNT(*) FROM (SELECT 1 FROM enterprise_term t WHERE {condition}"
                     f" LIMIT {COUNT_CAP}) AS c{i}) AS n{i}")
        args.extend(values)
    row = (await EnterpriseTerm.raw("SELECT " + ", ".join(parts), *args))[0]
    return [int(row[f"n{i}"]) for i in range(len(terms))]


def _is_han(term: QueryTerm) -> bool:
    return not term.text.isascii()


async def matching_ids(query: Query, *, limit: int, offset: int) -> list[int]:
    """Ids of the enterprises matching ``query``, in id order."""
    if query.empty:
        rows = await Enterprise.select(Enterprise.id).order_by(Enterprise.id).limit(
            limit).offset(offset)
        return [r["id"] for r in rows]
    counts = await _capped_counts(query.terms)
    if min(counts) == 0:
        return []
    driver: QueryTerm | None = None
    sql = ["SELECT e.id FROM enterprise e WHERE 1 = 1"]
    args: list[object] = []
    if min(counts) < COUNT_CAP:
        driver = query.terms[counts.index(min(counts))]
        condition, args = _condition(driver, "d")
        sql.append(f"AND e.id IN (SELECT d.enterprise FROM enterprise_term d WHERE {condition})")
    for i, term in enumerate(query.terms):
        if term == driver or _is_han(term):
            continue  # Han terms are checked as substrings below
        condition, values = _condition(term, f"w{i}")
        sql.append(f"AND EXISTS (SELECT 1 FROM enterprise_term w{i} "
                   f"WHERE w{i}.enterprise = e.id AND {condition})")
        args.extend(values)
    for run in query.han_runs:
        sql.append("AND (e.name_zh LIKE {} OR e.name_en LIKE {})")
        args.extend([f"%{run}%", f"%{run}%"])
    sql.append("ORDER BY e.id LIMIT {} OFFSET {}")
    args.extend([limit, offset])
    rows = await EnterpriseTerm.raw(" ".join(sql), *args)
    return [int(r["id"]) for r in rows]


async def search(text: str, *, limit: int, offset: int) -> list[int]:
    return await matching_ids(parse_query(text), limit=limit, offset=offset)
