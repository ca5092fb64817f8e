//! Online story clustering: each arriving article joins the story it reports or starts a new
//! one, across outlets, over weeks and across languages.
//!
//! # How an article is placed
//!
//! 1. **Features** ([`features`]): stems of the text and title (stopwords removed, hashed with
//!    the language) and language-independent keys from the analysis: entity keys, figure values
//!    (alone and with their counted noun), resolved dates and the publication day.
//! 2. **Weighting**: stems and keys are weighted by inverse document frequency from statistics
//!    that grow online with every article; keys also by kind (people and organisations weigh
//!    more than places, figures and exact days more than years). The article becomes three unit
//!    vectors: text, title and keys.
//! 3. **Candidates**: an inverted index over the *active* stories maps the article's heaviest
//!    stems and its keys to stories; the stories that share the most weight are scored, never a
//!    scan of all stories.
//! 4. **Score** of a candidate story: a weighted sum of the cosines of the article's vectors with
//!    the story's centroids (text and title in the article's language, keys across languages),
//!    where the stem part decays within hours of the story's span and the key part (names,
//!    figures, places, dates) over days, so reports days apart join through what they name.
//!    A report dated only by day or month is as close as any instant of that period. A burst
//!    bonus helps a story whose latest report is seconds old, never on its own (the words and
//!    names must reach [`Settings::burst_min_score`] first). A story with no
//!    report in the article's language is compared on keys alone, so a Dutch and an English
//!    report of one event join through names, figures and dates. Two factors lower the score
//!    on every path: dates that all lie far apart ([`Settings::date_conflict`]: a report of
//!    2017 is not about an event of 2025), and, when only one side is dated, disjoint leading
//!    names ([`Settings::anchor_conflict`]: a convoy from another town with other spokesmen is
//!    another convoy, however alike the wording); between two undated sides, an archive, the milder
//!    [`Settings::undated_anchor_conflict`] over more leading names).
//! 5. **Decision**: the best-scoring story (ties: the lowest story id) is joined when the score
//!    reaches [`Settings::threshold`] ([`Settings::headline_threshold`] for a headline without a
//!    body, whose few words can share only a few); otherwise the follow-up index is asked; otherwise the
//!    article starts a new story whose id is its own sequence number.
//! 6. **Merge**: the first reports of one event often arrive minutes apart in words that hardly
//!    overlap, and start two stories that the next reports would then split between them. When
//!    an article joining one active story also reaches [`Settings::merge_threshold`] with
//!    another whose first report lies within [`Settings::merge_window_hours`] of the first's, the
//!    younger story is merged into the older ([`Assignment::merged`]); the store moves its
//!    reports, and the younger id leads to the older story from then on. Undated stories (an
//!    archive) have no first report in time: they merge when the article names a day that both
//!    stories name ([`Settings::undated_merge_days`]), never on words alone, which look-alike
//!    events share.
//!
//! # Memory and follow-ups
//!
//! A story stays active while it had a report in the last [`Settings::active_days`] (and while
//! fewer than [`Settings::max_active`] stories are newer). An older story moves to a compact
//! follow-up index keyed by its strongest keys (entities, figures), kept for
//! [`Settings::follow_up_days`]: a report weeks later that shares enough of those keys and scores
//! above [`Settings::follow_up_threshold`] rejoins it, and the story becomes active again. State
//! is bounded by these windows, not by the archive (a story updated within the last
//! [`Settings::window_articles`] articles stays, so an archive out of date order that moves the
//! clock years at once keeps the stories before the jump); only the document frequencies grow, with the
//! vocabulary.
//!
//! # Determinism
//!
//! Hash maps serve lookups only: candidates are sorted by score with ties broken by the lowest
//! story id, and every sum runs in a fixed order. The same articles in the same order with the
//! same settings give the same stories, and [`Clusterer::restore`] replays decided articles
//! into the same state.

mod features;
mod index;

use std::collections::{BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use features::KeyKind;
pub use features::{features, try_features, Features};
use index::{by_weight, normalize, truncate, Centroid, IdMap, Postings, Sparse};

/// Every threshold and weight of the clustering, with defaults tuned on the development sets
/// (ECB+, UCI headlines, MEANTIME Dutch–English pairs, and the demo corpus, whose stories run
/// over days and weeks).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Score at or above which an article joins the best active story.
    pub threshold: f32,
    /// The threshold for a headline without a body (a title-only feed item): a few words say
    /// less, so fewer shared ones must do.
    pub headline_threshold: f32,
    /// Weight of the cosine of text stems (same language).
    pub text_weight: f32,
    /// Weight of the cosine of title stems (same language).
    pub title_weight: f32,
    /// Weight of the cosine of language-independent keys when the story has reports in the
    /// article's language.
    pub keys_weight: f32,
    /// Weight of the key cosine when the story has no report in the article's language (the
    /// whole score across languages).
    pub cross_language_weight: f32,
    /// Share of the stem part and of the key part of the score that decays with time distance,
    /// in `[0, 1]` (never below `threshold / follow_up_threshold` of the part).
    pub time_weight: f32,
    /// Time constant in hours of the decay of the stem part of the score (text and title): at
    /// this distance its decaying share is down to 1/e. Short: similar wording hours apart is
    /// as often a look-alike story (the next day's market report) as the same one.
    pub time_scale_hours: f32,
    /// Time constant in hours of the decay of the key part of the score (names, figures, places,
    /// dates): shared keys carry a story over days and weeks, where shared words alone do not.
    pub keys_time_scale_hours: f32,
    /// Added to the score of a story whose latest report is moments old, decaying with
    /// [`Settings::burst_seconds`]: reports of one event come in bursts. Kept below
    /// [`Settings::threshold`], so a burst alone never joins an article to a story: some shared
    /// words or names must add the rest. 0 turns it off.
    pub burst_weight: f32,
    /// Time constant of the burst bonus in seconds.
    pub burst_seconds: f32,
    /// Score the shared words and names must reach on their own before the burst bonus is
    /// added: a burst says when, never what.
    pub burst_min_score: f32,
    /// The most recently updated stories always among the candidates (for the burst bonus).
    pub recent_candidates: usize,
    /// Weight of the best cosine with one of the story's recent reports (single link), against
    /// the centroid's cosine: the text similarity is the larger of the two.
    pub member_weight: f32,
    /// Recent reports kept per story for [`Settings::member_weight`].
    pub members: usize,
    /// Factor on the score when the article's dates (dates resolved to the day, the publication
    /// day or, when known only by month, its month) and the story's (the same, and the span of
    /// its publication times) are all more than [`Settings::date_tolerance_days`] apart: two
    /// look-alike events in different years. Applies on every path, the follow-up index and
    /// reports dated before the active window included. 1 turns it off.
    pub date_conflict: f32,
    /// Days two event dates may lie apart and still agree.
    pub date_tolerance_days: f32,
    /// Factor on the score when only one of the article and the story is dated (an undated
    /// report against a dated story, or the reverse: no time distance can tell two events
    /// apart) and the article's heaviest names (people, places, other names) and the story's
    /// are disjoint: the same kind of event (a convoy, an earthquake) in another town with other
    /// people is another event, however alike the wording. Between two dated sides the time
    /// decay and [`Settings::date_conflict`] do this work; between undated ones (an archive)
    /// reports of one event too often lead with different names. 1 turns it off.
    pub anchor_conflict: f32,
    /// Factor on the score when neither the article nor the story is dated (an archive) and
    /// their [`Settings::undated_anchor_keys`] heaviest names are disjoint. Milder than
    /// [`Settings::anchor_conflict`] and over more names: reports of one event often lead with
    /// different names, but two look-alike events (two fights, two quakes) share none of their
    /// leading ones. 1 turns it off.
    pub undated_anchor_conflict: f32,
    /// Heaviest names per side compared for [`Settings::undated_anchor_conflict`].
    pub undated_anchor_keys: usize,
    /// Heaviest names per side compared for [`Settings::anchor_conflict`].
    pub anchor_keys: usize,
    /// Distinct names each side needs before [`Settings::anchor_conflict`] applies (a headline
    /// with one name says too little about which event it is).
    pub anchor_min: usize,
    /// Keys (names, figures, dates; not the publication day) an article needs for the full
    /// key weight: with fewer, the key cosine counts in proportion (one shared country in a
    /// headline is weak evidence, a dozen shared names and figures strong).
    pub full_keys: f32,
    /// Key weight of a person.
    pub person_weight: f32,
    /// Key weight of an organisation.
    pub organization_weight: f32,
    /// Key weight of a place (countries are frequent, cities rarer: the frequency weighting
    /// separates them further).
    pub place_weight: f32,
    /// Key weight of another name (an event, a product, a law).
    pub other_weight: f32,
    /// Key weight of a figure's value.
    pub figure_weight: f32,
    /// Key weight of a figure's value with its counted noun.
    pub figure_noun_weight: f32,
    /// Key weight of a date resolved to the day.
    pub day_weight: f32,
    /// Key weight of a week or month.
    pub month_weight: f32,
    /// Key weight of a season or year.
    pub year_weight: f32,
    /// Key weight of the publication day.
    pub published_weight: f32,
    /// Stems kept per article vector (the heaviest by tf-idf).
    pub article_terms: usize,
    /// Stems kept per story centroid and language.
    pub story_terms: usize,
    /// Keys kept per story centroid.
    pub story_keys: usize,
    /// Heaviest stems of an article used to look up candidates.
    pub probe_terms: usize,
    /// Heaviest keys of an article used to look up candidates.
    pub probe_keys: usize,
    /// Candidate stories scored per article.
    pub candidates: usize,
    /// Index lists longer than this are skipped when looking up candidates (too common to
    /// tell stories apart).
    pub max_postings: usize,
    /// Index entries a story may hold.
    pub story_postings: usize,
    /// Days a story stays active after its latest report.
    pub active_days: f32,
    /// Most active stories kept (the least recently updated move to the follow-up index first).
    pub max_active: usize,
    /// Stories updated within this many latest articles neither leave the active set nor the
    /// follow-up index by age: an archive ingested out of date order moves the clock years at
    /// once, and the reports before the jump still have their stories. Bounds the extra memory
    /// by a number of stories, not by time.
    pub window_articles: usize,
    /// Days a story stays in the follow-up index after its latest report.
    pub follow_up_days: f32,
    /// Most stories kept in the follow-up index.
    pub max_follow_up: usize,
    /// Score at or above which an article rejoins a story from the follow-up index (no time
    /// decay applies there).
    pub follow_up_threshold: f32,
    /// Keys an article must share with a story in the follow-up index to be compared with it.
    pub follow_up_min_shared: usize,
    /// Keys per story in the follow-up index.
    pub follow_up_keys: usize,
    /// Stems per story and language in the follow-up index.
    pub follow_up_terms: usize,
    /// An article joining a story whose latest report is at least this many days older is
    /// marked as a follow-up.
    pub follow_up_gap_days: f32,
    /// Recent articles remembered for near-duplicate links (seq → story).
    pub remembered: usize,
    /// Score an article must reach with a second active story, besides the one it joins, to
    /// merge the two: the first reports of an event often arrive seconds apart in different
    /// words and start two stories, which the next reports then share. 0 turns merging off.
    pub merge_threshold: f32,
    /// Hours within which the two stories' first reports must lie to be merged (only young
    /// stories split at the start of one burst merge; two dated stories further apart stay
    /// apart).
    pub merge_window_hours: f32,
    /// Two stories without publication dates (an archive) merge only when the article and both
    /// stories name calendar days within this many days of each other: without publication
    /// times, the days a text names are the only sign that two stories began with the same
    /// event rather than a look-alike. Negative: undated stories are never merged.
    pub undated_merge_days: f32,
    /// Score an article must reach with a second undated story, besides the one it joins, to
    /// merge the two (when they name its day). Lower than [`Settings::merge_threshold`]: the
    /// shared day is the strong evidence here, the score only keeps apart stories that share
    /// nothing else.
    pub undated_merge_threshold: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threshold: 0.20,
            headline_threshold: 0.14,
            text_weight: 0.55,
            title_weight: 0.15,
            keys_weight: 0.30,
            cross_language_weight: 0.8,
            time_weight: 0.7,
            time_scale_hours: 3.0,
            keys_time_scale_hours: 168.0,
            burst_weight: 0.15,
            burst_seconds: 5.0,
            burst_min_score: 0.03,
            recent_candidates: 3,
            member_weight: 0.0,
            members: 8,
            date_conflict: 0.5,
            date_tolerance_days: 90.0,
            anchor_conflict: 0.5,
            undated_anchor_conflict: 0.7,
            undated_anchor_keys: 6,
            anchor_keys: 3,
            anchor_min: 3,
            full_keys: 10.0,
            person_weight: 1.5,
            organization_weight: 1.2,
            place_weight: 0.7,
            other_weight: 1.0,
            figure_weight: 0.8,
            figure_noun_weight: 0.8,
            day_weight: 0.8,
            month_weight: 0.4,
            year_weight: 0.2,
            published_weight: 0.2,
            article_terms: 64,
            story_terms: 256,
            story_keys: 96,
            probe_terms: 12,
            probe_keys: 12,
            candidates: 24,
            max_postings: 4096,
            story_postings: 512,
            active_days: 7.0,
            max_active: 100_000,
            window_articles: 1000,
            follow_up_days: 120.0,
            max_follow_up: 200_000,
            follow_up_threshold: 0.28,
            follow_up_min_shared: 2,
            follow_up_keys: 24,
            follow_up_terms: 64,
            follow_up_gap_days: 7.0,
            remembered: 1_000_000,
            merge_threshold: 0.15,
            merge_window_hours: 1.0,
            undated_merge_days: 1.0,
            undated_merge_threshold: 0.1,
        }
    }
}

impl Settings {
    fn kind_weight(&self, kind: KeyKind) -> f32 {
        match kind {
            KeyKind::Person => self.person_weight,
            KeyKind::Organization => self.organization_weight,
            KeyKind::Place => self.place_weight,
            KeyKind::Other => self.other_weight,
            KeyKind::Figure => self.figure_weight,
            KeyKind::FigureNoun => self.figure_noun_weight,
            KeyKind::Day => self.day_weight,
            KeyKind::Month => self.month_weight,
            KeyKind::Year => self.year_weight,
            KeyKind::Published => self.published_weight,
        }
    }
}

/// The decision for one article.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Assignment {
    /// The story joined or started: the sequence number of the story's first article.
    pub story: i64,
    /// The score with the joined story (1 for a near-duplicate; for a new story, the best
    /// score that fell short of the threshold, 0 when there was no candidate).
    pub score: f32,
    /// Whether the article started a new story.
    pub new_story: bool,
    /// Whether the article continues a story after a gap (from the follow-up index, or at least
    /// [`Settings::follow_up_gap_days`] after the story's latest report).
    pub follow_up: bool,
    /// A story merged into `story` by this article (see [`Settings::merge_threshold`]): its
    /// reports now belong to `story`, and its id is no longer used.
    pub merged: Option<i64>,
}

/// An article's weighted vectors, ready for comparison.
struct Query {
    lang: u64,
    time: Option<i64>,
    time_end: Option<i64>,
    precise: bool,
    days: Vec<i64>,
    terms: Sparse,
    title: Sparse,
    keys: Sparse,
    /// Index keys to look candidates up with, and to post for the story joined.
    probes: Sparse,
    /// The names among the keys (people, places, other names), weighted as in `keys`.
    anchors: Sparse,
    /// The heaviest of `anchors` ([`Settings::anchor_keys`]), sorted by hash.
    top_anchors: Vec<u64>,
    /// The heaviest of `anchors` ([`Settings::undated_anchor_keys`]), sorted by hash.
    undated_anchors: Vec<u64>,
    /// Share of the key weight the article's keys earn: below [`Settings::full_keys`] keys
    /// (the publication day not counted), a key match is weaker evidence.
    key_support: f32,
    /// The join threshold for this article (lower for a headline without a body).
    threshold: f32,
}

/// What is kept of a story (active, or compacted in the follow-up index).
#[derive(Debug, Clone)]
struct Story {
    id: i64,
    articles: u32,
    /// Text centroid per language hash.
    text: Vec<(u64, Centroid)>,
    /// Title centroid per language hash.
    title: Vec<(u64, Centroid)>,
    keys: Centroid,
    /// The names among the keys (people, places, other names).
    anchors: Centroid,
    /// The heaviest of `anchors` ([`Settings::anchor_keys`]), sorted by hash.
    top_anchors: Vec<u64>,
    /// The heaviest of `anchors` ([`Settings::undated_anchor_keys`]), sorted by hash.
    undated_anchors: Vec<u64>,
    /// Calendar days the story's reports are about (a few), sorted.
    days: Vec<i64>,
    /// The latest reports' text vectors with their language, oldest first.
    members: VecDeque<(u64, Sparse)>,
    first_time: Option<i64>,
    last_time: Option<i64>,
    /// The end of the latest publication period (a report dated only by month reaches to the
    /// month's end), for time distances.
    last_end: Option<i64>,
    /// Publication time of the latest report known to the minute, for the burst bonus.
    last_precise: Option<i64>,
    /// Expiry order: (clock at the latest report, its sequence number).
    order: (i64, i64),
    /// Index keys this story is posted under, sorted.
    posted: Vec<u64>,
}

impl Story {
    fn new(id: i64) -> Self {
        Story {
            id,
            articles: 0,
            text: Vec::new(),
            title: Vec::new(),
            keys: Centroid::default(),
            anchors: Centroid::default(),
            top_anchors: Vec::new(),
            undated_anchors: Vec::new(),
            members: VecDeque::new(),
            days: Vec::new(),
            first_time: None,
            last_time: None,
            last_end: None,
            last_precise: None,
            order: (0, id),
            posted: Vec::new(),
        }
    }

    fn lang(v: &[(u64, Centroid)], lang: u64) -> Option<&Centroid> {
        v.iter().find(|(l, _)| *l == lang).map(|(_, c)| c)
    }

    fn lang_mut(v: &mut Vec<(u64, Centroid)>, lang: u64) -> &mut Centroid {
        let i = match v.iter().position(|(l, _)| *l == lang) {
            Some(i) => i,
            None => {
                v.push((lang, Centroid::default()));
                v.len() - 1
            }
        };
        &mut v[i].1
    }

    /// Adds names to the story's anchors and recomputes its leading ones.
    fn add_anchors(&mut self, v: &[(u64, f32)], s: &Settings) {
        if v.is_empty() {
            return;
        }
        self.anchors.add(v, s.story_keys);
        self.top_anchors = top_hashes(self.anchors.items(), s.anchor_keys);
        self.undated_anchors = top_hashes(self.anchors.items(), s.undated_anchor_keys);
    }

    /// Adds calendar days the story is about (at most 32 are kept).
    fn add_days(&mut self, days: &[i64]) {
        for &d in days {
            if let Err(i) = self.days.binary_search(&d) {
                if self.days.len() < 32 {
                    self.days.insert(i, d);
                }
            }
        }
    }

    /// Seconds between the publication period `[t, end]` and the story's span (0 when they
    /// overlap); `None` when either is undated.
    fn distance(&self, t: Option<i64>, end: Option<i64>) -> Option<i64> {
        let t = t?;
        let end = end.unwrap_or(t).max(t);
        let first = self.first_time?;
        let last = self.last_time?.max(self.last_end.unwrap_or(i64::MIN));
        Some(if end < first {
            first - end
        } else if t > last {
            t - last
        } else {
            0
        })
    }
}

/// The online clusterer: holds the active stories, the follow-up index and the corpus
/// statistics; [`Clusterer::assign`] places one article at a time.
pub struct Clusterer {
    settings: Settings,
    /// Articles seen.
    docs: u64,
    /// Document frequency of every stem and key hash.
    df: IdMap<u64, u32>,
    /// The latest publication time seen (undated articles are placed at it).
    clock: i64,
    /// Active stories (boxed: the map stays small, so lookups by id stay in cache).
    active: IdMap<i64, Box<Story>>,
    active_order: BTreeSet<(i64, i64, i64)>,
    postings: Postings,
    dormant: IdMap<i64, Box<Story>>,
    dormant_order: BTreeSet<(i64, i64, i64)>,
    dormant_postings: Postings,
    /// Recent articles: (seq, story), in seq order, for near-duplicate links.
    recent: VecDeque<(i64, i64, i64)>,
    /// Buffers of [`Clusterer::decide`], kept between articles.
    scratch: Scratch,
}

/// Reusable buffers of [`Clusterer::decide`] (they only spare allocations: each article starts
/// from empty ones).
#[derive(Default)]
struct Scratch {
    /// Active candidates: (shared probe weight, story id), in the order first met.
    cands: Vec<(f32, i64)>,
    /// Story id → its index in `cands`.
    cand_at: IdMap<i64, u32>,
    /// Stories of the follow-up index: (story id, keys shared), in the order first met.
    shared: Vec<(i64, usize)>,
    /// Story id → its index in `shared`.
    shared_at: IdMap<i64, u32>,
}

impl Clusterer {
    /// An empty clusterer.
    pub fn new(settings: Settings) -> Self {
        Clusterer {
            settings,
            docs: 0,
            df: IdMap::default(),
            clock: i64::MIN,
            active: IdMap::default(),
            active_order: BTreeSet::new(),
            postings: Postings::default(),
            dormant: IdMap::default(),
            dormant_order: BTreeSet::new(),
            dormant_postings: Postings::default(),
            recent: VecDeque::new(),
            scratch: Scratch::default(),
        }
    }

    /// The settings in use.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// How many stories are active in memory (for benches).
    pub fn active_stories(&self) -> usize {
        self.active.len()
    }

    /// How many stories wait in the follow-up index.
    pub fn follow_up_stories(&self) -> usize {
        self.dormant.len()
    }

    /// Number of distinct stems and keys with a document frequency (grows with the vocabulary).
    pub fn vocabulary(&self) -> usize {
        self.df.len()
    }

    /// Decides the story of article `seq` (the store's ingest sequence number; strictly
    /// increasing across calls). A new story's id is the seq of its first article.
    /// `near_duplicate_of` = seq of the article it copies, if any: a near-duplicate always joins
    /// its original's story.
    pub fn assign(&mut self, seq: i64, features: &Features, near_duplicate_of: Option<i64>) -> Assignment {
        self.advance(seq, features.time);
        let q = self.query(features);
        let mut scratch = std::mem::take(&mut self.scratch);
        let decision = self.decide(seq, &q, near_duplicate_of, &mut scratch);
        self.scratch = scratch;
        if let Some(other) = decision.merged {
            self.merge(decision.story, other);
        }
        self.join(decision.story, seq, &q);
        self.learn(features);
        self.remember(seq, decision.story);
        decision
    }

    /// Folds story `from` into story `into` when both are active (another process merged them
    /// in the store); returns whether it did.
    pub fn merge_stories(&mut self, into: i64, from: i64) -> bool {
        let both = into != from && self.active.contains_key(&into) && self.active.contains_key(&from);
        self.merge(into, from);
        both
    }

    /// Re-adds an article whose story was decided earlier (rebuilding state after a restart),
    /// without deciding anything.
    pub fn restore(&mut self, seq: i64, features: &Features, story: i64) {
        self.advance(seq, features.time);
        let q = self.query(features);
        self.join(story, seq, &q);
        self.learn(features);
        self.remember(seq, story);
    }

    /// Inverse document frequency of a hash.
    fn idf(&self, h: u64) -> f32 {
        let df = self.df.get(&h).copied().unwrap_or(0);
        ((self.docs as f32 + 1.0) / (df as f32 + 1.0)).ln() + 1.0
    }

    /// Weighs an article's features into unit vectors and probes.
    fn query(&self, f: &Features) -> Query {
        let s = &self.settings;
        let weigh = |v: &[(u64, f32)]| -> Sparse { v.iter().map(|&(h, tf)| (h, tf * self.idf(h))).collect() };
        let mut terms = weigh(&f.terms);
        truncate(&mut terms, s.article_terms);
        let mut title = weigh(&f.title);
        let mut keys: Sparse = f
            .keys
            .iter()
            .map(|k| (k.hash, k.salience * s.kind_weight(k.kind) * self.idf(k.hash)))
            .filter(|&(_, w)| w > 0.0)
            .collect();
        let mut probes = heaviest(&terms, s.probe_terms);
        // Probing by the publication day would match every story of that day.
        let probe_keys: Sparse = f
            .keys
            .iter()
            .filter(|k| k.kind != KeyKind::Published)
            .filter_map(|k| keys.binary_search_by_key(&k.hash, |&(h, _)| h).ok().map(|i| keys[i]))
            .collect();
        probes.extend(heaviest(&probe_keys, s.probe_keys));
        probes.sort_unstable_by_key(|&(h, _)| h);
        probes.dedup_by_key(|&mut (h, _)| h);
        normalize(&mut terms);
        normalize(&mut title);
        normalize(&mut keys);
        let anchors: Sparse = f
            .keys
            .iter()
            .filter(|k| matches!(k.kind, KeyKind::Person | KeyKind::Place | KeyKind::Other))
            .filter_map(|k| keys.binary_search_by_key(&k.hash, |&(h, _)| h).ok().map(|i| keys[i]))
            .collect();
        let top_anchors = top_hashes(&anchors, s.anchor_keys);
        let undated_anchors = top_hashes(&anchors, s.undated_anchor_keys);
        let named = f.keys.iter().filter(|k| k.kind != KeyKind::Published).count();
        let key_support = (named as f32 / s.full_keys.max(1.0)).min(1.0);
        let threshold = if f.headline_only { s.headline_threshold } else { s.threshold };
        Query {
            lang: f.lang,
            time: f.time,
            time_end: f.time_end,
            precise: f.precise,
            days: f.days.clone(),
            terms,
            title,
            keys,
            probes,
            anchors,
            top_anchors,
            undated_anchors,
            key_support,
            threshold,
        }
    }

    /// The score of an article against a story; `late` scores a story from the follow-up index
    /// (no time decay: the stricter follow-up threshold applies there).
    fn score(&self, q: &Query, story: &Story, late: bool) -> f32 {
        let s = &self.settings;
        let keys = story.keys.cosine(&q.keys);
        // (words, keys): the shares of the score from stems and from language-independent keys.
        let (words, keys) = match Story::lang(&story.text, q.lang) {
            Some(text) => {
                let title = Story::lang(&story.title, q.lang).map_or(0.0, |c| c.cosine(&q.title));
                let mut text = text.cosine(&q.terms);
                if s.member_weight > 0.0 {
                    for (l, m) in &story.members {
                        if *l == q.lang {
                            text = text.max(s.member_weight * index::dot(&q.terms, m));
                        }
                    }
                }
                (s.text_weight * text + s.title_weight * title, s.keys_weight * q.key_support * keys)
            }
            None => (0.0, s.cross_language_weight * keys),
        };
        let (word_decay, key_decay) = match story.distance(q.time, q.time_end) {
            Some(dt) => {
                let dt = dt as f32 / 3600.0;
                ((-dt / s.time_scale_hours).exp(), (-dt / s.keys_time_scale_hours).exp())
            }
            None => (1.0, 1.0),
        };
        let burst = match (q.time.filter(|_| q.precise), story.last_precise) {
            (Some(t), Some(l)) if s.burst_weight > 0.0 => {
                s.burst_weight * (-((t - l).abs() as f32) / s.burst_seconds).exp()
            }
            _ => 0.0,
        };
        let conflict = self.date_factor(q, story) * self.anchor_factor(q, story);
        // Late reports are not penalised below what the follow-up path would accept: the time
        // factor never falls under threshold / follow_up_threshold.
        let floor = (s.threshold / s.follow_up_threshold.max(1e-6)).min(1.0);
        let factor =
            |decay: f32| if late { 1.0 } else { (1.0 - s.time_weight + s.time_weight * decay).max(floor) };
        let base = (words * factor(word_decay) + keys * factor(key_decay)) * conflict;
        if base >= s.burst_min_score {
            base + burst
        } else {
            base
        }
    }

    /// [`Settings::date_conflict`] when the article's dates and the story's all lie more than
    /// the tolerance apart, else 1. The dates of a side are the calendar days it is about and
    /// its publication period (a report dated only by month has no day, but still a month):
    /// a report of October 2017 is not about an event of 2025, on whatever path it arrives.
    fn date_factor(&self, q: &Query, story: &Story) -> f32 {
        let s = &self.settings;
        const DAY: i64 = 86_400;
        let tol = s.date_tolerance_days as i64;
        // Publication periods as day ranges.
        let period = q.time.map(|t| (t.div_euclid(DAY), q.time_end.unwrap_or(t).max(t).div_euclid(DAY)));
        let span = match (story.first_time, story.last_time) {
            (Some(f), Some(l)) => {
                Some((f.div_euclid(DAY), l.max(story.last_end.unwrap_or(l)).div_euclid(DAY)))
            }
            _ => None,
        };
        if (q.days.is_empty() && period.is_none()) || (story.days.is_empty() && span.is_none()) {
            return 1.0;
        }
        let near_days = |d: i64, days: &[i64]| {
            let i = days.partition_point(|&x| x < d - tol);
            i < days.len() && days[i] <= d + tol
        };
        let near_range = |d: i64, (a, b): (i64, i64)| d >= a - tol && d <= b + tol;
        let near =
            q.days.iter().any(|&d| near_days(d, &story.days) || span.is_some_and(|r| near_range(d, r)))
                || period.is_some_and(|(a, b)| {
                    story.days.iter().any(|&d| near_range(d, (a, b)))
                        || span.is_some_and(|(c, e)| a <= e + tol && c <= b + tol)
                });
        if near {
            1.0
        } else {
            s.date_conflict
        }
    }

    /// [`Settings::anchor_conflict`] when only one side is dated and the article's heaviest
    /// names and the story's are disjoint (and both name enough);
    /// [`Settings::undated_anchor_conflict`] when neither side is dated and their
    /// [`Settings::undated_anchor_keys`] heaviest names are disjoint; else 1.
    fn anchor_factor(&self, q: &Query, story: &Story) -> f32 {
        let s = &self.settings;
        let min = s.anchor_min.max(1);
        let (factor, ours, theirs) = match (q.time.is_some(), story.first_time.is_some()) {
            // Only one side dated: no time distance can tell the events apart.
            (true, false) | (false, true) => (s.anchor_conflict, &q.top_anchors, &story.top_anchors),
            // Neither dated (an archive): compare more names, mildly.
            (false, false) => (s.undated_anchor_conflict, &q.undated_anchors, &story.undated_anchors),
            (true, true) => return 1.0,
        };
        if factor >= 1.0 || ours.len() < min || theirs.len() < min {
            return 1.0;
        }
        if ours.iter().any(|h| theirs.binary_search(h).is_ok()) {
            1.0
        } else {
            factor
        }
    }

    /// Moves the clock and expires stories that fell out of the windows.
    fn advance(&mut self, seq: i64, time: Option<i64>) {
        if let Some(t) = time {
            self.clock = self.clock.max(t);
        }
        let s = &self.settings;
        let active_cut = self.clock.saturating_sub((s.active_days * 86_400.0) as i64);
        let dormant_cut = self.clock.saturating_sub((s.follow_up_days * 86_400.0) as i64);
        // Stories updated within the last `window_articles` articles stay, however far the clock
        // jumped (an archive ingested out of date order).
        let recent_seq = seq.saturating_sub(s.window_articles as i64);
        while let Some(&(clock, seq, id)) = self.active_order.first() {
            if (clock >= active_cut || seq > recent_seq) && self.active.len() <= self.settings.max_active {
                break;
            }
            self.active_order.remove(&(clock, seq, id));
            if let Some(story) = self.active.remove(&id) {
                for &k in &story.posted {
                    self.postings.unpost(k, id);
                }
                self.sleep(story);
            }
        }
        while let Some(&(clock, seq, id)) = self.dormant_order.first() {
            if (clock >= dormant_cut || seq > recent_seq) && self.dormant.len() <= self.settings.max_follow_up
            {
                break;
            }
            self.dormant_order.remove(&(clock, seq, id));
            if let Some(story) = self.dormant.remove(&id) {
                for &k in &story.posted {
                    self.dormant_postings.unpost(k, id);
                }
            }
        }
    }

    /// Compacts a story into the follow-up index.
    fn sleep(&mut self, mut story: Box<Story>) {
        let s = &self.settings;
        for (_, c) in story.text.iter_mut().chain(story.title.iter_mut()) {
            c.shrink(s.follow_up_terms);
        }
        story.keys.shrink(s.follow_up_keys);
        story.anchors.shrink(s.follow_up_keys);
        story.members.clear();
        story.posted = story.keys.items().iter().map(|&(h, _)| h).collect();
        let id = story.id;
        for &k in &story.posted {
            let dormant = &self.dormant;
            self.dormant_postings.post(k, id, |x| dormant.contains_key(&x));
        }
        self.dormant_order.insert((story.order.0, story.order.1, id));
        self.dormant.insert(id, story);
    }

    /// Takes a story out of the follow-up index.
    fn wake(&mut self, id: i64) -> Option<Box<Story>> {
        let mut story = self.dormant.remove(&id)?;
        self.dormant_order.remove(&(story.order.0, story.order.1, id));
        for &k in &story.posted {
            self.dormant_postings.unpost(k, id);
        }
        story.posted.clear();
        Some(story)
    }

    /// Decides where an article goes.
    fn decide(
        &self,
        seq: i64,
        q: &Query,
        near_duplicate_of: Option<i64>,
        scratch: &mut Scratch,
    ) -> Assignment {
        let s = &self.settings;
        if let Some(story) = near_duplicate_of.and_then(|o| self.story_of(o)) {
            let follow_up = self.is_gap(story, q.time) || self.dormant.contains_key(&story);
            return Assignment { story, score: 1.0, new_story: false, follow_up, merged: None };
        }
        // Candidates from the active index: stories sharing the most probe weight.
        let Scratch { cands, cand_at, shared, shared_at } = scratch;
        cands.clear();
        cand_at.clear();
        for &(h, w) in &q.probes {
            let list = self.postings.get(h);
            if list.len() > s.max_postings {
                continue;
            }
            for &id in list {
                let i = *cand_at.entry(id).or_insert_with(|| {
                    cands.push((0.0, id));
                    (cands.len() - 1) as u32
                });
                cands[i as usize].0 += w;
            }
        }
        cands.retain(|(_, id)| self.active.contains_key(id));
        // The best `candidates` by shared weight (ties: lower id; ids are distinct, so the order
        // is total and the selection does not depend on the order the lists were read in).
        let by_share = |a: &(f32, i64), b: &(f32, i64)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if cands.len() > s.candidates && s.candidates > 0 {
            cands.select_nth_unstable_by(s.candidates - 1, by_share);
        }
        cands.truncate(s.candidates);
        cands.sort_unstable_by(by_share);
        for &(_, _, id) in self.active_order.iter().rev().take(s.recent_candidates) {
            if !cands.iter().any(|&(_, c)| c == id) {
                cands.push((0.0, id));
            }
        }
        let mut best: Option<(f32, i64)> = None;
        for c in cands.iter_mut() {
            let score = self.score(q, &self.active[&c.1], false);
            c.0 = score;
            if best.is_none_or(|(bs, bid)| score > bs || (score == bs && c.1 < bid)) {
                best = Some((score, c.1));
            }
        }
        if let Some((score, id)) = best {
            let active_cut = self.clock.saturating_sub((s.active_days * 86_400.0) as i64);
            if score >= q.threshold && q.time.is_some_and(|t| t >= active_cut) {
                let follow_up = self.is_gap(id, q.time);
                return self.with_merge(
                    q,
                    Assignment { story: id, score, new_story: false, follow_up, merged: None },
                    cands,
                );
            }
        }
        // The follow-up index: dormant stories sharing enough strong keys. An undated report, or
        // one dated before the active window (a backfill), has no "now" to follow up on: it
        // weighs dormant stories like active ones.
        let active_cut = self.clock.saturating_sub((s.active_days * 86_400.0) as i64);
        let backfill = q.time.is_none_or(|t| t < active_cut);
        shared.clear();
        shared_at.clear();
        for &(h, _) in &q.keys {
            for &id in self.dormant_postings.get(h) {
                let i = *shared_at.entry(id).or_insert_with(|| {
                    shared.push((id, 0));
                    (shared.len() - 1) as u32
                });
                shared[i as usize].1 += 1;
            }
        }
        let mut fbest: Option<(f32, i64)> = None;
        for &(id, n) in shared.iter() {
            if n < s.follow_up_min_shared {
                continue;
            }
            let Some(story) = self.dormant.get(&id) else { continue };
            let score = self.score(q, story, true);
            if fbest.is_none_or(|(bs, bid)| score > bs || (score == bs && id < bid)) {
                fbest = Some((score, id));
            }
        }
        if let Some((score, id)) = fbest {
            let threshold = if backfill { q.threshold } else { s.follow_up_threshold };
            if score >= threshold && best.is_none_or(|(bs, _)| score > bs) {
                return Assignment { story: id, score, new_story: false, follow_up: !backfill, merged: None };
            }
        }
        if let Some((score, id)) = best {
            if score >= q.threshold {
                let follow_up = self.is_gap(id, q.time);
                return self.with_merge(
                    q,
                    Assignment { story: id, score, new_story: false, follow_up, merged: None },
                    cands,
                );
            }
        }
        let score = best.map_or(0.0, |b| b.0).max(fbest.map_or(0.0, |b| b.0));
        Assignment { story: seq, score, new_story: true, follow_up: false, merged: None }
    }

    /// Completes the decision to join active story `a.story` with a merge: the best other
    /// scored candidate (`scored`: (score, story id)) that began with the same event. For dated
    /// stories: it reaches [`Settings::merge_threshold`] and its first report lies within
    /// [`Settings::merge_window_hours`] of the joined story's. For undated ones (and an undated
    /// article): it reaches [`Settings::undated_merge_threshold`] and the article names a day
    /// within [`Settings::undated_merge_days`] of a day each story names. The older story (the
    /// lower id) stays; the article joins it.
    fn with_merge(&self, q: &Query, mut a: Assignment, scored: &[(f32, i64)]) -> Assignment {
        let s = &self.settings;
        let Some(joined) = self.active.get(&a.story) else { return a };
        if s.merge_threshold <= 0.0 {
            return a;
        }
        let window = (s.merge_window_hours * 3600.0) as i64;
        let tolerance = s.undated_merge_days as i64;
        // Whether the article names a day near one of `days` (sorted).
        let near_day = |days: &[i64]| {
            q.days.iter().any(|&d| {
                let i = days.partition_point(|&x| x < d - tolerance);
                i < days.len() && days[i] <= d + tolerance
            })
        };
        let undated = joined.first_time.is_none()
            && q.time.is_none()
            && s.undated_merge_days >= 0.0
            && near_day(&joined.days);
        let mut other: Option<(f32, i64)> = None;
        for &(score, id) in scored {
            if id == a.story {
                continue;
            }
            let Some(story) = self.active.get(&id) else { continue };
            let same_start = match (joined.first_time, story.first_time) {
                (Some(f), Some(g)) => score >= s.merge_threshold && (f - g).abs() <= window,
                (None, None) => undated && score >= s.undated_merge_threshold && near_day(&story.days),
                _ => false,
            };
            if same_start && other.is_none_or(|(bs, bid)| score > bs || (score == bs && id < bid)) {
                other = Some((score, id));
            }
        }
        if let Some((_, id)) = other {
            a.merged = Some(a.story.max(id));
            a.story = a.story.min(id);
        }
        a
    }

    /// Moves story `from` into story `into` (both active): its centroids, dates, reports and
    /// index entries; articles remembered as `from`'s now point to `into`.
    fn merge(&mut self, into: i64, from: i64) {
        if from == into || !self.active.contains_key(&from) || !self.active.contains_key(&into) {
            return;
        }
        let (Some(mut src), Some(mut dst)) = (self.active.remove(&from), self.active.remove(&into)) else {
            return;
        };
        self.active_order.remove(&(src.order.0, src.order.1, from));
        self.active_order.remove(&(dst.order.0, dst.order.1, into));
        for &k in &src.posted {
            self.postings.unpost(k, from);
        }
        let s = &self.settings;
        for (lang, c) in &src.text {
            Story::lang_mut(&mut dst.text, *lang).add(c.items(), s.story_terms);
        }
        for (lang, c) in &src.title {
            Story::lang_mut(&mut dst.title, *lang).add(c.items(), s.story_terms);
        }
        dst.keys.add(src.keys.items(), s.story_keys);
        dst.add_anchors(src.anchors.items(), s);
        dst.add_days(&src.days);
        for m in std::mem::take(&mut src.members) {
            if dst.members.len() >= s.members {
                dst.members.pop_front();
            }
            dst.members.push_back(m);
        }
        dst.articles += src.articles;
        let min = |a: Option<i64>, b: Option<i64>| a.into_iter().chain(b).min();
        let max = |a: Option<i64>, b: Option<i64>| a.into_iter().chain(b).max();
        dst.first_time = min(dst.first_time, src.first_time);
        dst.last_time = max(dst.last_time, src.last_time);
        dst.last_end = max(dst.last_end, src.last_end);
        dst.last_precise = max(dst.last_precise, src.last_precise);
        dst.order = dst.order.max(src.order);
        post(&mut self.postings, &self.active, &mut dst, src.posted.iter().copied(), s.story_postings);
        self.active_order.insert((dst.order.0, dst.order.1, into));
        self.active.insert(into, dst);
        // Remembered articles of `from` are at or after its first article, `from` itself.
        let start = self.recent.partition_point(|&(seq, _, _)| seq < from);
        for e in self.recent.range_mut(start..) {
            if e.1 == from {
                e.1 = into;
            }
        }
    }

    /// Whether an article at `time` comes at least the follow-up gap after the story's latest
    /// report.
    fn is_gap(&self, story: i64, time: Option<i64>) -> bool {
        let last = self.active.get(&story).or_else(|| self.dormant.get(&story)).and_then(|s| s.last_time);
        match (time, last) {
            (Some(t), Some(l)) => (t - l) as f32 >= self.settings.follow_up_gap_days * 86_400.0,
            _ => false,
        }
    }

    /// The story of a remembered article.
    fn story_of(&self, seq: i64) -> Option<i64> {
        let i = self.recent.binary_search_by_key(&seq, |&(s, _, _)| s).ok()?;
        Some(self.recent[i].1)
    }

    /// Adds an article to a story (waking or creating it as needed) and indexes it.
    fn join(&mut self, id: i64, seq: i64, q: &Query) {
        let mut story = match self.active.remove(&id) {
            Some(story) => {
                self.active_order.remove(&(story.order.0, story.order.1, id));
                story
            }
            None => self.wake(id).unwrap_or_else(|| Box::new(Story::new(id))),
        };
        let s = &self.settings;
        Story::lang_mut(&mut story.text, q.lang).add(&q.terms, s.story_terms);
        if !q.title.is_empty() {
            Story::lang_mut(&mut story.title, q.lang).add(&q.title, s.story_terms);
        }
        story.keys.add(&q.keys, s.story_keys);
        story.add_anchors(&q.anchors, s);
        if s.members > 0 && s.member_weight > 0.0 {
            if story.members.len() >= s.members {
                story.members.pop_front();
            }
            story.members.push_back((q.lang, q.terms.clone()));
        }
        story.add_days(&q.days);
        story.articles += 1;
        if let Some(t) = q.time {
            story.first_time = Some(story.first_time.map_or(t, |f| f.min(t)));
            story.last_time = Some(story.last_time.map_or(t, |l| l.max(t)));
            let end = q.time_end.unwrap_or(t);
            story.last_end = Some(story.last_end.map_or(end, |l| l.max(end)));
            if q.precise {
                story.last_precise = Some(story.last_precise.map_or(t, |l| l.max(t)));
            }
        }
        story.order = (self.clock, seq);
        post(
            &mut self.postings,
            &self.active,
            &mut story,
            q.probes.iter().map(|&(h, _)| h),
            s.story_postings,
        );
        self.active_order.insert((story.order.0, story.order.1, id));
        self.active.insert(id, story);
    }

    /// Counts an article into the document frequencies.
    fn learn(&mut self, f: &Features) {
        self.docs += 1;
        let mut last = None;
        // `terms` holds every title stem too; keys live in their own hash space.
        for h in f.terms.iter().map(|&(h, _)| h).chain(f.keys.iter().map(|k| k.hash)) {
            if last == Some(h) {
                continue;
            }
            last = Some(h);
            *self.df.entry(h).or_insert(0) += 1;
        }
    }

    /// Remembers an article's story for near-duplicate links.
    fn remember(&mut self, seq: i64, story: i64) {
        if self.recent.back().is_some_and(|&(s, _, _)| s >= seq) {
            // Out of order (a caller bug); keep the index sorted by skipping it.
            return;
        }
        self.recent.push_back((seq, story, self.clock));
        let cut = self.clock.saturating_sub((self.settings.follow_up_days * 86_400.0) as i64);
        while self.recent.len() > self.settings.remembered
            || self.recent.front().is_some_and(|&(_, _, c)| c < cut)
        {
            self.recent.pop_front();
        }
    }
}

/// Posts `story` in the index under `keys` it is not yet posted under, up to `cap` keys in all.
fn post(
    postings: &mut Postings,
    active: &IdMap<i64, Box<Story>>,
    story: &mut Story,
    keys: impl Iterator<Item = u64>,
    cap: usize,
) {
    let id = story.id;
    for h in keys {
        if story.posted.len() >= cap {
            break;
        }
        if let Err(i) = story.posted.binary_search(&h) {
            story.posted.insert(i, h);
            postings.post(h, id, |x| x == id || active.contains_key(&x));
        }
    }
}

/// The hashes of the `n` heaviest entries (ties: lower hash), sorted.
fn top_hashes(v: &[(u64, f32)], n: usize) -> Vec<u64> {
    let mut top: Vec<u64> = heaviest(v, n).into_iter().map(|(h, _)| h).collect();
    top.sort_unstable();
    top
}

/// The `n` heaviest entries (ties: lower hash).
fn heaviest(v: &[(u64, f32)], n: usize) -> Sparse {
    let mut v = v.to_vec();
    if v.len() > n && n > 0 {
        v.select_nth_unstable_by(n - 1, by_weight);
    }
    v.truncate(n);
    v.sort_unstable_by(by_weight);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{prepare, PrepareOptions};
    use crate::model::RawArticle;
    use crate::Published;

    fn feat(title: &str, text: &str, lang: &str, published: Option<&str>) -> Features {
        let raw = RawArticle {
            title: Some(title.into()),
            text: text.into(),
            language: Some(lang.into()),
            published: published.map(|p| Published::parse(p).unwrap()),
            ..RawArticle::default()
        };
        let article = prepare(raw, &PrepareOptions::default());
        let analysis = crate::analyze::analyze(&article.text, &article.language.code, article.published);
        features(&article, &analysis)
    }

    const FLOOD_A: (&str, &str) = (
        "Dijk bij Roermond bezwijkt na dagen regen",
        "Bij Roermond is zaterdagavond een dijk langs de Maas bezweken. Het waterschap Limburg \
         heeft 1.200 bewoners van de wijk Hoogvonderen geëvacueerd. Dijkgraaf Marieke Janssen \
         spreekt van een uitzonderlijke situatie. De noodpompen draaien op volle kracht.",
    );
    const FLOOD_B: (&str, &str) = (
        "Evacuatie in Roermond na dijkdoorbraak",
        "Na de doorbraak van de Maasdijk bij Roermond moesten 1.200 mensen hun huis verlaten. \
         Volgens dijkgraaf Marieke Janssen van het waterschap Limburg houden de noodpompen het \
         water voorlopig tegen in Hoogvonderen.",
    );
    const FIRE: (&str, &str) = (
        "Grote brand verwoest supermarkt in Zwolle",
        "In het centrum van Zwolle is vrijdagnacht een supermarkt door brand verwoest. De \
         brandweer rukte met acht wagens uit. Woordvoerder Peter de Vries zegt dat niemand \
         gewond raakte. De politie onderzoekt of de brand is aangestoken.",
    );

    #[test]
    fn same_event_joins_and_other_event_stays_apart() {
        let mut c = Clusterer::new(Settings::default());
        let a = c.assign(1, &feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2025-03-01T20:00:00Z")), None);
        assert!(a.new_story && a.story == 1);
        let b = c.assign(2, &feat(FLOOD_B.0, FLOOD_B.1, "nl", Some("2025-03-01T22:30:00Z")), None);
        assert_eq!(b.story, 1, "same flood in other words: {b:?}");
        assert!(!b.new_story && !b.follow_up);
        let f = c.assign(3, &feat(FIRE.0, FIRE.1, "nl", Some("2025-03-02T10:00:00Z")), None);
        assert!(f.new_story && f.story == 3, "a fire is another story: {f:?}");
        assert_eq!(c.active_stories(), 2);
    }

    #[test]
    fn cross_language_report_joins_through_names_and_figures() {
        let mut c = Clusterer::new(Settings::default());
        c.assign(1, &feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2025-03-01T20:00:00Z")), None);
        c.assign(2, &feat(FIRE.0, FIRE.1, "nl", Some("2025-03-01T21:00:00Z")), None);
        let en = feat(
            "Dike breach forces evacuation in Roermond",
            "A dike along the Maas near Roermond gave way on Saturday evening. The Limburg water \
             board evacuated 1,200 residents of Hoogvonderen, dike reeve Marieke Janssen said.",
            "en",
            Some("2025-03-02T08:00:00Z"),
        );
        assert_eq!(c.assign(3, &en, None).story, 1);
    }

    #[test]
    fn near_duplicates_join_their_original() {
        let mut c = Clusterer::new(Settings::default());
        c.assign(1, &feat(FLOOD_A.0, FLOOD_A.1, "nl", None), None);
        c.assign(2, &feat(FIRE.0, FIRE.1, "nl", None), None);
        // Whatever the text says, a copy goes where its original went.
        let a = c.assign(3, &feat("Brand", "Een korte tekst over iets anders.", "nl", None), Some(2));
        assert_eq!((a.story, a.new_story, a.score), (2, false, 1.0));
    }

    #[test]
    fn follow_up_weeks_later_rejoins_a_dormant_story() {
        // A stream long enough that the article window does not hold the story active.
        let mut c = Clusterer::new(Settings { window_articles: 0, ..Settings::default() });
        c.assign(1, &feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2025-03-01T20:00:00Z")), None);
        c.assign(2, &feat(FLOOD_B.0, FLOOD_B.1, "nl", Some("2025-03-01T22:30:00Z")), None);
        // Other news moves the clock on: the flood story leaves the active window.
        c.assign(3, &feat(FIRE.0, FIRE.1, "nl", Some("2025-03-20T10:00:00Z")), None);
        assert_eq!((c.active_stories(), c.follow_up_stories()), (1, 1));
        let later = feat(
            "Onderzoek naar dijkdoorbraak Roermond",
            "Een maand na de dijkdoorbraak bij Roermond laat het waterschap Limburg onderzoeken \
             waarom de Maasdijk bezweek. Dijkgraaf Marieke Janssen wil weten of de 1.200 \
             bewoners van Hoogvonderen eerder gewaarschuwd hadden kunnen worden.",
            "nl",
            Some("2025-04-02T09:00:00Z"),
        );
        let a = c.assign(4, &later, None);
        assert_eq!(a.story, 1, "{a:?}");
        assert!(a.follow_up && !a.new_story);
        // The flood is active again; the fire, now older than the window, waits in its place.
        assert_eq!((c.active_stories(), c.follow_up_stories()), (1, 1));
    }

    /// The same kind of event elsewhere, with other people, told in the same words.
    const FLOOD_ELSEWHERE: (&str, &str) = (
        "Dijk bij Kampen bezwijkt na dagen regen",
        "Bij Kampen is een dijk langs de IJssel bezweken. Het waterschap heeft 1.200 bewoners van \
         de wijk Brunnepe geëvacueerd. Dijkgraaf Hendrik Bos spreekt van een uitzonderlijke \
         situatie in Kampen. De noodpompen draaien op volle kracht, zegt Hendrik Bos.",
    );

    #[test]
    fn undated_report_of_a_look_alike_event_stays_apart() {
        let run = |settings: Settings, late: (&str, &str)| {
            let mut c = Clusterer::new(settings);
            c.assign(1, &feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2025-03-01T20:00:00Z")), None);
            c.assign(2, &feat(FLOOD_B.0, FLOOD_B.1, "nl", Some("2025-03-01T22:30:00Z")), None);
            c.assign(3, &feat(late.0, late.1, "nl", None), None)
        };
        // Without a date, the shared wording alone would carry the report into the story...
        let off = Settings { anchor_conflict: 1.0, ..Settings::default() };
        let joined = run(off, FLOOD_ELSEWHERE);
        assert_eq!(joined.story, 1, "{joined:?}");
        // ...but its town and its people are not the story's: another event.
        let apart = run(Settings::default(), FLOOD_ELSEWHERE);
        assert!(apart.new_story, "{apart:?}");
        // An undated report that names the story's town and people still joins it.
        let same = run(Settings::default(), FLOOD_B);
        assert_eq!(same.story, 1, "{same:?}");
    }

    #[test]
    fn a_report_dated_by_month_years_apart_is_a_date_conflict() {
        let c = Clusterer::new(Settings::default());
        let mut story = Story::new(1);
        let t = Published::parse("2025-10-11T14:00:00Z").unwrap().unix;
        story.first_time = Some(t);
        story.last_time = Some(t + 30 * 86_400);
        story.last_end = story.last_time;
        // October 2017 has no calendar day, but its month lies years before the story.
        let old = feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2017-10"));
        assert!(old.days.is_empty());
        assert_eq!(c.date_factor(&c.query(&old), &story), Settings::default().date_conflict);
        // October 2025, known to the month, overlaps it; an undated report cannot conflict.
        let near = feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2025-10"));
        assert_eq!(c.date_factor(&c.query(&near), &story), 1.0);
        assert_eq!(c.date_factor(&c.query(&feat(FLOOD_A.0, FLOOD_A.1, "nl", None)), &story), 1.0);
    }

    #[test]
    fn an_archive_out_of_date_order_keeps_the_stories_before_a_clock_jump() {
        let run = |window_articles: usize| {
            let mut c = Clusterer::new(Settings { window_articles, ..Settings::default() });
            c.assign(1, &feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2019-03-01T20:00:00Z")), None);
            // A report of years later moves the clock past every window.
            c.assign(2, &feat(FIRE.0, FIRE.1, "nl", Some("2025-03-01T21:00:00Z")), None);
            c.assign(3, &feat(FLOOD_B.0, FLOOD_B.1, "nl", Some("2019-03-01T22:30:00Z")), None)
        };
        assert!(run(0).new_story, "without the article window the flood story was dropped");
        assert_eq!(run(Settings::default().window_articles).story, 1);
    }

    #[test]
    fn deterministic_and_restore_replays_the_state() {
        let docs = [
            feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2025-03-01T20:00:00Z")),
            feat(FIRE.0, FIRE.1, "nl", Some("2025-03-01T21:00:00Z")),
            feat(FLOOD_B.0, FLOOD_B.1, "nl", Some("2025-03-02T09:00:00Z")),
        ];
        let run = |c: &mut Clusterer| {
            docs.iter().enumerate().map(|(i, f)| c.assign(i as i64 + 1, f, None)).collect::<Vec<_>>()
        };
        let first = run(&mut Clusterer::new(Settings::default()));
        let second = run(&mut Clusterer::new(Settings::default()));
        assert_eq!(first, second);
        // Restoring the first two decisions, then assigning the third, decides as before.
        let mut c = Clusterer::new(Settings::default());
        c.restore(1, &docs[0], first[0].story);
        c.restore(2, &docs[1], first[1].story);
        assert_eq!(c.assign(3, &docs[2], None), first[2]);
    }

    #[test]
    fn a_report_dated_by_month_is_near_every_day_of_it() {
        let mut story = Story::new(1);
        story.first_time = Some(1_760_000_000);
        story.last_time = Some(1_760_100_000);
        // October 2025, known only to the month: overlaps the story's span.
        let oct = Published::parse("2025-10").unwrap();
        assert_eq!(story.distance(Some(oct.unix), Some(oct.end_unix() - 1)), Some(0));
        // The same instant known to the second lies days before the span.
        assert!(story.distance(Some(oct.unix), Some(oct.unix)).unwrap() > 5 * 86_400);
        assert_eq!(story.distance(None, None), None);
    }

    /// The first reports of one fire, minutes apart, in words that hardly overlap; the third
    /// report tells both halves.
    const BLAZE_SMOKE: (&str, &str) = (
        "Rookwolk boven Waalwijk, bewoners moeten ramen sluiten",
        "Een dikke zwarte rookwolk trekt over Waalwijk en Kaatsheuvel. De veiligheidsregio \
         verstuurde een NL-Alert: houd ramen en deuren gesloten en zet de ventilatie uit. \
         Omwonenden melden een scherpe geur van verbrand plastic.",
    );
    const BLAZE_HALL: (&str, &str) = (
        "Distributiecentrum in vlammen op",
        "Op een industrieterrein is een opslaghal van een webwinkel volledig uitgebrand. \
         Veertig medewerkers konden op tijd naar buiten. De brandweer zette zes blusvoertuigen \
         en een hoogwerker in; het dak van de hal stortte in.",
    );
    const BLAZE_BOTH: (&str, &str) = (
        "Uitgebrande opslaghal webwinkel veroorzaakt rookwolk boven Waalwijk",
        "De brand in de opslaghal van een webwinkel op een industrieterrein veroorzaakte een \
         dikke zwarte rookwolk boven Waalwijk en Kaatsheuvel. Veertig medewerkers konden op tijd \
         naar buiten, het dak van de hal stortte in. De veiligheidsregio verstuurde een \
         NL-Alert: houd ramen en deuren gesloten en zet de ventilatie uit.",
    );

    #[test]
    fn undated_stories_merge_only_when_they_name_the_days_of_the_report_joining_both() {
        // An archive without publication dates: each text names the day of the fire, or not.
        let run = |settings: Settings, days: [&str; 3]| {
            let mut c = Clusterer::new(settings);
            let undated = |(title, text): (&str, &str), day: &str| {
                let text =
                    if day.is_empty() { text.to_string() } else { format!("{text} Dat gebeurde op {day}.") };
                feat(title, &text, "nl", None)
            };
            let a = c.assign(1, &undated(BLAZE_SMOKE, days[0]), None);
            let b = c.assign(2, &undated(BLAZE_HALL, days[1]), None);
            let both = c.assign(3, &undated(BLAZE_BOTH, days[2]), None);
            assert!(a.new_story && b.new_story && !both.new_story, "{a:?} {b:?} {both:?}");
            (both, c.active_stories())
        };
        let same = ["3 juni 2025", "3 juni 2025", "3 juni 2025"];
        let (both, active) = run(Settings::default(), same);
        assert_eq!((both.story, both.merged, active), (1, Some(2), 1), "{both:?}");
        // A day apart is within the default tolerance; a year apart is another fire.
        let (both, _) = run(Settings::default(), ["3 juni 2025", "4 juni 2025", "3 juni 2025"]);
        assert_eq!(both.merged, Some(2), "{both:?}");
        let (both, active) = run(Settings::default(), ["3 juni 2025", "3 juni 2024", "3 juni 2025"]);
        assert_eq!((both.merged, active), (None, 2), "{both:?}");
        // Texts that name no day give no sign that the stories began with one event.
        let (both, active) = run(Settings::default(), ["", "", ""]);
        assert_eq!((both.merged, active), (None, 2), "{both:?}");
        // The report must also resemble the second story enough.
        let strict = Settings { undated_merge_threshold: 0.99, ..Settings::default() };
        let (both, active) = run(strict, same);
        assert_eq!((both.merged, active), (None, 2), "{both:?}");
        // Turned off.
        let (both, active) = run(Settings { undated_merge_days: -1.0, ..Settings::default() }, same);
        assert_eq!((both.merged, active), (None, 2), "{both:?}");
    }

    #[test]
    fn two_young_stories_of_one_event_merge_when_a_report_joins_both() {
        let run = |settings: Settings, third_at: &str| {
            let mut c = Clusterer::new(settings);
            let a =
                c.assign(1, &feat(BLAZE_SMOKE.0, BLAZE_SMOKE.1, "nl", Some("2025-06-03T14:02:00Z")), None);
            let b = c.assign(2, &feat(BLAZE_HALL.0, BLAZE_HALL.1, "nl", Some("2025-06-03T14:09:00Z")), None);
            let both = c.assign(3, &feat(BLAZE_BOTH.0, BLAZE_BOTH.1, "nl", Some(third_at)), None);
            let after = c.assign(4, &feat(BLAZE_HALL.0, BLAZE_HALL.1, "nl", Some(third_at)), None);
            (a, b, both, after, c.active_stories())
        };
        let (a, b, both, after, active) = run(Settings::default(), "2025-06-03T14:40:00Z");
        // The first two reports started a story each...
        assert!(a.new_story && b.new_story, "{a:?} {b:?}");
        // ...the third joins the older and brings the younger into it.
        assert_eq!((both.story, both.merged), (1, Some(2)), "{both:?}");
        // From then on there is one story: what resembles the second report joins the first.
        assert_eq!((after.story, after.merged, active), (1, None, 1), "{after:?}");
        // Without merging, the third report joins one of them and the other stays.
        let (_, _, both, _, active) =
            run(Settings { merge_threshold: 0.0, ..Settings::default() }, "2025-06-03T14:40:00Z");
        assert_eq!((both.merged, active), (None, 2), "{both:?}");
        // Stories whose first reports lie further apart than the window stay two.
        let narrow = Settings { merge_window_hours: 0.05, ..Settings::default() };
        let (_, _, both, _, active) = run(narrow, "2025-06-03T14:40:00Z");
        assert_eq!((both.merged, active), (None, 2), "{both:?}");
    }

    #[test]
    fn settings_defaults_and_unknown_keys() {
        let s: Settings = serde_json::from_str("{}").unwrap();
        assert_eq!(s, Settings::default());
        let s: Settings = serde_json::from_str(r#"{"threshold": 0.5}"#).unwrap();
        assert_eq!(s.threshold, 0.5);
        assert!(serde_json::from_str::<Settings>(r#"{"treshold": 0.5}"#).is_err());
    }
}
