//! The editor's controls: the corrections panel of a story page (merge, split, move, pin, keep
//! out) and of an article page (date, outlet, language), and the history of corrections with
//! an undo button each. The buttons send `POST /api/corrections` through `app.js` with the
//! write token the editor types in (kept for the browser session only); the pages render and
//! read without the script.

use std::fmt::Write;

use storyline_core::dossier::Dossier;
use storyline_core::{Precision, Published};
use storyline_store::corrections::CorrectionEvent;
use storyline_store::ArticleRecord;

use super::{escape, outlet_tag, time_tag};

/// The name and token fields and the status line every panel shares.
fn credentials(body: &mut String) {
    body.push_str(
        "<div class=\"editor\"><p class=\"muted\">Corrections are stored with your name and time, shown in the history, and can be undone. They need the server's write token.</p>\
         <p class=\"creds\"><label for=\"c-author\">Your name</label> <input id=\"c-author\" autocomplete=\"name\" maxlength=\"100\" size=\"18\">\
         <label for=\"c-token\">Write token</label> <input id=\"c-token\" type=\"password\" autocomplete=\"off\" size=\"18\"></p></div>\
         <noscript><p class=\"note\">The buttons need JavaScript; without it, use <code>POST /api/corrections</code> or <code>storyline correct</code>.</p></noscript>",
    );
}

/// The status line the script writes into.
const STATUS: &str = "<p class=\"status\" id=\"c-status\" role=\"status\" aria-live=\"polite\"></p>";

/// The corrections panel of a story page, for the reports `shown` on it.
pub(crate) fn story_panel(body: &mut String, d: &Dossier, shown: std::ops::Range<usize>) {
    let _ = write!(
        body,
        "<section id=\"correct\" aria-labelledby=\"correct-h\" data-story=\"{}\"><details class=\"correct\"><summary><h2 id=\"correct-h\">Correct this story</h2></summary>",
        d.id
    );
    credentials(body);
    body.push_str("<fieldset><legend>Merge</legend><label for=\"c-into\">Merge this story into story</label> <input id=\"c-into\" data-enter=\"merge\" inputmode=\"numeric\" pattern=\"[0-9]+\" size=\"8\"> <button type=\"button\" data-correct=\"merge\">Merge</button></fieldset>");
    body.push_str("<fieldset><legend>Reports</legend><ul class=\"picks\">");
    for i in shown {
        let r = &d.articles[i];
        let id = escape(&r.id);
        let _ = write!(
            body,
            "<li><input type=\"checkbox\" class=\"pick\" id=\"pick-{n}\" value=\"{id}\"> <label for=\"pick-{n}\">{title} <span class=\"muted\">{outlet} · {date}</span></label> \
             <span class=\"acts\"><button type=\"button\" data-correct=\"pin\" data-article=\"{id}\" title=\"The machine never moves it\">Pin</button> \
             <button type=\"button\" data-correct=\"keep_out\" data-article=\"{id}\" title=\"A story of its own; never rejoins this one\">Keep out</button></span></li>",
            n = i + 1,
            title = escape(&r.title),
            outlet = outlet_tag(r.source.as_deref()),
            date = time_tag(r.published.as_ref()),
        );
    }
    body.push_str("</ul><p class=\"ticked\"><button type=\"button\" data-correct=\"split\">Split the ticked reports into a new story</button></p>");
    body.push_str("<p class=\"ticked\"><label for=\"c-to\">Move the ticked reports to story</label> <input id=\"c-to\" data-enter=\"move\" inputmode=\"numeric\" pattern=\"[0-9]+\" size=\"8\"> <button type=\"button\" data-correct=\"move\">Move</button></p></fieldset>");
    body.push_str(STATUS);
    body.push_str("</details></section>\n");
}

/// The corrections panel of an article page.
pub(crate) fn article_panel(body: &mut String, record: &ArticleRecord) {
    let a = &record.article;
    let _ = write!(
        body,
        "<section id=\"correct\" aria-labelledby=\"correct-h\" data-article=\"{}\"><details class=\"correct\"><summary><h2 id=\"correct-h\">Correct this article</h2></summary>",
        escape(&a.id)
    );
    credentials(body);
    let _ = write!(
        body,
        "<fieldset><legend>Date, outlet, language</legend><p class=\"fields\">\
         <label for=\"c-published\">Published</label> <input id=\"c-published\" data-enter=\"set\" placeholder=\"2017-11-14\" value=\"{}\" size=\"22\"> \
         <label for=\"c-source\">Outlet</label> <input id=\"c-source\" data-enter=\"set\" value=\"{}\" size=\"18\"> \
         <label for=\"c-language\">Language</label> <input id=\"c-language\" data-enter=\"set\" value=\"{}\" size=\"4\" maxlength=\"3\"></p>\
         <p class=\"muted\">A date at its precision: a year, a month (2017-11), a day (2017-11-14) or a time (2017-11-14T09:30:00Z).</p>\
         <button type=\"button\" data-correct=\"set\">Save</button></fieldset>",
        a.published.map(|p| escape(&p.to_string())).unwrap_or_default(),
        escape(a.source.as_deref().unwrap_or("")),
        escape(&a.language.code),
    );
    if record.story.is_some() {
        let id = escape(&a.id);
        let _ = write!(
            body,
            "<fieldset><legend>Its story</legend><button type=\"button\" data-correct=\"pin\" data-article=\"{id}\">Pin to its story</button> \
             <button type=\"button\" data-correct=\"keep_out\" data-article=\"{id}\">Keep out of its story</button> \
             <label for=\"c-to\">Move to story</label> <input id=\"c-to\" data-enter=\"move\" inputmode=\"numeric\" pattern=\"[0-9]+\" size=\"8\"> \
             <button type=\"button\" data-correct=\"move\" data-article=\"{id}\">Move</button></fieldset>"
        );
    }
    body.push_str(STATUS);
    body.push_str("</details></section>\n");
}

/// The history of corrections, newest first, each standing one with an undo button; nothing
/// when there is none.
pub(crate) fn history(body: &mut String, events: &[CorrectionEvent]) {
    if events.is_empty() {
        return;
    }
    let _ = write!(
        body,
        "<section id=\"history\" aria-labelledby=\"history-h\"><h2 id=\"history-h\">History <span class=\"count\">{}</span></h2><ol class=\"history\">",
        events.len()
    );
    for e in events {
        let when = time_tag(Some(&Published { unix: e.at, precision: Precision::Second }));
        let _ = write!(
            body,
            "<li id=\"correction-{id}\" class=\"{class}\"><span class=\"num\">#{id}</span> {when} <strong>{author}</strong>: {summary}",
            id = e.id,
            class = if e.undone_by.is_some() { "undone" } else { "standing" },
            author = escape(&e.author),
            summary = escape(&e.summary),
        );
        match (e.undone_by, e.action()) {
            (Some(by), _) => {
                let _ = write!(body, " <small class=\"muted\">(undone by #{by})</small>");
            }
            (None, "undo") => {}
            (None, _) => {
                let _ = write!(
                    body,
                    " <button type=\"button\" data-correct=\"undo\" data-correction=\"{}\">Undo</button>",
                    e.id
                );
            }
        }
        body.push_str("</li>");
    }
    body.push_str("</ol></section>\n");
}
