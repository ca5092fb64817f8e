//! The search page: the query form with its filters, and the ranked hits grouped by story with
//! the matching words marked in their titles and snippets.

use std::fmt::Write;

use storyline_store::{SearchHit, SearchResults};

use super::layout::{page, Section};
use super::{
    article_href, escape, mark_ranges, outlet_tag, paged_href, plural, query_string, story_href, time_tag,
};

/// How many hits a search page shows.
pub const SEARCH_PAGE_SIZE: usize = 20;

/// The search form as the visitor filled it in, echoed back into the form and the page links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchForm {
    /// The words to find (`q`).
    pub q: Option<String>,
    /// Only this outlet (`source`).
    pub source: Option<String>,
    /// Only this language (`language`).
    pub language: Option<String>,
    /// Published on or after (`since`).
    pub since: Option<String>,
    /// Published before the end of (`until`).
    pub until: Option<String>,
    /// Only articles naming this entity key, like `ryan-dillon` (`entity`).
    pub entity: Option<String>,
    /// The page of hits, counting from 1 (`page`; 0 reads as 1).
    pub page: usize,
}

impl Default for SearchForm {
    fn default() -> Self {
        SearchForm { q: None, source: None, language: None, since: None, until: None, entity: None, page: 1 }
    }
}

impl SearchForm {
    /// The page, counting from 1.
    pub fn page(&self) -> usize {
        self.page.max(1)
    }

    /// How many hits to skip for this page.
    pub fn offset(&self) -> usize {
        (self.page() - 1) * SEARCH_PAGE_SIZE
    }

    /// The form as a query string, empty values left out, without the page.
    pub fn query(&self) -> String {
        let v = |o: &Option<String>| o.as_deref().unwrap_or("").to_string();
        query_string(&[
            ("q", &v(&self.q)),
            ("source", &v(&self.source)),
            ("language", &v(&self.language)),
            ("since", &v(&self.since)),
            ("until", &v(&self.until)),
            ("entity", &v(&self.entity)),
        ])
    }

    /// The address of another page of the same search.
    pub fn page_href(&self, page: usize) -> String {
        paged_href("/search", &self.query(), page)
    }

    /// Whether there is anything to search for (words or an entity).
    pub fn has_query(&self) -> bool {
        [&self.q, &self.entity].iter().any(|o| o.as_deref().is_some_and(|s| !s.trim().is_empty()))
    }
}

fn field(id: &str, label: &str, value: &Option<String>, placeholder: &str) -> String {
    format!(
        "<div class=\"field\"><label for=\"s-{id}\">{label}</label><input id=\"s-{id}\" name=\"{id}\" type=\"text\" value=\"{}\" placeholder=\"{}\"></div>",
        escape(value.as_deref().unwrap_or("")),
        escape(placeholder)
    )
}

fn hit(body: &mut String, h: &SearchHit) {
    let _ = write!(
        body,
        "<li class=\"hit\"><h4><a href=\"{}\">{}</a></h4><p class=\"meta\">{} · {} · <span class=\"lang\">{}</span> · <span class=\"score\" title=\"relevance\">score {:.2}</span></p><p class=\"snippet\">{}</p></li>",
        escape(&article_href(&h.id)),
        mark_ranges(&h.title, &h.title_highlights),
        outlet_tag(h.source.as_deref()),
        time_tag(h.published.as_ref()),
        escape(&h.language),
        h.score,
        mark_ranges(&h.snippet, &h.snippet_highlights)
    );
}

/// The search page: the form, and when a search ran, its hits grouped by story (in the order of
/// each story's best hit; articles without a story together in a group of their own).
pub fn search_page(
    form: &SearchForm,
    results: Option<&SearchResults>,
    story_titles: &[(i64, String)],
) -> String {
    let q = form.q.as_deref().unwrap_or("");
    let mut body = String::new();
    body.push_str("<h1>Search</h1>\n");
    body.push_str("<form class=\"filters search-form\" action=\"/search\" method=\"get\" role=\"search\">");
    let _ = write!(
        body,
        "<div class=\"field wide\"><label for=\"s-q\">Words</label><input id=\"s-q\" name=\"q\" type=\"search\" value=\"{}\" placeholder=\"konvooi, brug Zwolle\"></div>",
        escape(q)
    );
    body.push_str(&field("source", "Outlet", &form.source, "any outlet"));
    body.push_str(&field("language", "Language", &form.language, "nl, en"));
    body.push_str(&field("since", "Since", &form.since, "2017-10-01"));
    body.push_str(&field("until", "Until", &form.until, "2017-12"));
    body.push_str(&field("entity", "Entity", &form.entity, "ryan-dillon"));
    body.push_str("<div class=\"field actions\"><button type=\"submit\">Search</button></div></form>\n");

    match results {
        None => {
            body.push_str("<p class=\"lead\">Search every stored article. Dutch and English words match their other forms (<em>konvooi</em> finds <em>konvooien</em>); results are ranked and grouped by story.</p>\n");
        }
        Some(r) if r.hits.is_empty() => {
            let what = if q.trim().is_empty() {
                "this search".to_string()
            } else {
                format!("“{}”", escape(q.trim()))
            };
            let _ = writeln!(
                body,
                "<p class=\"empty no-results\">No results for {what}. Try fewer words or fewer filters.</p>"
            );
        }
        Some(r) => {
            let first = form.offset() + 1;
            let last = form.offset() + r.hits.len();
            let _ = writeln!(
                body,
                "<p class=\"total\"><strong>{}</strong>{}</p>",
                plural(r.total, "result", "results"),
                if r.total as usize > r.hits.len() {
                    format!(", showing {first}–{last}")
                } else {
                    String::new()
                }
            );
            // Groups in order of their best hit.
            let mut groups: Vec<(Option<i64>, Vec<&SearchHit>)> = Vec::new();
            for h in &r.hits {
                match groups.iter_mut().find(|(s, _)| *s == h.story) {
                    Some((_, list)) => list.push(h),
                    None => groups.push((h.story, vec![h])),
                }
            }
            body.push_str("<div class=\"results\">");
            for (story, hits) in &groups {
                body.push_str("<section class=\"group\">");
                match story {
                    Some(id) => {
                        let title = story_titles
                            .iter()
                            .find(|(s, _)| s == id)
                            .map(|(_, t)| escape(t))
                            .unwrap_or_else(|| format!("Story {id}"));
                        let _ = write!(
                            body,
                            "<h3 class=\"group-title\"><span class=\"kicker\">Story</span> <a href=\"{}\">{title}</a> <span class=\"count\">{}</span></h3>",
                            escape(&story_href(*id)),
                            hits.len()
                        );
                    }
                    None => {
                        let _ = write!(body, "<h3 class=\"group-title\">Articles without a story <span class=\"count\">{}</span></h3>", hits.len());
                    }
                }
                body.push_str("<ol class=\"hits\">");
                for h in hits {
                    hit(&mut body, h);
                }
                body.push_str("</ol></section>\n");
            }
            body.push_str("</div>\n");
            let has_next = (form.offset() + r.hits.len()) < r.total as usize;
            if form.page() > 1 || has_next {
                body.push_str("<nav class=\"pager\" aria-label=\"Pages\">");
                if form.page() > 1 {
                    let _ = write!(
                        body,
                        "<a rel=\"prev\" href=\"{}\">← Previous</a>",
                        escape(&form.page_href(form.page() - 1))
                    );
                }
                if has_next {
                    let _ = write!(
                        body,
                        "<a rel=\"next\" href=\"{}\">Next →</a>",
                        escape(&form.page_href(form.page() + 1))
                    );
                }
                body.push_str("</nav>\n");
            }
        }
    }
    let title = if q.trim().is_empty() { "Search".to_string() } else { format!("{} – Search", q.trim()) };
    page(&title, Section::Search, q, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testutil::{assert_safe_page, day};

    fn hit(id: &str, title: &str, story: Option<i64>, score: f64) -> SearchHit {
        SearchHit {
            id: id.into(),
            title: title.into(),
            source: Some("Morgenblad".into()),
            published: day(2017, 10, 17),
            language: "nl".into(),
            story,
            score,
            snippet: "… het konvooi met 275 strijders vertrok …".into(),
            snippet_highlights: vec![(6, 13)],
            title_highlights: vec![(0, 7)],
        }
    }

    #[test]
    fn hits_are_grouped_by_story_in_rank_order() {
        let results = SearchResults {
            total: 4,
            hits: vec![
                hit("a", "Konvooi verlaat Raqqa", Some(2), 9.5),
                hit("b", "Geheime deal", None, 7.0),
                hit("c", "Konvooi: BBC onthult", Some(2), 6.1),
                hit("d", "Los", None, 1.0),
            ],
        };
        let form = SearchForm { q: Some("konvooi".into()), ..Default::default() };
        let html = search_page(&form, Some(&results), &[(2, "IS-strijders verlaten Raqqa".into())]);
        assert_safe_page(&html);
        assert!(html.contains("<strong>4 results</strong>"));
        assert_eq!(html.matches("<section class=\"group\">").count(), 2);
        let story = html.find("<a href=\"/stories/2\">IS-strijders verlaten Raqqa</a>").unwrap();
        let loose = html.find("Articles without a story").unwrap();
        assert!(story < loose);
        // Both story hits sit under the story's heading, before the loose group.
        let (a, c) = (html.find("/articles/a").unwrap(), html.find("/articles/c").unwrap());
        assert!(story < a && a < c && c < loose);
        assert!(html.contains("<a href=\"/articles/a\"><mark>Konvooi</mark> verlaat Raqqa</a>"));
        assert!(html.contains("… het <mark>konvooi</mark> met 275 strijders vertrok …"));
        assert!(html.contains("score 9.50"));
        assert!(html.contains("value=\"konvooi\""));
    }

    #[test]
    fn no_results_and_no_search() {
        let form = SearchForm { q: Some("<script>alert(1)</script>".into()), ..Default::default() };
        let html = search_page(&form, Some(&SearchResults { total: 0, hits: vec![] }), &[]);
        assert_safe_page(&html);
        assert!(html.contains("No results for “&lt;script&gt;alert(1)&lt;/script&gt;”"));
        assert!(!html.contains("<script>alert"));
        let html = search_page(&SearchForm::default(), None, &[]);
        assert!(html.contains("Search every stored article"));
        assert!(!html.contains("No results"));
    }

    #[test]
    fn filters_are_echoed_back_escaped_and_paged() {
        let form = SearchForm {
            q: Some("brug \"zwolle\"".into()),
            source: Some("<b>Dagkoerier</b>".into()),
            entity: Some("pieter-hals".into()),
            page: 2,
            ..Default::default()
        };
        let results = SearchResults {
            total: 45,
            hits: (0..SEARCH_PAGE_SIZE).map(|i| hit(&format!("h{i}"), "Brug", Some(1), 1.0)).collect(),
        };
        let html = search_page(&form, Some(&results), &[]);
        assert_safe_page(&html);
        assert!(html.contains("value=\"brug &quot;zwolle&quot;\""));
        assert!(html.contains("value=\"&lt;b&gt;Dagkoerier&lt;/b&gt;\""));
        assert!(html.contains("showing 21–40"));
        let q = "q=brug%20%22zwolle%22&amp;source=%3Cb%3EDagkoerier%3C%2Fb%3E&amp;entity=pieter-hals";
        assert!(html.contains(&format!("<a rel=\"prev\" href=\"/search?{q}\">")), "{html}");
        assert!(html.contains(&format!("<a rel=\"next\" href=\"/search?{q}&amp;page=3\">")));
        assert!(html.contains("<a href=\"/stories/1\">Story 1</a>"));
        assert_eq!(SearchForm::default().page_href(2), "/search?page=2");
        assert_eq!(SearchForm::default().page_href(1), "/search");
    }
}
