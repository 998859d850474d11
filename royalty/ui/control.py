"""The Statements page's pieces: the list of imported files, one file's receipt, the coverage
grid with reporting lag and unusual months, and where money went."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from royalty.analytics.coverage import Coverage
from royalty.analytics.money_went import Cause
from royalty.analytics.statements import Receipt, StatementInfo
from royalty.formatting import markdown_text

REPORTED, MISSING = "●", "missing"


STATEMENT_COLUMNS = {
    "Rows": st.column_config.NumberColumn(format="localized"),
    "Stored": st.column_config.NumberColumn(format="localized"),
    "Skipped": st.column_config.NumberColumn(
        format="localized", help="Lines already stored from an earlier statement"
    ),
    "Dropped": st.column_config.NumberColumn(
        format="localized", help="Rows that are not lines: transfers, total rows, empty rows"
    ),
    "File": st.column_config.TextColumn(width="medium"),
}


def statements_table(listed: list[StatementInfo]) -> pd.DataFrame:
    """The Statements page's list: one row per imported file."""
    return pd.DataFrame(
        [
            {
                "File": s.file,
                "Totals": ", ".join(f"{v} {c}" for c, v in s.totals.items()),
                "Source": s.source,
                "Usage": "..".join(s.period) if s.period else "",
                "Reported": "..".join(s.reporting_period) if s.reporting_period else "",
                "Rows": s.rows,
                "Stored": s.stored,
                "Skipped": s.skipped,
                "Dropped": s.dropped,
                "Imported": s.imported_at[:16].replace("T", " "),
            }
            for s in listed
        ],
        columns=["File", "Totals", "Source", "Usage", "Reported", "Rows", "Stored", "Skipped",
                 "Dropped", "Imported"],
    )  # fmt: skip


def receipt(found: Receipt) -> None:
    """One statement's reconciliation receipt."""
    s = found.statement
    with st.container(border=True, key="statement_receipt"):
        st.subheader(f"Receipt: {markdown_text(s.file)}")
        because = ""
        if s.dropped_because:
            because = " (" + ", ".join(f"{n:,} {r}" for r, n in s.dropped_because.items()) + ")"
        st.markdown(
            f"{markdown_text(s.source)}, imported {s.imported_at[:16].replace('T', ' ')} UTC. "
            f"**{s.rows:,} rows** = {s.stored:,} stored + {s.skipped:,} skipped (already "
            f"stored from an earlier statement) + {s.dropped:,} dropped{because}."
        )
        checks = pd.DataFrame(
            [
                {
                    "Currency": c.currency,
                    "The file says": c.file_total,
                    "File lines": f"{c.file_lines:,}",
                    "Stored": c.stored_total,
                    "Stored lines": f"{c.stored_lines:,}",
                    "Skipped": c.skipped_total if c.skipped_lines else "",
                    "Reconciles": "yes" if c.reconciles else "NO",
                }
                for c in found.currencies
            ]
        )
        st.dataframe(checks, hide_index=True, key="statement_receipt_checks")
        if found.reconciles:
            st.success(
                "Stored plus skipped equals the file, to the last digit.",
                icon=":material/check_circle:",
            )
        else:
            st.error("This statement does not reconcile.", icon=":material/error:")
        st.caption(f"SHA-256 {s.sha256}")
        if not found.first_lines.empty:
            st.markdown("**First lines as stored**")
            st.dataframe(
                found.first_lines.fillna("").astype(str), hide_index=True, key="statement_lines"
            )


def coverage(found: Coverage) -> None:
    """Source x usage month: which months each source reported, and the gaps its rhythm says
    are missing statements; then each source's lag and the unusual months."""
    if not found.sources:
        st.info("No statements in this selection.")
        return
    grid = pd.DataFrame("", index=[s.source for s in found.sources], columns=found.months)
    for s in found.sources:
        grid.loc[s.source, s.months] = REPORTED
        grid.loc[s.source, s.missing] = MISSING
    missing = [(s.source, m) for s in found.sources for m in s.missing]
    if missing:
        sources = sorted({s for s, _ in missing})
        st.warning(
            f"{len(missing)} month{'s' if len(missing) != 1 else ''} missing from "
            + ", ".join(markdown_text(s) for s in sources)
            + ": a statement that source sends on its usual rhythm has not been imported.",
            icon=":material/warning:",
        )
    else:
        st.success(
            "No gaps: every source reported every month (or quarter) inside its span.",
            icon=":material/check_circle:",
        )
    styled = grid.style.map(
        lambda v: (
            "background-color: #F8D7DA; color: #58151C"
            if v == MISSING
            else ("color: #2E7D32" if v == REPORTED else "")
        )
    )
    st.dataframe(styled, key="coverage_grid")
    st.caption(
        f"{REPORTED} reported; *missing*: a month (or a quarter, for sources that report "
        "quarterly) inside the span a source reported, with no statement. Months after a "
        "source's last statement are not flagged: statements come months late (the lag below)."
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Source": s.source,
                    "Reports": s.rhythm,
                    "Statements": s.statements,
                    "Lag, median (months)": ""
                    if s.lag_months.median is None
                    else f"{s.lag_months.median:g}",
                    "Lag, longest": "" if s.lag_months.max is None else str(s.lag_months.max),
                }
                for s in found.sources
            ]
        ),
        hide_index=True,
        key="coverage_lag",
    )
    if found.unusual:
        st.markdown("**Unusual months** (far from the median of the 12 months before)")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Month": u.month,
                        f"Income ({found.currency})": u.income,
                        "Trailing median": u.trailing_median,
                        "Ratio": u.ratio,
                        "": u.direction,
                    }
                    for u in found.unusual
                ]
            ),
            hide_index=True,
            key="coverage_unusual",
        )


def money_went(causes: list[Cause]) -> None:
    """Lines that earned nothing or less than nothing, cause by cause, with the lines behind."""
    if not causes:
        st.success("No line earned nothing or less than nothing.", icon=":material/check_circle:")
        return
    for cause in causes:
        money = ", ".join(f"{v} {c}" for c, v in cause.totals.items())
        with st.expander(f"{cause.title}: {cause.lines:,} lines, {money}"):
            st.caption(cause.explanation)
            st.dataframe(
                cause.sample.fillna("").astype(str), hide_index=True, key=f"money_{cause.key}"
            )
            if cause.lines > len(cause.sample):
                st.caption(f"The first {len(cause.sample):,} of {cause.lines:,} lines.")
    st.caption(
        "Tracks under Spotify's 1,000-stream line earn nothing there by rule: see the Tracks page."
    )
