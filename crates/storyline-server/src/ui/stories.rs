//! The stories page: the filter form, the list of stories with their sizes, outlets and an
//! activity sparkline, and links to the previous and next page.

use std::fmt::Write;

use storyline_store::StorySummary;

use super::layout::{page, Section};
use super::svg::sparkline;
use super::{date_tag, escape, outlet_tag, paged_href, plural, query_string, story_href};

/// How many stories a page lists; handlers ask the store for one more to know whether a next
/// page exists.
pub const STORIES_PAGE_SIZE: usize = 25;

/// The stories filter as the visitor typed it, echoed back into the form and the page links.
/// Values are kept as given (a malformed date is shown back so it can be corrected).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoriesForm {
    /// Active on or after this date (`since`).
    pub since: Option<String>,
    /// Started before the end of this date (`until`).
    pub until: Option<String>,
    /// Only stories with a report from this outlet (`source`).
    pub source: Option<String>,
    /// Only stories with a report in this language (`language`).
    pub language: Option<String>,
    /// Only stories with at least this many reports (`min_articles`).
    pub min_articles: Option<String>,
    /// Only stories with discrepancies (`Some(true)`), only those without (`Some(false)`), or
    /// either (`discrepancies`).
    pub discrepancies: Option<bool>,
    /// The page, counting from 1 (`page`; 0 reads as 1).
    pub page: usize,
}

impl Default for StoriesForm {
    fn default() -> Self {
        StoriesForm {
            since: None,
            until: None,
            source: None,
            language: None,
            min_articles: None,
            discrepancies: None,
            page: 1,
        }
    }
}

impl StoriesForm {
    /// The page, counting from 1.
    pub fn page(&self) -> usize {
        self.page.max(1)
    }

    /// How many stories to skip for this page.
    pub fn offset(&self) -> usize {
        (self.page() - 1) * STORIES_PAGE_SIZE
    }

    /// The filter as a query string (`since=2017-10&source=Morgenblad`), empty values left out,
    /// without the page.
    pub fn query(&self) -> String {
        let v = |o: &Option<String>| o.as_deref().unwrap_or("").to_string();
        query_string(&[
            ("since", &v(&self.since)),
            ("until", &v(&self.until)),
            ("source", &v(&self.source)),
            ("language", &v(&self.language)),
            ("min_articles", &v(&self.min_articles)),
            ("discrepancies", self.discrepancies.map_or("", |d| if d { "true" } else { "false" })),
        ])
    }

    /// The address of another page of the same listing.
    pub fn page_href(&self, page: usize) -> String {
        paged_href("/", &self.query(), page)
    }

    /// Whether any filter is set.
    pub fn is_filtered(&self) -> bool {
        self.discrepancies.is_some()
            || [&self.since, &self.until, &self.source, &self.language, &self.min_articles]
                .iter()
                .any(|o| o.as_deref().is_some_and(|s| !s.trim().is_empty()))
    }
}

/// The discrepancies filter: any story, only those with, only those without.
fn discrepancies_field(value: Option<bool>) -> String {
    let mut out = String::from(
        "<div class=\"field\"><label for=\"f-discrepancies\">Discrepancies</label><select id=\"f-discrepancies\" name=\"discrepancies\">",
    );
    for (v, label, on) in [
        ("", "any story", value.is_none()),
        ("true", "with discrepancies", value == Some(true)),
        ("false", "without", value == Some(false)),
    ] {
        let _ = write!(out, "<option value=\"{v}\"{}>{label}</option>", if on { " selected" } else { "" });
    }
    out.push_str("</select></div>");
    out
}

/// The mark of a story whose dossier lists a discrepancy, linking to them.
fn discrepancy_mark(s: &StorySummary) -> String {
    if !s.discrepancies {
        return String::new();
    }
    format!(
        " <a class=\"badge conflict\" href=\"{}#discrepancies\" title=\"Figures that disagree between its reports\">discrepancies</a>",
        escape(&story_href(s.id))
    )
}

fn field(id: &str, label: &str, value: &Option<String>, kind: &str, placeholder: &str) -> String {
    format!(
        "<div class=\"field\"><label for=\"f-{id}\">{label}</label><input id=\"f-{id}\" name=\"{id}\" type=\"{kind}\" value=\"{}\" placeholder=\"{}\"></div>",
        escape(value.as_deref().unwrap_or("")),
        escape(placeholder)
    )
}

/// The stories page. `activity` gives, per story id, its report counts per period for the
/// sparkline; `has_next` says whether a further page exists.
pub fn stories_page(
    stories: &[StorySummary],
    activity: &[(i64, Vec<u32>)],
    filter: &StoriesForm,
    has_next: bool,
) -> String {
    let mut body = String::new();
    body.push_str("<h1>Stories</h1>\n");
    body.push_str("<p class=\"lead\">Reports grouped into stories across outlets and over time, newest activity first.</p>\n");
    body.push_str("<form class=\"filters\" action=\"/\" method=\"get\" aria-label=\"Filter stories\">");
    body.push_str(&field("since", "Since", &filter.since, "text", "2017-10-01"));
    body.push_str(&field("until", "Until", &filter.until, "text", "2017-12"));
    body.push_str(&field("source", "Outlet", &filter.source, "text", "any outlet"));
    body.push_str(&field("language", "Language", &filter.language, "text", "nl, en"));
    body.push_str(&field("min_articles", "Min. reports", &filter.min_articles, "text", "1"));
    body.push_str(&discrepancies_field(filter.discrepancies));
    body.push_str("<div class=\"field actions\"><button type=\"submit\">Filter</button>");
    if filter.is_filtered() {
        body.push_str("<a class=\"reset\" href=\"/\">Clear</a>");
    }
    body.push_str("</div></form>\n");

    if stories.is_empty() {
        body.push_str("<p class=\"empty\">");
        body.push_str(if filter.page() > 1 {
            "No more stories."
        } else if filter.is_filtered() {
            "No story matches these filters."
        } else {
            "No stories yet. Ingest some articles (<code>storyline ingest FILES</code>) and they appear here."
        });
        body.push_str("</p>\n");
    } else {
        body.push_str("<div class=\"table-wrap\"><table class=\"stories cards\"><thead><tr><th scope=\"col\">Story</th><th scope=\"col\" class=\"num\">Reports</th><th scope=\"col\">Outlets</th><th scope=\"col\">Languages</th><th scope=\"col\">First</th><th scope=\"col\">Last</th><th scope=\"col\">Activity</th></tr></thead><tbody>\n");
        for s in stories {
            let counts =
                activity.iter().find(|(id, _)| *id == s.id).map(|(_, c)| c.as_slice()).unwrap_or(&[]);
            let outlets: Vec<String> = s.sources.iter().map(|o| outlet_tag(Some(o))).collect();
            let _ = writeln!(
                body,
                "<tr{}><th scope=\"row\" data-label=\"Story\"><a href=\"{}\">{}</a>{}</th><td class=\"num\" data-label=\"Reports\">{}</td><td data-label=\"Outlets\"><span class=\"outlets\">{}</span></td><td data-label=\"Languages\">{}</td><td data-label=\"First\">{}</td><td data-label=\"Last\">{}</td><td data-label=\"Activity\">{}</td></tr>",
                if s.discrepancies { " class=\"disputed\"" } else { "" },
                escape(&story_href(s.id)),
                escape(&s.title),
                discrepancy_mark(s),
                s.articles,
                if outlets.is_empty() { "<span class=\"muted\">—</span>".to_string() } else { outlets.join(" ") },
                escape(&s.languages.join(", ")),
                date_tag(s.first_published.as_ref()),
                date_tag(s.last_published.as_ref()),
                sparkline(counts)
            );
        }
        body.push_str("</tbody></table></div>\n");
        let _ = writeln!(
            body,
            "<p class=\"muted count\">Page {}: {} shown.</p>",
            filter.page(),
            plural(stories.len() as u64, "story", "stories")
        );
    }
    if filter.page() > 1 || has_next {
        body.push_str("<nav class=\"pager\" aria-label=\"Pages\">");
        if filter.page() > 1 {
            let _ = write!(
                body,
                "<a rel=\"prev\" href=\"{}\">← Newer stories</a>",
                escape(&filter.page_href(filter.page() - 1))
            );
        }
        if has_next {
            let _ = write!(
                body,
                "<a rel=\"next\" href=\"{}\">Older stories →</a>",
                escape(&filter.page_href(filter.page() + 1))
            );
        }
        body.push_str("</nav>\n");
    }
    page("Stories", Section::Stories, "", &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testutil::{assert_safe_page, day};

    fn summary(id: i64, title: &str, sources: &[&str]) -> StorySummary {
        StorySummary {
            id,
            title: title.into(),
            articles: 3,
            sources: sources.iter().map(|s| s.to_string()).collect(),
            languages: vec!["nl".into()],
            first_published: day(2023, 3, 2),
            last_published: day(2023, 3, 4),
            discrepancies: false,
        }
    }

    #[test]
    fn lists_stories_with_links_sizes_and_sparklines() {
        let stories = vec![
            summary(4, "Brug in Zwolle fors duurder", &["Morgenblad", "Dagkoerier"]),
            summary(9, "Dijkschade", &[]),
        ];
        let html = stories_page(&stories, &[(4, vec![1, 0, 2])], &StoriesForm::default(), false);
        assert_safe_page(&html);
        assert!(html.contains("<a href=\"/stories/4\">Brug in Zwolle fors duurder</a>"));
        assert!(html.contains("<td class=\"num\" data-label=\"Reports\">3</td>"));
        assert!(html.contains("<time datetime=\"2023-03-02\" title=\"2023-03-02\">2023-03-02</time>"));
        assert_eq!(
            html.matches("<svg class=\"spark\"").count(),
            1,
            "only the story with activity gets a sparkline"
        );
        assert!(!html.contains("rel=\"next\"") && !html.contains("rel=\"prev\""));
    }

    #[test]
    fn stories_with_discrepancies_are_marked_and_can_be_filtered() {
        let disputed =
            StorySummary { discrepancies: true, ..summary(4, "Konvooi verlaat Busayra", &["NPB"]) };
        let quiet = summary(9, "Dijkschade", &["NPB"]);
        let html = stories_page(&[disputed, quiet], &[], &StoriesForm::default(), false);
        assert_safe_page(&html);
        assert_eq!(html.matches("class=\"badge conflict\"").count(), 1, "only the disputed story is marked");
        assert!(html.contains("<tr class=\"disputed\"><th scope=\"row\" data-label=\"Story\"><a href=\"/stories/4\">Konvooi verlaat Busayra</a> <a class=\"badge conflict\" href=\"/stories/4#discrepancies\""), "{html}");
        assert!(html.contains(
            "<tr><th scope=\"row\" data-label=\"Story\"><a href=\"/stories/9\">Dijkschade</a></th>"
        ));
        assert!(html.contains("<option value=\"\" selected>any story</option>"));
        // The filter is echoed back and kept in the page links.
        let only = StoriesForm { discrepancies: Some(true), page: 2, ..Default::default() };
        let html = stories_page(&[], &[], &only, true);
        assert!(html.contains("<option value=\"true\" selected>with discrepancies</option>"));
        assert!(html.contains("<a rel=\"next\" href=\"/?discrepancies=true&amp;page=3\">"), "{html}");
        assert!(only.is_filtered());
        let without = StoriesForm { discrepancies: Some(false), ..Default::default() };
        assert_eq!(without.query(), "discrepancies=false");
        assert!(stories_page(&[], &[], &without, false)
            .contains("<option value=\"false\" selected>without</option>"));
    }

    #[test]
    fn filters_are_echoed_back_escaped() {
        let form = StoriesForm {
            since: Some("2017-10\"><script>alert(1)</script>".into()),
            source: Some("Morgen & Blad".into()),
            min_articles: Some("2".into()),
            page: 2,
            ..StoriesForm::default()
        };
        let html = stories_page(&[summary(1, "<script>alert(2)</script>", &["<b>x</b>"])], &[], &form, true);
        assert_safe_page(&html);
        assert!(html.contains("value=\"2017-10&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
        assert!(html.contains("value=\"Morgen &amp; Blad\""));
        assert!(html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"));
        // Page links keep the filters, percent-encoded, and move the page.
        let q = "since=2017-10%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E&amp;source=Morgen%20%26%20Blad&amp;min_articles=2";
        assert!(html.contains(&format!("<a rel=\"prev\" href=\"/?{q}\">")), "{html}");
        assert!(html.contains(&format!("<a rel=\"next\" href=\"/?{q}&amp;page=3\">")));
    }

    #[test]
    fn form_query_and_offsets() {
        let form = StoriesForm { language: Some("nl".into()), page: 3, ..Default::default() };
        assert_eq!(form.query(), "language=nl");
        assert_eq!(form.offset(), 2 * STORIES_PAGE_SIZE);
        assert_eq!(form.page_href(1), "/?language=nl");
        assert_eq!(StoriesForm::default().page_href(1), "/");
        assert_eq!(StoriesForm { page: 0, ..Default::default() }.offset(), 0);
    }

    #[test]
    fn empty_listing_says_why() {
        let filtered = StoriesForm { source: Some("Nergens".into()), ..Default::default() };
        assert!(stories_page(&[], &[], &filtered, false).contains("No story matches these filters."));
        assert!(stories_page(&[], &[], &StoriesForm::default(), false).contains("No stories yet."));
    }
}
