"""The claims report's pieces: the one-screen verdict table and a section per claim.

Both read the table of :func:`econ.claims.evaluate_claims`. Verdicts are coloured with the
Okabe-Ito palette of :mod:`econ.charts` (colour-blind safe) and always spelled out, so the
page reads the same in grey print.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd
from pandas.io.formats.style import Styler

if TYPE_CHECKING:
    from pandas.io.formats.style_render import CSSDict

VERDICT_COLOURS = {"supported": "#009E73", "not supported": "#D55E00", "depends": "#E69F00", "not evaluated": "#999999"}
"""Colour of each verdict (Okabe and Ito, 2008), as in the index's verdict matrix."""
SHORT_CLAIM = 90
"""Characters of a claim shown in the one-screen table (the whole claim is in its section)."""


def _short(text: str, limit: int = SHORT_CLAIM) -> str:
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)] + " …"


def _id(claim_id: object) -> str:
    return html.escape(str(claim_id))


def badge(verdict: str) -> str:
    """The verdict as a coloured label (HTML).

    Examples
    --------
    >>> badge("depends")
    '<span class="econ-verdict" style="border-color:#E69F00;background:#E69F0033">depends</span>'
    """
    colour = VERDICT_COLOURS[verdict]
    return f'<span class="econ-verdict" style="border-color:{colour};background:{colour}33">{html.escape(verdict)}</span>'


def verdict_summary(table: pd.DataFrame) -> Styler:
    """The one-screen table: claim (shortened, linked to its section), verdict, key number, flip point.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`econ.claims.evaluate_claims`.

    Returns
    -------
    pandas.io.formats.style.Styler
        One row per claim; the claim id links to ``#<id>``.

    Examples
    --------
    >>> t = pd.DataFrame({"claim": ["A claim."], "verdict": ["supported"], "shown": ["$1 B"], "label": ["Saving"],
    ...                   "flip": ["robust over the whole range of the data"], "needs": [""]}, index=pd.Index(["C01"], name="claim_id"))
    >>> 'href="#C01"' in verdict_summary(t).to_html()
    True
    """
    rows = pd.DataFrame(
        {
            "Claim": [f'<a href="#{_id(i)}">{_id(i)}</a> {html.escape(_short(str(c)))}' for i, c in table["claim"].items()],
            "Verdict": [badge(str(v)) for v in table["verdict"]],
            "Key number": [
                f"{html.escape(str(label))}: <b>{html.escape(str(shown))}</b>" if v != "not evaluated" else "–"
                for label, shown, v in zip(table["label"], table["shown"], table["verdict"], strict=True)
            ],
            "Flip point": [
                html.escape(_short(str(f), 160)) if v != "not evaluated" else f"not evaluated: needs {html.escape(str(n))}"
                for f, n, v in zip(table["flip"], table["needs"], table["verdict"], strict=True)
            ],
        }
    )
    left: list[CSSDict] = [{"selector": "th", "props": [("text-align", "left")]}]
    styler = rows.style.hide(axis="index").set_table_attributes('class="econ-table econ-claims"').set_table_styles(left)
    return styler.set_properties(subset=list(rows.columns), **{"text-align": "left"})


def claim_section(claim_id: str, row: pd.Series, link: str) -> str:
    """One claim's section (HTML): the claim, who argues it, the verdict, the number, why, the flip points and where the work is.

    Parameters
    ----------
    claim_id : str
        The claim; the section's heading has it as its id (the anchor the index links to).
    row : pandas.Series
        The claim's row of :func:`econ.claims.evaluate_claims`.
    link : str
        The detailed report's section (:func:`econ.claims.section_link` of ``row["section"]``).

    Examples
    --------
    >>> row = pd.Series({"claim": "A claim.", "position": "skeptic", "verdict": "not evaluated", "shown": "–", "label": "x",
    ...                  "why": "No model.", "needs": "a model", "flip": ""})
    >>> 'id="C23"' in claim_section("C23", row, "01_build_vs_rent.html")
    True
    """
    esc = html.escape
    verdict = str(row["verdict"])
    parts = [
        f'<h3 id="{esc(claim_id)}">{esc(claim_id)} {badge(verdict)}</h3>',
        f"<blockquote>{esc(str(row['claim']))}</blockquote>",
        f"<p><small>Argued by: {esc(str(row['position']))}</small></p>",
    ]
    if verdict == "not evaluated":
        parts.append(f"<p><b>Not evaluated: needs {esc(str(row['needs']))}.</b> {esc(str(row['why']))}</p>")
    else:
        parts.append(f"<p>{esc(str(row['label']))}: <b>{esc(str(row['shown']))}</b>. {esc(str(row['why']))}</p>")
        parts.append(f"<p><i>Flip point:</i> {esc(str(row['flip']) or 'not searched in this run')}</p>")
    where = str(row.get("section", "")).replace("#", " · ") or link
    parts.append(f'<p><small>The work: <a href="{esc(link)}">{esc(where)}</a></small></p>')
    return f'<section class="econ-claim">{"".join(parts)}</section>'


def headroom_chart(table: pd.DataFrame) -> alt.Chart:
    """How far each verdict is from flipping: distance to the nearest flip point as a share of that input's range.

    A bar at 100 % is a verdict robust over the whole range of every input searched; a
    short bar is one a small change of the named input would overturn. Claims with no input
    searched (not evaluated, or decided by measured data) are left out.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`econ.claims.evaluate_claims` with flip points (``headroom``, ``nearest_input``).

    Returns
    -------
    altair.Chart

    Examples
    --------
    >>> t = pd.DataFrame({"verdict": ["supported", "depends"], "headroom": [1.0, 0.05], "nearest_input": ["a", "b"]},
    ...                  index=pd.Index(["C01", "C05"], name="claim_id"))
    >>> headroom_chart(t).to_dict()["mark"]["type"]
    'bar'
    """
    shown = table[table["headroom"].notna()].reset_index()[["claim_id", "verdict", "headroom", "nearest_input"]]
    verdicts = [v for v in VERDICT_COLOURS if v in set(shown["verdict"])]
    chart: alt.Chart = (
        alt.Chart(shown, title="How far each verdict is from flipping")
        .mark_bar()
        .encode(
            y=alt.Y("claim_id:N", title=None, sort=None),
            x=alt.X(
                "headroom:Q",
                title="Distance to the nearest flip, share of the input's range",
                axis=alt.Axis(format=".0%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color("verdict:N", scale=alt.Scale(domain=verdicts, range=[VERDICT_COLOURS[v] for v in verdicts]), title="verdict"),
            tooltip=["claim_id", "verdict", alt.Tooltip("headroom:Q", format=".0%"), "nearest_input"],
        )
        .properties(height=alt.Step(16))
    )
    return chart


__all__ = ["VERDICT_COLOURS", "badge", "claim_section", "headroom_chart", "verdict_summary"]
