//! Inline SVG drawings: the activity sparkline of a story and the timeline of its reports on a
//! time axis, one lane per outlet, undated reports in a lane of their own after the axis.

use std::fmt::Write;

use storyline_core::date::{civil_from_days, days_from_civil};
use storyline_core::dossier::{Report, ReportRole};
use storyline_core::{Precision, Published};

use super::{article_href, date_text, escape, outlet_colour, shorten};

/// Sparkline size in SVG units.
pub(crate) const SPARK_W: f64 = 120.0;
/// Sparkline height; the tallest bar fills it.
pub(crate) const SPARK_H: f64 = 24.0;

/// The widest a sparkline bar gets, so that a story of one or two periods is not one block.
const SPARK_MAX_SLOT: f64 = 10.0;

/// The width each period gets in a sparkline of `n` periods.
fn spark_slot(n: usize) -> f64 {
    (SPARK_W / n.max(1) as f64).min(SPARK_MAX_SLOT)
}

/// A bar sparkline of report counts per period, scaled so the busiest period fills the height.
pub(crate) fn sparkline(counts: &[u32]) -> String {
    let max = counts.iter().copied().max().unwrap_or(0);
    if max == 0 {
        return "<span class=\"muted\">—</span>".to_string();
    }
    let slot = spark_slot(counts.len());
    let gap = if slot > 4.0 { 1.0 } else { 0.0 };
    let summary: Vec<String> = counts.iter().map(u32::to_string).collect();
    let mut out = format!(
        "<svg class=\"spark\" viewBox=\"0 0 {SPARK_W} {SPARK_H}\" width=\"{SPARK_W}\" height=\"{SPARK_H}\" role=\"img\" aria-label=\"reports per period: {}\"><title>reports per period: {}</title><line class=\"base\" x1=\"0\" y1=\"{SPARK_H}\" x2=\"{:.2}\" y2=\"{SPARK_H}\"/>",
        summary.join(", "),
        summary.join(", "),
        slot * counts.len() as f64
    );
    for (i, &c) in counts.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let h = (f64::from(c) / f64::from(max) * SPARK_H).max(1.5);
        let _ = write!(
            out,
            "<rect class=\"bar\" x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\"/>",
            i as f64 * slot,
            SPARK_H - h,
            (slot - gap).max(0.5),
            h
        );
    }
    out.push_str("</svg>");
    out
}

/// Width of the timeline drawing in SVG units (it scales with the page).
const W: f64 = 1000.0;
/// The least room for the outlet labels left of the lanes (it grows with the longest label).
const LEFT: f64 = 90.0;
/// Outlet labels are shortened to this many characters.
const LABEL_CHARS: usize = 26;
/// Right margin.
const RIGHT: f64 = 990.0;
/// Width of the undated lane, after the axis.
const UNDATED_W: f64 = 140.0;
/// Gap between the axis and the undated lane.
const UNDATED_GAP: f64 = 30.0;
const TOP: f64 = 30.0;
const LANE_H: f64 = 30.0;
const AXIS_H: f64 = 36.0;
const MARK_R: f64 = 6.5;

/// Where the undated lane starts, when there are undated reports.
pub(crate) const UNDATED_X: f64 = RIGHT - UNDATED_W;

/// The span a report's date stands for: a day-precise report could be any time that day.
fn period(p: &Published) -> (i64, i64) {
    match p.precision {
        Precision::Minute | Precision::Second => (p.unix, p.unix),
        _ => (p.unix, p.end_unix()),
    }
}

/// The timeline: one lane per outlet, each report a mark (a link to its article) at its
/// publication time, undated reports in a labelled lane after the axis.
pub(crate) fn timeline(reports: &[Report]) -> String {
    // Lanes in order of the outlets' first report.
    let mut lanes: Vec<Option<&str>> = Vec::new();
    for r in reports {
        let key = r.source.as_deref();
        if !lanes.contains(&key) {
            lanes.push(key);
        }
    }
    let longest =
        lanes.iter().map(|l| l.map_or(9, |l| l.chars().count().min(LABEL_CHARS))).max().unwrap_or(9);
    let left = (20.0 + 7.8 * longest as f64).clamp(LEFT, 240.0);
    let lane_of = |r: &Report| lanes.iter().position(|l| *l == r.source.as_deref()).unwrap_or(0);
    let dated: Vec<&Report> = reports.iter().filter(|r| r.published.is_some()).collect();
    let undated: Vec<&Report> = reports.iter().filter(|r| r.published.is_none()).collect();
    let axis_end = if undated.is_empty() {
        RIGHT
    } else if dated.is_empty() {
        left
    } else {
        UNDATED_X - UNDATED_GAP
    };
    let undated_x = if dated.is_empty() { left } else { UNDATED_X };
    let lanes_h = lanes.len().max(1) as f64 * LANE_H;
    let height = TOP + lanes_h + AXIS_H;

    let mut out = String::new();
    let _ = write!(
        out,
        "<svg id=\"timeline\" class=\"timeline\" viewBox=\"0 0 {W} {height}\" role=\"group\" aria-label=\"Timeline: {} reports on a time axis, one lane per outlet\">",
        reports.len()
    );
    // Lane bands and labels.
    for (i, lane) in lanes.iter().enumerate() {
        let y = TOP + i as f64 * LANE_H;
        let band = if i % 2 == 0 { "lane even" } else { "lane odd" };
        let _ = write!(out, "<rect class=\"{band}\" x=\"0\" y=\"{y}\" width=\"{W}\" height=\"{LANE_H}\"/>");
        let label = lane.map(|l| shorten(l, LABEL_CHARS)).unwrap_or_else(|| "no outlet".into());
        let _ = write!(
            out,
            "<text class=\"lane-label\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\"><title>{}</title>{}</text>",
            left - 12.0,
            y + LANE_H / 2.0 + 4.0,
            escape(lane.unwrap_or("no outlet")),
            escape(&label)
        );
    }
    let axis_y = TOP + lanes_h;
    let mut marks = String::new();
    let mut placed: Vec<(usize, f64, f64)> = Vec::new();
    if !dated.is_empty() {
        let lo = dated.iter().filter_map(|r| r.published.as_ref()).map(|p| period(p).0).min().unwrap_or(0);
        let hi = dated.iter().filter_map(|r| r.published.as_ref()).map(|p| period(p).1).max().unwrap_or(0);
        let (lo, hi) = pad(lo, hi);
        let x_of = |t: i64| left + (t - lo) as f64 / (hi - lo) as f64 * (axis_end - left);
        // Axis and ticks.
        let _ = write!(
            out,
            "<line class=\"axis\" x1=\"{left}\" y1=\"{axis_y}\" x2=\"{axis_end}\" y2=\"{axis_y}\"/>"
        );
        for (t, label) in ticks(lo, hi) {
            let x = x_of(t);
            let _ = write!(
                out,
                "<line class=\"grid\" x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{:.1}\"/><text class=\"tick\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                axis_y + 5.0,
                axis_y + 20.0,
                escape(&label)
            );
        }
        for r in &dated {
            let p = r.published.as_ref().expect("dated");
            let (a, b) = period(p);
            let (xa, xb) = (x_of(a), x_of(b));
            let lane = lane_of(r);
            let cy = TOP + lane as f64 * LANE_H + LANE_H / 2.0;
            let cx = (xa + xb) / 2.0;
            let dy = free_offset(&placed, lane, cx);
            placed.push((lane, cx, dy));
            if xb - xa > 2.0 * MARK_R {
                // A report known only to the day, month or year: show the period it may be in.
                let _ = write!(
                    marks,
                    "<rect class=\"period\" x=\"{xa:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"6\" rx=\"3\" fill=\"{}\"/>",
                    cy - 3.0,
                    xb - xa,
                    outlet_colour(r.source.as_deref())
                );
            }
            mark(&mut marks, r, cx, cy + dy, false);
        }
    }
    if !undated.is_empty() {
        let _ = write!(
            out,
            "<g class=\"undated-lane\"><rect class=\"undated-zone\" x=\"{:.1}\" y=\"{}\" width=\"{:.1}\" height=\"{lanes_h}\" rx=\"6\"/><text class=\"tick undated-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">undated</text></g>",
            undated_x - 8.0,
            TOP - 4.0,
            RIGHT - undated_x + 8.0,
            (undated_x + RIGHT) / 2.0,
            axis_y + 20.0
        );
        let mut per_lane = vec![0usize; lanes.len().max(1)];
        let step = 2.0 * MARK_R + 6.0;
        for r in &undated {
            let lane = lane_of(r);
            let k = per_lane[lane];
            per_lane[lane] += 1;
            // Wrap into a second row inside the lane when many undated reports share an outlet.
            let per_row = (((RIGHT - undated_x) / step).floor() as usize).max(1);
            let cx = undated_x + MARK_R + 2.0 + (k % per_row) as f64 * step;
            let dy = if k >= per_row {
                if (k / per_row) % 2 == 1 {
                    -7.0
                } else {
                    7.0
                }
            } else {
                0.0
            };
            let cy = TOP + lane as f64 * LANE_H + LANE_H / 2.0 + dy;
            mark(&mut marks, r, cx, cy, true);
        }
    }
    out.push_str(&marks);
    out.push_str("</svg>");
    out
}

/// A vertical offset that keeps a mark from covering one already placed in its lane.
fn free_offset(placed: &[(usize, f64, f64)], lane: usize, x: f64) -> f64 {
    for dy in [0.0, -7.0, 7.0, -3.5, 3.5] {
        let clash =
            placed.iter().any(|&(l, px, pdy)| l == lane && (px - x).abs() < MARK_R * 1.6 && pdy == dy);
        if !clash {
            return dy;
        }
    }
    0.0
}

/// One report's mark: a circle linking to the article, with a tooltip.
fn mark(out: &mut String, r: &Report, cx: f64, cy: f64, undated: bool) {
    let colour = outlet_colour(r.source.as_deref());
    let when = r.published.as_ref().map(date_text).unwrap_or_else(|| "undated".into());
    let tip = format!(
        "{} — {}, {} ({})",
        r.title,
        r.source.as_deref().unwrap_or("no outlet"),
        when,
        r.role.label()
    );
    let role = match r.role {
        ReportRole::First => "first",
        ReportRole::NewFacts => "new-facts",
        ReportRole::FollowUp => "follow-up",
        ReportRole::Update => "update",
        ReportRole::Repeat => "repeat",
    };
    let class = if undated { format!("mark undated role-{role}") } else { format!("mark role-{role}") };
    let (fill, stroke) = if r.role == ReportRole::Repeat { ("#ffffff", colour) } else { (colour, "#ffffff") };
    let _ = write!(
        out,
        "<a href=\"{}\" aria-label=\"{}\"><circle class=\"{class}\" data-article=\"{}\" cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{MARK_R}\" fill=\"{fill}\" stroke=\"{stroke}\"><title>{}</title></circle></a>",
        escape(&article_href(&r.id)),
        escape(&tip),
        escape(&r.id),
        escape(&tip)
    );
}

/// Widens a time range so that a single instant or a tight cluster still has room around it.
fn pad(lo: i64, hi: i64) -> (i64, i64) {
    let span = (hi - lo).max(0);
    let min_span = 6 * 3600;
    if span < min_span {
        let mid = lo + span / 2;
        return (mid - min_span / 2 - 1800, mid + min_span / 2 + 1800);
    }
    let margin = span / 20;
    (lo - margin, hi + margin)
}

const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

/// Tick positions and labels for a range: the finest calendar step that gives at most seven.
pub(crate) fn ticks(lo: i64, hi: i64) -> Vec<(i64, String)> {
    let span = (hi - lo).max(1);
    const MAX: i64 = 7;
    for step in [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR] {
        if span / step <= MAX {
            let mut t = lo.div_euclid(step) * step + step;
            let mut out = Vec::new();
            while t < hi {
                let (_, m, d) = civil_from_days(t.div_euclid(DAY));
                let secs = t.rem_euclid(DAY);
                out.push((t, format!("{m:02}-{d:02} {:02}:{:02}", secs / 3600, secs % 3600 / 60)));
                t += step;
            }
            return out;
        }
    }
    for days in [1, 2, 7, 14] {
        let step = days * DAY;
        if span / step <= MAX {
            let mut t = lo.div_euclid(DAY) * DAY + DAY;
            let mut out = Vec::new();
            while t < hi {
                let (y, m, d) = civil_from_days(t.div_euclid(DAY));
                out.push((t, format!("{y:04}-{m:02}-{d:02}")));
                t += step;
            }
            return out;
        }
    }
    let (y0, m0, _) = civil_from_days(lo.div_euclid(DAY));
    let months_span = span / (30 * DAY);
    let month_step = [1, 2, 3, 6, 12, 24, 60, 120].into_iter().find(|s| months_span / s < MAX).unwrap_or(240);
    let mut out = Vec::new();
    // First month boundary after `lo`, aligned to the step within the year.
    let mut index = i64::from(y0) * 12 + i64::from(m0); // months since year 0, next month
    while index % month_step != 0 {
        index += 1;
    }
    loop {
        let (y, m) = ((index / 12) as i32, (index % 12) as u32 + 1);
        let t = days_from_civil(y, m, 1) * DAY;
        if t >= hi {
            break;
        }
        if t > lo {
            out.push((t, if month_step >= 12 { format!("{y:04}") } else { format!("{y:04}-{m:02}") }));
        }
        index += month_step;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testutil::{day, parse_tags, report};

    fn attr(tag_src: &str, name: &str) -> f64 {
        let key = format!(" {name}=\"");
        let at = tag_src.find(&key).unwrap() + key.len();
        tag_src[at..at + tag_src[at..].find('"').unwrap()].parse().unwrap()
    }

    #[test]
    fn sparkline_scales_to_the_busiest_period() {
        let svg = sparkline(&[1, 4, 0, 2]);
        parse_tags(&svg);
        let bars: Vec<&str> = svg.split("<rect class=\"bar\"").skip(1).collect();
        assert_eq!(bars.len(), 3, "empty periods draw no bar");
        let heights: Vec<f64> = bars.iter().map(|b| attr(b, "height")).collect();
        assert!((heights[1] - SPARK_H).abs() < 0.01, "the busiest period fills the height: {heights:?}");
        assert!((heights[0] - SPARK_H / 4.0).abs() < 0.01);
        assert!((heights[2] - SPARK_H / 2.0).abs() < 0.01);
        // Bars sit on the base line.
        for b in &bars {
            assert!((attr(b, "y") + attr(b, "height") - SPARK_H).abs() < 0.01);
        }
        // The third bar stands in the fourth slot.
        assert!((attr(bars[2], "x") - 3.0 * spark_slot(4)).abs() < 0.01);
        // Many periods share the width; few get bars of a bounded width.
        assert!((spark_slot(60) - SPARK_W / 60.0).abs() < 1e-9);
        assert_eq!(spark_slot(1), SPARK_MAX_SLOT);
        // A single busy period scales the same way, whatever the count.
        let big = sparkline(&[0, 250]);
        assert!((attr(big.split("<rect class=\"bar\"").nth(1).unwrap(), "height") - SPARK_H).abs() < 0.01);
        assert_eq!(sparkline(&[]), "<span class=\"muted\">—</span>");
        assert_eq!(sparkline(&[0, 0]), "<span class=\"muted\">—</span>");
    }

    #[test]
    fn undated_reports_go_to_the_undated_lane() {
        use storyline_core::dossier::ReportRole::*;
        let reports = vec![
            report("a", "Eerste", Some("Morgenblad"), day(2023, 3, 2), First),
            report("b", "Tweede", Some("Dagkoerier"), day(2023, 3, 9), FollowUp),
            report("c", "Zonder datum", Some("Morgenblad"), None, Repeat),
            report("d", "Ook zonder datum", None, None, NewFacts),
        ];
        let svg = timeline(&reports);
        parse_tags(&svg);
        assert!(svg.contains(">undated</text>"));
        let marks: Vec<&str> = svg.split("<circle class=\"mark").skip(1).collect();
        assert_eq!(marks.len(), 4, "one mark per report");
        for m in &marks {
            let cx = attr(m, "cx");
            if m.starts_with(" undated") {
                assert!(cx >= UNDATED_X, "undated mark at {cx}");
            } else {
                assert!(cx < UNDATED_X - UNDATED_GAP + 0.1 && cx > LEFT, "dated mark at {cx}");
            }
        }
        assert_eq!(marks.iter().filter(|m| m.starts_with(" undated")).count(), 2);
        // The later report lies to the right of the earlier one.
        assert!(attr(marks[1], "cx") > attr(marks[0], "cx"));
        // Marks link to their articles and carry a tooltip.
        assert!(svg.contains("<a href=\"/articles/c\""));
        assert!(svg.contains("<title>Zonder datum — Morgenblad, undated (repeat)</title>"));
        // Lanes: Morgenblad, Dagkoerier, no outlet.
        assert!(svg.contains(">Dagkoerier</text>") && svg.contains(">no outlet</text>"));
    }

    #[test]
    fn all_undated_reports_still_draw() {
        let reports = vec![report("a", "Een", Some("X"), None, ReportRole::First)];
        let svg = timeline(&reports);
        parse_tags(&svg);
        assert_eq!(svg.matches("<circle class=\"mark undated").count(), 1);
        assert!(!svg.contains("class=\"axis\""));
    }

    #[test]
    fn ticks_follow_the_calendar() {
        let d = |y, m, dd| Published::day(y, m, dd).unwrap().unix;
        let week = ticks(d(2023, 3, 1), d(2023, 3, 6));
        assert_eq!(week.first().unwrap().1, "2023-03-02");
        assert!(week.len() <= 7);
        let fortnights = ticks(d(2017, 10, 3), d(2017, 12, 20));
        assert!(fortnights.len() <= 7 && fortnights[1].0 - fortnights[0].0 == 14 * DAY, "{fortnights:?}");
        let months = ticks(d(2017, 10, 3), d(2018, 2, 20));
        assert!(months.iter().any(|(_, l)| l == "2017-11"), "{months:?}");
        let years = ticks(d(2010, 5, 1), d(2020, 5, 1));
        assert!(years.iter().all(|(_, l)| l.len() == 4) && years.len() <= 7, "{years:?}");
        let hours = ticks(d(2023, 3, 1) + 3600, d(2023, 3, 1) + 5 * 3600);
        assert!(hours.iter().any(|(_, l)| l == "03-01 02:00"), "{hours:?}");
    }
}
