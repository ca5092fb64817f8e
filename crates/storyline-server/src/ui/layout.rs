//! The frame every page shares: document head with its security policy, the site header with
//! navigation and a search box, and the footer; plus the error page.

use super::escape;

/// The Content-Security-Policy every page carries: nothing from elsewhere, no inline script,
/// no inline style.
pub(crate) const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'";

/// Which navigation entry a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Stories,
    Search,
    Feeds,
    Other,
}

/// A whole page around `body` (already escaped markup). `query` fills the header's search box.
pub(crate) fn page(title: &str, section: Section, query: &str, body: &str) -> String {
    let current = |s: Section| if s == section { " aria-current=\"page\"" } else { "" };
    let mut out = String::with_capacity(body.len() + 2048);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n", escape(CSP)));
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.push_str(&format!("<title>{} · storyline</title>\n", escape(title)));
    out.push_str("<link rel=\"stylesheet\" href=\"/assets/style.css\">\n");
    out.push_str("<script src=\"/assets/app.js\" defer></script>\n</head>\n<body>\n");
    out.push_str("<a class=\"skip\" href=\"#main\">Skip to content</a>\n");
    out.push_str("<header class=\"site\"><div class=\"wrap bar\">");
    out.push_str("<a class=\"brand\" href=\"/\">storyline</a>");
    out.push_str(&format!(
        "<nav aria-label=\"Main\"><a href=\"/\"{}>Stories</a><a href=\"/search\"{}>Search</a><a href=\"/feeds\"{}>Feeds</a></nav>",
        current(Section::Stories),
        current(Section::Search),
        current(Section::Feeds)
    ));
    out.push_str(&format!(
        "<form class=\"quick\" action=\"/search\" method=\"get\" role=\"search\"><label class=\"sr-only\" for=\"quick-q\">Search articles</label><input id=\"quick-q\" type=\"search\" name=\"q\" value=\"{}\" placeholder=\"Search articles\" autocomplete=\"off\"><button type=\"submit\">Search</button></form>",
        escape(query)
    ));
    out.push_str("</div></header>\n<main id=\"main\" class=\"wrap\">\n");
    out.push_str(body);
    out.push_str("\n</main>\n<footer class=\"site\"><div class=\"wrap\">storyline — one story across outlets and over time. <a href=\"/api/openapi.json\">API</a></div></footer>\n</body>\n</html>\n");
    out
}

/// The reason phrase of the statuses pages report.
fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        413 => "Request too large",
        415 => "Unsupported media type",
        422 => "Unprocessable request",
        429 => "Too many requests",
        500 => "Internal error",
        503 => "Service unavailable",
        s if (400..500).contains(&s) => "Request error",
        _ => "Server error",
    }
}

/// A page saying what went wrong: the status, its reason and `message` (escaped).
pub fn error_page(status: u16, message: &str) -> String {
    let heading = format!("{status} {}", reason(status));
    let body = format!(
        "<section class=\"error-page\"><h1>{}</h1><p class=\"lead\">{}</p><p><a href=\"/\">Back to the stories</a> · <a href=\"/search\">Search the articles</a></p></section>",
        escape(&heading),
        escape(message)
    );
    page(&heading, Section::Other, "", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_has_viewport_policy_and_language() {
        let html = page("Test", Section::Stories, "", "<p>x</p>");
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<html lang=\"en\">"));
        assert!(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
        assert!(html.contains("http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;self&#39;; script-src &#39;self&#39;; style-src &#39;self&#39;; img-src &#39;self&#39; data:"));
        assert!(html.contains("<a href=\"/\" aria-current=\"page\">Stories</a>"));
        // No inline script, no inline handlers, nothing from elsewhere.
        assert_eq!(html.matches("<script").count(), 1);
        assert!(html.contains("<script src=\"/assets/app.js\" defer></script>"));
        assert!(!crate::ui::testutil::has_event_handler(&html), "no event handler attributes");
        assert!(!html.contains("http://") && !html.contains("https://"));
    }

    #[test]
    fn error_page_escapes_the_message() {
        let html = error_page(404, "no story <script>alert(1)</script>");
        assert!(html.contains("<h1>404 Not found</h1>"));
        assert!(html.contains("no story &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>alert"));
        assert!(error_page(418, "x").contains("418 Request error"));
    }

    #[test]
    fn search_box_echoes_the_query_escaped() {
        let html = page("t", Section::Search, "\"><script>x</script>", "");
        assert!(html.contains("value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""));
    }
}
