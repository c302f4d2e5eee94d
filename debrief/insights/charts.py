"""Charts and headlines for the insights pages: a Vega-Lite spec per metric, drawn to SVG on the
server (no script, no CDN: the page's Content-Security-Policy stays strict), with the research
benchmark drawn in; and the one-line headline each metric shows on the overview."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import vl_convert as vlc

from debrief.insights.metrics import Result

WIDTH = 440
BAR = 24  # px per bar: the chart grows with its groups
MAX_BARS = 40
INK, MUTED, OURS, BENCH = "#1f2933", "#52606d", "#2f6fdf", "#3f9142"
WON, LOST = "#2f855a", "#c53030"
RATE_KEYS = {"win_rate", "share", "rep_share", "customer_share", "gap"}


def is_rate(metric: str, key: str, row: dict[str, Any]) -> bool:
    """Whether a cell is a share (0–1, shown as a percentage). Loop health mixes shares and
    day counts in one column."""
    if metric == "loop-health" and key == "value":
        return not str(row.get("group", "")).startswith("Median")
    return key in RATE_KEYS


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def display(metric: str, key: str, row: dict[str, Any]) -> str:
    """A table cell as shown on the page."""
    value = row.get(key)
    if value is None or value == "":
        return "—"
    if is_rate(metric, key, row):
        return percent(float(value))
    if isinstance(value, float):
        return f"{value:g}" if value.is_integer() else f"{value:.1f}"
    return str(value)


# --- the charts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bars:
    """What one horizontal bar chart shows: which field, called what, as % or a number."""

    field: str
    title: str
    rate: bool = False
    series: str | None = None  # a field that splits each group into coloured bars
    names: tuple[str, ...] = ()  # the series, in legend order (ours first)
    colors: tuple[str, ...] = ("#2f6fdf", "#3f9142")


def _bars(result: Result) -> tuple[Bars, list[dict[str, Any]]]:
    """The field to draw for a metric, and its rows (the overall row when not grouped)."""
    rows = result.rows
    match result.metric:
        case "win-rate":
            return Bars("win_rate", "Win rate", rate=True), rows or [result.overall]
        case "loss-reasons" | "outcome-types" | "competitors":
            return Bars("losses", "Losses"), rows
        case "reason-gap":
            long = [
                {"group": r["group"], "side": side, "share": r[key]}
                for r in rows
                for side, key in (("Rep says", "rep_share"), ("Customer says", "customer_share"))
            ]
            sides = ("Rep says", "Customer says")
            return Bars("share", "Share of decisive reasons", True, "side", sides), long
        case "sales-cycle":
            if result.by:
                return (
                    Bars(
                        "median",
                        "Median days to close",
                        False,
                        "status",
                        ("won", "lost"),
                        (WON, LOST),
                    ),
                    rows,
                )
            return Bars("median", "Median days to close"), rows
        case "meeting-outcomes":
            return Bars("share", "Share of meetings", rate=True), rows
        case "time-to-mend":
            o = result.overall
            compare = [
                {"group": "Months to years", "side": "Ours", "share": o["months_to_years_share"]},
                {"group": "Months to years", "side": "Research", "share": 0.64},
                {"group": "Never", "side": "Ours", "share": o["never_share"]},
                {"group": "Never", "side": "Research", "share": 0.06},
            ]
            sides = ("Ours", "Research")
            return Bars("share", "Share of damaged relationships", True, "side", sides), compare
        case "loop-health":
            shares = [r for r in rows if is_rate(result.metric, "value", r)]
            return Bars("value", "Share", rate=True), shares
    raise ValueError(f"No chart for {result.metric!r}.")


def spec(result: Result) -> dict[str, Any] | None:
    """The Vega-Lite spec for a result, or None when there is nothing to draw."""
    bars, rows = _bars(result)
    values: list[dict[str, Any]] = [
        {
            "group": str(r.get("group", "")),
            "value": r.get(bars.field),
            "series": r.get(bars.series) if bars.series else None,
        }
        for r in rows[:MAX_BARS]
        if r.get(bars.field) is not None
    ]
    if not values:
        return None
    groups = list(dict.fromkeys(v["group"] for v in values))
    x: dict[str, Any] = {
        "field": "value",
        "type": "quantitative",
        "title": bars.title,
        "axis": {"format": ".0%" if bars.rate else "~s", "grid": True},
    }
    if bars.rate:
        x["scale"] = {"domain": [0, max(1.0, *(v["value"] for v in values))]}
    bar: dict[str, Any] = {
        "mark": {"type": "bar", "color": OURS, "cornerRadiusEnd": 2},
        "encoding": {
            "y": {"field": "group", "type": "nominal", "title": None, "sort": groups},
            "x": x,
        },
    }
    if bars.series:
        bar["encoding"]["yOffset"] = {"field": "series", "sort": None}
        bar["encoding"]["color"] = {
            "field": "series",
            "type": "nominal",
            "title": None,
            "scale": {"domain": list(bars.names), "range": list(bars.colors)},
            "legend": {"orient": "bottom"},
        }
    layers: list[dict[str, Any]] = [bar]
    band = result.benchmark if result.metric == "win-rate" else None
    if band:
        # Over the bars, translucent, so the band shows across every row.
        layers.append(
            {
                "data": {"values": [{"low": band["low"], "high": band["high"]}]},
                "mark": {"type": "rect", "color": BENCH, "opacity": 0.22},
                "encoding": {
                    "x": {"field": "low", "type": "quantitative"},
                    "x2": {"field": "high"},
                },
            }
        )
        layers.append(_rule(band["low"], "21–30% benchmark"))
    if result.metric == "meeting-outcomes":
        layers.append(_rule(0.2, "1 in 5"))
    per_group = 2 if bars.series else 1
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": WIDTH,
        "height": max(BAR * per_group * len(groups), 60),
        "background": "white",
        "config": {
            "font": "system-ui, sans-serif",
            "axis": {
                "labelColor": INK,
                "titleColor": MUTED,
                "labelLimit": 180,
                "labelFontSize": 12,
                "titleFontSize": 12,
            },
            "legend": {"labelColor": INK, "labelFontSize": 12},
            "view": {"stroke": None},
        },
        "data": {"values": values},
        "layer": layers,
    }


def _rule(at: float, label: str) -> dict[str, Any]:
    """A labelled, dashed vertical line at a benchmark share (or a band's left edge)."""
    return {
        "data": {"values": [{"at": at, "label": label}]},
        "layer": [
            {
                "mark": {"type": "rule", "color": BENCH, "strokeDash": [4, 3]},
                "encoding": {"x": {"field": "at", "type": "quantitative"}},
            },
            {
                "mark": {
                    "type": "text",
                    "color": BENCH,
                    "align": "left",
                    "baseline": "bottom",
                    "dx": -2,
                    "y": -3,
                    "fontSize": 11,
                },
                "encoding": {
                    "x": {"field": "at", "type": "quantitative"},
                    "text": {"field": "label"},
                },
            },
        ],
    }


@lru_cache(maxsize=256)
def _draw(spec_json: str) -> str:
    # About 0.1 s a chart once warm; the same figures give the same picture.
    return str(vlc.vegalite_to_svg(json.loads(spec_json)))


def svg(result: Result) -> str:
    """The chart as inline SVG markup (text escaped by Vega), or "" when there is none."""
    s = spec(result)
    if s is None:
        return ""
    drawn = _draw(json.dumps(s, sort_keys=True, default=str))
    # One class for the page's stylesheet (which scales it down on narrow screens), added to
    # the one Vega gives its root element: an element may not carry two class attributes.
    opening, rest = drawn.split(">", 1)
    if 'class="' in opening:
        opening = opening.replace('class="', 'class="chart-svg ', 1)
    else:
        opening += ' class="chart-svg"'
    return f"{opening}>{rest}"


# --- headlines --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    figure: str
    caption: str
    benchmark: str = ""


def headline(result: Result) -> Headline:
    """The one figure a metric leads with, a sentence around it, and its benchmark."""
    o, rows = result.overall, result.rows
    match result.metric:
        case "win-rate":
            closed = o["won"] + o["lost"]
            band = "21–30% is the median close rate"
            if not closed:
                return Headline("—", "No won or lost deals in this period", band)
            return Headline(
                percent(o["win_rate"]),
                f"{o['won']} won of {closed} closed ({o.get('open', 0)} open left out)",
                band,
            )
        case "loss-reasons" | "outcome-types" | "competitors":
            top = max(rows, key=lambda r: (r["group"] != "(none)", r["losses"]), default=None)
            if top is None:
                return Headline("—", "No losses in this period")
            if top["group"] == "(none)":
                return Headline("None named", f"on {top['losses']} of {o['losses']} losses")
            return Headline(
                str(top["group"]),
                f"{top['losses']} of {o['losses']} losses ({percent(top['share'], 0)})",
            )
        case "reason-gap":
            if not rows:
                return Headline("—", "No decisive reasons from reps or customers yet")
            widest = max(rows, key=lambda r: abs(r["gap"]))
            return Headline(
                str(widest["group"]),
                f"widest gap: reps {percent(widest['rep_share'], 0)}, "
                f"customers {percent(widest['customer_share'], 0)}",
            )
        case "sales-cycle":
            if not o["deals"]:
                return Headline("—", "No closed deals in this period")
            return Headline(
                f"{o['median']:g} days",
                f"median from created to closed, over {o['deals']} closed deals",
            )
        case "meeting-outcomes":
            benchmark = "Prospects say fewer than 1 in 5 meetings are valuable"
            if not o["recorded"]:
                return Headline("—", "No meeting outcomes recorded in this period", benchmark)
            return Headline(
                percent(o["valuable_share"]),
                f"of {o['recorded']} meetings with an outcome advanced or qualified out; "
                f"{percent(o['planned_share'], 0)} were planned",
                benchmark,
            )
        case "time-to-mend":
            benchmark = "Research: 64% took months to years, 6% never mended"
            if not o["finished"]:
                return Headline("—", "No damaged relationship mended or lost yet", benchmark)
            return Headline(
                percent(o["months_to_years_share"]),
                f"of {o['finished']} damaged relationships took months to years to mend; "
                f"{percent(o['never_share'], 0)} never",
                benchmark,
            )
        case "loop-health":
            benchmark = "In a real Salesforce export, 35 of 203 lost deals had a reason"
            if not o["losses"]:
                return Headline("—", "No losses in this period", benchmark)
            major = (
                f"{percent(o['major_debriefed_share'], 0)} of major losses debriefed in 21 days"
                if o["major_losses"]
                else "no major losses"
            )
            return Headline(
                percent(o["with_reason_share"]),
                f"of {o['losses']} losses carry a reason; {major}",
                benchmark,
            )
    return Headline("—", "")
