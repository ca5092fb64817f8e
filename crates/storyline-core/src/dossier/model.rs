//! The dossier's output types: what a story's reports say side by side.

use serde::{Deserialize, Serialize};

use crate::date::Published;

/// One story laid out: its reports in order, who said what, its figures and where they disagree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dossier {
    /// The story's id (the store's story number; 0 for an ad-hoc set of articles).
    pub id: i64,
    /// A representative title.
    pub title: String,
    /// Publication of the earliest dated report.
    pub first_published: Option<Published>,
    /// Publication of the latest dated report.
    pub last_published: Option<Published>,
    /// Outlets, alphabetically (reports without an outlet are not listed).
    pub sources: Vec<String>,
    /// Language codes, alphabetically.
    pub languages: Vec<String>,
    /// The timeline: every report in publication order (undated reports after the dated
    /// ones, in the order given), each with what it adds.
    pub articles: Vec<Report>,
    /// Discrepancies first: figures that disagree between reports, and updates.
    pub discrepancies: Vec<Discrepancy>,
    /// Claims one report makes that another contradicts (beyond numbers).
    pub contradictions: Vec<Contradiction>,
    /// Quotes, grouped by speaker (speakers in order of first appearance), each quote once
    /// with every report that carries it.
    pub quotes: Vec<QuoteEntry>,
    /// Every figure, grouped by what it counts.
    pub figures: Vec<Figure>,
    /// The story's reports in all: more than `articles` holds when the story is too large to
    /// read whole (see the store's `DOSSIER_REPORTS`), and the dossier is of its first and
    /// latest reports.
    #[serde(default)]
    pub reports_total: u64,
}

/// One report on the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Outlet.
    pub source: Option<String>,
    /// Publication time at its precision.
    pub published: Option<Published>,
    /// Language code.
    pub language: String,
    /// Address.
    pub url: Option<String>,
    /// The earlier report this one nearly copies.
    pub near_duplicate_of: Option<String>,
    /// How the report stands in the story: first report, follow-up with news, repeat.
    pub role: ReportRole,
    /// What it adds that no earlier report had.
    pub adds: Adds,
    /// When the outlet revised the report: what its latest version (the one shown) changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<Revision>,
}

/// How a revised report differs from its previous version (see [`super::revision::changes`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    /// The version shown (2 for the first revision).
    pub version: u32,
    /// The previous version's publication time.
    pub previous_published: Option<Published>,
    /// The previous version's headline, when the revision changed it.
    pub previous_title: Option<String>,
    /// What changed in figures and quotes.
    pub changes: Vec<super::revision::Change>,
}

impl Revision {
    /// One line for readers: the version, the previous version's date, and what changed
    /// (`version 2, revised from the version of 2025-10-11T14:20:00Z: zo'n 250 → zo'n 300
    /// strijders`).
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self.changes.iter().map(ToString::to_string).collect();
        if let Some(t) = &self.previous_title {
            parts.push(format!("headline was “{t}”"));
        }
        if parts.is_empty() {
            parts.push("wording only, no figure or quote changed".into());
        }
        format!(
            "version {}, revised from the version of {}: {}",
            self.version,
            super::date_label(self.previous_published),
            parts.join("; ")
        )
    }
}

/// How a report stands in its story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportRole {
    /// The first report of the story.
    First,
    /// A report with new facts, published soon after the earlier ones.
    NewFacts,
    /// A report published days or weeks after the earlier ones (or undated after dated
    /// ones) that brings new facts: it breaks news in a running story.
    FollowUp,
    /// A report that changes an earlier figure.
    Update,
    /// A report that adds little or nothing (a wire copy, a rewrite).
    Repeat,
}

impl ReportRole {
    /// A short label for text output.
    pub fn label(self) -> &'static str {
        match self {
            ReportRole::First => "first report",
            ReportRole::NewFacts => "new facts",
            ReportRole::FollowUp => "follow-up with new facts",
            ReportRole::Update => "update",
            ReportRole::Repeat => "repeat",
        }
    }
}

/// What a report adds that no earlier report in the story had.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Adds {
    /// New people, by name.
    pub people: Vec<String>,
    /// New organisations.
    pub organizations: Vec<String>,
    /// New places.
    pub places: Vec<String>,
    /// New figures, as written (`3.500 familieleden`).
    pub figures: Vec<String>,
    /// New quotes: the speaker and the quoted words.
    pub quotes: Vec<AddedQuote>,
    /// New time references, as written, with their resolved value when known.
    pub times: Vec<String>,
    /// New credited sources (`BBC`), from the quotes' non-person speakers and the credit line.
    pub sources: Vec<String>,
    /// New key words: words of the headline, or repeated in the text, that no earlier report
    /// used (`geheime`, `deal`); names are left to the lists above.
    pub terms: Vec<String>,
}

impl Adds {
    /// How many new facts: names, figures, quotes, time references and sources (key words
    /// are not counted: a rewrite uses new words without adding facts).
    pub fn count(&self) -> usize {
        self.people.len()
            + self.organizations.len()
            + self.places.len()
            + self.figures.len()
            + self.quotes.len()
            + self.times.len()
            + self.sources.len()
    }

    /// Whether it adds no new fact.
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }
}

/// A quote a report adds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddedQuote {
    /// The speaker as named, if known.
    pub speaker: Option<String>,
    /// The quoted words.
    pub text: String,
}

/// Where a report stands: for provenance lines in quotes, figures and discrepancies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Carrier {
    /// Article id.
    pub id: String,
    /// Outlet.
    pub source: Option<String>,
    /// Publication time.
    pub published: Option<Published>,
}

/// One quote, once, with every report that carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteEntry {
    /// The speaker, in the fullest form any report gives (`None` when unattributed).
    pub speaker: Option<String>,
    /// The speaker's entity key when the speaker is a named entity.
    pub speaker_key: Option<String>,
    /// The speaker's role or function as a report gives it (`kolonel`).
    pub role: Option<String>,
    /// The quoted words, from the earliest report that carries them.
    pub text: String,
    /// `direct`, `pull` or `indirect`.
    pub kind: crate::analyze::QuoteKind,
    /// The reports that carry it, in timeline order.
    pub articles: Vec<Carrier>,
}

/// Every value given for one counted thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// What is counted, readable: the noun with its modifiers and unit (`strijder (IS)`).
    pub subject: String,
    /// A normalised key for the subject (`strijder|islamitische-staat`).
    pub subject_key: String,
    /// The values in timeline order.
    pub values: Vec<FigureValue>,
}

/// One value of a figure, with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureValue {
    /// The value.
    pub value: f64,
    /// Lower bound (`meer dan honderd`: 100), when the text gives or implies one.
    pub min: Option<f64>,
    /// Upper bound (`hooguit`, `bijna`, the top of a range).
    pub max: Option<f64>,
    /// Whether the text says it is approximate.
    pub approx: bool,
    /// The value as a reader would say it (`about 250`, `more than 100`, `6–7`).
    pub display: String,
    /// The expression as written.
    pub text: String,
    /// Article id.
    pub article: String,
    /// Outlet.
    pub source: Option<String>,
    /// Publication time.
    pub published: Option<Published>,
    /// The sentence it comes from.
    pub sentence: String,
}

/// How two reports' values for one thing relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscrepancyKind {
    /// The reports disagree.
    Conflict,
    /// A later report gives a new value, saying or implying that it changed (a toll that
    /// rose); shown with its date.
    Update,
}

/// Reports that give different values for the same counted thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discrepancy {
    /// What is counted (as in [`Figure::subject`]).
    pub subject: String,
    /// Its key (as in [`Figure::subject_key`]).
    pub subject_key: String,
    /// A conflict or an update.
    pub kind: DiscrepancyKind,
    /// The values that disagree, one per report, in timeline order.
    pub values: Vec<FigureValue>,
    /// One line saying what disagrees (`strijder (IS): 275 (Outlet A, 2017-10) vs about 250
    /// (Outlet B, undated)`).
    pub explanation: String,
}

/// A claim in one report that another report contradicts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contradiction {
    /// What the claims are about (`buitenlandse strijder`).
    pub subject: String,
    /// One line saying what contradicts what.
    pub explanation: String,
    /// The report that denies or excludes it, and its sentence.
    pub denied: Evidence,
    /// The report that affirms it, and its sentence.
    pub affirmed: Evidence,
}

/// A sentence from a report, as evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The report.
    #[serde(flatten)]
    pub carrier: Carrier,
    /// The sentence.
    pub sentence: String,
}

/// Two articles side by side: whether they report one story, why, and how they differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The first article (as given), with what it adds to the second.
    pub a: Report,
    /// The second article, with what it adds to the first.
    pub b: Report,
    /// Whether storyline would put them in one story.
    pub same_story: bool,
    /// How sure, in `[0, 1]`: the clustering model's probability that the later article
    /// reports the earlier one's story.
    pub confidence: f32,
    /// The clustering model's probability for the pair (the same as `confidence`).
    pub score: f32,
    /// The probability needed to join.
    pub threshold: f32,
    /// What they share.
    pub shared: Shared,
    /// Figures that disagree, in the dossier's format.
    pub discrepancies: Vec<Discrepancy>,
    /// Claims one makes and the other contradicts.
    pub contradictions: Vec<Contradiction>,
    /// Quotes of both, each once with the articles that carry it.
    pub quotes: Vec<QuoteEntry>,
}

/// The evidence two articles share.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    /// People named in both.
    pub people: Vec<String>,
    /// Organisations named in both.
    pub organizations: Vec<String>,
    /// Places named in both.
    pub places: Vec<String>,
    /// Counted things both give a figure for (`strijder (IS)`), agreeing or not.
    pub figures: Vec<String>,
    /// Resolved dates both refer to.
    pub times: Vec<String>,
    /// People quoted in both.
    pub speakers: Vec<String>,
    /// Distinctive words both use, most frequent first.
    pub words: Vec<String>,
    /// Share of distinct content words in common (Jaccard, `[0, 1]`).
    pub word_overlap: f32,
    /// Days between their publication dates, when both are dated.
    pub days_apart: Option<f64>,
}
