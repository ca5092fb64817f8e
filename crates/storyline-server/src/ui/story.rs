//! The story page: a dossier laid out for reading — where the figures disagree first, then the
//! timeline, each report with what it adds, quotes by speaker and figures by subject.

use std::fmt::Write;

use storyline_core::dossier::{
    Adds, Carrier, Discrepancy, DiscrepancyKind, Dossier, FigureValue, QuoteEntry, Report, ReportRole,
};

use super::layout::{page, Section};
use super::svg::timeline;
use super::{
    article_href, escape, external_link, outlet_tag, plural, push_encoded, push_escaped, push_outlet_tag,
    push_time_tag, time_tag,
};
use storyline_core::Published;
use storyline_store::corrections::CorrectionEvent;

/// The story page of a dossier.
pub fn story_page(dossier: &Dossier) -> String {
    story_page_at(dossier, 1)
}

/// Reports on one page of a story; a larger story's reports come in pages (`?page=2`).
pub const STORY_PAGE_REPORTS: usize = 100;

/// Quote entries and figure groups a story page shows at most (the API has them all).
pub const STORY_PAGE_ENTRIES: usize = 300;

/// Values a discrepancy or a figure shows at most on a story page, and reports a quote names
/// as its carriers (the API has them all).
pub const STORY_PAGE_VALUES: usize = 50;

/// A table row saying how many more values the API has.
fn more_values_row(body: &mut String, all: usize) {
    if all > STORY_PAGE_VALUES {
        let _ = write!(
            body,
            "<tr class=\"more\"><td colspan=\"4\" class=\"muted\">and {} more values (the API, <code>/api/stories/ID</code>, has them all)</td></tr>",
            all - STORY_PAGE_VALUES
        );
    }
}

/// Page `page` (from 1) of a story's dossier: every section, with the timeline and the reports
/// of that page's [`STORY_PAGE_REPORTS`] reports, so the page stays the size of a page however
/// many reports the story has.
pub fn story_page_at(dossier: &Dossier, number: usize) -> String {
    story_page_with(dossier, number, &[])
}

/// [`story_page_at`] with the story's history of corrections (newest first).
pub fn story_page_with(dossier: &Dossier, number: usize, history: &[CorrectionEvent]) -> String {
    let d = dossier;
    let pages = d.articles.len().div_ceil(STORY_PAGE_REPORTS).max(1);
    let number = number.clamp(1, pages);
    let from = (number - 1) * STORY_PAGE_REPORTS;
    let to = (from + STORY_PAGE_REPORTS).min(d.articles.len());
    let mut body = String::with_capacity(16 * 1024);
    header(&mut body, d);
    let _ = writeln!(
        body,
        "<nav class=\"toc\" aria-label=\"On this page\"><a href=\"#discrepancies\">Discrepancies</a><a href=\"#timeline-section\">Timeline</a><a href=\"#reports\">Reports</a><a href=\"#quotes\">Quotes</a><a href=\"#figures\">Figures</a><a href=\"#correct\">Correct</a><a href=\"{}/feed.atom\" type=\"application/atom+xml\">Feed</a></nav>",
        super::story_href(d.id)
    );
    discrepancies(&mut body, d);
    let pager = (pages > 1).then(|| report_pager(d, number, pages, from, to));
    timeline_section(&mut body, d, from..to);
    reports(&mut body, d, from..to, pager.as_deref());
    quotes(&mut body, &d.quotes);
    figures(&mut body, d);
    super::correct::history(&mut body, history);
    super::correct::story_panel(&mut body, d, from..to);
    page(&d.title, Section::Stories, "", &body)
}

/// `Reports 101–200 of 6,286 · ← previous · next →`.
fn report_pager(d: &Dossier, page: usize, pages: usize, from: usize, to: usize) -> String {
    let mut out = format!(
        "<nav class=\"pager\" aria-label=\"Pages of reports\"><span>Reports {}–{} of {}</span>",
        from + 1,
        to,
        d.articles.len()
    );
    if page > 1 {
        let _ = write!(
            out,
            " <a rel=\"prev\" href=\"/stories/{}?page={}#reports\">← previous</a>",
            d.id,
            page - 1
        );
    }
    if page < pages {
        let _ =
            write!(out, " <a rel=\"next\" href=\"/stories/{}?page={}#reports\">next →</a>", d.id, page + 1);
    }
    out.push_str("</nav>");
    out
}

fn header(body: &mut String, d: &Dossier) {
    body.push_str("<header class=\"story-head\">");
    let _ = write!(body, "<p class=\"kicker\">Story {}</p><h1>{}</h1>", d.id, escape(&d.title));
    body.push_str("<dl class=\"facts\">");
    let span = match (&d.first_published, &d.last_published) {
        (Some(a), Some(b)) if a != b => format!("{} – {}", time_tag(Some(a)), time_tag(Some(b))),
        (Some(a), _) | (None, Some(a)) => time_tag(Some(a)),
        (None, None) => time_tag(None),
    };
    let _ = write!(body, "<div><dt>Span</dt><dd>{span}</dd></div>");
    let read = d.articles.len() as u64;
    if d.reports_total > read {
        let _ = write!(
            body,
            "<div><dt>Reports</dt><dd>{} <small class=\"muted\">(this page reads the first {} and the latest {})</small></dd></div>",
            d.reports_total,
            read / 2,
            read - read / 2
        );
    } else {
        let _ = write!(body, "<div><dt>Reports</dt><dd>{read}</dd></div>");
    }
    let outlets: Vec<String> = d.sources.iter().map(|s| outlet_tag(Some(s))).collect();
    let _ = write!(
        body,
        "<div class=\"outlets-fact\"><dt>Outlets</dt><dd class=\"outlets\">{}</dd></div>",
        if outlets.is_empty() { "<span class=\"muted\">none named</span>".into() } else { outlets.join(" ") }
    );
    let _ = write!(body, "<div><dt>Languages</dt><dd>{}</dd></div>", escape(&d.languages.join(", ")));
    body.push_str("</dl></header>\n");
}

/// Where the value sits in the sentence, marked; the sentence alone when it cannot be found.
fn push_sentence_with(out: &mut String, sentence: &str, needle: &str) {
    if !needle.is_empty() {
        if let Some(at) = sentence.find(needle) {
            push_escaped(out, &sentence[..at]);
            out.push_str("<mark class=\"fig\">");
            push_escaped(out, needle);
            out.push_str("</mark>");
            push_escaped(out, &sentence[at + needle.len()..]);
            return;
        }
    }
    push_escaped(out, sentence);
}

fn article_link(id: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", escape(&article_href(id)), text)
}

/// A link to an article's page around the time of its publication (see [`time_tag`]).
fn push_dated_link(out: &mut String, id: &str, published: Option<&Published>) {
    // The address is percent-encoded: nothing in it needs escaping.
    out.push_str("<a href=\"/articles/");
    push_encoded(out, id);
    out.push_str("\">");
    push_time_tag(out, published);
    out.push_str("</a>");
}

fn push_carrier_line(out: &mut String, c: &Carrier) {
    push_outlet_tag(out, c.source.as_deref());
    out.push_str(" · ");
    push_dated_link(out, &c.id, c.published.as_ref());
}

fn carrier_line(c: &Carrier) -> String {
    let mut out = String::with_capacity(400);
    push_carrier_line(&mut out, c);
    out
}

/// An explanation without the subject it repeats at its start (`woning: 120 … vs 140 …`).
fn explanation<'a>(subject: &str, text: &'a str) -> &'a str {
    text.strip_prefix(subject).and_then(|rest| rest.strip_prefix(':')).map(str::trim_start).unwrap_or(text)
}

fn kind_badge(kind: DiscrepancyKind) -> &'static str {
    match kind {
        DiscrepancyKind::Conflict => "<span class=\"badge conflict\">conflict</span>",
        DiscrepancyKind::Update => "<span class=\"badge update\">update</span>",
    }
}

fn value_row(body: &mut String, v: &FigureValue, sentence_label: &str) {
    body.push_str("<tr class=\"value\"><td data-label=\"Value\"><strong class=\"figure-value\">");
    push_escaped(body, &v.display);
    body.push_str("</strong>");
    if v.approx {
        body.push_str(" <span class=\"muted\">(approximate)</span>");
    }
    body.push_str("</td><td data-label=\"Outlet\">");
    push_outlet_tag(body, v.source.as_deref());
    body.push_str("</td><td data-label=\"Date\">");
    push_dated_link(body, &v.article, v.published.as_ref());
    body.push_str("</td><td data-label=\"");
    body.push_str(sentence_label);
    body.push_str("\" class=\"evidence\">");
    push_sentence_with(body, &v.sentence, &v.text);
    body.push_str("</td></tr>\n");
}

fn discrepancy(body: &mut String, x: &Discrepancy) {
    let class = match x.kind {
        DiscrepancyKind::Conflict => "conflict",
        DiscrepancyKind::Update => "update",
    };
    let _ = writeln!(
        body,
        "<tbody class=\"discrepancy {class}\"><tr class=\"subject\"><th colspan=\"4\" scope=\"rowgroup\"><span class=\"subject-name\">{}</span> {}<p class=\"explanation\">{}</p></th></tr>",
        escape(&x.subject),
        kind_badge(x.kind),
        escape(explanation(&x.subject, &x.explanation))
    );
    for v in x.values.iter().take(STORY_PAGE_VALUES) {
        value_row(body, v, "Evidence");
    }
    more_values_row(body, x.values.len());
    body.push_str("</tbody>\n");
}

fn discrepancies(body: &mut String, d: &Dossier) {
    body.push_str(
        "<section id=\"discrepancies\" class=\"discrepancies\" aria-labelledby=\"discrepancies-h\">",
    );
    let conflicts = d.discrepancies.iter().filter(|x| x.kind == DiscrepancyKind::Conflict).count();
    let updates = d.discrepancies.len() - conflicts;
    let _ = write!(
        body,
        "<h2 id=\"discrepancies-h\">Discrepancies <span class=\"count\">{}</span></h2>",
        d.discrepancies.len() + d.contradictions.len()
    );
    if d.discrepancies.is_empty() {
        body.push_str("<p class=\"empty\">No figures disagree between these reports.</p>");
    } else {
        let mut parts = Vec::new();
        if conflicts > 0 {
            parts.push(format!(
                "{} where reports give different values",
                plural(conflicts as u64, "conflict", "conflicts")
            ));
        }
        if updates > 0 {
            parts.push(format!(
                "{} where a later report changes a figure",
                plural(updates as u64, "update", "updates")
            ));
        }
        let _ = write!(body, "<p class=\"lead\">{}.</p>", parts.join("; "));
        body.push_str("<div class=\"table-wrap\"><table class=\"discrepancy-table cards\"><thead><tr><th scope=\"col\">Value</th><th scope=\"col\">Outlet</th><th scope=\"col\">Date</th><th scope=\"col\">Evidence</th></tr></thead>\n");
        for x in &d.discrepancies {
            discrepancy(body, x);
        }
        body.push_str("</table></div>");
    }
    if !d.contradictions.is_empty() {
        body.push_str("<h3>Contradictions</h3><ul class=\"contradictions\">");
        for c in &d.contradictions {
            let _ = write!(
                body,
                "<li class=\"contradiction\"><p><strong>{}</strong>: {}</p><div class=\"pair\"><blockquote class=\"denied\"><p>{}</p><footer>denies · {}</footer></blockquote><blockquote class=\"affirmed\"><p>{}</p><footer>affirms · {}</footer></blockquote></div></li>",
                escape(&c.subject),
                escape(explanation(&c.subject, &c.explanation)),
                escape(&c.denied.sentence),
                carrier_line(&c.denied.carrier),
                escape(&c.affirmed.sentence),
                carrier_line(&c.affirmed.carrier)
            );
        }
        body.push_str("</ul>");
    }
    body.push_str("</section>\n");
}

fn timeline_section(body: &mut String, d: &Dossier, shown: std::ops::Range<usize>) {
    body.push_str(
        "<section id=\"timeline-section\" aria-labelledby=\"timeline-h\"><h2 id=\"timeline-h\">Timeline</h2>",
    );
    let part = &d.articles[shown.clone()];
    if part.len() < d.articles.len() {
        let _ = write!(
            body,
            "<p class=\"muted\">The reports {}–{} of {}.</p>",
            shown.start + 1,
            shown.end,
            d.articles.len()
        );
    }
    let dated = part.iter().filter(|r| r.published.is_some()).count();
    let _ = write!(
        body,
        "<p class=\"muted\">{} on a time axis, one lane per outlet{}. A bar shows the period a report is dated to when only the day, month or year is known; hollow marks are repeats. Each mark links to its article.</p>",
        plural(dated as u64, "dated report", "dated reports"),
        if dated < part.len() { ", undated reports after the axis" } else { "" }
    );
    body.push_str("<div class=\"timeline-wrap\">");
    body.push_str(&timeline(part));
    body.push_str("</div><ul class=\"legend\" aria-label=\"Outlets\">");
    let mut seen: Vec<Option<&str>> = Vec::new();
    for r in part {
        let key = r.source.as_deref();
        if !seen.contains(&key) {
            seen.push(key);
            let _ = write!(body, "<li>{}</li>", outlet_tag(key));
        }
    }
    body.push_str("</ul></section>\n");
}

fn role_class(role: ReportRole) -> &'static str {
    match role {
        ReportRole::First => "first",
        ReportRole::NewFacts => "new-facts",
        ReportRole::FollowUp => "follow-up",
        ReportRole::Update => "update",
        ReportRole::Repeat => "repeat",
    }
}

fn adds_list(body: &mut String, adds: &Adds) {
    if adds.is_empty() {
        body.push_str("<p class=\"adds none\">Adds nothing the earlier reports did not have.</p>");
        return;
    }
    let _ = write!(body, "<details class=\"adds\" open><summary>What this report adds <span class=\"count\">{}</span></summary><dl>", adds.count());
    let groups: [(&str, &[String]); 6] = [
        ("People", &adds.people),
        ("Organisations", &adds.organizations),
        ("Places", &adds.places),
        ("Figures", &adds.figures),
        ("Times", &adds.times),
        ("Sources", &adds.sources),
    ];
    for (label, items) in groups.iter().take(4) {
        chips(body, label, items);
    }
    if !adds.quotes.is_empty() {
        body.push_str("<div><dt>Quotes</dt><dd><ul class=\"added-quotes\">");
        for q in &adds.quotes {
            let who =
                q.speaker.as_deref().map(|s| format!("<cite>{}</cite>: ", escape(s))).unwrap_or_default();
            let _ = write!(body, "<li>{who}<q>{}</q></li>", escape(&q.text));
        }
        body.push_str("</ul></dd></div>");
    }
    for (label, items) in groups.iter().skip(4) {
        chips(body, label, items);
    }
    body.push_str("</dl></details>");
}

fn chips(body: &mut String, label: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = write!(body, "<div><dt>{label}</dt><dd><ul class=\"chips\">");
    for item in items {
        let _ = write!(body, "<li>{}</li>", escape(item));
    }
    body.push_str("</ul></dd></div>");
}

fn report_item(body: &mut String, i: usize, r: &Report, d: &Dossier) {
    let role = role_class(r.role);
    let _ = write!(body, "<li class=\"report role-{role}\" id=\"report-{}\">", i + 1);
    let _ = write!(
        body,
        "<div class=\"report-head\"><span class=\"badge role role-{role}\">{}</span><h3><a href=\"{}\">{}</a></h3></div>",
        escape(r.role.label()),
        escape(&article_href(&r.id)),
        escape(&r.title)
    );
    let _ = write!(
        body,
        "<p class=\"meta\">{} · {} · <span class=\"lang\">{}</span>",
        outlet_tag(r.source.as_deref()),
        time_tag(r.published.as_ref()),
        escape(&r.language)
    );
    if let Some(url) = &r.url {
        let _ = write!(body, " · <span class=\"source-link\">{}</span>", external_link(url));
    }
    body.push_str("</p>");
    if let Some(of) = &r.near_duplicate_of {
        let original = d.articles.iter().find(|a| &a.id == of);
        let label = match original {
            Some(a) => {
                format!("{} ({})", escape(&a.title), escape(a.source.as_deref().unwrap_or("no outlet")))
            }
            None => escape(of),
        };
        let _ = write!(body, "<p class=\"note\">Near-copy of {}</p>", article_link(of, &label));
    }
    if let Some(rev) = &r.revision {
        let _ = write!(body, "<p class=\"note revised\">Revised: {}</p>", escape(&rev.describe()));
    }
    adds_list(body, &r.adds);
    body.push_str("</li>\n");
}

fn reports(body: &mut String, d: &Dossier, shown: std::ops::Range<usize>, pager: Option<&str>) {
    let _ = writeln!(
        body,
        "<section id=\"reports\" aria-labelledby=\"reports-h\"><h2 id=\"reports-h\">Reports <span class=\"count\">{}</span></h2>{}<ol class=\"reports\" start=\"{}\">",
        d.articles.len(),
        pager.unwrap_or(""),
        shown.start + 1
    );
    for i in shown {
        report_item(body, i, &d.articles[i], d);
    }
    body.push_str("</ol>");
    body.push_str(pager.unwrap_or(""));
    body.push_str("</section>\n");
}

fn quotes(body: &mut String, entries: &[QuoteEntry]) {
    body.push_str("<section id=\"quotes\" aria-labelledby=\"quotes-h\">");
    let _ = write!(
        body,
        "<h2 id=\"quotes-h\">Quotes by speaker <span class=\"count\">{}</span></h2>",
        entries.len()
    );
    if entries.is_empty() {
        body.push_str("<p class=\"empty\">No quotes found in these reports.</p></section>\n");
        return;
    }
    if entries.len() > STORY_PAGE_ENTRIES {
        let _ = write!(
            body,
            "<p class=\"muted\">The first {STORY_PAGE_ENTRIES} of {} quotes; the API (<code>/api/stories/ID</code>) has them all.</p>",
            entries.len()
        );
    }
    // Group by speaker, speakers in order of first appearance.
    let mut speakers: Vec<(Option<&str>, Vec<&QuoteEntry>)> = Vec::new();
    for q in entries.iter().take(STORY_PAGE_ENTRIES) {
        let key = q.speaker_key.as_deref().or(q.speaker.as_deref());
        match speakers.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(q),
            None => speakers.push((key, vec![q])),
        }
    }
    body.push_str("<div class=\"speakers\">");
    for (_, list) in &speakers {
        let name = list.iter().find_map(|q| q.speaker.as_deref());
        let role = list.iter().find_map(|q| q.role.as_deref());
        body.push_str("<article class=\"speaker\"><h3>");
        match name {
            Some(n) => body.push_str(&escape(n)),
            None => body.push_str("<span class=\"muted\">Unattributed</span>"),
        }
        if let Some(role) = role {
            let _ = write!(body, " <span class=\"role\">{}</span>", escape(role));
        }
        body.push_str("</h3><ul class=\"quote-list\">");
        for q in list {
            let kind = match q.kind {
                storyline_core::analyze::QuoteKind::Direct => "direct",
                storyline_core::analyze::QuoteKind::Pull => "pull",
                storyline_core::analyze::QuoteKind::Indirect => "indirect",
            };
            let _ = write!(body, "<li class=\"quote {kind}\"><blockquote><p>");
            push_escaped(body, &q.text);
            let _ =
                write!(body, "</p></blockquote><p class=\"carriers\"><span class=\"badge\">{kind}</span> ");
            for (i, c) in q.articles.iter().take(STORY_PAGE_VALUES).enumerate() {
                if i > 0 {
                    body.push_str(" · ");
                }
                push_carrier_line(body, c);
            }
            if q.articles.len() > STORY_PAGE_VALUES {
                let _ = write!(
                    body,
                    " · <span class=\"muted\">and {} more reports</span>",
                    q.articles.len() - STORY_PAGE_VALUES
                );
            }
            body.push_str("</p></li>");
        }
        body.push_str("</ul></article>");
    }
    body.push_str("</div></section>\n");
}

fn figures(body: &mut String, d: &Dossier) {
    body.push_str("<section id=\"figures\" aria-labelledby=\"figures-h\">");
    let _ = write!(
        body,
        "<h2 id=\"figures-h\">Figures by subject <span class=\"count\">{}</span></h2>",
        d.figures.len()
    );
    if d.figures.is_empty() {
        body.push_str("<p class=\"empty\">No figures found in these reports.</p></section>\n");
        return;
    }
    if d.figures.len() > STORY_PAGE_ENTRIES {
        let _ = write!(
            body,
            "<p class=\"muted\">The first {STORY_PAGE_ENTRIES} of {} subjects; the API (<code>/api/stories/ID</code>) has them all.</p>",
            d.figures.len()
        );
    }
    for f in d.figures.iter().take(STORY_PAGE_ENTRIES) {
        let disputed = d.discrepancies.iter().find(|x| x.subject_key == f.subject_key);
        let _ = write!(
            body,
            "<div class=\"figure-block\"><h3>{}{}</h3><div class=\"table-wrap\"><table class=\"figure-table cards\"><thead><tr><th scope=\"col\">Value</th><th scope=\"col\">Outlet</th><th scope=\"col\">Date</th><th scope=\"col\">Sentence</th></tr></thead><tbody>",
            escape(&f.subject),
            disputed.map(|x| format!(" {}", kind_badge(x.kind))).unwrap_or_default()
        );
        for v in f.values.iter().take(STORY_PAGE_VALUES) {
            value_row(body, v, "Sentence");
        }
        more_values_row(body, f.values.len());
        body.push_str("</tbody></table></div></div>\n");
    }
    body.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testutil::{assert_safe_page, hostile_dossier, parse_tags, sample_dossier, SCRIPT};

    #[test]
    fn a_revised_report_says_what_changed() {
        use storyline_core::dossier::revision::Change;
        use storyline_core::dossier::Revision;
        let mut d = sample_dossier();
        assert!(!story_page(&d).contains("class=\"note revised\""));
        d.articles[0].revision = Some(Revision {
            version: 2,
            previous_published: storyline_core::Published::day(2023, 3, 1),
            previous_title: None,
            changes: vec![Change::QuoteAdded {
                speaker: Some("Vos".into()),
                text: "<b>Het water zakt</b>".into(),
            }],
        });
        let html = story_page(&d);
        assert_safe_page(&html);
        assert!(
            html.contains(
                "<p class=\"note revised\">Revised: version 2, revised from the version of 2023-03-01: quote added: \
                 Vos: “&lt;b&gt;Het water zakt&lt;/b&gt;”</p>"
            ),
            "{html}"
        );
    }

    #[test]
    fn discrepancy_table_comes_first_and_timeline_after() {
        let html = story_page(&sample_dossier());
        assert_safe_page(&html);
        let disc = html.find("id=\"discrepancies\"").unwrap();
        let tl = html.find("<svg id=\"timeline\"").unwrap();
        let reports = html.find("id=\"reports\"").unwrap();
        let quotes = html.find("id=\"quotes\"").unwrap();
        let figures = html.find("id=\"figures\"").unwrap();
        assert!(disc < tl && tl < reports && reports < quotes && quotes < figures);
        // The value rows, with the value, outlet, date link and the sentence as evidence.
        assert!(html.contains("<tbody class=\"discrepancy update\">"));
        assert!(html.contains("<span class=\"badge update\">update</span>"));
        assert!(html.contains("<strong class=\"figure-value\">120</strong>"));
        assert!(html.contains("Zeker <mark class=\"fig\">120</mark> woningen liepen onder water."));
        assert!(
            html.contains(
                "<p class=\"explanation\">120 (Morgenblad, 2023-03-02) vs 140 (Dagkoerier, 2023-03-04)</p>"
            ),
            "the subject is not repeated"
        );
        assert_eq!(html[disc..tl].matches("<tr class=\"value\">").count(), 2);
        // Contradictions come after the table, with both sentences.
        let contra = html.find("Contradictions").unwrap();
        assert!(disc < contra && contra < tl);
        assert!(
            html.contains("Niemand werd geëvacueerd.")
                && html.contains("Veertig gezinnen werden geëvacueerd.")
        );
    }

    #[test]
    fn conflicts_and_updates_are_styled_apart() {
        let mut d = sample_dossier();
        let mut c = d.discrepancies[0].clone();
        c.kind = DiscrepancyKind::Conflict;
        c.subject = "gezin".into();
        d.discrepancies.push(c);
        let html = story_page(&d);
        assert!(
            html.contains("<tbody class=\"discrepancy conflict\">")
                && html.contains("<tbody class=\"discrepancy update\">")
        );
        assert!(html.contains(
            "1 conflict where reports give different values; 1 update where a later report changes a figure."
        ));
    }

    #[test]
    fn timeline_has_a_mark_per_report_and_undated_in_its_lane() {
        let d = sample_dossier();
        let html = story_page(&d);
        assert_eq!(html.matches("<circle class=\"mark").count(), d.articles.len());
        assert_eq!(html.matches("<circle class=\"mark undated").count(), 1);
        assert!(html.contains(">undated</text>"));
        assert!(html.contains("undated reports after the axis"));
    }

    #[test]
    fn reports_show_roles_adds_and_links() {
        let html = story_page(&sample_dossier());
        assert!(html.contains("<li class=\"report role-follow-up\" id=\"report-2\">"));
        assert!(html.contains("<span class=\"badge role role-follow-up\">follow-up with new facts</span>"));
        assert!(html.contains("<li>Waterschap Hunzedal</li>"));
        assert!(html.contains("<cite>Anouk Verbeek</cite>: <q>Het water stond tot de ramen</q>"));
        assert!(html.contains("Adds nothing the earlier reports did not have."));
        for id in ["a1", "b2", "c3"] {
            assert!(html.contains(&format!("<h3><a href=\"/articles/{id}\">")), "link to {id}");
        }
        assert!(html.contains("href=\"https://example.org/a1\""));
    }

    #[test]
    fn quotes_are_grouped_by_speaker_once_with_every_outlet() {
        let mut d = sample_dossier();
        let mut second = d.quotes[0].clone();
        second.text = "We bouwen de dijk hoger terug".into();
        second.role = None;
        d.quotes.push(second);
        let html = story_page(&d);
        assert_eq!(html.matches("<article class=\"speaker\">").count(), 1);
        assert!(html.contains("<h3>Anouk Verbeek <span class=\"role\">dijkgraaf</span></h3>"));
        assert_eq!(html.matches("Het water stond tot de ramen</p></blockquote>").count(), 1);
        let q = html.find("id=\"quotes\"").unwrap();
        let section = &html[q..html.find("id=\"figures\"").unwrap()];
        assert!(section.contains("Morgenblad") && section.contains("Dagkoerier"));
    }

    #[test]
    fn script_in_any_dossier_text_is_shown_not_run() {
        let html = story_page(&hostile_dossier());
        assert_safe_page(&html);
        let tags = parse_tags(&html);
        assert_eq!(tags.iter().filter(|(n, _)| n == "script").count(), 1);
        assert!(!html.contains(SCRIPT));
        assert!(html.matches("&lt;script&gt;alert(1)&lt;/script&gt;").count() > 20);
        assert!(!html.contains("href=\"javascript"));
        assert!(html.contains("<span class=\"url\">javascript:alert(1)//&lt;script&gt;"));
    }

    #[test]
    fn a_dossier_without_figures_or_quotes_says_so() {
        let mut d = sample_dossier();
        d.discrepancies.clear();
        d.contradictions.clear();
        d.quotes.clear();
        d.figures.clear();
        let html = story_page(&d);
        assert_safe_page(&html);
        assert!(html.contains("No figures disagree between these reports."));
        assert!(html.contains("No quotes found") && html.contains("No figures found"));
    }

    /// A story of 250 reports comes in three pages of reports, each naming its range and
    /// linking to its neighbours; a page past the last shows the last.
    #[test]
    fn a_large_story_shows_its_reports_a_page_at_a_time() {
        let mut d = sample_dossier();
        let first = d.articles[0].clone();
        d.articles = (0..250)
            .map(|i| {
                let mut r = first.clone();
                r.id = format!("rep-{i}");
                r
            })
            .collect();
        let one = story_page_at(&d, 1);
        assert!(one.contains("id=\"report-100\"") && !one.contains("id=\"report-101\""));
        assert!(one.contains("Reports 1–100 of 250"));
        assert!(one.contains(&format!("/stories/{}?page=2#reports", d.id)) && !one.contains("← previous"));
        let three = story_page_at(&d, 3);
        assert!(three.contains("id=\"report-201\"") && three.contains("id=\"report-250\""));
        assert!(!three.contains("id=\"report-200\""));
        assert!(three.contains("<ol class=\"reports\" start=\"201\">"));
        assert!(three.contains("← previous") && !three.contains("next →"));
        assert_eq!(story_page_at(&d, 99), three);
        // A figure carried by every report shows its first values and says how many more.
        let f = d.figures.first_mut().expect("the sample dossier has figures");
        let v = f.values[0].clone();
        f.values = vec![v; 250];
        let html = story_page_at(&d, 1);
        assert!(html.contains("and 200 more values"), "the figure's values are cut");
        // A story of one page has no pager.
        assert!(!story_page(&sample_dossier()).contains("class=\"pager\""));
    }
}
