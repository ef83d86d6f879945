"""The results file (markdown tables) and the chart (PNG) of one database's run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.load import Load

FLOOR = "floor"
BASELINE = "hand-written"


def server_label(cache: str) -> str:
    return f"server, cache {cache}"


@dataclass(frozen=True, slots=True)
class Cell:
    """One endpoint answering one query on one database at one scale."""

    database: str
    scale: int
    query: str
    endpoint: str
    load: Load | None
    statements: int | None = None
    rss_kib: int | None = None
    note: str = ""


def _find(cells: Sequence[Cell], cell: Cell, endpoint: str) -> Cell | None:
    return next(
        (
            c
            for c in cells
            if (c.database, c.scale, c.query, c.endpoint)
            == (cell.database, cell.scale, cell.query, endpoint)
        ),
        None,
    )


def ratio(cells: Sequence[Cell], cell: Cell, endpoint: str) -> float | None:
    """``cell``'s req/s over ``endpoint``'s on the same query, database and scale."""
    other = _find(cells, cell, endpoint)
    if other is None or other.load is None or cell.load is None or not other.load.rate:
        return None
    return cell.load.rate / other.load.rate


def _number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def _ratio_text(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}×" if value < 0.1 else f"{value:.2f}×"


def _row(cells: Sequence[Cell], cell: Cell) -> str:
    load = cell.load
    rss = f"{cell.rss_kib / 1024:.0f}" if cell.rss_kib is not None else "–"
    problems = []
    if load is not None and load.errors:
        problems.append(f"{load.errors} errors")
    if load is not None and load.timeouts:
        problems.append(f"{load.timeouts} timeouts")
    if cell.note:
        problems.append(cell.note)
    columns = [
        cell.query,
        cell.endpoint,
        _number(load.rate if load else None),
        _number(load.p50_ms if load else None, 2),
        _number(load.p99_ms if load else None, 2),
        str(cell.statements) if cell.statements is not None else "–",
        "–" if cell.endpoint == FLOOR else _ratio_text(ratio(cells, cell, FLOOR)),
        "–" if cell.endpoint in {FLOOR, BASELINE} else _ratio_text(ratio(cells, cell, BASELINE)),
        rss,
        "; ".join(problems),
    ]
    return "| " + " | ".join(columns) + " |"


HEADER = (
    "| query | endpoint | req/s | p50 ms | p99 ms | SQL/req | vs floor | vs hand-written "
    "| RSS MiB after | notes |\n|---|---|--:|--:|--:|--:|--:|--:|--:|---|"
)


def _in_order(cells: Sequence[Cell]) -> list[Cell]:
    """Each query's rows together, in the order the queries and endpoints were measured."""
    queries = list(dict.fromkeys(cell.query for cell in cells))
    return sorted(cells, key=lambda c: (queries.index(c.query), _endpoint_order(c.endpoint)))


def _endpoint_order(endpoint: str) -> tuple[int, str]:
    return ({FLOOR: 0, BASELINE: 1}.get(endpoint, 2), endpoint)


def scale_table(cells: Sequence[Cell]) -> str:
    return "\n".join([HEADER, *(_row(cells, cell) for cell in _in_order(cells))])


def _first_page_lines(cells: Sequence[Cell]) -> list[str]:
    """The first page's latency at each scale over x1 (issue 7: within 1.5× at x1000)."""
    lines = []
    for cell in cells:
        if cell.query != "first_page" or cell.scale == 1 or cell.load is None:
            continue
        at_one = next(
            (
                c
                for c in cells
                if (c.query, c.endpoint, c.scale) == ("first_page", cell.endpoint, 1)
                and c.load is not None
            ),
            None,
        )
        if at_one is None or at_one.load is None or not at_one.load.p50_ms:
            continue
        lines.append(
            f"| {cell.endpoint} | x{cell.scale} | {cell.load.p50_ms / at_one.load.p50_ms:.2f}× "
            f"| {cell.load.p99_ms / at_one.load.p99_ms:.2f}× |"
        )
    if not lines:
        return []
    return [
        "",
        "### First page, latency against x1",
        "",
        "| endpoint | scale | p50 / p50 at x1 | p99 / p99 at x1 |",
        "|---|---|--:|--:|",
        *lines,
    ]


def markdown(
    database: str,
    cells: Sequence[Cell],
    machine: dict[str, str],
    settings: dict[str, str],
    notes: Sequence[str],
    chart: Path | None,
) -> str:
    out = [f"# Benchmark: {database}", ""]
    out += ["## Machine", "", "| | |", "|---|---|"]
    out += [f"| {key} | {value} |" for key, value in machine.items()]
    out += ["", "## Settings", "", "| | |", "|---|---|"]
    out += [f"| {key} | {value} |" for key, value in settings.items()]
    out += ["", "## Notes", ""]
    out += [f"- {note}" for note in notes]
    for scale in sorted({cell.scale for cell in cells}):
        out += ["", f"## x{scale}", "", scale_table([c for c in cells if c.scale == scale])]
    out += _first_page_lines(cells)
    if chart is not None:
        out += ["", f"![req/s per query and endpoint]({chart.name})"]
    return "\n".join(out) + "\n"


def draw_chart(database: str, cells: Sequence[Cell], path: Path) -> None:
    """Requests per second per query, one bar per endpoint, a panel per scale (log scale)."""
    import matplotlib as mpl  # noqa: PLC0415 - an optional dependency, checked at start

    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    scales = sorted({cell.scale for cell in cells})
    endpoints = sorted({cell.endpoint for cell in cells}, key=_endpoint_order)
    figure, axes = plt.subplots(
        1, len(scales), figsize=(6.5 * len(scales), 5), squeeze=False, sharey=True
    )
    for axis, scale in zip(axes[0], scales, strict=True):
        at_scale = [c for c in cells if c.scale == scale]
        queries = list(dict.fromkeys(c.query for c in at_scale))
        width = 0.8 / max(len(endpoints), 1)
        for index, endpoint in enumerate(endpoints):
            rates = []
            for query in queries:
                found = next(
                    (c for c in at_scale if (c.query, c.endpoint) == (query, endpoint)), None
                )
                rates.append(found.load.rate if found and found.load else 0.0)
            offsets = [q + (index - (len(endpoints) - 1) / 2) * width for q in range(len(queries))]
            axis.bar(offsets, rates, width, label=endpoint)
        axis.set_yscale("log")
        axis.set_xticks(range(len(queries)), queries, rotation=35, ha="right")
        axis.set_title(f"{database}, x{scale}")
        axis.grid(axis="y", which="both", alpha=0.3)
    axes[0][0].set_ylabel("requests per second (log)")
    axes[0][-1].legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
