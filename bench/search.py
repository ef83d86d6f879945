"""Benchmark: search latency on the document (x1) and on x1000 the search terms, side by side.

The x1000 database is the document seeded as shipped plus 999 synthetic variants of
every institution: each name, English name, acronym and curated name (not the
document's aliases) with a suffix of the copy (two Han characters, one pseudo-word, a
number), romanised by the same seed code (``seed.search_terms``). They are written with
the shipped terms in the seed's order and ranks (shortest first), and the text index is
readied as a seed readies it. Both databases are searched alternately with the same
texts by ``db.queries.search.search_terms``, so machine noise hits both alike; the
result is the ratio of the sums of medians.
Run: ``.venv/bin/python -m bench.search [--backend sqlite|postgresql] [--copies N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coopgraph.db.engine import create_api_engine, create_session_factory, create_sync_engine
from coopgraph.db.models import Institution, InstitutionName
from coopgraph.db.queries.search import search_terms
from coopgraph.db.search_index import vacuum_search_index
from coopgraph.seed.load import write_search_terms
from coopgraph.seed.pipeline import seed_database, shipped_documents
from coopgraph.seed.search_terms import (
    Term,
    TermSource,
    stored_terms,
    terms_for,
)
from testbed.databases import create_postgres_database, drop_postgres_database

TEXTS = (
    "大学", "臺灣", "riben", "rb", "doe", "university macau", "nat taiw univ",
    "canterbery", "坎特伯雷", "科学研究", "centre",
)  # fmt: skip
HAN = "东南西北中新华光明天地人和平安金木水火土"
SYLLABLES = ("ka", "lo", "mi", "ren", "tas", "vu", "zor", "pel", "qui", "dra")


def _suffix(copy: int) -> tuple[str, str]:
    han = HAN[copy % len(HAN)] + HAN[copy // len(HAN) % len(HAN)]
    word = "".join(SYLLABLES[int(digit)] for digit in f"{copy:03d}")
    return han, word


def add_synthetic_copies(url: str, copies: int) -> int:
    """Add ``copies - 1`` variants of every institution's search terms; the term count.

    All terms are then written again as the seed writes them (``write_search_terms``):
    shortest first and ranked, with their one-typo keys, the text index readied.
    """
    engine = create_sync_engine(url)
    with engine.begin() as connection:
        institutions = connection.execute(
            select(Institution.id, Institution.name, Institution.name_en, Institution.acronym)
        ).all()
        others: dict[int, list[str]] = {}
        for institution_id, name in connection.execute(
            select(InstitutionName.institution_id, InstitutionName.name)
        ):
            others.setdefault(institution_id, []).append(name)
        top = connection.scalar(select(func.max(Institution.id))) or 0
        terms = [Term(*row) for row in connection.execute(stored_terms())]
        for copy in range(1, copies):
            han, word = _suffix(copy)
            terms.extend(
                terms_for(
                    TermSource(
                        "Institution",
                        top * copy + institution_id,
                        f"{name}{han}",
                        f"{name_en} {word}",
                        f"{acronym}{copy}" if acronym else None,
                        (),
                        tuple(
                            (f"{other} {word}", "otherName")
                            for other in others.get(institution_id, [])
                        ),
                    )
                    for institution_id, name, name_en, acronym in institutions
                )
            )
        write_search_terms(connection, terms)
    vacuum_search_index(engine)
    engine.dispose()
    return len(terms)


async def _time(session: AsyncSession, text: str) -> float:
    start = time.perf_counter()
    await search_terms(session, text, 10)
    return time.perf_counter() - start


async def measure(urls: dict[str, str], rounds: int) -> dict[str, dict[str, float]]:
    engines = {name: create_api_engine(url) for name, url in urls.items()}
    timings: dict[str, dict[str, list[float]]] = {n: {t: [] for t in TEXTS} for n in urls}
    try:
        sessions = {n: create_session_factory(e)() for n, e in engines.items()}
        for text in TEXTS:  # warm caches and connections
            for session in sessions.values():
                await _time(session, text)
        for _ in range(rounds):
            for text in TEXTS:
                for name, session in sessions.items():
                    timings[name][text].append(await _time(session, text))
        for session in sessions.values():
            await session.close()
    finally:
        for engine in engines.values():
            await engine.dispose()
    return {
        name: {text: statistics.median(values) * 1000 for text, values in per_text.items()}
        for name, per_text in timings.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--copies", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.backend == "sqlite":
            urls = {n: f"sqlite:///{Path(folder) / f'{n}.sqlite3'}" for n in ("x1", "scaled")}
        else:
            urls = {n: create_postgres_database() for n in ("x1", "scaled")}
        try:
            for url in urls.values():
                seed_database(url, shipped_documents())
            terms_x1 = add_synthetic_copies(urls["x1"], 1)
            terms_scaled = add_synthetic_copies(urls["scaled"], args.copies)
            medians = asyncio.run(measure(urls, args.rounds))
        finally:
            if args.backend == "postgresql":
                for url in urls.values():
                    drop_postgres_database(url)
    total = {name: sum(per_text.values()) for name, per_text in medians.items()}
    report = {
        "backend": args.backend,
        "copies": args.copies,
        "search_terms": {"x1": terms_x1, f"x{args.copies}": terms_scaled},
        "median_ms": {
            text: {
                "x1": round(medians["x1"][text], 2),
                f"x{args.copies}": round(medians["scaled"][text], 2),
            }
            for text in TEXTS
        },
        "sum_of_medians_ms": {
            "x1": round(total["x1"], 2),
            f"x{args.copies}": round(total["scaled"], 2),
        },
        "ratio_scaled_to_x1": round(total["scaled"] / total["x1"], 3),
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
